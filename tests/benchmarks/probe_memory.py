"""Run in a fresh process: unlock a database, show the caseload page, search, then report the
process's peak resident memory.

    python probe_memory.py PATH QUERY...   # the passphrase comes on stdin

Everything is done as the app does it: the unlock dialog's ``open_database``, the list page
(its model loads the count and the first page when it is shown), and each query through the
page's model. One JSON line goes to stdout.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication


def _peak_megabytes() -> float:
    """This process's peak resident memory.

    On Linux ``ru_maxrss`` is kept across ``exec``: a child started from a large parent (the
    benchmark runner holds a whole caseload's worth of objects by then) reports the parent's
    size. ``VmHWM`` belongs to the process's own address space, made new by ``exec``.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> int:
    path = Path(sys.argv[1])
    passphrase = sys.stdin.readline().rstrip("\n")
    app = QApplication(sys.argv[:1])
    before = _peak_megabytes()

    from referral_app.storage.access import open_database
    from referral_app.storage.repository import Repository
    from referral_app.ui.caseload.list_page import ListFilters, ReferralListPage
    from referral_app.ui.common.privacy import PrivacyMode

    database = open_database(path, passphrase)
    try:
        page = ReferralListPage(Repository(database), PrivacyMode())
        page.resize(1200, 800)
        page.show()
        app.processEvents()
        for query in sys.argv[2:]:
            page.model.set_filters(ListFilters(query))
            app.processEvents()
        shown = page.model.total
        page.close()
        page.deleteLater()
        app.processEvents()
    finally:
        database.close()
    report = {"peak_mb": _peak_megabytes(), "before_mb": before, "listed": shown}
    sys.stdout.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
