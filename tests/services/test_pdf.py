"""PDFs as the app makes them, read back with pypdf: every field, the redaction, the marking
and page numbers on every page, long text flowing over pages, several summaries in one file,
a worker thread, and the atomic owner-only write. The referral comes out of a real encrypted
database, so what is printed is what is stored."""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QPdfWriter
from PySide6.QtWidgets import QApplication

from referral_app.domain.advice import GUIDE_NOTE, NOT_A_JUDGEMENT, OUTCOME_SENTENCES, QUESTIONS
from referral_app.domain.dates import describe_day
from referral_app.domain.eligibility import CRITERIA
from referral_app.domain.referral import Referral, Status
from referral_app.services.pdf import (
    MARKING,
    PdfWriteError,
    configure_page,
    documents_pdf_bytes,
    letter_document,
    page_count,
    paint_documents,
    render_page,
    summary_document,
    summary_pdf_bytes,
    write_pdf,
)
from referral_app.storage.access import create_database
from referral_app.storage.repository import Repository
from tests.permissions import assert_owner_only
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral
from tests.ui.conftest import screenshot_folder

PRINTED = date(2026, 11, 21)
WORDS = "the survivor went on to describe what happened in plain and ordinary words " * 6


def texts(data: bytes) -> list[str]:
    """Each page's text, with runs of white space (pypdf gives tabs and breaks) as one space."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def body(page: str, footer: str, number: int, total: int) -> str:
    """A page's text after its marking, footer and page number, which come first and must."""
    furniture = f"{MARKING} {footer} Page {number} of {total} {MARKING} "
    assert page.startswith(furniture), page[:160]
    return page[len(furniture) :]


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Repository]:
    database = create_database(tmp_path_factory.mktemp("pdf") / "r.db", PASSPHRASE, ADVOCATE)
    yield Repository(database)
    database.close()


@pytest.fixture(scope="module")
def stored(repository: Repository) -> Referral:
    saved = repository.save(full_referral())
    assert saved.id is not None
    return repository.change_status(saved.id, Status.READY_TO_SEND, "Checked with the survivor")


def test_the_full_summary_shows_every_field(qapp: QApplication, stored: Referral) -> None:
    data = summary_pdf_bytes(stored, ADVOCATE, printed_on=PRINTED)
    assert data.startswith(b"%PDF")
    text = " ".join(texts(data))
    survivor, case, consent = stored.survivor, stored.case, stored.consent
    expected = [
        # The document
        "Referral summary",
        f"Reference {stored.reference}",
        "Date printed 21 November 2026",
        f"Advocate {ADVOCATE.name}",
        f"Organisation {ADVOCATE.organisation}",
        ADVOCATE.phone,
        ADVOCATE.email,
        "Status Ready to send",
        # The survivor
        f"Full name {survivor.full_name}",
        *survivor.previous_names,
        "Date of birth May 1990",
        "Age when the abuse began 12 or 13",
        "Pronouns she/her",
        "Preferred language Welsh",
        "Needs an interpreter Yes",
        "Access needs Step-free access",
        "Contact only through the advocate Yes",
        f"Phone number {survivor.phone}",
        f"Email address {survivor.email}",
        *survivor.address.splitlines(),
        "Safe to leave a voicemail No",
        "Safe to send letters Yes",
        "Safe times to call Weekdays 10-12",
        # The case
        "Police force Dyfed-Powys",
        *case.crime_references,
        "Who made the decision The CPS",
        "CPS Area Cymru-Wales",
        "Date of the decision 14 March 2009",
        "November 2008",
        "When the abuse began 2003",
        "When it ended June 2005",
        "Where it happened Aberystwyth",
        "Group-based Yes",
        "Number of alleged offenders 3",
        "Not sure",
        "CPS VRR (Victims' Right to Review) Requested: May 2009 Result: Decision upheld",
        "Complaint Requested: Not given",
        "A long account.",
        "Dŵr, ñ",
        # Eligibility
        " ".join(GUIDE_NOTE.split()),
        OUTCOME_SENTENCES["eligible"],
        "Panel's terms with the widening announced in January 2025",
        "csarp-2025",
        *(QUESTIONS[criterion.key] for criterion in CRITERIA),
        " ".join(NOT_A_JUDGEMENT.split()),
        "The CPS decided not to charge Met",
        "The request goes first to CPS Cymru-Wales.",
        # Consent
        "Making this referral",
        "Sharing it with the police force",
        "Sharing it with the CPS",
        "Sharing it with the Panel",
        f"Date consent was given {describe_day(consent.given_on or PRINTED)}",
        "How consent was given In writing",
        f"Who recorded the consent {consent.recorded_by}",
        # History and follow-up
        "Being prepared",
        "Ready to send Checked with the survivor",
        "Call the force about the letter",
    ]
    missing = [item for item in expected if item not in text]
    assert not missing


def test_the_redacted_summary_leaves_out_who_it_is_about(
    qapp: QApplication, stored: Referral
) -> None:
    text = " ".join(texts(summary_pdf_bytes(stored, ADVOCATE, redacted=True, printed_on=PRINTED)))
    survivor = stored.survivor
    secrets = [
        "Zelda",
        "Quartermaine",
        "Brightwater",
        "May 1990",
        "1990",
        survivor.phone,
        survivor.email,
        *survivor.address.splitlines(),
        "Weekdays 10-12",
    ]
    assert [secret for secret in secrets if secret in text] == []
    for kept in (
        "Initials Z. Q.",
        "Z. B.",
        "Age when the abuse began 12 or 13",
        "Age when it ended 15",
        *stored.case.crime_references,
        "Referral summary (redacted)",
    ):
        assert kept in text


#: A "word" far wider than the page, which must wrap anywhere rather than run off the edge.
UNBROKEN = "https://example.org/" + "x" * 700 + "/end"


def long_referral(stored: Referral, paragraphs: int = 45) -> tuple[Referral, list[str]]:
    """The stored referral with an account of several thousand words, each paragraph marked."""
    account = [f"Start{n:03d}mark {WORDS}end{n:03d}mark." for n in range(paragraphs)]
    account[paragraphs // 2] += f" {UNBROKEN}"
    referral = stored.clone()
    referral.case.account = "\n\n".join(account)
    return referral, account


def test_every_page_is_marked_and_numbered_and_long_text_loses_nothing(
    qapp: QApplication, stored: Referral
) -> None:
    referral, account = long_referral(stored)
    assert len(" ".join(account).split()) > 3000
    pages = texts(summary_pdf_bytes(referral, ADVOCATE, printed_on=PRINTED))
    total = len(pages)
    assert total >= 6
    footer = f"Referral summary: {stored.reference}"
    bodies = [body(page, footer, n, total) for n, page in enumerate(pages, start=1)]
    assert all(MARKING not in text for text in bodies)  # exactly two markings on each page
    flowing = " ".join(bodies)
    for paragraph in account:
        if UNBROKEN not in paragraph:
            assert " ".join(paragraph.split()) in flowing
    assert UNBROKEN in "".join(flowing.split())  # wrapped over several lines, all there
    markers = re.findall(r"Start(\d{3})mark", flowing)
    assert markers == [f"{n:03d}" for n in range(len(account))]
    assert flowing.index("Start000mark") < flowing.index("3. Eligibility")


def test_several_summaries_each_start_on_a_new_page_with_their_own_numbers(
    qapp: QApplication, stored: Referral
) -> None:
    long, _ = long_referral(stored, paragraphs=12)
    other = stored.clone()
    other.reference = "CSARP-2026-09999"
    documents = [summary_document(r, ADVOCATE, printed_on=PRINTED) for r in (stored, long, other)]
    counts = [page_count(document) for document in documents]
    assert counts[1] > counts[0]
    pages = texts(documents_pdf_bytes(documents, "Referral summaries"))
    assert len(pages) == sum(counts)
    start = 0
    for document, count in zip(documents, counts, strict=True):
        for number in range(1, count + 1):
            text = body(pages[start + number - 1], document.footer, number, count)
            assert text.startswith("Child Sexual Abuse Review Panel: referral") == (number == 1)
        start += count


def test_a_printer_at_another_resolution_gets_the_same_pages(
    qapp: QApplication, stored: Referral
) -> None:
    referral, _ = long_referral(stored, paragraphs=10)
    document = summary_document(referral, ADVOCATE, printed_on=PRINTED)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(300)  # a typical printer's, not the layout's
    configure_page(writer)
    assert paint_documents(writer, [document]) == page_count(document)
    buffer.close()
    at_300 = texts(bytes(data.data()))
    assert at_300 == texts(documents_pdf_bytes([document]))


def test_the_letter_prints_as_saved(qapp: QApplication, stored: Referral) -> None:
    document = letter_document(stored, ADVOCATE, printed_on=PRINTED)
    (page,) = texts(documents_pdf_bytes([document]))
    text = body(page, f"Request letter: {stored.reference}", 1, 1)
    assert text == " ".join(stored.request_letter.split())


def test_a_worker_thread_can_make_the_pdf(qapp: QApplication, stored: Referral) -> None:
    results: list[bytes] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(summary_pdf_bytes(stored, ADVOCATE, redacted=True))
        except BaseException as error:  # handed back to the test
            errors.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert not errors and len(results) == 1
    assert "Referral summary (redacted)" in texts(results[0])[0]


def test_rendered_pages_match_the_pdf_and_carry_the_marking(
    qapp: QApplication, stored: Referral, tmp_path: Path
) -> None:
    """The pages as pictures, painted by the same code, to look at (see screenshot_folder)."""
    folder = screenshot_folder(tmp_path)
    for redacted in (False, True):
        document = summary_document(stored, ADVOCATE, redacted=redacted, printed_on=PRINTED)
        count = page_count(document)
        assert count == len(texts(documents_pdf_bytes([document])))
        for page in range(count):
            image = render_page(document, page, dpi=110)
            name = f"summary_{'redacted' if redacted else 'full'}_page{page + 1}.png"
            assert image.save(str(folder / name))
            white = QColor("white").rgb()
            height = image.height()
            # Ink in the top and bottom bands (the marking), none at the very edges.
            bands = (
                range(round(height * 0.04), round(height * 0.055)),
                range(height - 55, height - 40),
            )
            for band in bands:
                assert any(
                    image.pixel(x, y) != white for y in band for x in range(0, image.width(), 2)
                )
            assert all(image.pixel(x, 2) == white for x in range(image.width()))
    letter = letter_document(stored, ADVOCATE, printed_on=PRINTED)
    assert render_page(letter, 0, dpi=110).save(str(folder / "letter_page1.png"))


def test_writing_is_atomic_owner_only_and_leaves_no_copy(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "referral-CSARP-2026-00001-summary.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_pdf(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    assert_owner_only(target)
    assert [path.name for path in folder.iterdir()] == [target.name]


def test_nothing_goes_to_the_temporary_folder(
    qapp: QApplication, stored: Referral, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setenv("TMP", str(temporary))
    monkeypatch.setenv("TEMP", str(temporary))
    write_pdf(tmp_path / "a.pdf", summary_pdf_bytes(stored, ADVOCATE))
    assert list(temporary.iterdir()) == []


def test_a_folder_that_is_not_there_gives_a_message_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(PdfWriteError) as raised:
        write_pdf(tmp_path / "gone" / "a.pdf", b"%PDF")
    assert str(raised.value) == (
        "The PDF could not be saved: that folder does not exist any more. Choose another "
        "folder or file name."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_failed_move_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(PdfWriteError, match="you do not have permission"):
        write_pdf(tmp_path / "a.pdf", b"%PDF")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs folder permissions")
def test_an_unwritable_folder_gives_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    try:
        with pytest.raises(PdfWriteError, match="you do not have permission"):
            write_pdf(folder / "a.pdf", b"%PDF")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)
