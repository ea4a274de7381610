"""Nothing personal leaks into the log or onto the terminal during a whole working session:
create, edit, print, export, lock and unlock, a Qt warning and an unexpected error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.ui.session_worker import CANARY_NAME, CANARY_PHONE, CANARY_REF

WORKER = Path(__file__).with_name("session_worker.py")
CANARIES = ["Canarybright", "Wilhelmina", CANARY_REF, "7734/19", CANARY_PHONE, "955123"]


def _forms(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def test_a_whole_session_leaves_no_personal_data_in_the_log_or_the_output(
    tmp_path: Path,
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, str(WORKER), str(tmp_path)],
        capture_output=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    assert result.stdout.decode().splitlines()[-1] == "done"

    log_files = sorted((tmp_path / "logs").iterdir())
    log_text = (tmp_path / "logs" / "referral-app.log").read_text(encoding="utf-8")
    # The session did write to the log: the error, with type and place, and Qt's complaint.
    assert "unexpected RuntimeError at __main__._fail" in log_text
    assert "(record " in log_text
    assert "QFile" in log_text or "qt" in log_text
    # What the advocate was told, instead of a traceback.
    assert "shown: The app met a problem" in result.stdout.decode()

    outputs = {"stdout": result.stdout, "stderr": result.stderr}
    outputs |= {path.name: path.read_bytes() for path in log_files}
    for name, data in outputs.items():
        for canary in [*CANARIES, CANARY_NAME]:
            for form in _forms(canary):
                assert form not in data, f"{canary!r} found in {name}"
