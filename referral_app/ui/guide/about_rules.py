"""Help > About the rules: the ruleset in force, where each fact comes from, and when the
guidance was last reviewed, so an advocate can check any sentence the app says."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from referral_app.domain.advice import CHILD_OFFENDER, CICA, GUIDE_NOTE, OLD_CASE, WIDENING
from referral_app.domain.dates import describe_day
from referral_app.domain.eligibility import DEFAULT_RULESET, RULESETS
from referral_app.domain.reference import FORCE_CHANGES
from referral_app.domain.sources import REVIEWED_ON, RULES_VERSION, SOURCES

TITLE = "About the rules"


def rules_html() -> str:
    """The page's text as HTML: every value escaped, links to each source's address."""
    current = RULESETS[DEFAULT_RULESET]
    others = [r for r in RULESETS.values() if r.name != DEFAULT_RULESET]
    parts = [
        f"<h2>{TITLE}</h2>",
        f"<p>{html.escape(GUIDE_NOTE)}</p>",
        "<h3>The rules in force</h3>",
        f"<p>The {html.escape(current.title)} (ruleset <code>{current.name}</code>), version "
        f"{html.escape(RULES_VERSION)} of the app's rules.</p>",
        f"<p>{html.escape(WIDENING)}</p>",
    ]
    for ruleset in others:
        parts.append(
            f"<p>The {html.escape(ruleset.title)} (ruleset <code>{ruleset.name}</code>) is kept "
            "so that earlier checks can be compared and re-screened.</p>"
        )
    parts.append("<h3>Other routes</h3>")
    parts.extend(f"<p>{html.escape(text)}</p>" for text in (CICA, CHILD_OFFENDER, OLD_CASE))
    rows = "".join(
        f"<tr><td>{html.escape(then)}</td><td>{html.escape(now)}</td><td>{html.escape(when)}</td>"
        "</tr>"
        for then, now, when in FORCE_CHANGES
    )
    parts.append(
        "<p><b>Forces renamed or merged</b> (ask the force that covers the area now):</p>"
        '<table cellpadding="4" border="1" cellspacing="0"><tr><th>Then</th><th>Now</th>'
        f"<th>Since</th></tr>{rows}</table>"
    )
    parts.append(
        f"<p>This guidance was last reviewed on {describe_day(REVIEWED_ON)}, against the "
        "sources below.</p><h3>Sources</h3>"
    )
    for item in SOURCES:
        dated = f", {html.escape(item.dated)}" if item.dated else ""
        address = html.escape(item.address, quote=True)
        parts.append(
            f"<p><b>{html.escape(item.publisher)}</b>: {html.escape(item.title)}{dated}.<br/>"
            f'<a href="{address}">{address}</a><br/>{html.escape(item.supports)}<br/>'
            f"<i>Checked on {describe_day(item.checked)}.</i></p>"
        )
    return "".join(parts)


class AboutRulesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        self.text = QTextBrowser(self)
        self.text.setObjectName("aboutRules")
        self.text.setAccessibleName(TITLE)
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(rules_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        # About 80 characters a line and 30 lines: the sources read without scrolling sideways.
        metrics = self.fontMetrics()
        self.resize(metrics.horizontalAdvance("0") * 86, metrics.lineSpacing() * 32)
