"""The timeline: past and coming events, filtered by dates and kind (headless)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from typing import TYPE_CHECKING

from tracker.dates import start_of

if TYPE_CHECKING:
    from sqlite_utils import Database

COLUMNS = ("date", "end_date", "status", "when", "kind", "title", "indicators", "source",
           "confidence", "note", "id")
"""The fields of an event as `tracker events --format json|csv` writes them."""


def end_of(text: str) -> dt.date:
    """The last day a partial date covers: 2027 -> 2027-12-31, 2026-07 -> 2026-07-31."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(*parts)


def when(event: dict[str, Any], today: dt.date) -> str:
    """How far an event is from ``today``: "in 10 days", "3 days ago", "ongoing", "in 2027"."""
    date, last = event["date"], event.get("end_date") or event["date"]
    start, end = start_of(date), end_of(last)
    if start <= today <= end:
        return "today" if start == end else "ongoing"
    if end < today:
        days = (today - end).days
        return f"{days} day{'s' if days != 1 else ''} ago"
    if len(date) == 4:
        return f"in {date}"
    if len(date) == 7:
        months = (start.year - today.year) * 12 + start.month - today.month
        return f"in about {months} month{'s' if months != 1 else ''}"
    days = (start - today).days
    return f"in {days} day{'s' if days != 1 else ''}"


def kinds(db: Database) -> list[str]:
    """The kinds of the live events, sorted."""
    return [r[0] for r in db.execute("SELECT DISTINCT kind FROM events WHERE retired_at IS "
                                     "NULL AND kind IS NOT NULL ORDER BY kind")]


def listing(db: Database, today: dt.date, start: str | None = None, until: str | None = None,
            kind: str | None = None) -> list[dict[str, Any]]:
    """Live events by date whose span meets [start, until] (partial dates, both optional),
    each with its ``status`` (past, coming, ongoing), ``when`` and linked ``indicators``."""
    links: dict[str, list[str]] = {}
    for event_id, indicator_id in db.execute(
            "SELECT event_id, indicator_id FROM event_links ORDER BY indicator_id"):
        links.setdefault(event_id, []).append(indicator_id)
    low = start_of(start) if start else dt.date.min
    high = end_of(until) if until else dt.date.max
    out = []
    for e in db.query("SELECT * FROM events WHERE retired_at IS NULL ORDER BY date, id"):
        first, last = start_of(e["date"]), end_of(e["end_date"] or e["date"])
        if last < low or first > high or kind not in (None, e["kind"]):
            continue
        status = "past" if last < today else "coming" if first > today else "ongoing"
        out.append({**{k: e.get(k) for k in COLUMNS if k in e}, "status": status,
                    "when": when(e, today), "indicators": links.get(e["id"], [])})
    return [{k: row.get(k) for k in COLUMNS} for row in out]
