"""What changed, for better or worse: changes over a window, flips, staleness.

A field's value at a date is its latest observation by ``as_of`` (then by when it was
recorded); a change is a step from one such value to a different one. Directions come from
the field's scale: ranked levels and numbers move *better* or *worse* (honouring scales
where lower is better), unranked levels and ``better: none`` scales move *neutral*, and free
text only *changed*.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import NamedTuple


from tracker.dates import parse_partial
from tracker.errors import TrackerError

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

BETTER, WORSE, NEUTRAL, CHANGED = "better", "worse", "neutral", "changed"
ARROWS = {BETTER: "▲", WORSE: "▼", NEUTRAL: "•", CHANGED: "~"}
"""One glyph per direction, for tables and exports."""

_SPAN = re.compile(r"^(\d+)([dwmy])$")
WINDOW_HELP = "a date (YYYY, YYYY-MM, YYYY-MM-DD), Nd, Nw, Nm or Ny (e.g. 30d, 1y), or all"


def window_start(since: str, today: dt.date) -> str | None:
    """The first day of a window as YYYY-MM-DD, or None for ``all``.

    Raises:
        TrackerError: ``since`` is neither a span, a date nor ``all``.
    """
    since = since.strip().lower()
    if since == "all":
        return None
    match = _SPAN.match(since)
    if match:
        from dateutil.relativedelta import relativedelta

        n, unit = int(match.group(1)), match.group(2)
        step = {"d": "days", "w": "weeks", "m": "months", "y": "years"}[unit]
        try:  # calendar arithmetic: 1y before 2026-11-30 is 2025-11-30, 1m before 03-31 is 02-28
            return (today - relativedelta(**{step: n})).isoformat()
        except (ValueError, OverflowError):
            raise TrackerError(f"--since: {since!r} reaches back before the year 1 "
                               f"(allowed: {WINDOW_HELP})") from None
    try:
        return pad(parse_partial(since))
    except ValueError:
        raise TrackerError(f"--since: {since!r} is not a window (allowed: {WINDOW_HELP})") \
            from None


def pad(date: str) -> str:
    """A partial date as its first day, YYYY-MM-DD, so dates of any precision compare."""
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]


def span_to_days(span: str) -> int:
    """``180d`` -> 180, ``6m`` -> 180, ``1y`` -> 365, ``2w`` -> 14."""
    n, unit = int(span[:-1]), span[-1]
    return n * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]


@dataclass(frozen=True)
class Scale:
    """What a direction needs to know about a field's scale."""

    kind: str
    levels: tuple[str, ...]
    better: str
    synonyms: tuple[tuple[str, str], ...] = ()
    """The page's own words for levels, as (word, level) pairs."""

    def level(self, value: str) -> str:
        """The level ``value`` names: itself, or the level a synonym stands for."""
        return dict(self.synonyms).get(value, value)


def same_level(scale: Scale, old: str, new: str) -> bool:
    """Whether two ordinal values name the same level (a synonym and its level)."""
    return scale.kind == "ordinal" and scale.level(old) == scale.level(new)


def direction(scale: Scale, old: str, new: str) -> str:
    """Whether going from ``old`` to ``new`` is better, worse, neutral or just changed."""
    if scale.kind == "text":
        return CHANGED
    if scale.better == "none":
        return NEUTRAL
    old, new = scale.level(old), scale.level(new)
    if scale.kind == "numeric":
        try:
            a, b = float(old), float(new)
        except ValueError:
            return CHANGED
        up = b > a
    else:
        if old not in scale.levels or new not in scale.levels:
            return NEUTRAL
        up = scale.levels.index(new) > scale.levels.index(old)
    return BETTER if up == (scale.better == "higher") else WORSE


class Change(NamedTuple):
    """One field moving from one value to another."""

    indicator_id: str
    name: str
    category: str
    field: str
    label: str
    old: str
    new: str
    old_as_of: str
    as_of: str
    direction: str
    source: str
    confidence: str
    origin: str
    note: str | None
    flip: bool = False
    """The field moved both better and worse within the window."""
    party: str | None = None
    """For a membership change (field ``membership``, see tracker.ledger_changes): whose."""
    role: str | None = None
    """For a membership change: the role the party took (the same as ``new``)."""

    def as_dict(self) -> dict:
        """A JSON-ready dict."""
        return self._asdict()


_TEXT = Scale("text", (), "none")


def _scales(db: Database) -> dict[tuple[str, str], tuple[str, Scale]]:
    # execute, not query: a plain sqlite3 connection does too (the dashboard's Overview).
    out = {}
    for category, field, label, kind, levels, better, synonyms in db.execute(
        "SELECT f.category_id, f.field, f.label, s.kind, s.levels, s.better, s.synonyms "
        "FROM fields f JOIN scales s ON s.id = f.scale_id"
    ):
        synonyms = tuple(sorted(json.loads(synonyms or "{}").items()))
        scale = Scale(kind, tuple(json.loads(levels or "[]")), better, synonyms)
        out[(category, field)] = (label, scale)
    return out


PADDED = ("CASE length({0}) WHEN 4 THEN {0} || '-01-01' WHEN 7 THEN {0} || '-01' "
          "ELSE {0} END")
"""SQL for a partial date as its first day (the same rule as :func:`pad`)."""

_FIRST_FIELD = ("SELECT field FROM observations WHERE indicator_id = ? AND field > ? "
                "ORDER BY field LIMIT 1")
"""The next field an indicator has observations of: one seek on the history index."""
_BEFORE = ("SELECT as_of FROM observations WHERE indicator_id = ? AND field = ? AND as_of < ? "
           "AND withdrawn_at IS NULL ORDER BY as_of DESC, recorded_at DESC, id DESC")
"""A field's observations before a date, newest first (index order, no sort)."""
_RANGE = ("SELECT as_of, value, source, confidence, origin, note FROM observations "
          "WHERE indicator_id = ? AND field = ? AND as_of >= ? AND as_of <= ? "
          "AND withdrawn_at IS NULL ORDER BY as_of, recorded_at, id")
"""A field's observations from a date to another, in index order (no sort)."""


def fields_of(db: Database, indicator_id: str):
    """The fields an indicator has observations of, by skipping along the history index."""
    field = ""
    while True:
        row = db.conn.execute(_FIRST_FIELD, [indicator_id, field]).fetchone()
        if row is None:
            return
        field = row[0]
        yield field


def field_steps(db: Database, indicator_id: str, field: str, since: str, until: str):
    """A field's steps dated ``since <= as_of <= until`` (padded dates), oldest first, as
    (old, old_as_of, row) with row the new value's (as_of, value, source, confidence, origin,
    note): the field's value at a date is its latest claim for that date.

    Reads only the field's range of the history index, from the last value before the
    window. Raw dates bound the range (``as_of < since`` holds for every date whose padded
    form does, and ``as_of <= until`` for every one whose padded form is within); the
    padded comparison then decides on the few rows at the edges.
    """
    start = ""
    if since:
        for (as_of,) in db.conn.execute(_BEFORE, [indicator_id, field, since]):
            if pad(as_of) < since:
                start = as_of
                break
    steps = []
    prev = last = None
    for row in db.conn.execute(_RANGE, [indicator_id, field, start, until]):
        if last is not None and row[0] != last[0]:
            prev = _step(steps, prev, last, since, until)
        last = row
    if last is not None:
        _step(steps, prev, last, since, until)
    return steps


def _step(steps: list, prev, claim, since: str, until: str):
    """Record ``claim`` (a date's latest) as a step from ``prev`` if it is one; return the
    value a later date steps from."""
    padded = pad(claim[0])
    if since and padded < since:
        return claim  # the value before the window: where its first step starts
    if padded > until:
        return prev
    if prev is not None and prev[1] != claim[1]:
        steps.append((prev[1], prev[0], claim))
    return claim


def changes(db: Database, since: str | None = None, until: str | None = None,
            ids: list[str] | None = None, limit: int | None = None) -> list[Change]:
    """Every change with ``since <= as_of <= until`` (padded dates), newest first.

    Each field is read by a range seek on the history index from its last value before the
    window (see :func:`field_steps`); the cost follows the window, not the store. With
    ``limit``, only the newest changes, found by walking back from the newest observations
    (see :func:`newest_changes`), and flips are not looked for.
    """
    if limit is not None:
        from tracker.newest import newest_changes

        return newest_changes(db, limit, since, until, ids)
    found = list(field_changes(db, since, until, ids))
    found.sort(key=lambda c: (pad(c.as_of), c.category, c.indicator_id, c.field), reverse=True)
    return found


def field_changes(db: Database, since: str | None = None, until: str | None = None,
                  ids: list[str] | None = None):
    """The changes of :func:`changes`, one field after another (by indicator id, then
    field), each field's oldest first: a generator that holds one field's steps at a time
    (a field's flip is known once its window is read), for output that streams."""
    scales = _scales(db)
    since, until = since or "", until or "9999"
    for ind, name, cat in _indicators(db, ids):
        for field in fields_of(db, ind):
            steps = field_steps(db, ind, field, since, until)
            if not steps:
                continue
            label, scale = scales.get((cat, field), (field, _TEXT))
            moves, kept = set(), []
            for old, old_as_of, (as_of, new, source, conf, origin, note) in steps:
                if same_level(scale, old, new):
                    continue  # the page's word and the level it names: not a change
                move = direction(scale, old, new)
                moves.add(move)
                kept.append((ind, name, cat, field, label, old, new, old_as_of, as_of, move,
                             source, conf, origin, note))
            flip = BETTER in moves and WORSE in moves
            for step in kept:
                yield Change(*step, flip)


def _indicators(db: Database, ids: list[str] | None) -> list[tuple[str, str, str]]:
    sql = "SELECT id, name, category_id FROM indicators WHERE retired_at IS NULL"
    if ids is not None:
        sql += " AND id IN (" + ", ".join("?" * len(ids)) + ")"
    return db.execute(sql + " ORDER BY id", ids or []).fetchall()


def value_at(db: Database, indicator_id: str, field: str, date: str | None) -> str | None:
    """A field's value as it stood on ``date`` (padded), or now when ``date`` is None."""
    rows = db.execute(
        "SELECT value, as_of FROM observations WHERE indicator_id = ? AND field = ? "
        "AND withdrawn_at IS NULL ORDER BY as_of, recorded_at, id", [indicator_id, field]).fetchall()
    value = None
    for v, as_of in rows:
        if date is None or pad(as_of) <= date:
            value = v
    return value


@dataclass(frozen=True)
class Due:
    """A current value older than its field's freshness."""

    indicator_id: str
    name: str
    field: str
    label: str
    value: str
    as_of: str
    freshness: str
    age_days: int


def review_due(db: Database, today: dt.date) -> list[Due]:
    """Current values older than the freshness declared for their field, oldest first."""
    out = []
    for r in db.query(
        "SELECT c.indicator_id, i.name, c.field, f.label, c.value, c.as_of, f.freshness "
        "FROM current_values c JOIN indicators i ON i.id = c.indicator_id "
        "JOIN fields f ON f.category_id = i.category_id AND f.field = c.field "
        "WHERE f.freshness IS NOT NULL AND i.retired_at IS NULL"
    ):
        age = (today - dt.date.fromisoformat(pad(r["as_of"]))).days
        if age > span_to_days(r["freshness"]):
            out.append(Due(r["indicator_id"], r["name"], r["field"], r["label"], r["value"],
                           r["as_of"], r["freshness"], age))
    out.sort(key=lambda d: (d.as_of, d.indicator_id, d.field))
    return out
