"""Source health as people read it: ok, stale (older than its freshness), failing, never run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.store import Store
from tracker.trends import span_to_days


def state(row: dict[str, Any], today: dt.date) -> str:
    """``failing``, ``never run``, ``stale`` or ``ok`` for one source's health row."""
    if (row.get("consecutive_failures") or 0) > 0:
        return "failing"
    if not row.get("last_success"):
        return "never run"
    fresh = row.get("freshness")
    if fresh:
        age = (today - dt.date.fromisoformat(row["last_success"][:10])).days
        if age > span_to_days(fresh):
            return "stale"
    return "ok"


def health(store: Store) -> list[dict[str, Any]]:
    """Every live source with its health and its state."""
    today = store.clock().date()
    cursor = store.conn.execute(  # the connection itself: no sqlite-utils to import
        "SELECT s.id, s.kind, s.url, s.freshness, s.review, h.last_attempt, h.last_success, "
        "h.status, h.consecutive_failures, h.last_error, h.skipped, h.skipped_detail "
        "FROM sources s "
        "LEFT JOIN source_health h ON h.source_id = s.id WHERE s.retired_at IS NULL "
        "ORDER BY s.id")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor]
    for row in rows:
        row["state"] = state(row, today)
        if not row["last_error"] and row["skipped_detail"]:
            row["last_error"] = row["skipped_detail"]  # the values its last success skipped
    return rows
