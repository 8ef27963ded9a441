"""Changes found by walking back from the newest observations, stopping as soon as the
answer is known: what the dashboard shows costs the rows it shows, not the store's size.

:func:`newest_changes` gives the newest N changes of a window (the Overview's list);
:func:`latest_moves` the direction of each field's latest change in a window (the Tables
arrows). Both agree with :func:`tracker.trends.changes` (same steps, same order) and read
the history index in index order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.trends import _TEXT, Change, _scales, direction, fields_of, pad, same_level

if TYPE_CHECKING:
    from sqlite_utils import Database

_NEWEST = ("SELECT indicator_id, field, as_of FROM observations WHERE as_of >= ? AND as_of <= ? "
           "AND withdrawn_at IS NULL ORDER BY as_of DESC")
"""Observations newest first, on the date index (no sort)."""
_DOWN = ("SELECT as_of, value, source, confidence, origin, note FROM observations "
         "WHERE indicator_id = ? AND field = ? AND as_of <= ? AND withdrawn_at IS NULL "
         "ORDER BY as_of DESC, recorded_at DESC, id DESC")
"""A field's observations up to a date, newest first, on the history index (no sort)."""


def claims_down(db: Database, indicator_id: str, field: str, as_of: str):
    """A field's value at each date up to ``as_of``, newest date first: each date's
    latest claim (as_of, value, source, confidence, origin, note)."""
    date = None
    for row in db.execute(_DOWN, [indicator_id, field, as_of]):
        if row[0] != date:
            date = row[0]
            yield row


def newest_changes(db: Database, limit: int, since: str | None = None,
                   until: str | None = None, ids: list[str] | None = None) -> list[Change]:
    """The newest ``limit`` changes with ``since <= as_of <= until`` (padded dates), in the
    order of :func:`tracker.trends.changes` (flips are not looked for).

    Walks the observations newest first; each new (field, date) costs one seek for the
    claim and the value before it. It stops once ``limit`` changes are found and the walk
    has left their date (ties on a date are ordered as the full list orders them).
    """
    since, until = since or "", until or "9999"
    scales = _scales(db)
    known = {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT id, name, category_id FROM indicators WHERE retired_at IS NULL")}
    wanted = None if ids is None else set(ids)
    seen: set[tuple[str, str, str]] = set()
    found: list[Change] = []
    cutoff = None
    for ind, field, as_of in db.execute(_NEWEST, [since[:4], until]):
        padded = pad(as_of)
        if padded < since or (cutoff is not None and padded < cutoff):
            break
        if padded > until or ind not in known or (wanted is not None and ind not in wanted) \
                or (ind, field, as_of) in seen:
            continue
        seen.add((ind, field, as_of))
        claims = claims_down(db, ind, field, as_of)
        claim, prev = next(claims, None), next(claims, None)
        if claim is None or prev is None or claim[0] != as_of or claim[1] == prev[1]:
            continue
        name, cat = known[ind]
        label, scale = scales.get((cat, field), (field, _TEXT))
        if same_level(scale, prev[1], claim[1]):
            continue
        found.append(Change(ind, name, cat, field, label, prev[1], claim[1], prev[0], as_of,
                            direction(scale, prev[1], claim[1]), *claim[2:]))
        if len(found) == limit:
            cutoff = padded
    found.reverse()  # oldest first, so ties on a padded date keep the full list's order
    found.sort(key=lambda c: (pad(c.as_of), c.category, c.indicator_id, c.field), reverse=True)
    return found[:limit]


def latest_moves(db: Database, since: str | None = None, until: str | None = None,
                 category: str | None = None) -> dict[tuple[str, str], str]:
    """Each field's latest change in the window, as its direction, by (indicator, field);
    only the indicators of ``category`` when one is given (a Tables screen's table).

    Per field, walks back from its value at ``until`` and stops at the first change or at
    the window's start: a handful of rows per field, whatever the store's size.
    """
    since, until = since or "", until or "9999"
    scales = _scales(db)
    moves = {}
    for ind, cat in db.execute("SELECT id, category_id FROM indicators "
                               "WHERE retired_at IS NULL AND category_id = coalesce(?, category_id) "
                               "ORDER BY id", [category]).fetchall():
        for field in fields_of(db, ind):
            scale = scales.get((cat, field), (field, _TEXT))[1]
            newer = None
            for claim in claims_down(db, ind, field, until):
                if newer is not None and newer[1] != claim[1] \
                        and not same_level(scale, claim[1], newer[1]):
                    moves[(ind, field)] = direction(scale, claim[1], newer[1])
                    break
                if pad(claim[0]) < since:
                    break
                newer = claim if pad(claim[0]) <= until else None
    return moves
