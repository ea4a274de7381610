"""``--self-check``: proves an installation works end to end, without touching the advocate's
data. Each step is reported on its own line; the first failure ends the check with code 1.

Everything happens in a temporary folder that is removed afterwards: a new encrypted database
(so the migrations run), a made-up referral saved and found by search, its PDF summary, an
encrypted export of it read back, and the database opened again with its passphrase. The
names used are made up and say so. Needs a QGuiApplication (the PDF is drawn by Qt).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from referral_app.domain.referral import Advocate, Referral

#: Files the app reads at run time; a bundle without one of them is broken.
RESOURCES = ("style.qss", "app-icon.svg", "summary.html", "letter.html", "user-guide.html")
WORD_COUNT = 7776  # the EFF long word list
SURNAME = "Selfcheckerton"


class CheckFailedError(Exception):
    """A step found something wrong; its message says what."""


class SelfCheck:
    """The steps, in order; each raises on failure and returns a short note on success."""

    def __init__(self, folder: Path) -> None:
        from referral_app.services.transfer.passphrase import generate_passphrase

        self.folder = folder
        self.database_path = folder / "self-check.db"
        self.passphrase = generate_passphrase()
        self.saved_uid = ""

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("data files are present", self.data_files),
            ("the icon can be drawn", self.icon),
            ("the export word list loads", self.word_list),
            ("an encrypted database is created and migrated", self.create),
            ("a referral is saved and found by search", self.save_and_search),
            ("a PDF summary is written", self.pdf),
            ("an encrypted export is written and read back", self.export),
            ("the database opens again with its passphrase", self.reopen),
            ("the team server's driver loads", self.team_driver),
        ]

    def data_files(self) -> str:
        from referral_app.services.resources import resource_path
        from referral_app.storage import migrations

        missing = []
        for name in RESOURCES:
            try:
                resource_path(name)
            except FileNotFoundError:
                missing.append(name)
        folder = Path(migrations.__file__).resolve().parent
        for name in ("env.py", "script.py.mako"):
            if not (folder / name).is_file():
                missing.append(f"migrations/{name}")
        scripts = sorted((folder / "versions").glob("[0-9]*.py"))
        if missing:
            raise CheckFailedError("missing: " + ", ".join(missing))
        return f"{len(RESOURCES)} resources, {len(scripts)} migration scripts"

    def icon(self) -> str:
        from referral_app.ui.common.resources import app_icon

        if app_icon().pixmap(64, 64).isNull():
            raise CheckFailedError("the SVG icon could not be drawn (Qt's SVG support is missing)")
        return "64 x 64"

    def word_list(self) -> str:
        from referral_app.services.transfer.passphrase import word_list

        words = word_list()
        if len(words) != WORD_COUNT:
            raise CheckFailedError(f"{len(words)} words instead of {WORD_COUNT}")
        return f"{len(words)} words"

    def create(self) -> str:
        from sqlalchemy import inspect

        from referral_app.storage import migrations
        from referral_app.storage.db import Database
        from referral_app.storage.models import Base

        database = Database.create(self.database_path, self.passphrase)
        with database, database.engine.connect() as connection:
            revision = migrations.current(connection)
            tables = inspect(connection)
            missing = [
                f"{table.name}.{column.name}"
                for table in Base.metadata.sorted_tables
                for column in table.columns
                if not tables.has_table(table.name)
                or column.name not in {c["name"] for c in tables.get_columns(table.name)}
            ]
        if missing:
            raise CheckFailedError(
                f"the migrations stop at {revision} and leave out " + ", ".join(missing[:5])
            )
        if revision != migrations.SCHEMA_HEAD:
            raise CheckFailedError(
                f"the migrations stop at {revision}, not at {migrations.SCHEMA_HEAD}: a "
                "migration script is missing from this installation"
            )
        return f"schema {revision}"

    def team_driver(self) -> str:
        """psycopg with its own libpq, and SQLAlchemy's dialect for it (nothing connects)."""
        import psycopg

        from referral_app.storage.team import TeamSettings, make_team_engine

        if psycopg.pq.__impl__ not in ("binary", "c"):
            raise CheckFailedError(
                f"psycopg uses its {psycopg.pq.__impl__} libpq wrapper, not its own compiled one"
            )
        certificate = self.folder / "unused-ca.crt"
        certificate.write_text("")
        settings = TeamSettings("localhost", 5432, "csarp", certificate, "self_check")
        make_team_engine(settings, "self_check", "not-a-password").dispose()
        return f"psycopg {psycopg.__version__}, libpq {psycopg.pq.version()}"

    def save_and_search(self) -> str:
        from referral_app.domain.referral import Advocate, Referral, Survivor
        from referral_app.storage.db import Database
        from referral_app.storage.repository import Repository

        with Database.unlock(self.database_path, self.passphrase) as database:
            repository = Repository(database)
            repository.save_advocate(Advocate(name="Self-check", organisation="Self-check"))
            saved = repository.save(Referral(survivor=Survivor(full_name=f"Ada {SURNAME}")))
            found = repository.list_summaries(SURNAME[:6])
        if [summary.id for summary in found] != [saved.id]:
            raise CheckFailedError("the saved referral was not found by searching for its name")
        self.saved_uid = saved.uid
        return saved.reference

    def _stored(self) -> tuple[Referral, Advocate]:
        from referral_app.domain.referral import Advocate
        from referral_app.storage.db import Database
        from referral_app.storage.repository import Repository

        with Database.unlock(self.database_path, self.passphrase) as database:
            repository = Repository(database)
            referral = repository.get(repository.list_ids()[0])
            return referral, repository.advocate() or Advocate()

    def pdf(self) -> str:
        from referral_app.services.pdf import summary_pdf_bytes, write_pdf

        referral, advocate = self._stored()
        target = self.folder / "summary.pdf"
        write_pdf(target, summary_pdf_bytes(referral, advocate))
        data = target.read_bytes()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
            raise CheckFailedError("the file written is not a whole PDF")
        return f"{len(data):,} bytes"

    def export(self) -> str:
        from referral_app.services.transfer.export import summary_renderer, write_export
        from referral_app.services.transfer.import_ import read_export

        referral, advocate = self._stored()
        target = self.folder / "export.zip"
        write_export(
            target, [referral], advocate, self.passphrase, render_pdf=summary_renderer(advocate)
        )
        contents = read_export(target, self.passphrase)
        if [item.uid for item in contents.referrals] != [self.saved_uid]:
            raise CheckFailedError("the export read back does not hold the referral written")
        return f"{target.stat().st_size:,} bytes"

    def reopen(self) -> str:
        referral, _ = self._stored()
        if referral.uid != self.saved_uid:
            raise CheckFailedError("the referral read back is not the one saved")
        return "the referral is there"


def run(out: TextIO | None = None) -> int:
    """Run every step, saying how each went; 0 if all passed."""
    stream = out if out is not None else sys.stdout
    with tempfile.TemporaryDirectory(prefix="referral-app-self-check-") as name:
        check = SelfCheck(Path(name))
        for title, step in check.steps():
            started = time.perf_counter()
            try:
                note = step()
            except Exception as error:  # every failure is reported, whatever it is
                _say(stream, f"FAILED  {title}: {type(error).__name__}: {error}")
                _say(stream, "Self-check failed.")
                return 1
            took = time.perf_counter() - started
            _say(stream, f"ok      {title} ({note}; {took:.1f} s)")
    _say(stream, "Self-check passed.")
    return 0


def _say(stream: TextIO | None, line: str) -> None:
    # A windowed build on Windows may have no stdout; the exit code still tells.
    if stream is not None:
        print(line, file=stream, flush=True)
