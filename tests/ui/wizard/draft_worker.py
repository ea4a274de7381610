"""An advocate part-way through a referral, in a process of its own, for the test to kill.

Run by ``tests/ui/wizard/test_wizard_behaviour.py`` (not collected: the name does not start with
``test_``) as ``python draft_worker.py DATABASE`` with the passphrase on standard input. It
unlocks the database, opens the real main window, starts a new referral, answers the first two
questions, types on the age page without pressing Continue, and waits for the two-second
autosave to write what was typed. Then it prints ``saved`` and goes on running, as the app
would, until the test kills it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: What is typed on the age page: a full date of birth, and an abuse start that is not a date
#: yet (three digits of a year), which the draft must keep exactly as typed.
BIRTH = ("1", "5", "1990")
BEGAN = ("", "", "200")
#: Long enough for any slow machine; the autosave itself takes two seconds.
GIVE_UP_MS = 30_000
POLL_MS = 50


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    database_path = Path(sys.argv[1])
    passphrase = sys.stdin.readline().removesuffix("\n")

    from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QRadioButton

    from referral_app.domain.dates import PartialDate
    from referral_app.domain.flow import Draft, Page
    from referral_app.storage.access import open_database
    from referral_app.storage.repository import Repository
    from referral_app.ui.common.settings import Settings
    from referral_app.ui.window.main_window import MainWindow
    from referral_app.ui.wizard.age import AgePage
    from referral_app.ui.wizard.choice import ChoicePage

    app = QApplication(sys.argv[:1])
    database = open_database(database_path, passphrase, make_backup=False)
    repository = Repository(database)
    # Window geometry goes beside the database, never to the user's own settings.
    store = QSettings(str(database_path.parent / "worker-settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=Settings(store), repository=repository)
    window.show()

    left = Qt.MouseButton.LeftButton
    QTest.mouseClick(window.home.new_button, left)
    wizard = window.wizard
    assert wizard is not None

    def choose(value: str) -> None:
        page = wizard.current
        assert isinstance(page, ChoicePage)
        radio: QRadioButton = page.radios[value]
        QTest.mouseClick(radio, left, pos=QPoint(8, radio.height() // 2))
        QTest.mouseClick(wizard.continue_button, left)

    choose("yes")  # happened in England or Wales
    choose("yes")  # sexual abuse of the survivor themself
    age = wizard.current
    assert isinstance(age, AgePage), wizard.draft.page
    for widget, texts in ((age.birth, BIRTH), (age.began, BEGAN)):
        boxes = (widget.day_box, widget.month_box, widget.year_box)
        for box, text in zip(boxes, texts, strict=True):
            if text:
                QTest.keyClicks(box, text)

    wanted_birth = PartialDate(int(BIRTH[2]), int(BIRTH[1]), int(BIRTH[0]))

    def autosaved() -> bool:
        if wizard.draft.draft_id is None:
            return False
        document = repository.load_draft(wizard.draft.draft_id)
        if document is None:
            return False
        draft = Draft.from_dict(document)
        return (
            draft.page is Page.AGE
            and draft.referral.survivor.date_of_birth == wanted_birth
            and draft.raw.get("offence_start") == list(BEGAN)
        )

    def poll() -> None:
        if autosaved():
            poller.stop()
            print("saved", flush=True)

    def give_up() -> None:
        if poller.isActive():
            print("the draft was not saved in time", file=sys.stderr, flush=True)
            app.exit(1)

    poller = QTimer()
    poller.timeout.connect(poll)
    poller.start(POLL_MS)
    QTimer.singleShot(GIVE_UP_MS, give_up)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
