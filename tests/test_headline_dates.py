"""The headline figures walked over many dates in one pass (the charts) equal the figures
worked out from scratch on each date (tracker.headline.values_at), on the shipped catalog,
a generated store and ledgers written to hit the rules' edges."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from tracker import headline, series
from tracker.catalog import load_catalog
from tracker.headline_dates import values_on
from tracker.paths import shipped_catalog_path
from tracker.store import Store
from tracker.sync import sync
from tracker.trends import pad

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.timezone.utc)


def _dates(db) -> list[str]:
    """Every date a figure can move on, the days either side, and dates before and after
    everything."""
    found = {pad(d) for (d,) in db.execute("SELECT date FROM memberships")}
    found |= {pad(d) for (d,) in db.execute("SELECT as_of FROM observations")}
    days = set()
    for d in found:
        day = dt.date.fromisoformat(d)
        days |= {(day + dt.timedelta(days=k)).isoformat() for k in (-1, 0, 1)}
    return sorted(days | {"1900-01-01", "2999-12-31"})


def _assert_equal_on_every_date(db, dates=None) -> int:
    dates = dates or _dates(db)
    walked = dict(values_on(db, dates))
    assert list(walked) == dates
    for d in dates:
        assert walked[d] == headline.values_at(db, d), d
    return len(dates)


@pytest.fixture
def shipped(tmp_path):
    store = Store.open(tmp_path / "shipped.db", clock=lambda: NOW)
    sync(store, load_catalog(shipped_catalog_path()))
    yield store
    store.close()


def test_the_walk_equals_the_figures_on_every_date_of_the_shipped_catalog(shipped):
    db = shipped.db
    assert db.execute("SELECT count(*) FROM indicators WHERE entry_into_force IS NOT NULL "
                      "AND retired_at IS NULL").fetchone()[0]  # ratification figures too
    assert _assert_equal_on_every_date(db) > 50


def test_the_walk_equals_the_figures_on_a_generated_store(tmp_path):
    sys.path.insert(0, str(BENCH))
    from generate import build

    path, _ = build(tmp_path, 3_000)
    store = Store.open(path, clock=lambda: NOW)
    try:
        dates = _dates(store.db)
        assert _assert_equal_on_every_date(store.db, sorted({*dates[::15], *dates[-3:]})) > 50
    finally:
        store.close()


def test_the_walk_follows_the_rules_at_their_edges(shipped):
    """Entries in and out of a role, a company, a date given to the year and one to the
    day (the same padded date: the later in the store wins), a treaty whose enforcement
    stops being binding and whose lifecycle falls back to the older field."""
    db = shipped.db
    treaty = db.execute("SELECT id FROM indicators WHERE kind = 'treaty' AND retired_at IS "
                        "NULL ORDER BY position").fetchone()[0]
    mechanism = db.execute("SELECT id FROM indicators WHERE category_id = 'mechanisms' AND "
                           "retired_at IS NULL AND id != ? ORDER BY position", [treaty]
                           ).fetchone()[0]
    with shipped.transaction():
        db["parties"].insert({"code": "ACME", "name": "Acme", "kind": "company"},
                             ignore=True)
        for mech, party, role, date in [
            (mechanism, "USA", "member", "2030"), (mechanism, "CHN", "member", "2030-01-01"),
            (mechanism, "CHN", "withdrawn", "2030"), (mechanism, "ACME", "member", "2030-02"),
            (treaty, "ACME", "ratified", "2030-03"), (treaty, "NZL", "signed", "2030-03-02"),
            (treaty, "NZL", "withdrawn", "2030-04"), (mechanism, "CHN", "member", "2030-05"),
        ]:
            db["memberships"].insert({"mechanism_id": mech, "party": party, "role": role,
                                      "date": date, "source": "https://example.org/l",
                                      "confidence": "medium", "origin": "manual"})
        for field, value, as_of in [("enforcement", "Voluntary", "2030-06"),
                                    ("enforcement", "Binding", "2030-07"),
                                    ("status", "In force", "2030-08")]:
            db["observations"].insert({
                "indicator_id": treaty, "field": field, "value": value, "as_of": as_of,
                "recorded_at": "2026-11-22T09:00:00Z", "origin": "manual",
                "source": "https://example.org/o", "confidence": "high"})
    dates = [d for d in _dates(db) if d >= "2029-12-01"]
    assert _assert_equal_on_every_date(db, dates) > 20


def test_the_charts_read_the_store_once_for_every_date(shipped, monkeypatch):
    """The headline charts no longer work each date out from scratch."""
    calls = []
    monkeypatch.setattr(headline, "values_at", lambda *a, **k: calls.append(a))
    charts = series.headline_charts(shipped.db, "2026-11-22")
    assert charts and not calls
