"""Sync: catalog -> store, recording only what changed, never deleting."""

from __future__ import annotations

import datetime as dt

from tracker.assess import record
from tracker.catalog import load_catalog
from tracker.store import Store
from tracker.sync import sync

from conftest import FROZEN


def _counts(store):
    return {t: store.db[t].count for t in ("indicators", "observations", "memberships",
                                          "events", "event_links", "group_members")}


def test_first_sync_loads_everything(store, catalog):
    result = sync(store, catalog)
    assert result.indicators_added == 3
    assert result.observations_added == 10
    assert result.memberships_added == 4
    assert result.events_added == 2
    assert store.get_meta("catalog_digest") == catalog.digest
    run = store.db["runs"].get(1)
    assert (run["kind"], run["status"]) == ("sync", "ok")
    assert store.db.execute("SELECT count(*) FROM observations WHERE run_id = 1").fetchone()[0] \
        == 10


def test_sync_twice_changes_nothing(store, catalog):
    sync(store, catalog)
    before = _counts(store)
    assert sync(store, catalog).skipped
    forced = sync(store, catalog, force=True)
    assert not forced.changed
    assert _counts(store) == before


def test_new_values_become_observations_and_old_ones_stay(store, catalog, catalog_path):
    sync(store, catalog)
    text = catalog_path.read_text().replace(
        "          note: \"Inference: slower frontier releases.\"\n",
        "          note: \"Inference: slower frontier releases.\"\n"
        "        - {value: High, as_of: 2026-06, source: https://example.org/new, "
        "confidence: medium}\n")
    catalog_path.write_text(text)
    later = Store(store.conn, store.path, clock=lambda: FROZEN + dt.timedelta(days=1))
    result = sync(later, load_catalog(catalog_path))
    assert result.observations_added == 1
    values = [r[0] for r in store.db.execute(
        "SELECT value FROM observations WHERE indicator_id = 'pace-mismatch' ORDER BY as_of")]
    assert values == ["High", "Moderate", "High"]


def test_dropped_indicator_is_retired_with_its_history(store, catalog, catalog_path):
    sync(store, catalog)
    text = catalog_path.read_text()
    start = text.index("  - id: pace-mismatch")
    end = text.index("  - id: test-treaty")
    catalog_path.write_text(text[:start] + text[end:])
    result = sync(store, load_catalog(catalog_path))
    assert result.indicators_retired == 1
    row = store.db["indicators"].get("pace-mismatch")
    assert row["retired_at"] == "2026-11-22T09:30:00Z"
    assert store.db.execute("SELECT count(*) FROM observations "
                            "WHERE indicator_id = 'pace-mismatch'").fetchone()[0] == 2
    # Putting it back brings it back, with the same history.
    catalog_path.write_text(text)
    sync(store, load_catalog(catalog_path))
    assert store.db["indicators"].get("pace-mismatch")["retired_at"] is None
    assert store.db.execute("SELECT count(*) FROM observations "
                            "WHERE indicator_id = 'pace-mismatch'").fetchone()[0] == 2


def test_dropped_event_is_retired_not_deleted(store, catalog, catalog_path):
    sync(store, catalog)
    text = catalog_path.read_text()
    catalog_path.write_text(text[: text.index("  - id: next-summit")])
    sync(store, load_catalog(catalog_path))
    assert store.db["events"].get("next-summit")["retired_at"] is not None


def test_analyst_values_survive_a_catalog_change(store, catalog, catalog_path):
    sync(store, catalog)
    record(store, catalog, "pace-mismatch", "severity", "low", as_of="2026-10",
           note="Analyst view", author="ana")
    catalog_path.write_text(catalog_path.read_text().replace("name: Pace mismatch",
                                                             "name: Pace mismatch (renamed)"))
    sync(store, load_catalog(catalog_path))
    current = store.db.execute("SELECT value, origin, author FROM current_values "
                               "WHERE indicator_id = 'pace-mismatch'").fetchone()
    assert current == ("Low", "analyst", "ana")
    assert store.db["indicators"].get("pace-mismatch")["name"] == "Pace mismatch (renamed)"


def test_disagreeing_sources_on_one_date_are_both_kept(store, catalog):
    from tracker import queries

    sync(store, catalog)
    [row] = queries.rows(store.db, ids=["test-treaty"])
    count = row.values["participant_count"]
    assert count.value == "4"  # the one listed last
    assert count.disputed_by == ["3"]
