"""Membership changes are changes: in `trends` (table, JSON, CSV), the exports and the
Trends and Overview screens."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tracker import ledger_changes
from tracker.store import Store
from tracker.sync import sync
from tracker.trends import BETTER, NEUTRAL, WORSE

from conftest import FROZEN


def _entry(db, party, role, date, note=None):
    db["memberships"].insert({"mechanism_id": "test-treaty", "party": party, "role": role,
                              "date": date, "source": "https://example.org/c",
                              "confidence": "high", "note": note, "origin": "analyst",
                              "recorded_at": "2026-11-01T00:00:00Z"})


def test_every_ledger_entry_is_a_change_with_its_direction(store, catalog):
    sync(store, catalog)
    found = ledger_changes.ledger_changes(store.db, None)
    assert [(c.as_of, c.party, c.old, c.new, c.direction) for c in found] == [
        ("2025-02-11", "CHN", "", "declined", WORSE),
        ("2024-09-05", "USA", "", "signed", BETTER),
        ("2024-09-05", "GBR", "", "signed", BETTER),
        ("2024-09-05", "EU", "", "signed", BETTER),
    ]
    china = found[0]
    assert china.field == "membership" and china.role == "declined"
    assert china.label == "China (membership)" and china.name == "Test Treaty"
    assert china.source == "https://example.org/b" and china.confidence == "low"
    assert ledger_changes.ledger_changes(store.db, "2025-01-01") == [china]
    assert ledger_changes.ledger_changes(store.db, "2025-03") == []


@pytest.mark.parametrize("role, direction", [
    ("ratified", BETTER), ("member", BETTER), ("endorsed", BETTER), ("signed", BETTER),
    ("withdrew", WORSE), ("declined", WORSE), ("observer", NEUTRAL)])
def test_directions_follow_participation(store, catalog, role, direction):
    sync(store, catalog)
    _entry(store.db, "FRA", role, "2026-10-01")
    [c] = ledger_changes.ledger_changes(store.db, "2026-01-01")
    assert (c.party, c.new, c.direction) == ("FRA", role, direction)


def test_a_step_starts_from_the_role_before_the_window(store, catalog):
    sync(store, catalog)
    _entry(store.db, "GBR", "ratified", "2026-10-01")
    [c] = ledger_changes.ledger_changes(store.db, "2026-01-01")
    assert (c.old, c.old_as_of, c.new, c.direction) == ("signed", "2024-09-05", "ratified",
                                                        BETTER)


def test_withdrawal_after_signature_in_the_window_is_a_flip(store, catalog):
    sync(store, catalog)
    _entry(store.db, "FRA", "signed", "2026-02-01")
    _entry(store.db, "FRA", "withdrew", "2026-09")
    found = ledger_changes.ledger_changes(store.db, "2026-01-01")
    assert [(c.new, c.direction, c.flip) for c in found] == [("withdrew", WORSE, True),
                                                             ("signed", BETTER, True)]
    assert not any(c.flip for c in ledger_changes.ledger_changes(store.db, "2026-03-01"))


def test_same_role_again_or_same_day_entries_are_one_step(store, catalog):
    sync(store, catalog)
    _entry(store.db, "USA", "signed", "2026-03-01")   # re-recorded: no change
    _entry(store.db, "FRA", "signed", "2026-04-01")
    _entry(store.db, "FRA", "ratified", "2026-04-01")  # signed and ratified the same day
    found = ledger_changes.ledger_changes(store.db, "2026-01-01")
    assert [(c.party, c.old, c.new) for c in found] == [("FRA", "", "ratified")]


def test_window_changes_merge_fields_and_ledgers_newest_first(store, catalog):
    sync(store, catalog)
    found = ledger_changes.window_changes(store.db, None)
    assert [c.as_of[:7] for c in found] == sorted((c.as_of[:7] for c in found), reverse=True)
    assert len(found) == 7 and {c.field for c in found} >= {"membership", "severity"}
    assert len(ledger_changes.window_changes(store.db, None, limit=2)) == 2
    assert ledger_changes.window_changes(store.db, None, limit=2)[0].indicator_id == \
        "pace-mismatch"


def _accepted_ratification(run) -> None:
    """A fetched ratification, proposed for review and accepted as an analyst would."""
    assert run("list").exit_code == 0
    store = Store.open(run.db, clock=lambda: FROZEN)
    try:
        store.db["proposals"].insert({
            "kind": "membership", "indicator_id": "test-treaty", "party": "GBR",
            "role": "ratified", "date": "2026-10-01", "source_id": "test",
            "source_url": "https://example.org/ratification", "confidence": "high",
            "reason": "the source is reviewed by hand", "status": "pending",
            "created_at": "2026-10-02T00:00:00Z"})
        [pid] = [r[0] for r in store.db.execute("SELECT id FROM proposals")]
    finally:
        store.close()
    result = run("review", "accept", str(pid), "--author", "ana")
    assert result.exit_code == 0, result.output


def test_trends_lists_an_accepted_ratification(run):
    assert "No changes dated since 2026-08-24" in run("trends", "--since", "90d").stdout
    _accepted_ratification(run)
    out = run("trends", "--since", "90d").stdout
    assert "1 change since 2026-08-24" in out
    line = next(x for x in out.splitlines() if "United Kingdom (membership)" in x)
    assert "2026-10-01" in line and "signed" in line and "ratified" in line
    assert "▲ better" in line and "https://example.org/ratification" in line
    data = json.loads(run("trends", "--since", "90d", "--format", "json").stdout)
    [c] = data["changes"]
    assert (c["indicator_id"], c["party"], c["role"], c["old"], c["direction"]) == (
        "test-treaty", "GBR", "ratified", "signed", "better")
    rows = list(csv.DictReader(io.StringIO(
        run("trends", "--since", "90d", "--format", "csv").stdout)))
    assert [(r["party"], r["role"], r["as_of"], r["direction"], r["source"]) for r in rows] == [
        ("GBR", "ratified", "2026-10-01", "better", "https://example.org/ratification")]


def test_exports_list_an_accepted_ratification(run):
    _accepted_ratification(run)
    md = run("export", "--since", "90d").stdout
    assert "| 2026-10-01 | Test Treaty | United Kingdom (membership) | signed | ratified |" in md
    data = json.loads(run("export", "--format", "json", "--since", "90d").stdout)
    assert ("GBR", "ratified") in [(c["party"], c["role"]) for c in data["changes"]]


async def test_trends_and_overview_screens_list_membership_changes(store, catalog, tmp_path):
    from screens.app import TrackerApp
    from textual.widgets import DataTable

    sync(store, catalog)
    _entry(store.db, "GBR", "ratified", "2026-10-01")
    app = TrackerApp(store, catalog, export_dir=tmp_path / "s", clock=lambda: FROZEN)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        latest = app.screen.query_one("#latest", DataTable)
        assert latest.row_count == 1
        assert "United Kingdom (membership)" in [c.plain for c in latest.get_row_at(0)]
        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        changes = app.screen.query_one("#changes", DataTable)
        assert changes.row_count == 1
        row = " | ".join(c.plain for c in changes.get_row_at(0))
        assert "United Kingdom (membership)" in row and "ratified" in row
        await pilot.press("w", "w")  # all: every ledger entry, two same-day parties included
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#changes", DataTable).row_count == 8
        await pilot.press("1")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#latest", DataTable).row_count == 8
