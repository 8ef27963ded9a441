"""The benchmark floors print what the product prints (the suite checks this before timing;
here it is checked on a small generated store, so a change to an output shows up in the
test run, not first in a benchmark)."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import floors  # noqa: E402
from generate import build  # noqa: E402

from tracker import export, reports  # noqa: E402
from tracker.cli_snapshots import print_trends  # noqa: E402
from tracker.store import Store  # noqa: E402

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    db, _ = build(tmp_path_factory.mktemp("bench"), 6_000)
    store = Store.open(db, clock=lambda: NOW)
    yield store, sqlite3.connect(db)
    store.close()


@pytest.mark.parametrize("window,since", [("1y", "2025-11-22"), ("all", ""),
                                          ("2024-03", "2024-03-01")])
def test_trends_floor_is_the_products_changes_table(generated, window, since):
    store, conn = generated
    out = io.StringIO()
    print_trends(store, out, window, "table")
    floor = floors.trends_table(conn, since)
    assert floor.count("\n") > 20
    assert floor in out.getvalue()


def test_history_floor_equals_the_product(generated):
    store, conn = generated
    out = io.StringIO()
    reports.history(store.db, out, "ind-0100", None, "table")
    assert out.getvalue() == floors.history_table(conn, "ind-0100")


def test_export_floor_is_the_products_what_changed_table(generated):
    store, conn = generated
    text = export.build(store, "md").text
    latest = conn.execute("SELECT max(as_of) FROM current_values").fetchone()[0]
    start = f"{int(latest[:4]) - 1}{latest[4:10]}"
    assert floors.export_changes(conn, start) in text


def test_list_floor_equals_tracker_list(run):
    result = run("list")
    assert result.exit_code == 0
    conn = sqlite3.connect(run.db)
    assert floors.list_text(conn) == result.output


@pytest.mark.parametrize("window,since", [("1y", "2025-11-22"), ("all", ""),
                                          ("2024-03", "2024-03-01")])
def test_streaming_trends_floors_print_the_products_changes(generated, window, since):
    """The floors that spool their changes (the memory figures' floors) print the changes
    table, and the JSON list of changes, as the product does."""
    store, conn = generated
    table, floor = io.StringIO(), io.StringIO()
    print_trends(store, table, window, "table")
    floors.trends_stream(conn, since, floor)
    assert floor.getvalue() == floors.trends_table(conn, since)
    assert floor.getvalue() in table.getvalue()
    as_json, floor = io.StringIO(), io.StringIO()
    print_trends(store, as_json, window, "json")
    floors.trends_json(conn, since, floor)
    assert floor.getvalue().count("indicator_id") > 20
    assert floor.getvalue() in as_json.getvalue()


@pytest.mark.parametrize("since, limit", [("2025-11-22", 200), ("2025-11-22", 12),
                                          ("2024-03-01", 50), ("", 200)])
def test_overview_floor_shows_the_overviews_latest_changes(generated, since, limit):
    """The dashboard's same-answer floor lists the rows the Overview's latest-changes
    table shows (its direction as the screen words it)."""
    from screens.cells import trend
    from tracker.ledger_changes import window_changes

    _, conn = generated
    shown = [[c.as_of, c.name, c.label, c.new, trend(c.direction, c.flip).plain]
             for c in window_changes(conn, since or None, limit=limit)]
    assert len(shown) == limit
    assert floors.overview_rows(conn, since, limit) == shown


@pytest.mark.parametrize("window,since", [("1y", "2025-11-22"), ("all", "")])
async def test_table_floor_shows_the_tables_screens_first_table(tmp_path_factory, tmp_path,
                                                                window, since):
    """The screen switch's same-answer floor: the Tables screen's category list and first
    table, each value with the arrow of its latest move in the window."""
    import table_floor
    from paint import shown_tables

    from screens.app import TrackerApp

    db, _ = build(tmp_path_factory.mktemp("dense"), 40_000)  # ~7 values per field
    conn = sqlite3.connect(db)
    app = TrackerApp(Store.open(db, clock=lambda: NOW), lambda: None,
                     clock=lambda: NOW, watch_seconds=0, log_path=tmp_path / "log")
    async with app.run_test(size=(120, 40)) as pilot:
        app.window = window
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = shown_tables(app.screen)
    rows = table_floor.first_table(conn, since)
    assert len(rows) > 20 and any("▲" in c or "▼" in c for r in rows for c in r)
    assert shown == {"categories": [t for _, t in table_floor.categories(conn)], "rows": rows}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """A store of the shipped catalog: mechanisms with criteria, ledgers and events."""
    from tracker.catalog import load_catalog
    from tracker.paths import shipped_catalog_path
    from tracker.sync import sync

    store = Store.open(tmp_path_factory.mktemp("shipped") / "s.db", clock=lambda: NOW)
    sync(store, load_catalog(shipped_catalog_path()))
    yield store
    store.close()


def test_show_floor_equals_tracker_show_for_every_indicator(shipped, run):
    """`tracker show` piped, for every indicator of the shipped catalog (criteria, ledger
    summary, events) and of the test catalog with a value another reporter disputes."""
    import show_floor

    assert run("set", "pace-mismatch", "severity", "High", "--as-of", "2025-06", "--source",
               "https://example.org/other", "--confidence", "low").exit_code == 0
    tested = Store.open(run.db, clock=lambda: NOW)
    for store, least in ((shipped, 100), (tested, 3)):
        conn = sqlite3.connect(store.path)
        ids = [i for (i,) in conn.execute("SELECT id FROM indicators")]
        assert len(ids) >= least
        for ind in ids:
            out = io.StringIO()
            reports.show(store.reader, out, ind, "table")
            assert show_floor.show_text(conn, ind) == out.getvalue(), ind
    out = io.StringIO()
    reports.show(tested.reader, out, "pace-mismatch", "table")
    assert "(also reported: " in out.getvalue()
    tested.close()
