"""Past scheduled events carry an outcome and never show as coming; the briefing's coming
events start from the clock; a store made by the previous schema upgrades with nothing lost."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlite_utils

from tracker import queries
from tracker.catalog import check_catalog, load_catalog, shipped_catalog_path
from tracker.dates import is_coming, period_end
from tracker.export import build
from tracker.store import LATEST, Store
from tracker.store.migrations import migrate
from tracker.sync import sync

from conftest import FROZEN

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone.utc)
PAST_SCHEDULED = """  - id: old-deadline
    date: 2026-03
    title: A deadline that has passed
    kind: deadline
    source: https://example.org/deadline
    confidence: medium
"""


def _write(catalog_path, extra: str) -> None:
    text = catalog_path.read_text()
    catalog_path.write_text(text.replace("events:\n", "events:\n" + extra, 1))


def _with(catalog_path, extra: str):
    _write(catalog_path, extra)
    return load_catalog(catalog_path)


@pytest.mark.parametrize("date,end,outcome,today,expected", [
    ("2027", None, None, "2026-11-30", True),
    ("2026-11", None, None, "2026-11-30", True),      # a month lasts to its last day
    ("2026-11", None, None, "2026-12-01", False),
    ("2026-07-06", "2026-07-07", None, "2026-07-07", True),
    ("2026-08-02", None, None, "2026-11-30", False),  # past, even without an outcome
    ("2027", None, "outcome not recorded", "2026-11-30", False),
])
def test_is_coming(date, end, outcome, today, expected):
    event = {"date": date, "end_date": end, "outcome": outcome}
    assert is_coming(event, dt.date.fromisoformat(today)) is expected


def test_period_end_covers_the_whole_period():
    assert period_end("2026-02") == dt.date(2026, 2, 28)
    assert period_end("2026-12") == dt.date(2026, 12, 31)
    assert period_end("2027") == dt.date(2027, 12, 31)


def test_an_empty_outcome_is_reported_at_its_line(catalog_path):
    _write(catalog_path, PAST_SCHEDULED.replace("    kind: deadline\n",
                                               "    kind: deadline\n    outcome: ''\n"))
    catalog, problems = check_catalog(catalog_path)
    assert catalog is None and problems
    line = next(n for n, t in enumerate(catalog_path.read_text().splitlines(), 1)
                if "outcome: ''" in t)
    assert str(problems[0]).startswith(f"{catalog_path}:{line}: ")


def test_a_misspelt_outcome_key_is_reported(catalog_path):
    _write(catalog_path, PAST_SCHEDULED + "    outcomes: held\n")
    catalog, problems = check_catalog(catalog_path)
    assert catalog is None
    assert "unknown key 'outcomes'" in problems[0].message


def test_the_briefing_lists_coming_events_from_the_clock(store, catalog_path):
    """The data is as of 2025-06 and the clock says 2026-11-22: an event of 2026-03 is past."""
    catalog = _with(catalog_path, PAST_SCHEDULED)
    sync(store, catalog)
    text = build(store, "md").text
    coming = text.split("## Coming events")[1].split("## ")[0]
    assert "(from 2026-11-22)" in coming
    assert "Next summit" in coming
    assert "A deadline that has passed" not in coming
    assert "Test Treaty opens" not in coming


def test_an_outcome_is_stored_shown_and_kept_out_of_coming(store, catalog_path, run):
    catalog = _with(catalog_path, PAST_SCHEDULED.replace(
        "    kind: deadline\n", "    kind: deadline\n    outcome: Met by all parties\n"))
    sync(store, catalog)
    assert store.db["events"].get("old-deadline")["outcome"] == "Met by all parties"
    text = build(store, "md").text
    assert "A deadline that has passed" not in text.split("## Coming events")[1].split("## ")[0]
    outcomes = text.split("## Outcomes of scheduled events")[1].split("## ")[0]
    assert "Met by all parties" in outcomes


def test_no_past_event_of_the_shipped_catalog_shows_as_coming(tmp_path):
    store = Store.open(tmp_path / "s.db", clock=lambda: NOW)
    sync(store, load_catalog(shipped_catalog_path()))
    events = list(store.db.query("SELECT * FROM events WHERE retired_at IS NULL"))
    coming = [e for e in events if is_coming(e, NOW.date())]
    assert coming and all(period_end(e["end_date"] or e["date"]) >= NOW.date() for e in coming)
    text = build(store, "md").text
    section = text.split("## Coming events (from 2026-11-30)")[1].split("## ")[0]
    dates = [line.split("|")[1].strip() for line in section.splitlines()
             if line.startswith("| 2")]
    assert dates and all(period_end(d) >= NOW.date() for d in dates), dates
    # the four scheduled dates the review found past are settled, not coming
    for eid in ("eu-ai-act-article-50-applies", "eu-gpai-enforcement-new-models",
                "china-rare-earth-suspension-ends", "bis-affiliates-rule-suspension-ends",
                "g7-evian-2026", "un-global-dialogue-geneva-2026"):
        assert store.db["events"].get(eid)["outcome"], eid
    store.close()


def test_a_store_of_the_previous_schema_upgrades_with_every_observation(tmp_path, catalog):
    """Synced by the previous release (no outcome, no synonyms), then opened by this one."""
    path = tmp_path / "prev.db"
    db = sqlite_utils.Database(path)
    migrate(db, LATEST - 1)
    db["categories"].insert({"id": "obstacles", "title": "Obstacles", "position": 0})
    db["scales"].insert({"id": "text", "kind": "text", "levels": "[]", "unranked": "[]",
                         "better": "none"})
    db["fields"].insert({"category_id": "obstacles", "field": "gone", "label": "Gone",
                         "scale_id": "text", "position": 9})
    db["indicators"].insert({"id": "pace-mismatch", "category_id": "obstacles",
                             "name": "Pace mismatch", "position": 0})
    rows = [{"indicator_id": "pace-mismatch", "field": f, "value": v, "as_of": a,
             "recorded_at": "2026-01-01T00:00:00Z", "origin": "catalog",
             "source": "https://example.org/old", "confidence": "medium"}
            for f, v, a in [("severity", "High", "2024-06"), ("gone", "a retired field", "2025"),
                            ("mechanism", "an old sentence", "2026-02")]]
    db["observations"].insert_all(rows)
    db["events"].insert({"id": "e1", "date": "2026-03", "title": "T", "kind": "other",
                         "source": "https://example.org/e", "confidence": "low",
                         "origin": "catalog"})
    db.conn.close()
    before = sorted(tuple(r.values()) for r in rows)

    store = Store.open(path, clock=lambda: FROZEN)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert "outcome" in store.db["events"].columns_dict
    assert "synonyms" in store.db["scales"].columns_dict
    sync(store, catalog)  # a catalog without the 'gone' field and without those values
    after = sorted(tuple(r.values()) for r in store.db.query(
        "SELECT indicator_id, field, value, as_of, recorded_at, origin, source, confidence "
        "FROM observations WHERE source = 'https://example.org/old'"))
    assert after == before
    assert store.db["fields"].get(("obstacles", "gone"))["label"] == "Gone"
    # kept as history, but a value the catalog no longer lists is not current any more
    withdrawn = dict(store.db.execute(
        "SELECT field, withdrawn_at FROM observations WHERE source = 'https://example.org/old'"
    ).fetchall())
    assert withdrawn == {f: "2026-11-22T09:30:00Z" for f in ("severity", "gone", "mechanism")}
    current = dict(store.db.execute(
        "SELECT field, value FROM current_values WHERE indicator_id = 'pace-mismatch'").fetchall())
    assert current == {"severity": "Moderate"}  # the catalog's, not the withdrawn ones
    history = [o for o in queries.history(store.db, "pace-mismatch") if o["field"] == "gone"]
    assert [o["value"] for o in history] == ["a retired field"]
    store.close()


def test_a_value_listed_again_is_restored(store, catalog_path):
    catalog = load_catalog(catalog_path)
    sync(store, catalog)
    text = catalog_path.read_text()
    catalog_path.write_text(text.replace(
        "{value: High, as_of: 2024-06, source: page, confidence: medium}\n        - value: Mod",
        "{value: Low, as_of: 2024-06, source: page, confidence: medium}\n        - value: Mod",
        1))
    sync(store, load_catalog(catalog_path))
    values = store.db.execute("SELECT value, withdrawn_at IS NULL FROM observations WHERE "
                              "indicator_id = 'pace-mismatch' AND as_of = '2024-06' "
                              "AND field = 'severity' ORDER BY id").fetchall()
    assert values == [("High", 0), ("Low", 1)]
    catalog_path.write_text(text)
    sync(store, load_catalog(catalog_path))
    values = store.db.execute("SELECT value, withdrawn_at IS NULL FROM observations WHERE "
                              "indicator_id = 'pace-mismatch' AND as_of = '2024-06' "
                              "AND field = 'severity' ORDER BY id").fetchall()
    assert values == [("High", 1), ("Low", 0)]
