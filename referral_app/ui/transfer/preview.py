"""The import preview: what the file holds and what importing it would do here.

Counts first, in sentences; then the new referrals (when there are few enough to read), the
references that cannot be kept, and the referrals that differ, each with a box to replace it
(unticked, so that nothing here is overwritten unless the advocate chooses it).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from referral_app.services.transfer.import_ import ImportPreview
from referral_app.storage.transfer import ImportResult, PlannedReferral
from referral_app.ui.access.unlock import inset_text
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.transfer.parts import box_with_hint, long_date, plural
from referral_app.ui.widgets.text import body_text, em, heading, hint

#: Up to this many referrals are listed by reference; more are counted.
LISTED = 12
#: The parts of a record the preview may say differ, in words.
SECTION_WORDS = {
    "survivor": "the survivor's details",
    "case": "the case",
    "eligibility": "the eligibility answers",
    "consent": "consent",
    "status_history": "the status history",
    "follow_up": "the follow-up",
    "request_letter": "the request letter",
    "created_at": "when it was started",
}


def _verb(count: int, singular: str, plural_form: str) -> str:
    return singular if count == 1 else plural_form


def outline(preview: ImportPreview) -> list[str]:
    """What would happen, one line per kind, in plain sentences."""
    new, same, differing = len(preview.new), len(preview.same), len(preview.differing)
    lines = []
    if new:
        lines.append(f"{plural(new)} {_verb(new, 'is', 'are')} new here and will be added.")
    if same:
        lines.append(
            f"{plural(same)} {_verb(same, 'is', 'are')} here already and the same: nothing to do."
        )
    if differing:
        stays = _verb(differing, "It stays as it is", "They stay as they are")
        lines.append(
            f"{plural(differing)} {_verb(differing, 'is', 'are')} here already but different. "
            f"{stays} unless you tick {_verb(differing, 'it', 'them')} below."
        )
    return lines


def result_lines(outcome: ImportResult) -> list[str]:
    added, replaced, unchanged = len(outcome.added), len(outcome.replaced), outcome.unchanged
    lines = [f"{plural(added)} added."]
    if replaced:
        lines.append(f"{plural(replaced)} replaced with the file's version.")
    if unchanged:
        lines.append(f"{plural(unchanged)} left as {_verb(unchanged, 'it was', 'they were')}.")
    return lines


class PreviewPanel(QWidget):
    """Shows one :class:`ImportPreview`; ``changed`` when a box is ticked or unticked."""

    changed = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, privacy: PrivacyMode | None = None
    ) -> None:
        super().__init__(parent)
        #: Why referrals get new references here (the team's server says so differently).
        self.renumber_reason = RENUMBERED_HERE
        self._privacy = privacy
        self._preview: ImportPreview | None = None
        self.replace_boxes: dict[str, QCheckBox] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(em(self))

    def _name(self, uid: str) -> str:
        if self._preview is None:
            return ""
        full_name = self._preview.referral(uid).survivor.full_name
        return self._privacy.name(full_name) if self._privacy is not None else full_name

    def replacing(self) -> list[str]:
        return [uid for uid, box in self.replace_boxes.items() if box.isChecked()]

    def show_preview(self, preview: ImportPreview) -> None:
        self._preview = preview
        while (item := self._layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.replace_boxes = {}
        contents = preview.contents
        maker = contents.exported_by.organisation or contents.exported_by.name or "an advocate"
        self._layout.addWidget(heading("Check what will be imported", self))
        self._layout.addWidget(
            body_text(
                contents.described
                or f"The file holds {plural(len(contents.referrals))}, exported by {maker} on "
                f"{long_date(contents.exported_at)}.",
                self,
            )
        )
        self._layout.addWidget(body_text("\n".join(outline(preview)), self))
        if 0 < len(preview.new) <= LISTED:
            lines = [f"{item.file_reference}: {self._name(item.uid)}" for item in preview.new]
            self._layout.addWidget(heading("New referrals", self, level=2))
            self._layout.addWidget(body_text("\n".join(lines), self))
        if preview.renumbered:
            self._layout.addWidget(
                inset_text(renumbered_text(preview.renumbered, self.renumber_reason), self)
            )
        if preview.differing:
            self._add_differing(preview.differing)

    def _add_differing(self, items: list[PlannedReferral]) -> None:
        self._layout.addWidget(heading("Referrals that are different here", self, level=2))
        self._layout.addWidget(
            hint(
                "Each is left as it is unless you tick it. Ticking replaces the referral "
                "here, its history included, with the version in the file.",
                self,
            )
        )
        for item in items:
            box = QCheckBox(f"Replace {item.reference}")
            box.setAccessibleName(f"Replace {item.reference} with the file's version")
            box.toggled.connect(self.changed)
            self.replace_boxes[item.uid] = box
            parts = [SECTION_WORDS.get(key, key) for key in item.differences]
            changed = self._preview.referral(item.uid).updated_at if self._preview else None
            details = (
                f"{self._name(item.uid)}. Different: {', '.join(parts)}. Last changed here on "
                f"{long_date(item.existing_updated_at, with_time=True)}; in the file on "
                f"{long_date(changed, with_time=True)}."
            )
            self._layout.addWidget(box_with_hint(box, details, self))


#: Why a referral is given a new reference: on this computer, and on a team's server (which
#: gives every referral coming in a reference of its own, so two laptops' never meet).
RENUMBERED_HERE = "because that reference is already used, or reserved, in this app"
RENUMBERED_ON_SERVER = (
    "because the team's server gives its own references to the referrals it receives"
)


def renumbered_text(items: list[PlannedReferral], reason: str = RENUMBERED_HERE) -> list[str]:
    if len(items) > LISTED:
        return [f"{plural(len(items))} will be given new references here, {reason}."]
    return [
        f"{item.file_reference} will be given a new reference here, {reason}." for item in items
    ]
