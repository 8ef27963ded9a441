"""Reads over the store that the command line, the exports and the screens share."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database



class Current(NamedTuple):
    """The current value of one field, with its provenance. (Named tuples here, not
    dataclasses: the short commands read these, and loading the dataclasses machinery
    costs more than their work.)"""

    value: str
    as_of: str
    source: str
    confidence: str
    origin: str
    note: str | None
    disputed_by: list[str]
    """Other values recorded for the same date by other sources."""


class Row(NamedTuple):
    """An indicator with its current values."""

    id: str
    category: str
    name: str
    description: str | None
    tier: int | None
    table_no: int | None
    kind: str | None
    retired_at: str | None
    values: dict[str, Current]

    @property
    def as_of(self) -> str:
        """The latest as-of date among the row's values."""
        return max((c.as_of for c in self.values.values()), default="")


def categories(db: Database, dropped: bool = False) -> list[dict[str, Any]]:
    """The catalog's categories in its order, each with its ordered fields and their scales;
    with ``dropped`` also those it no longer lists (no position: a retired indicator's)."""
    cats = [dict(r) for r in db.query(
        "SELECT * FROM categories" + ("" if dropped else " WHERE position IS NOT NULL")
        + " ORDER BY position")]
    fields = db.query(
        "SELECT f.*, s.kind AS scale_kind, s.levels, s.unranked, s.better, s.unit, s.synonyms "
        "FROM fields f JOIN scales s ON s.id = f.scale_id ORDER BY f.category_id, f.position"
    )
    by_cat: dict[str, list[dict[str, Any]]] = {}
    for f in fields:
        f["levels"] = json.loads(f["levels"] or "[]")
        f["unranked"] = json.loads(f["unranked"] or "[]")
        f["synonyms"] = json.loads(f["synonyms"] or "{}")
        by_cat.setdefault(f["category_id"], []).append(f)
    for cat in cats:
        cat["fields"] = by_cat.get(cat["id"], [])
    return cats


_REPORTER = "{t}.origin || ':' || coalesce({t}.author, {t}.source)"
"""Who gave an observation: a fetcher's source id, an analyst, or a catalog source URL."""

ALSO_REPORTED = f"""
SELECT o.indicator_id, o.field, o.value FROM observations o
JOIN current_values c
  ON c.indicator_id = o.indicator_id AND c.field = o.field AND c.as_of = o.as_of
WHERE o.value != c.value AND c.indicator_id IN ({{marks}}) AND o.withdrawn_at IS NULL
  AND {_REPORTER.format(t="o")} != {_REPORTER.format(t="c")}
  AND NOT EXISTS (
    SELECT 1 FROM observations n
    WHERE n.indicator_id = o.indicator_id AND n.field = o.field AND n.as_of = o.as_of
      AND {_REPORTER.format(t="n")} = {_REPORTER.format(t="o")} AND n.withdrawn_at IS NULL
      AND (n.recorded_at > o.recorded_at OR (n.recorded_at = o.recorded_at AND n.id > o.id)))
ORDER BY o.id
"""
"""Values "also reported" beside a current value: for the same date, the latest reading of
each *other* reporter that differs. A reporter's later reading supersedes its earlier one
(a source revising its own figure, a year-to-date count growing): that is a revision, not
a dispute."""


def rows(db: Database, category: str | None = None, *, retired: bool = False,
         ids: list[str] | None = None) -> list[Row]:
    """Indicators (of one category, or all) with their current values, in catalog order."""
    where, params = ["1 = 1"], []
    if category:
        where.append("i.category_id = ?")
        params.append(category)
    if not retired:
        where.append("i.retired_at IS NULL")
    if ids is not None:
        where.append(f"i.id IN ({', '.join('?' for _ in ids)})")
        params.extend(ids)
    sql = (
        "SELECT i.id, i.category_id, i.name, i.description, i.tier, i.table_no, i.kind, "
        "i.retired_at FROM indicators i JOIN categories c ON c.id = i.category_id "
        f"WHERE {' AND '.join(where)} ORDER BY c.position, i.position, i.id"
    )
    result = [Row(*r, {}) for r in db.execute(sql, params).fetchall()]
    by_id = {r.id: r for r in result}
    if not by_id:
        return result
    marks = ", ".join("?" for _ in by_id)
    for ind, name, *cv in db.execute(  # tuples, not a dict per value
        "SELECT indicator_id, field, value, as_of, source, confidence, origin, note "
        f"FROM current_values WHERE indicator_id IN ({marks})", list(by_id)
    ):
        by_id[ind].values[name] = Current(*cv, [])
    for ind, name, value in db.execute(ALSO_REPORTED.format(marks=marks), list(by_id)):
        current = by_id[ind].values[name]
        if value not in current.disputed_by:
            current.disputed_by.append(value)
    return result


def indicator(db: Database, indicator_id: str) -> dict[str, Any] | None:
    """The indicator's own row (retired ones included), or None."""
    found = list(db.query("SELECT * FROM indicators WHERE id = ?", [indicator_id]))
    if not found:
        return None
    row = found[0]
    row["aliases"] = json.loads(row["aliases"] or "[]")
    return row


HISTORY_COLUMNS = ("id", "field", "as_of", "value", "origin", "confidence", "source", "note",
                   "author", "recorded_at", "run_id", "withdrawn_at", "withdrawn_by",
                   "withdrawn_note")


def history(db: Database, indicator_id: str, field: str | None = None) -> list[dict[str, Any]]:
    """Every observation of an indicator (or one field), oldest first within each field,
    fields in their catalog order."""
    return [dict(zip(HISTORY_COLUMNS, r)) for r in history_rows(db, indicator_id, field)]


def history_rows(db: Database, indicator_id: str, field: str | None = None,
                 columns: Sequence[str] = HISTORY_COLUMNS) -> list[tuple]:
    """:func:`history` as tuples of ``columns`` (SQL expressions over the observations),
    without a dict per row: what a table prints."""
    sql = (f"SELECT {', '.join(columns)}, field FROM observations WHERE indicator_id = ?"
           + (" AND field = ?" if field else "") + " ORDER BY field, as_of, recorded_at, id")
    params: list[Any] = [indicator_id] + ([field] if field else [])
    conn = db.conn  # a plain read: no savepoint around it
    rows = conn.execute(sql, params).fetchall()  # on the history index: no sort
    order = {f: p for f, p in conn.execute(
        "SELECT f.field, f.position FROM fields f JOIN indicators i "
        "ON i.category_id = f.category_id WHERE i.id = ?", [indicator_id])}
    # One run of rows per field (the index's order): the runs in the catalog's order,
    # fields it does not know last.
    runs = [list(run) for _, run in groupby(rows, key=itemgetter(-1))]
    if len(runs) > 1:
        runs.sort(key=lambda run: order.get(run[0][-1], len(order)))
    last = len(columns)
    return [r[:last] for run in runs for r in run]


def ledger(db: Database, mechanism_id: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """A mechanism's ledger header and its entries, by date then party."""
    head = list(db.query("SELECT * FROM ledgers WHERE mechanism_id = ?", [mechanism_id]))
    entries = list(db.query(
        "SELECT m.*, p.name AS party_name, p.kind AS party_kind FROM memberships m "
        "JOIN parties p ON p.code = m.party WHERE m.mechanism_id = ? "
        "ORDER BY m.date, m.party, m.role", [mechanism_id]))
    return (head[0] if head else None), entries


def current_parties(entries: list[dict[str, Any]]) -> dict[str, str]:
    """Each party's latest role in a ledger (a withdrawal or refusal counts as latest)."""
    latest: dict[str, str] = {}
    for e in sorted(entries, key=lambda e: (e["date"], e["id"])):
        latest[e["party"]] = e["role"]
    return latest


IN_ROLES = ("signed", "ratified", "endorsed", "member")
"""Roles that make a party a participant."""


def groups(db: Database) -> dict[str, dict[str, Any]]:
    """Groups with their member codes."""
    out = {g["id"]: {**g, "members": []} for g in db.query("SELECT * FROM groups ORDER BY id")}
    for m in db.query("SELECT group_id, party FROM group_members ORDER BY party"):
        out[m["group_id"]]["members"].append(m["party"])
    return out


def events_for(db: Database, indicator_id: str) -> list[dict[str, Any]]:
    """Events linked to an indicator, by date."""
    return list(db.query(
        "SELECT e.* FROM events e JOIN event_links l ON l.event_id = e.id "
        "WHERE l.indicator_id = ? AND e.retired_at IS NULL ORDER BY e.date, e.id",
        [indicator_id]))
