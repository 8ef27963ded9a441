"""The store as it stood at a date: what `--at DATE` and `trends --until DATE` read.

One rule, applied once to a private in-memory copy of the store, so that every reader
(list, show, members, trends, headline figures, exports, the dashboard's screens) sees the
same past without a query of its own:

* **Dated by then.** An observation counts when its ``as_of`` starts on or before the last
  day DATE covers (``2026-06`` covers June: a value dated ``2026-06-20`` counts), the same
  rule by which ``tracker set`` refuses a date after today. A ledger entry counts the same
  way by its date.
* **Known by then** (``--at`` only). A row counts when it was recorded by the end of that
  day, or by the store's first load of the catalog when DATE is earlier: before the store
  existed, the past it knows is the catalog it was first loaded with (every catalog value
  of a store made today is recorded today, and is dated by its ``as_of``; an event known
  only from that load, by its date). So later
  `set`, refresh, review and catalog updates are left out; a value withdrawn, an indicator
  or event retired after DATE is still current; an indicator, event or ledger entry added
  after DATE is absent; a proposal decided after DATE is still pending; runs started
  after DATE did not happen. Snapshots recorded on DATE's last day or later are left out,
  so an export at DATE says what changed since the last snapshot before that day, as an
  export made that day did.

What cannot be rebuilt: text the catalog edits in place (names, descriptions, event
outcomes, criteria, scales, group members, a ledger's completeness) and source health are
today's. ``trends --until`` without ``--at`` uses only the first rule: what was true by
then, by everything known now.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from tracker.dates import ALLOWED, parse_partial, period_end, start_of
from tracker.errors import TrackerError
from tracker.store import Store

__all__ = ["parse_at", "store_at"]

PADDED = ("CASE length({0}) WHEN 4 THEN {0} || '-01-01' WHEN 7 THEN {0} || '-01' "
          "ELSE {0} END")
"""SQL for a partial date as its first day, the rule of :func:`tracker.trends.pad` by
which every partial date is compared."""

BULK = 50_000
"""Rows to leave out beyond which the history's indexes are dropped and made again."""


def parse_at(text: str, today: dt.date, option: str = "--at") -> str:
    """Check a date given to ``--at`` (or ``--until``): a real partial date, not after today.

    Raises:
        TrackerError: one line naming the option, the value and what is allowed (exit 2).
    """
    text = text.strip()
    try:
        date = parse_partial(text)
    except ValueError as exc:
        raise TrackerError(f"{option}: {exc}") from None
    if start_of(date) > today:
        raise TrackerError(f"{option}: {text!r} is after today ({today.isoformat()}); "
                           f"allowed: {ALLOWED} up to today")
    return date


def _next_day(date: str) -> str:
    return (period_end(date) + dt.timedelta(days=1)).isoformat()


def store_at(store: Store, date: str, *, known: bool = True) -> Store:
    """A read-only store holding ``store`` as it stood at the end of ``date``.

    Args:
        date: a partial date already checked by :func:`parse_at`.
        known: also leave out what was recorded after ``date`` (``--at``); False keeps
            everything known now and only leaves out what is dated after it (``--until``).

    Its clock stands at the end of ``date`` (or now, if sooner), so "today" in windows,
    countdowns and review ages is that day. Its ``path`` is the real store's, so output
    paths are still checked against it; it cannot be written.
    """
    conn = sqlite3.connect(":memory:")
    store.conn.backup(conn)
    end = period_end(date).isoformat()
    nxt = _next_day(date)
    padded = PADDED.format
    run = conn.execute
    run("PRAGMA foreign_keys = OFF")
    run("BEGIN")
    # Leaving out many rows is faster without the history's indexes, made again afterwards
    # (half of a million observations: 4 s instead of 8); a few rows are left out in place.
    first = run("SELECT min(recorded_at) FROM observations WHERE origin = 'catalog'"
                ).fetchone()[0] or ""
    many = run("SELECT count(*) FROM observations WHERE as_of > ?", [end]).fetchone()[0]
    if known:
        many += run("SELECT count(*) FROM observations WHERE recorded_at >= ? "
                    "AND recorded_at > ?", [nxt, first]).fetchone()[0]
    indexes = run("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                  "AND tbl_name = 'observations' AND sql IS NOT NULL").fetchall() \
        if many > BULK else []
    for name, _ in indexes:
        run(f'DROP INDEX "{name}"')
    # The view's readers look up indicators by name, never values: the values' entries in
    # the search index are left as they are (the real store's index is untouched).
    for (name,) in run("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                       "AND tbl_name = 'observations' AND name LIKE 'search%'").fetchall():
        run(f'DROP TRIGGER "{name}"')
    # ``as_of > end`` follows from the padded test and lets the index find the rows.
    run(f"DELETE FROM observations WHERE as_of > :end AND {padded('as_of')} > :end",
        {"end": end})
    run(f"DELETE FROM memberships WHERE date > :end AND {padded('date')} > :end", {"end": end})
    if known:
        # A timestamp column is "later" when it is on or after the next day and after the
        # store's first load of the catalog.
        later = "({0} IS NOT NULL AND {0} >= :nxt AND {0} > :first)".format
        marks = {"nxt": nxt, "first": first}
        run(f"DELETE FROM observations WHERE {later('recorded_at')}", marks)
        run("UPDATE observations SET withdrawn_at = NULL, withdrawn_by = NULL, "
            f"withdrawn_note = NULL WHERE {later('withdrawn_at')}", marks)
        run(f"DELETE FROM memberships WHERE {later('recorded_at')}", marks)
        added = f"SELECT id FROM indicators WHERE {later('added_at')}"
        for table, column in (("observations", "indicator_id"), ("memberships", "mechanism_id"),
                              ("event_links", "indicator_id"), ("ledgers", "mechanism_id"),
                              ("criteria", "mechanism_id")):
            run(f"DELETE FROM {table} WHERE {column} IN ({added})", marks)
        run(f"DELETE FROM indicators WHERE {later('added_at')}", marks)
        run(f"UPDATE indicators SET retired_at = NULL WHERE {later('retired_at')}", marks)
        run("DELETE FROM event_links WHERE event_id IN "
            f"(SELECT id FROM events WHERE {later('recorded_at')})", marks)
        run(f"DELETE FROM events WHERE {later('recorded_at')}", marks)
        # An event the store knows only from its first load counts from its date (when it
        # was announced is not recorded): no later happening shows as coming.
        run("DELETE FROM event_links WHERE event_id IN (SELECT id FROM events WHERE "
            f"recorded_at >= :nxt AND {padded('date')} > :end)", {**marks, "end": end})
        run(f"DELETE FROM events WHERE recorded_at >= :nxt AND {padded('date')} > :end",
            {**marks, "end": end})
        run(f"UPDATE events SET retired_at = NULL WHERE {later('retired_at')}", marks)
        run(f"DELETE FROM proposals WHERE {later('created_at')}", marks)
        run("UPDATE proposals SET status = 'pending', decided_at = NULL, decided_by = NULL "
            f"WHERE {later('decided_at')}", marks)
        run("DELETE FROM runs WHERE started_at >= :nxt AND started_at > :first", marks)
        run("DELETE FROM snapshots WHERE created_at >= ?", [end])
    for _, sql in indexes:
        run(sql)
    run("COMMIT")
    run("PRAGMA query_only = ON")

    real = store.clock

    def clock() -> dt.datetime:
        then = dt.datetime.combine(period_end(date), dt.time(23, 59, 59), dt.timezone.utc)
        return min(then, real())

    return Store(conn, store.path, clock, read_only=True)
