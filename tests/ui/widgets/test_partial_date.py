"""The approximate-date input, driven through its real boxes as an advocate would type."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.dates import PartialDate, PartialDateError
from referral_app.ui.common import resources
from referral_app.ui.widgets.partial_date import EXAMPLE_HINT, PartialDateEdit, month_number

TODAY = date(2024, 6, 15)


def make(qtbot: QtBot, *, required: bool = False, what: str = "of birth") -> PartialDateEdit:
    widget = PartialDateEdit("Date of birth", what, hint=EXAMPLE_HINT, required=required)
    qtbot.addWidget(widget)
    return widget


def type_in(qtbot: QtBot, widget: PartialDateEdit, day: str, month: str, year: str) -> None:
    for box, text in zip(widget._boxes, (day, month, year), strict=True):
        if text:
            qtbot.keyClicks(box, text)


def invalid(box: QLineEdit) -> bool:
    return bool(box.property("invalid"))


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("", "", "2007", PartialDate(2007)),
        ("", "3", "2007", PartialDate(2007, 3)),
        ("", "03", "2007", PartialDate(2007, 3)),
        ("27", "3", "2007", PartialDate(2007, 3, 27)),
        ("07", "12", "1999", PartialDate(1999, 12, 7)),
        ("", "Mar", "2007", PartialDate(2007, 3)),
        ("", "march", "2007", PartialDate(2007, 3)),
        ("1", "SEPT", "2010", PartialDate(2010, 9, 1)),
        ("31", "December", "2023", PartialDate(2023, 12, 31)),
        ("29", "2", "2024", PartialDate(2024, 2, 29)),
        ("15", "6", "2024", PartialDate(2024, 6, 15)),  # today itself
        ("", "6", "2024", PartialDate(2024, 6)),  # this month has begun
        ("", "", "2024", PartialDate(2024)),  # so has this year
    ],
)
def test_accepted_forms(
    qtbot: QtBot, day: str, month: str, year: str, expected: PartialDate
) -> None:
    widget = make(qtbot)
    type_in(qtbot, widget, day, month, year)
    assert widget.check(TODAY) is None
    assert widget.value() == expected
    assert widget.error() is None
    assert not widget.error_label.isVisibleTo(widget)


def test_empty_is_none_and_fine_unless_required(qtbot: QtBot) -> None:
    optional = make(qtbot)
    assert optional.is_empty()
    assert optional.value() is None
    assert optional.check(TODAY) is None
    required = make(qtbot, required=True)
    assert required.check(TODAY) == "Enter the date of birth"
    assert all(invalid(box) for box in (required.day_box, required.month_box, required.year_box))
    assert required.value() is None  # value() itself does not know about required


@pytest.mark.parametrize(
    "value", [PartialDate(2007), PartialDate(2007, 3), PartialDate(2007, 3, 9)]
)
def test_set_value_round_trip_at_each_precision(qtbot: QtBot, value: PartialDate) -> None:
    widget = make(qtbot)
    widget.setValue(value)
    assert widget.value() == value
    assert widget.check(TODAY) is None
    widget.setValue(None)
    assert widget.is_empty()
    assert widget.texts() == ("", "", "")


def test_set_value_writes_plain_numbers(qtbot: QtBot) -> None:
    widget = make(qtbot)
    widget.setValue(PartialDate(2007, 3, 9))
    assert widget.texts() == ("9", "3", "2007")


REAL = "The date of birth must be a real date: "
FUTURE = "The date of birth must be today or in the past"
NAME = "Enter the month of birth as a number or a name, like 3 or March"


@pytest.mark.parametrize(
    ("texts", "message", "marked"),
    [
        (("", "", "2025"), FUTURE, "y"),
        (("", "7", "2024"), FUTURE, "my"),
        (("16", "6", "2024"), FUTURE, "dmy"),
        (("30", "2", "2023"), REAL + "February 2023 has no day 30", "d"),
        (("29", "2", "2023"), REAL + "February 2023 has no day 29", "d"),
        (("31", "April", "2020"), REAL + "April 2020 has no day 31", "d"),
        (("0", "1", "2020"), REAL + "January 2020 has no day 0", "d"),
        (("", "13", "2007"), "The month of birth must be between 1 and 12", "m"),
        (("", "0", "2007"), "The month of birth must be between 1 and 12", "m"),
        (("", "Marz", "2007"), NAME, "m"),
        (("", "Ma", "2007"), NAME, "m"),
        (("5", "", "2007"), "Enter the month of birth as well as the day", "m"),
        (("5", "", ""), "Enter the month and year of birth", "my"),
        (("", "3", ""), "Enter the year of birth", "y"),
        (("5", "3", ""), "Enter the year of birth", "y"),
        (("", "", "07"), "The year of birth must include 4 numbers", "y"),
        (("1", "1", "20071"), "The year of birth must include 4 numbers", "y"),
        (("", "", "1850"), "The year of birth must be 1900 or later", "y"),
    ],
)
def test_messages(qtbot: QtBot, texts: tuple[str, str, str], message: str, marked: str) -> None:
    widget = make(qtbot)
    type_in(qtbot, widget, *texts)
    assert widget.check(TODAY) == message
    assert widget.error_label.text() == f"Error: {message}"
    assert widget.error_label.isVisibleTo(widget)
    boxes = {"d": widget.day_box, "m": widget.month_box, "y": widget.year_box}
    assert {key for key, box in boxes.items() if invalid(box)} == set(marked)
    assert widget.texts() == texts  # nothing typed is cleared
    if "past" not in message:
        with pytest.raises(PartialDateError, match=message):
            widget.value()


def test_29_february_in_a_leap_year(qtbot: QtBot) -> None:
    widget = make(qtbot)
    type_in(qtbot, widget, "29", "Feb", "2020")
    assert widget.check(TODAY) is None
    assert widget.value() == PartialDate(2020, 2, 29)


def test_messages_without_a_phrase(qtbot: QtBot) -> None:
    widget = make(qtbot, what="")
    type_in(qtbot, widget, "5", "3", "")
    assert widget.check(TODAY) == "Enter the year"
    widget.set_texts("", "", "99")
    assert widget.check(TODAY) == "The year must include 4 numbers"


def test_phrase_after_the_part(qtbot: QtBot) -> None:
    widget = make(qtbot, what="the decision was made")
    type_in(qtbot, widget, "", "4", "")
    assert widget.check(TODAY) == "Enter the year the decision was made"


def test_the_mark_goes_when_the_next_check_passes(qtbot: QtBot) -> None:
    widget = make(qtbot)
    type_in(qtbot, widget, "", "13", "2007")
    widget.check(TODAY)
    assert invalid(widget.month_box)
    widget.month_box.selectAll()
    qtbot.keyClicks(widget.month_box, "12")
    assert invalid(widget.month_box)  # an edit alone does not hide the message
    assert widget.check(TODAY) is None
    assert not any(invalid(box) for box in (widget.day_box, widget.month_box, widget.year_box))
    assert not widget.error_label.isVisibleTo(widget)


def test_set_error_from_the_page_and_clear_error(qtbot: QtBot) -> None:
    widget = make(qtbot)
    widget.setValue(PartialDate(2010))
    widget.set_error("The date of birth must be before the date the abuse started")
    assert widget.error() == "The date of birth must be before the date the abuse started"
    assert widget.error_label.isVisibleTo(widget)
    assert all(invalid(box) for box in (widget.day_box, widget.month_box, widget.year_box))
    assert "Error: The date of birth" in widget.year_box.accessibleDescription()
    widget.clear_error()
    assert widget.error() is None
    assert not widget.error_label.isVisibleTo(widget)
    assert not invalid(widget.year_box)
    assert widget.year_box.accessibleDescription() == EXAMPLE_HINT


def test_the_page_passing_a_checked_message_back_keeps_its_marks(qtbot: QtBot) -> None:
    """What WizardPage.show_problems does after validate(): set_error(check's message)."""
    widget = make(qtbot)
    type_in(qtbot, widget, "", "13", "2007")
    message = widget.check(TODAY)
    widget.set_error(message)
    assert [invalid(box) for box in widget._boxes] == [False, True, False]
    widget.set_error("The date of birth must be before the abuse began")
    assert [invalid(box) for box in widget._boxes] == [True, True, True]
    widget.set_error(None)
    assert not any(invalid(box) for box in widget._boxes)


def test_texts_round_trip_keeps_invalid_text(qtbot: QtBot) -> None:
    widget = make(qtbot)
    widget.set_texts("31", "Febuary", "20")
    assert widget.texts() == ("31", "Febuary", "20")
    assert widget.check(TODAY) is not None
    assert widget.texts() == ("31", "Febuary", "20")
    other = make(qtbot)
    other.set_texts(*widget.texts())
    assert other.texts() == widget.texts()


def test_only_digits_go_into_day_and_year_but_extra_digits_stay(qtbot: QtBot) -> None:
    widget = make(qtbot)
    qtbot.keyClicks(widget.day_box, "1a2")
    qtbot.keyClicks(widget.year_box, "2x0071")
    assert widget.texts() == ("12", "", "20071")


def test_month_takes_names_or_numbers_but_not_a_mix(qtbot: QtBot) -> None:
    widget = make(qtbot)
    qtbot.keyClicks(widget.month_box, "Ma3r")
    assert widget.month_box.text() == "Mar"


@pytest.mark.parametrize(
    ("text", "number"),
    [("1", 1), ("09", 9), ("jan", 1), ("JUNE", 6), ("jul", 7), ("Sept", 9), ("sep", 9),
     ("13", None), ("ju", None), ("Janu ary", None), ("", None)],
)  # fmt: skip
def test_month_number(text: str, number: int | None) -> None:
    assert month_number(text) == number


def test_changed_is_emitted_on_each_edit_but_not_on_load(qtbot: QtBot) -> None:
    widget = make(qtbot)
    with qtbot.waitSignal(widget.changed, timeout=1000):
        qtbot.keyClicks(widget.year_box, "2")
    with qtbot.waitSignal(widget.changed, timeout=1000):
        qtbot.keyClick(widget.year_box, Qt.Key.Key_Backspace)
    with qtbot.assertNotEmitted(widget.changed):
        widget.setValue(PartialDate(2001, 2))
        widget.set_texts("1", "2", "3")


def test_tab_moves_day_month_year_and_focus_goes_to_the_problem(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    before = QLineEdit(window)
    widget = PartialDateEdit("Date of birth", "of birth", parent=window)
    after = QLineEdit(window)
    for child in (before, widget, after):
        layout.addWidget(child)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    before.setFocus()
    order = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [widget.day_box, widget.month_box, widget.year_box, after]

    widget.set_texts("", "3", "")
    widget.check(TODAY)
    assert widget.check(TODAY) == "Enter the year of birth"
    # Tabbing still enters at Day, whatever box has the problem.
    before.setFocus()
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is widget.day_box
    # An error-summary link (setFocus on the widget) goes to the box with the problem.
    after.setFocus()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    assert QApplication.focusWidget() is widget.year_box
    after.setFocus()
    widget.focus_first_field()
    assert QApplication.focusWidget() is widget.year_box
    widget.clear_error()
    widget.setFocus()
    assert QApplication.focusWidget() is widget.day_box

    qtbot.keyClick(widget.day_box, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is widget.year_box
    qtbot.keyClick(widget.year_box, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is widget.month_box
    qtbot.keyClick(widget.month_box, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is widget.day_box


def test_accessible_names_and_label_buddies(qtbot: QtBot) -> None:
    widget = make(qtbot)
    names = [box.accessibleName() for box in (widget.day_box, widget.month_box, widget.year_box)]
    assert names == ["Date of birth, day", "Date of birth, month", "Date of birth, year"]
    assert widget.accessibleName() == "Date of birth"
    assert widget.day_box.accessibleDescription() == EXAMPLE_HINT
    assert widget.label.buddy() is widget.day_box
    buddies = {label.text(): label.buddy() for label in widget.findChildren(QLabel)}
    assert buddies["D&ay"] is widget.day_box
    assert buddies["&Month"] is widget.month_box
    assert buddies["&Year"] is widget.year_box
    interface = QAccessible.queryAccessibleInterface(widget.month_box)
    assert interface is not None
    assert interface.text(QAccessible.Text.Name) == "Date of birth, month"


@pytest.fixture
def doubled_font(qapp: QApplication) -> Iterator[None]:
    """Twice the system text size, as an advocate with low vision might set it."""
    original = QApplication.font()
    font = QFont(original)
    font.setPointSizeF(original.pointSizeF() * 2)
    QApplication.setFont(font)
    yield
    QApplication.setFont(original)


def test_boxes_grow_with_long_text(qtbot: QtBot) -> None:
    widget = make(qtbot)
    empty_width = widget.month_box.sizeHint().width()
    widget.month_box.setText("September")
    advance = widget.month_box.fontMetrics().horizontalAdvance("September")
    assert widget.month_box.sizeHint().width() > max(empty_width, advance)


def test_boxes_are_sized_from_the_font(qtbot: QtBot, doubled_font: None) -> None:
    big = make(qtbot)
    for box in big._boxes:
        assert box.font().pointSizeF() == QApplication.font().pointSizeF()
    small_font = QFont(QApplication.font())
    small_font.setPointSizeF(small_font.pointSizeF() / 2)
    metrics_small = QFontMetrics(small_font)
    for box, chars in zip(big._boxes, (2, 3, 4), strict=True):
        width = box.sizeHint().width()
        assert width > box.fontMetrics().horizontalAdvance("0" * (chars + 1))
        assert width > metrics_small.horizontalAdvance("0" * chars) * 1.5


def render(qtbot: QtBot, path: Path) -> QWidget:
    """A filled date and one with an error, as the app styles them, saved as a picture."""
    holder = QWidget()
    qtbot.addWidget(holder)
    holder.setStyleSheet(resources.stylesheet())
    layout = QVBoxLayout(holder)
    filled = PartialDateEdit("Date of birth", "of birth", hint=EXAMPLE_HINT, parent=holder)
    filled.setValue(PartialDate(2007, 3, 27))
    wrong = PartialDateEdit("When was the decision made?", "the decision was made", parent=holder)
    wrong.set_texts("30", "February", "2023")
    layout.addWidget(filled)
    layout.addWidget(wrong)
    assert wrong.check(TODAY) is not None
    holder.show()
    qtbot.waitExposed(holder)
    # A window does not grow by itself when wrapped text needs more lines (pages scroll).
    holder.resize(holder.width(), holder.heightForWidth(holder.width()))
    qtbot.waitUntil(
        lambda: (
            wrong.error_label.height()
            >= wrong.error_label.heightForWidth(wrong.error_label.width())
        )
    )
    for box in (*filled._boxes, *wrong._boxes):
        assert box.width() > box.fontMetrics().horizontalAdvance(box.text())
    assert len({box.height() for box in wrong._boxes}) == 1  # red box as tall as the others
    assert holder.grab().save(str(path))
    return holder


def test_renders_filled_and_with_an_error(qtbot: QtBot, tmp_path: Path) -> None:
    """A picture to look at (in tmp_path), and no Qt warnings while styling and painting."""
    render(qtbot, tmp_path / "partial_date.png")


def test_renders_at_twice_the_text_size(qtbot: QtBot, tmp_path: Path, doubled_font: None) -> None:
    holder = render(qtbot, tmp_path / "partial_date_2x.png")
    for box in holder.findChildren(QLineEdit):
        assert box.font().pointSizeF() == QApplication.font().pointSizeF()


def test_a_draft_with_other_characters_gets_a_message_not_a_crash(qtbot: QtBot) -> None:
    widget = make(qtbot)
    widget.set_texts("²", "3", "2007")
    assert widget.check(TODAY) == REAL + "March 2007 has no day ²"
    widget.set_texts("", "", "\uff12\uff10\uff10\uff17")  # full-width digits
    assert widget.check(TODAY) == "The year of birth must include 4 numbers"
    widget.set_texts("", "", "   ")
    assert widget.is_empty()
    assert widget.value() is None
