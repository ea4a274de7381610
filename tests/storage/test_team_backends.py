"""The same storage behaviour on the local encrypted file and on a team's PostgreSQL server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from referral_app.domain.referral import Status
from referral_app.storage.access import create_database
from referral_app.storage.errors import ConflictError
from referral_app.storage.repository import Repository
from referral_app.storage.team import TeamDatabase
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral


@pytest.fixture(params=["file", "team"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    if request.param == "file":
        database = create_database(tmp_path / "referrals.db", PASSPHRASE, ADVOCATE)
        yield Repository(database)
        database.close()
        return
    sign_in: Callable[[str], TeamDatabase] = request.getfixturevalue("sign_in")
    yield Repository(sign_in("alice"))


def test_create_open_update_and_status(backend: Repository) -> None:
    before = len(backend.audit_events())
    saved = backend.save(full_referral())
    assert saved.id is not None
    assert saved.version == 1
    opened = backend.open_record(saved.id)
    assert opened.survivor.full_name == "Zelda Quartermaine"
    assert opened.case.crime_references == ["ZQ987/65", "DP/2009/1"]

    opened.survivor.full_name = "Zelda Q. Brightwater"
    updated = backend.save(opened)
    assert updated.version == 2
    assert backend.get(saved.id).survivor.full_name == "Zelda Q. Brightwater"

    moved = backend.change_status(saved.id, Status.READY_TO_SEND, note="Checked")
    assert moved.status is Status.READY_TO_SEND
    assert moved.version == 3
    actions = [event.action for event in backend.audit_events()[before:]]
    assert actions == ["create", "open", "update", "status_change"]


def test_a_save_from_an_older_version_is_refused_and_overwrites_nothing(
    backend: Repository,
) -> None:
    saved = backend.save(full_referral())
    assert saved.id is not None
    first = backend.get(saved.id)
    second = backend.get(saved.id)
    first.case.location = "Cardigan"
    backend.save(first)

    second.case.location = "Lampeter"
    with pytest.raises(ConflictError) as raised:
        backend.save(second)

    assert raised.value.mine.case.location == "Lampeter"
    assert raised.value.theirs.case.location == "Cardigan"
    assert raised.value.theirs.version == 2
    assert backend.get(saved.id).case.location == "Cardigan"
    # Choosing "keep mine" is saving it again over the version now stored.
    kept = backend.save(replace(second, version=raised.value.theirs.version))
    assert kept.case.location == "Lampeter"


def test_the_audit_chain_verifies(backend: Repository) -> None:
    before = len(backend.audit_events())
    for name in ("Ann Example", "Bea Example", "Cai Example"):
        saved = backend.save(full_referral(name))
        assert saved.id is not None
        backend.open_record(saved.id)
    check = backend.verify_audit()
    assert check.intact, check.describe()
    assert check.events_checked == before + 6


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("quarterm", 1),  # part of a name
        ("ARTERMAI", 1),  # any case
        ("zq987", 1),  # a crime reference without its punctuation
        ("zq 987/6", 1),
        ("brightwat", 2),  # a previous name
        ("dyfed", 2),  # the force
        ("ze", 1),  # one or two letters: the start of a word of the name
        ("sío", 1),  # accents ignored both ways
        ("50%", 0),  # LIKE's wildcards are matched literally
        ("nobody", 0),
    ],
)
def test_caseload_search(backend: Repository, typed: str, found: int) -> None:
    backend.save(full_referral())
    backend.save(full_referral("Siobhán Ní Bhriain", crime_ref="XX 1/2"))
    assert backend.count_summaries(typed) == found
    assert len(backend.list_summaries(typed, sort="name")) == found


def test_a_search_in_reference_order_pages_and_counts_as_any_other_order(
    backend: Repository,
) -> None:
    # On the server a search alone in reference order takes its page straight from the
    # search function's matches; it must list, page and count what the general query does.
    names = ["Wren Quartermaine", "Olwen Other", "Ada Quartermaine", "Quartermaine Bryn"]
    ids = [
        backend.save(full_referral(name, crime_ref=f"QM {n}/26")).id for n, name in enumerate(names)
    ]
    found = sorted(i for i, name in zip(ids, names, strict=True) if "Quarter" in name)
    other = [s.id for s in backend.list_summaries("quarterm", sort="name")]
    assert sorted(other) == found
    for descending in (False, True):
        wanted = sorted(found, reverse=descending)
        listed = backend.list_summaries("quarterm", descending=descending)
        assert [s.id for s in listed] == wanted
        paged = backend.list_summaries("quarterm", descending=descending, offset=1, limit=1)
        assert [s.id for s in paged] == wanted[1:2]
        total, first = backend.first_page("quarterm", descending=descending, limit=2)
        assert (total, [s.id for s in first]) == (len(found), wanted[:2])
    assert backend.first_page("nobody") == (0, [])


def test_exports_imports_the_dashboard_and_the_audit_log_read_the_same(
    backend: Repository,
) -> None:
    from referral_app.storage import exporting, overview, transfer
    from referral_app.storage.audit_query import AuditFilter, count_events, events_page

    database = backend.database
    saved = backend.save(full_referral())
    assert saved.id is not None
    today = saved.follow_up.due
    assert today is not None

    loaded = exporting.load_referrals(database, exporting.all_referral_ids(database))
    assert [r.uid for r in loaded] == [saved.uid]
    assert overview.status_counts(database)[Status.DRAFT] == 1
    assert [item.referral_id for item in overview.follow_ups(database, today)] == [saved.id]
    assert count_events(database, AuditFilter(action="create")) == 1
    assert [e.action for e in events_page(database, AuditFilter(referral_id=saved.id))] == [
        "create"
    ]

    # An import from another computer: one new referral, one already here but different.
    changed = replace(loaded[0], request_letter="A newer letter.")
    arriving = replace(full_referral("Nia Newcomer"), uid="0b7c3f9e-1111-4222-8333-444455556666")
    plan = transfer.plan_import(database, [changed, arriving])
    result = transfer.apply_import(database, [changed, arriving], plan, replace={saved.uid})
    assert len(result.added) == 1 and len(result.replaced) == 1
    assert backend.get(saved.id).request_letter == "A newer letter."
    assert backend.get(saved.id).version == 2  # an import is a change like any other
    assert backend.count_summaries("newcomer") == 1
    assert backend.verify_audit().intact
