"""The change query as it was before per-field seeks: the reference the engine must equal.

One SQL statement over the window with window functions, kept verbatim so tests can check
that the faster engine gives the same changes in the same order on any store.
"""

from __future__ import annotations

from tracker.trends import (BETTER, WORSE, Change, _TEXT, _scales, direction, pad,
                            same_level)

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


