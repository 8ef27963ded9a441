"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) as the catalog and the store write them."""

from __future__ import annotations

import datetime as dt
import os
import re

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)

ALLOWED = "YYYY, YYYY-MM or YYYY-MM-DD"


def parse_partial(text: str) -> str:
    """Check that ``text`` is a real partial date and return it unchanged.

    Raises:
        ValueError: with a message naming the allowed forms.
    """
    match = _PARTIAL.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"{text!r} is not a date (allowed: {ALLOWED})")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"{text!r} is not a real date (allowed: {ALLOWED})") from None
    return text


def not_after(text: str, today: dt.date) -> str:
    """Check that the partial date ``text`` does not start after ``today``; return it.

    Raises:
        ValueError: it is in the future.
    """
    if start_of(text) > today:
        raise ValueError(f"{text!r} is after today ({today.isoformat()}); a value is dated "
                         "when it was true, never ahead")
    return text


def start_of(text: str) -> dt.date:
    """The first day a partial date covers."""
    parts = [int(p) for p in text.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(*parts)


def utcnow() -> dt.datetime:
    """The current time in UTC, or the instant in ``TRACKER_NOW`` when it is set.

    ``TRACKER_NOW`` (an ISO 8601 timestamp) makes runs reproducible: tests and
    re-runnable exports set it instead of patching the clock.

    Raises:
        TrackerError: ``TRACKER_NOW`` is set but is not a real timestamp.
    """
    fixed = os.environ.get("TRACKER_NOW")
    if fixed:
        try:
            value = dt.datetime.fromisoformat(fixed.strip())
        except ValueError:
            from tracker.errors import TrackerError

            raise TrackerError(f"TRACKER_NOW: {fixed!r} is not a real ISO 8601 timestamp "
                               "(allowed: e.g. 2026-06-15T12:00:00Z or 2026-06-15; or unset "
                               "it for the real clock)") from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def timestamp(moment: dt.datetime) -> str:
    """An ISO 8601 UTC timestamp with seconds, the form the store keeps."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def period_end(date: str) -> dt.date:
    """The last day a partial date covers: ``2027`` -> 2027-12-31, ``2026-11`` -> 2026-11-30."""
    year, month, day = (date.split("-") + [None, None])[:3]
    if day:
        return dt.date(int(year), int(month), int(day))
    if month:
        nxt = dt.date(int(year) + int(month) // 12, int(month) % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(int(year), 12, 31)


def is_coming(event: dict, today: dt.date) -> bool:
    """Whether an event is still to come on ``today``: its period (``end_date`` or ``date``,
    a partial date counting until its period ends) has not passed, and no outcome is
    recorded. An event with an outcome, even ``outcome not recorded``, is never coming."""
    if event.get("outcome"):
        return False
    return period_end(event.get("end_date") or event["date"]) >= today
