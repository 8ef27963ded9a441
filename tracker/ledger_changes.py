"""Membership changes: dated ledger entries (signed, ratified, withdrew, ...) as trend changes.

A party's role in a mechanism at a date is its latest ledger entry by date (then by the
order it was recorded); an entry dated in the window that gives the party a different role
than it had before is a change, like a field moving from one value to another. Several
entries for one party on one day are one step, to the last of them. Direction is for
participation: a party that signs, ratifies, endorses or becomes a member moves *better*;
one that withdraws or declines moves *worse*; an observer moves *neutral*. A party that moved
both ways in the window is a flip, as for fields.

:func:`window_changes` is what every list of changes shows (``tracker trends``, the exports,
the Trends and Overview screens): field changes and membership changes, newest first.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

from tracker import trends
from tracker.queries import IN_ROLES
from tracker.trends import BETTER, NEUTRAL, WORSE, Change, pad

if TYPE_CHECKING:
    from sqlite_utils import Database

FIELD = "membership"
"""The ``field`` of a membership change; its ``party`` and ``role`` say whose and which."""
OUT_ROLES = ("withdrew", "declined")


def role_direction(role: str) -> str:
    """Whether a party taking ``role`` is better, worse or neutral for participation."""
    if role in IN_ROLES:
        return BETTER
    if role in OUT_ROLES:
        return WORSE
    return NEUTRAL


_P = trends.PADDED.format
LEDGER_SQL = f"""
SELECT m.mechanism_id, m.party, m.role, m.date, m.source, m.confidence, m.origin, m.note,
       coalesce(p.name, m.party), i.name, i.category_id
FROM memberships m
JOIN indicators i ON i.id = m.mechanism_id
LEFT JOIN parties p ON p.code = m.party
WHERE i.retired_at IS NULL {{where}} AND (m.mechanism_id, m.party) IN (
  SELECT mechanism_id, party FROM memberships
  WHERE {_P("date")} >= :since AND {_P("date")} <= :until)
ORDER BY m.mechanism_id, m.party, {_P("m.date")}, m.id
"""
"""Every entry of the (mechanism, party) pairs that have one dated in the window: the
entries before the window give each step its starting role."""


def ledger_changes(db: Database, since: str | None = None, until: str | None = None,
                   ids: list[str] | None = None) -> list[Change]:
    """Membership changes dated ``since <= date <= until`` (padded dates), newest first."""
    found = list(ledger_steps(db, since, until, ids))
    found.sort(key=_order, reverse=True)
    return found


def ledger_steps(db: Database, since: str | None = None, until: str | None = None,
                 ids: list[str] | None = None):
    """The changes of :func:`ledger_changes`, one (mechanism, party) after another, each
    oldest first: a generator, for output that streams."""
    params: dict = {"since": since or "", "until": until or "9999"}
    where = ""
    if ids is not None:
        where = "AND m.mechanism_id IN (" + ", ".join(f":id{i}" for i in range(len(ids))) + ")"
        params.update({f"id{i}": v for i, v in enumerate(ids)})
    rows = db.execute(LEDGER_SQL.format(where=where), params)
    for _, entries in groupby(rows, key=lambda r: (r[0], r[1])):
        role, role_date, steps = "", "", []
        for date, same_day in groupby(entries, key=lambda r: pad(r[3])):
            last = list(same_day)[-1]
            if last[2] != role and date >= params["since"] and date <= params["until"]:
                steps.append((last, role, role_date))
            role, role_date = last[2], last[3]
        moves = {role_direction(e[2]) for e, _, _ in steps}
        flip = BETTER in moves and WORSE in moves
        for (mech, party, new, date, source, conf, origin, note, party_name, name, cat), \
                old, old_date in steps:
            yield Change(mech, name, cat, FIELD, f"{party_name} (membership)", old, new,
                         old_date, date, role_direction(new), source, conf,
                         origin or "catalog", note, flip, party=party, role=new)


def _order(c: Change) -> tuple:
    return (pad(c.as_of), c.category, c.indicator_id, c.field, c.party or "")


def window_changes(db: Database, since: str | None = None, until: str | None = None,
                   limit: int | None = None) -> list[Change]:
    """Every change in the window, of fields and of memberships, newest first.

    With ``limit``, only the newest ``limit`` changes (field flips are then not looked for).
    """
    from heapq import merge
    from itertools import islice

    # Both lists are newest first already: merging them keeps the order one sort of the
    # two would give (field changes before membership changes on equal keys).
    found = merge(trends.changes(db, since, until, limit=limit), ledger_changes(db, since, until),
                  key=_order, reverse=True)
    return list(found if limit is None else islice(found, limit))


def window_steps(db: Database, since: str | None = None, until: str | None = None):
    """The changes of :func:`window_changes` unordered (field changes, then membership
    changes, each as its generator gives them), for :mod:`tracker.change_spool` to order
    without holding them: sorted newest first, stably, they are :func:`window_changes`."""
    from itertools import chain

    return chain(trends.field_changes(db, since, until), ledger_steps(db, since, until))
