"""The review page of a redacted copy: nothing redacted prints until the advocate confirms.

Every free-text field is shown with each proposed redaction highlighted; the list beside it
names each one with its reason and a check box to keep it hidden or to let it print. Any other
text can be selected (by mouse, or by keyboard with Shift and the arrow keys) and hidden.
Confirming keeps the choices with the referral (the audit trail gets the counts, never the
text) and hands the review on, so the copy prints exactly as reviewed.

Entry point: ``ReviewSequence(repository, referrals, finish, parent)``, which reviews each
referral in turn and calls ``finish`` with the reviews once all are confirmed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.referral import Referral, utc_now
from referral_app.services.redaction import CHOSEN, Review
from referral_app.storage.errors import StorageError
from referral_app.storage.repository import Repository
from referral_app.ui.widgets.text import heading, hint
from referral_app.ui.wizard.survivor import INDICATORS

TITLE = "Check what the redacted copy hides"
HELP = (
    "Highlighted text will be hidden, and the reason printed in its place. In the list, clear "
    "the box of anything that may print as typed; items marked “Check” may be ordinary words "
    "rather than names. To hide anything else, select it in the text and choose Hide the "
    "selected text. Nothing is printed until you confirm."
)
LEGEND = "Yellow, crossed out: will be hidden.  Wavy underline: proposed, but will print as typed."
HIDDEN_COLOUR = QColor("#ffdd00")
SHOWN_COLOUR = QColor("#d4351c")
SPAN_FIELDS = "Select text inside one part of the record at a time."
NOTHING_SELECTED = "Select the text to hide first."


def _utf16(text: str, index: int) -> int:
    """Where Python's ``index`` falls in Qt's text, which counts UTF-16 units."""
    return len(text[:index].encode("utf-16-le")) // 2


def _from_utf16(text: str, units: int) -> int:
    count = 0
    for index, char in enumerate(text):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def _where_words(field: str, labels: dict[str, str]) -> str:
    """Which part of the record an item is in; the account, where most are, goes unsaid."""
    return "" if field == "account" else f" (in {labels[field].lower()})"


class ReviewDialog(QDialog):
    """One referral's redacted copy, reviewed; emits ``confirmed`` with the review."""

    confirmed = Signal(object)

    def __init__(self, review: Review, place: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review = review
        self.setWindowTitle("Check the redacted copy")
        self.setAccessibleName(TITLE)
        self.setStyleSheet(f"{INDICATORS} QListView::indicator {{ width: 0.9em; height: 0.9em; }}")
        self._starts: dict[str, int] = {}
        self._build(place)
        self._fill_text()
        self._fill_list()

    def _build(self, place: str) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(round(self.fontMetrics().height() * 0.6))
        layout.addWidget(heading(TITLE, self))
        if place:
            layout.addWidget(hint(place, self))
        layout.addWidget(hint(HELP, self))
        layout.addLayout(self._readers())
        layout.addWidget(self._panes(), 1)
        layout.addWidget(hint(LEGEND, self))
        self.message = QLabel(self)
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())
        width = self.fontMetrics().averageCharWidth() * 130
        height = round(width * 0.75)
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:  # within the screen, at any text size
            room = screen.availableGeometry()
            width, height = min(width, room.width() - 40), min(height, room.height() - 40)
        self.resize(width, height)

    def _readers(self) -> QHBoxLayout:
        """What the reader sees of the case: the crime references and the police force, both
        shown unless the advocate hides them."""
        self.keep_references = QCheckBox("Show the &crime reference numbers", self)
        self.keep_references.setToolTip("Shown unless you clear this box.")
        self.keep_force = QCheckBox("Show the police &force", self)
        readers = QHBoxLayout()
        readers.setSpacing(self.fontMetrics().horizontalAdvance("0000"))
        for box, value in (
            (self.keep_references, self.review.keep_crime_references),
            (self.keep_force, self.review.keep_force),
        ):
            box.setChecked(value)
            box.setAccessibleName(box.text().replace("&", ""))
            box.toggled.connect(self._reader_choices)
            readers.addWidget(box)
        readers.addStretch(1)
        return readers

    def _panes(self) -> QSplitter:
        self.text = QTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.text.setAccessibleName("Free text as it will print")
        self.text.setAccessibleDescription(LEGEND)
        self.text.setTabChangesFocus(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Proposed redactions")
        self.list.setAccessibleDescription("Checked: hidden. Press Space to change.")
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._show_item)
        self.list.itemChanged.connect(self._item_changed)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        for side, label_text in ((self.text, "&Text"), (self.list, "&Proposals")):
            pane = QWidget(split)
            column = QVBoxLayout(pane)
            column.setContentsMargins(0, 0, 0, 0)
            label = QLabel(label_text, pane)
            label.setObjectName("fieldLabel")
            label.setBuddy(side)
            column.addWidget(label)
            column.addWidget(side, 1)
            split.addWidget(pane)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        return split

    def _buttons(self) -> QHBoxLayout:
        self.confirm_button = QPushButton("C&onfirm and continue", self)
        self.confirm_button.setObjectName("primaryButton")
        self.confirm_button.clicked.connect(self.confirm)
        self.hide_button = QPushButton("&Hide the selected text", self)
        self.hide_button.setObjectName("secondaryButton")
        self.hide_button.clicked.connect(self.hide_selection)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("secondaryButton")
        self.cancel_button.setToolTip("Close without printing; nothing is saved")
        self.cancel_button.clicked.connect(self.reject)
        bar = QHBoxLayout()
        bar.setSpacing(self.fontMetrics().horizontalAdvance("00"))
        for button in (self.confirm_button, self.hide_button):
            button.setAccessibleName(button.text().replace("&", ""))
            bar.addWidget(button)
        bar.addStretch(1)
        self.cancel_button.setAccessibleName("Cancel")
        bar.addWidget(self.cancel_button)
        return bar

    # Showing

    def _fill_text(self) -> None:
        self.text.clear()
        cursor = QTextCursor(self.text.document())
        plain, bold = QTextCharFormat(), QTextCharFormat()
        bold.setFontWeight(700)
        self._starts = {}
        for index, field in enumerate(self.review.fields):
            if index:
                cursor.insertBlock()
                cursor.insertBlock()
            cursor.insertText(field.label, bold)
            cursor.insertBlock()
            cursor.setCharFormat(plain)
            self._starts[field.key] = cursor.position()
            cursor.insertText(field.text, plain)
        if not self.review.fields:
            cursor.insertText("There is no free text in this referral.")
        self._highlight()

    def _field_text(self, key: str) -> str:
        return next(f.text for f in self.review.fields if f.key == key)

    def _cursor(self, key: str, start: int, end: int) -> QTextCursor:
        text, base = self._field_text(key), self._starts[key]
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(base + _utf16(text, start))
        cursor.setPosition(base + _utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _highlight(self) -> None:
        selections = []
        hidden_spans = {f.key: self.review.hidden_spans(f.key) for f in self.review.fields}
        for key, spans in hidden_spans.items():
            for start, end, _label in spans:
                selection = QTextEdit.ExtraSelection()
                selection.cursor = self._cursor(key, start, end)
                selection.format.setBackground(HIDDEN_COLOUR)
                selection.format.setFontStrikeOut(True)
                selections.append(selection)
        for proposal, hidden in zip(self.review.proposals, self.review.hidden, strict=True):
            if not hidden:
                selection = QTextEdit.ExtraSelection()
                selection.cursor = self._cursor(proposal.field, proposal.start, proposal.end)
                char = selection.format
                char.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                char.setUnderlineColor(SHOWN_COLOUR)
                char.setProperty(QTextFormat.Property.FullWidthSelection, False)
                selections.append(selection)
        self.text.setExtraSelections(selections)

    def _fill_list(self) -> None:
        labels = {f.key: f.label for f in self.review.fields}
        blocked = self.list.blockSignals(True)
        try:
            self.list.clear()
            for proposal, hidden in zip(self.review.proposals, self.review.hidden, strict=True):
                check = "Check: " if proposal.look else ""
                where = _where_words(proposal.field, labels)
                words = f"{check}“{proposal.text}”, {proposal.reason}{where}"
                self._add_item(words, hidden)
            for mark in self.review.chosen:
                where = _where_words(mark.field, labels)
                self._add_item(f"“{mark.text}”, {CHOSEN}{where}", mark.hidden)
        finally:
            self.list.blockSignals(blocked)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _add_item(self, words: str, hidden: bool) -> None:
        item = QListWidgetItem(words, self.list)
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        item.setCheckState(Qt.CheckState.Checked if hidden else Qt.CheckState.Unchecked)
        state = "hidden" if hidden else "will print"
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{words}: {state}")

    def _where(self, row: int) -> tuple[str, int, int] | None:
        proposals = self.review.proposals
        if 0 <= row < len(proposals):
            return proposals[row].field, proposals[row].start, proposals[row].end
        chosen = row - len(proposals)
        if 0 <= chosen < len(self.review.chosen):
            mark = self.review.chosen[chosen]
            return mark.field, mark.start, mark.end
        return None

    def _show_item(self, row: int) -> None:
        """The list's current item, selected in the text and scrolled into view."""
        where = self._where(row)
        if where is not None:
            self.text.setTextCursor(self._cursor(*where))
            self.text.ensureCursorVisible()

    # Choosing

    def _item_changed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        hidden = item.checkState() == Qt.CheckState.Checked
        if row < len(self.review.proposals):
            self.review.hidden[row] = hidden
        else:
            self.review.set_chosen(row - len(self.review.proposals), hidden)
        state = "hidden" if hidden else "will print"
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{item.text()}: {state}")
        self._highlight()

    def _reader_choices(self) -> None:
        self.review.set_reader_choices(
            keep_crime_references=self.keep_references.isChecked(),
            keep_force=self.keep_force.isChecked(),
        )
        self._fill_list()
        self._highlight()

    def hide_selection(self) -> bool:
        """Hide the text selected in the text view; False, with a message, if it cannot be."""
        cursor = self.text.textCursor()
        first, last = cursor.selectionStart(), cursor.selectionEnd()
        if first == last:
            return self._problem(NOTHING_SELECTED)
        for field in self.review.fields:
            base = self._starts[field.key]
            length = _utf16(field.text, len(field.text))
            if base <= first and last <= base + length:
                start = _from_utf16(field.text, first - base)
                end = _from_utf16(field.text, last - base)
                if self.review.hide_text(field.key, start, end) is None:
                    return self._problem(NOTHING_SELECTED)
                self.message.hide()
                self._fill_list()
                self.list.setCurrentRow(self.list.count() - 1)
                self._highlight()
                return True
        return self._problem(SPAN_FIELDS)

    def _problem(self, text: str) -> bool:
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.show()
        return False

    def confirm(self) -> None:
        self.confirmed.emit(self.review)


class ReviewSequence(QObject):
    """Reviews each referral's redacted copy in turn, keeping each one's choices as it is
    confirmed; ``finish`` gets the reviews in order once the last is confirmed."""

    cancelled = Signal()

    def __init__(
        self,
        repository: Repository,
        referrals: Sequence[Referral],
        finish: Callable[[list[Review]], object],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._repository = repository
        self._referrals = list(referrals)
        self._finish = finish
        self._parent = parent
        self.reviews: list[Review] = []
        #: The review page open now (or last), for tests and screenshots.
        self.dialog: ReviewDialog | None = None
        self._next()

    def _next(self) -> None:
        index = len(self.reviews)
        referral = self._referrals[index]
        count = len(self._referrals)
        place = f"Referral {index + 1} of {count}: {referral.reference}" if count > 1 else ""
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = ReviewDialog(Review(referral), place, self._parent)
        self.dialog.confirmed.connect(self._confirmed)
        self.dialog.rejected.connect(self.cancelled)
        self.dialog.open()

    def _confirmed(self, review: Review) -> None:
        referral_id = review.referral.id
        hidden, shown, chosen = review.counts()
        detail = f"{hidden} hidden, {shown} shown, {chosen} chosen by the advocate"
        try:
            if referral_id is not None:
                self._repository.save_redaction(referral_id, review.choices(utc_now()), detail)
        except StorageError as error:
            if self.dialog is not None:
                self.dialog._problem(f"The choices could not be saved: {error}")
            return
        self.reviews.append(review)
        if self.dialog is not None:
            self.dialog.accept()
        if len(self.reviews) < len(self._referrals):
            self._next()
        else:
            self._finish(self.reviews)
