"""Query plans that must not depend on the statistics a store happens to hold.

With the figures `ANALYZE` gives a store of five million observations, SQLite planned the
headline charts' dates as a walk of every observation by date (9 s instead of 5 ms). The
statistics below are that store's, planted into a small one.
"""

from __future__ import annotations

import sqlite3

from tracker import series
from tracker.store import Store
from tracker.sync import sync

LARGE_STORE_STATS = [
    ("observations", "idx_observations_history", "5000000 2500 842 2 2 1"),
    ("observations", "idx_observations_run_id", "5000000 5000000"),
    ("observations", "idx_observations_recorded_at", "5000000 2740"),
    ("observations", "idx_observations_as_of", "5000000 2740"),
    ("observations", "idx_observations_indicator_id_field_as_of", "5000000 2500 842 2"),
    ("indicators", "sqlite_autoindex_indicators_1", "2000 1"),
]


def _with_large_stats(tmp_path, catalog) -> sqlite3.Connection:
    path = tmp_path / "planned.db"
    store = Store.open(path)
    sync(store, catalog)
    store.conn.execute("ANALYZE")
    store.conn.execute("DELETE FROM sqlite_stat1")
    store.conn.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                           LARGE_STORE_STATS)
    store.conn.commit()
    store.close()
    return sqlite3.connect(path)  # the statistics are read when a connection opens


def _statements(conn: sqlite3.Connection, fn) -> list[str]:
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        fn()
    finally:
        conn.set_trace_callback(None)
    return [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def test_the_chart_dates_never_walk_every_observation(tmp_path, catalog):
    conn = _with_large_stats(tmp_path, catalog)
    statements = _statements(conn, lambda: series._change_dates(conn, None))
    assert statements
    for sql in statements:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        assert not any(step.startswith(("SCAN o", "SCAN observations")) for step in plan), \
            (sql, plan)


def test_no_read_walks_every_observation_under_large_store_statistics(tmp_path, catalog):
    """The Overview, trends, export, history and list, under the large store's figures:
    no statement walks the observations, except the `current_values` view, whose latest
    value per field reads the history index once (its plan materializes that subquery)."""
    import datetime as dt
    import io

    from tracker import export, headline, reports, trends
    from tracker.cli_snapshots import print_trends

    _with_large_stats(tmp_path, catalog).close()
    store = Store.open(tmp_path / "planned.db",
                       clock=lambda: dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc))
    conn = store.conn
    since = trends.window_start("1y", dt.date(2026, 11, 22))

    def reads():
        from screens.overview import window_changes

        shared = headline.Reads(conn)
        headline.figures(conn, since, shared)
        window_changes(conn, since, limit=12)
        series.headline_charts(conn, "2026-11-22", since, reads=shared)
        print_trends(store, io.StringIO(), "1y", "table")
        export.build(store, "md")
        reports.history(store.reader, io.StringIO(), "cets-225", None, "table")
        reports.list_rows(store.reader, io.StringIO(), "table")

    statements = set(_statements(conn, reads))
    assert len(statements) > 20
    for sql in statements:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        if "MATERIALIZE p" in plan:
            continue  # current_values
        assert not any(step.startswith(("SCAN o", "SCAN observations")) for step in plan), \
            (sql, plan)
    store.close()


def test_reading_some_indicators_current_values_seeks_only_theirs(tmp_path, catalog):
    """A table's rows (one category), its arrows and its mechanisms' fits read each
    indicator's values on the history index; the list of pairs the `current_values` view
    starts from is narrowed to those indicators, never built from every observation."""
    from screens.tables import read_table
    from tracker import queries

    _with_large_stats(tmp_path, catalog).close()
    store = Store.open(tmp_path / "planned.db")
    conn = store.conn
    reader = store.reader
    categories = [c["id"] for c in queries.categories(reader)]
    assert "mechanisms" in categories

    def reads():
        for category in categories:
            read_table(reader, category, "2025-11-22")
        queries.rows(reader, ids=["cets-225"])

    statements = set(_statements(conn, reads))
    views = [s for s in statements if "current_values" in s]
    assert len(views) >= 2, statements
    for sql in views:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        assert not any(step.startswith(("SCAN o", "SCAN observations", "SCAN latest"))
                       for step in plan), (sql, plan)
    store.close()
