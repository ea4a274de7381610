"""Check your answers: every answer by section, each with a Change link, then Save referral."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from referral_app.domain.flow import Draft, Page
from referral_app.ui.widgets.text import heading
from referral_app.ui.wizard.page import WizardPage

#: The sections of the page, each with the pages whose answers it lists.
SECTIONS: tuple[tuple[str, tuple[Page, ...]], ...] = (
    (
        "Eligibility",
        (
            Page.WHERE,
            Page.AGAINST_SURVIVOR,
            Page.AGE,
            Page.REPORTED,
            Page.DECISION,
            Page.DECISION_DATE,
            Page.NEW_EVIDENCE,
            Page.RISK,
            Page.OUTCOME,
        ),
    ),
    ("About the survivor", (Page.SURVIVOR,)),
    ("Safe contact", (Page.CONTACT,)),
    ("The case", (Page.CASE,)),
    ("Consent", (Page.CONSENT,)),
    ("Next follow-up", (Page.FOLLOW_UP,)),
)

#: Rows of answers a page gives, and whether the page can be changed from here.
RowsFor = Callable[[Page, Draft], Sequence[tuple[str, str]]]


def _cell(text: str, parent: QWidget, bold: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        label.setObjectName("fieldLabel")
    return label


class CheckPage(WizardPage):
    page = Page.CHECK
    title = "Check your answers before saving the referral"
    help_text = (
        "Change anything that is not right. Nothing is saved as final until you press "
        "Save referral."
    )
    continue_label = "Save referral"

    def __init__(
        self,
        rows_for: RowsFor,
        applicable: Callable[[Draft], Sequence[Page]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows_for = rows_for
        self._applicable = applicable
        self.change_links: dict[Page, list[QPushButton]] = {}

    def load(self, draft: Draft) -> None:
        self.clear_body()
        self.change_links = {}
        pages_now = set(self._applicable(draft))
        for title, pages in SECTIONS:
            self.body.addWidget(heading(title, self, level=2))
            grid = QGridLayout()
            grid.setHorizontalSpacing(18)
            grid.setVerticalSpacing(6)
            row = 0
            for page in pages:
                if page not in pages_now:
                    continue
                for question, answer in self._rows_for(page, draft):
                    grid.addWidget(
                        _cell(question, self, bold=True), row, 0, Qt.AlignmentFlag.AlignTop
                    )
                    grid.addWidget(
                        _cell(answer or "Not given", self), row, 1, Qt.AlignmentFlag.AlignTop
                    )
                    if page is not Page.OUTCOME:
                        grid.addWidget(
                            self._change_link(page, question), row, 2, Qt.AlignmentFlag.AlignTop
                        )
                    row += 1
            grid.setColumnStretch(0, 2)
            grid.setColumnStretch(1, 3)
            self.body.addLayout(grid)
        if not draft.referral.consent.complete:
            notice = QFrame(self)
            notice.setObjectName("warningText")
            layout = QVBoxLayout(notice)
            text = (
                "Consent is not complete. The referral will be saved as a draft, and cannot be "
                "marked ready to send until the survivor has consented to the referral and to "
                "sharing it with the force or CPS Area and the Panel."
            )
            layout.addWidget(_cell(text, notice))
            self.body.addWidget(notice)

    def _change_link(self, page: Page, question: str) -> QPushButton:
        link = QPushButton("Change", self)
        link.setObjectName("changeLink")
        link.setAccessibleName(f"Change {question}")
        link.setFlat(True)
        link.setCursor(Qt.CursorShape.PointingHandCursor)
        link.clicked.connect(lambda _=False: self.navigate.emit(page.value))
        self.change_links.setdefault(page, []).append(link)
        return link
