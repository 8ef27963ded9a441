"""The change engine (per-field range seeks, early-stopping walks) gives exactly what the
earlier one-statement query gave: the same changes in the same order, and `tracker trends`
prints the same bytes, on the shipped catalog and on a generated store with partial dates,
several claims per date, withdrawn values and retired indicators."""

from __future__ import annotations

import io
import random

import pytest

import reference_changes as reference
from tracker import newest, trends
from tracker.catalog import load_catalog, shipped_catalog_path
from tracker.cli_snapshots import print_trends
from tracker.ledger_changes import window_changes
from tracker.store import Store
from tracker.sync import sync

from conftest import DATA, FROZEN

WINDOWS = ["all", "1y", "3y", "30d", "2024", "2025-06", "2026-11-22", "2030"]


def _generated(tmp_path, seed: int) -> Store:
    """The small catalog plus random history: dates of every precision, ties, withdrawals."""
    store = Store.open(tmp_path / f"gen-{seed}.db", clock=lambda: FROZEN)
    sync(store, load_catalog(DATA / "catalog-small.yaml"))
    rng = random.Random(seed)
    pairs = store.db.execute(
        "SELECT i.id, f.field, s.kind, s.levels FROM indicators i JOIN fields f "
        "ON f.category_id = i.category_id JOIN scales s ON s.id = f.scale_id").fetchall()
    rows = []
    for ind, field, kind, levels in pairs + [(pairs[0][0], "gone", "text", "[]")]:
        import json

        words = json.loads(levels or "[]") or ["a", "b", "c"]
        for _ in range(rng.randrange(0, 25)):
            year, month, day = rng.choice([2023, 2024, 2025, 2026]), rng.randrange(1, 13), \
                rng.randrange(1, 29)
            as_of = rng.choice([f"{year}", f"{year}-{month:02d}",
                                f"{year}-{month:02d}-{day:02d}", f"{year}-01-01", f"{year}-06"])
            value = str(rng.randrange(4)) if kind == "numeric" else rng.choice(words)
            rows.append((ind, field, value, as_of, f"2026-0{rng.randrange(1, 9)}-01T00:00:00Z",
                         rng.choice(["x", None]),
                         "2026-10-01T00:00:00Z" if rng.random() < 0.1 else None))
    store.db.conn.executemany(
        "INSERT INTO observations (indicator_id, field, value, as_of, recorded_at, origin, "
        "source, confidence, note, withdrawn_at) VALUES (?, ?, ?, ?, ?, 'manual', "
        "'https://example.org', 'medium', ?, ?)", rows)
    retired = pairs[-1][0]
    store.db.execute("UPDATE indicators SET retired_at = '2026-01-01' WHERE id = ?", [retired])
    store.db.conn.commit()
    return store


@pytest.fixture(params=["shipped", 1, 2, 3])
def any_store(request, tmp_path):
    if request.param == "shipped":
        s = Store.open(tmp_path / "shipped.db", clock=lambda: FROZEN)
        sync(s, load_catalog(shipped_catalog_path()))
    else:
        s = _generated(tmp_path, request.param)
    yield s
    s.close()


@pytest.mark.parametrize("window", WINDOWS)
def test_changes_equal_the_reference(any_store, window):
    start = trends.window_start(window, FROZEN.date())
    ours = trends.changes(any_store.db, start)
    assert ours == reference.changes(any_store.db, start)
    if window == "all":
        assert ours, "the store has changes to compare"


@pytest.mark.parametrize("window", ["all", "1y", "2025"])
@pytest.mark.parametrize("limit", [1, 5, 12])
def test_newest_changes_are_the_head_of_the_full_list(any_store, window, limit):
    start = trends.window_start(window, FROZEN.date())
    full = [c._replace(flip=False) for c in trends.changes(any_store.db, start)]
    assert newest.newest_changes(any_store.db, limit, start) == full[:limit]


@pytest.mark.parametrize("window", ["all", "1y", "2025"])
def test_latest_moves_are_each_fields_latest_change(any_store, window):
    start = trends.window_start(window, FROZEN.date())
    expected = {}
    for c in sorted(reference.changes(any_store.db, start), key=lambda c: trends.pad(c.as_of)):
        expected[(c.indicator_id, c.field)] = c.direction
    assert newest.latest_moves(any_store.db, start) == expected


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
@pytest.mark.parametrize("window", ["all", "1y", "2024"])
def test_trends_output_is_byte_identical(any_store, monkeypatch, fmt, window):
    out = io.StringIO()
    print_trends(any_store, out, window, fmt, due=True)
    monkeypatch.setattr(trends, "changes", reference.changes)
    before = io.StringIO()
    print_trends(any_store, before, window, fmt, due=True)
    assert out.getvalue() == before.getvalue()
    assert window_changes is not None


@pytest.mark.parametrize("sql,params", [
    (trends._FIRST_FIELD, 2), (trends._BEFORE, 3), (trends._RANGE, 4), (newest._DOWN, 3),
    (newest._NEWEST, 2)])
def test_change_queries_seek_an_index_in_its_order(store, sql, params):
    """Every read of the engine is a range seek SQLite bounds by the index (no scan, no
    CASE on padded dates) and returns rows in index order (no temporary sort)."""
    plan = " ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, ["x"] * params))
    assert plan.startswith("SEARCH observations USING")
    assert "INDEX" in plan and "TEMP B-TREE" not in plan and "SCAN" not in plan
