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
    out = {}
    for row in db.query(
        "SELECT f.category_id, f.field, f.label, s.kind, s.levels, s.better, s.synonyms "
        "FROM fields f JOIN scales s ON s.id = f.scale_id"
    ):
        synonyms = tuple(sorted(json.loads(row["synonyms"] or "{}").items()))
        scale = Scale(row["kind"], tuple(json.loads(row["levels"] or "[]")), row["better"],
                      synonyms)
        out[(row["category_id"], row["field"])] = (row["label"], scale)
    return out


PADDED = ("CASE length({0}) WHEN 4 THEN {0} || '-01-01' WHEN 7 THEN {0} || '-01' "
          "ELSE {0} END")
"""SQL for a partial date as its first day (the same rule as :func:`pad`)."""

_P = PADDED.format
CHANGES_SQL = f"""
WITH recent AS (
  SELECT indicator_id, field, as_of, value, source, confidence, origin, note, id, recorded_at
  FROM observations o
  WHERE o.as_of >= substr(:since, 1, 4) AND {_P("o.as_of")} >= :since
    AND {_P("o.as_of")} <= :until AND o.withdrawn_at IS NULL {{where}}
), pairs AS (
  SELECT DISTINCT indicator_id, field FROM recent
), before AS (
  SELECT o.indicator_id, o.field, o.as_of, o.value, o.source, o.confidence, o.origin, o.note,
         o.id, o.recorded_at
  FROM pairs p JOIN observations o ON o.id = (
    SELECT b.id FROM observations b
    WHERE b.indicator_id = p.indicator_id AND b.field = p.field AND {_P("b.as_of")} < :since
      AND b.withdrawn_at IS NULL
    ORDER BY b.as_of DESC, b.recorded_at DESC, b.id DESC LIMIT 1)
), effective AS (
  SELECT indicator_id, field, as_of, value, source, confidence, origin, note,
         max(recorded_at || printf('%012d', id)) AS latest
  FROM (SELECT * FROM recent UNION ALL SELECT * FROM before)
  GROUP BY indicator_id, field, as_of
), steps AS (
  SELECT e.*, LAG(value) OVER w AS old, LAG(as_of) OVER w AS old_as_of
  FROM effective e WINDOW w AS (PARTITION BY indicator_id, field ORDER BY as_of)
)
SELECT s.indicator_id, s.field, s.old, s.value, s.old_as_of, s.as_of, s.source,
       s.confidence, s.origin, s.note, i.name, i.category_id
FROM steps s JOIN indicators i ON i.id = s.indicator_id
WHERE i.retired_at IS NULL AND s.old IS NOT NULL AND s.old != s.value
  AND {_P("s.as_of")} >= :since
"""
"""Every step from one value to another within a window: the observations dated in it,
plus the last one before it for each field, reduced to the latest claim per date and
compared with the one before. Only the window's rows are read, by index."""


def changes(db: Database, since: str | None = None, until: str | None = None,
            ids: list[str] | None = None, limit: int | None = None) -> list[Change]:
    """Every change with ``since <= as_of <= until`` (padded dates), newest first.

    The work is one SQL query with window functions; Python only adds directions and flips.
    With ``limit``, only the newest changes are returned and flips are not looked for.
    """
    scales = _scales(db)
    params: dict = {"since": since or "", "until": until or "9999"}
    where = ""
    if ids is not None:
        marks = ", ".join(f":id{i}" for i in range(len(ids)))
        where = f"AND o.indicator_id IN ({marks})"
        params.update({f"id{i}": v for i, v in enumerate(ids)})
    sql = CHANGES_SQL.format(where=where)
    if limit is not None:
        sql += f" ORDER BY {_P('s.as_of')} DESC, i.category_id DESC, s.indicator_id DESC, " \
               "s.field DESC LIMIT :limit"
        params["limit"] = limit
    rows = db.execute(sql, params).fetchall()
    moves: dict[tuple[str, str], set[str]] = {}
    steps = []
    for ind, field, old, new, old_as_of, as_of, source, conf, origin, note, name, cat in rows:
        label, scale = scales.get((cat, field), (field, _TEXT))
        if same_level(scale, old, new):
            continue  # the page's word and the level it names: not a change
        move = direction(scale, old, new)
        moves.setdefault((ind, field), set()).add(move)
        steps.append((ind, name, cat, field, label, old, new, old_as_of, as_of, move, source,
                      conf, origin, note))
    flipped = {k for k, v in moves.items() if BETTER in v and WORSE in v} \
        if limit is None else set()
    found = [Change(*step, (step[0], step[3]) in flipped) for step in steps]
    found.sort(key=lambda c: (pad(c.as_of), c.category, c.indicator_id, c.field), reverse=True)
    return found


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
