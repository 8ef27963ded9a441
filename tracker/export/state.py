"""A snapshot's state: what the store says now, hashed into an id and diffed against the last."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


from tracker import queries, trends

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def current_state(db: Database, rows: list[queries.Row] | None = None) -> dict[str, Any]:
    """Everything a snapshot reports, in a stable order: values, ledgers, live indicators.

    ``rows``: the live indicators with their current values, read already (the Markdown
    snapshot's tables): their values are taken from them instead of read again."""
    values: dict[str, dict[str, list[str]]] = {}
    if rows is not None:
        for r in sorted(rows, key=lambda r: r.id):
            for name in sorted(r.values):
                c = r.values[name]
                values.setdefault(r.id, {})[name] = [c.value, c.as_of, c.source]
    else:
        for r in db.execute(
            "SELECT c.indicator_id, c.field, c.value, c.as_of, c.source FROM current_values c "
            "JOIN indicators i ON i.id = c.indicator_id WHERE i.retired_at IS NULL "
            "ORDER BY c.indicator_id, c.field"
        ):
            values.setdefault(r[0], {})[r[1]] = [r[2], r[3], r[4]]
    members = [list(r) for r in db.execute(
        "SELECT mechanism_id, party, role, date FROM memberships "
        "ORDER BY mechanism_id, party, role, date")]
    indicators = [r[0] for r in db.execute(
        "SELECT id FROM indicators WHERE retired_at IS NULL ORDER BY id")]
    return {"values": values, "members": members, "indicators": indicators}


def snapshot_id(state: dict[str, Any]) -> str:
    """A short hash of a state: the same data always gives the same id."""
    blob = json.dumps(state, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def as_of(state: dict[str, Any]) -> str:
    """The data's as-of date: the latest as-of among the current values."""
    dates = [v[1] for fields in state["values"].values() for v in fields.values()]
    return max(dates, default="")


@dataclass(frozen=True)
class Previous:
    """The last snapshot recorded before this one."""

    id: str
    as_of: str
    created_at: str
    state: dict[str, Any]


def previous(db: Database) -> Previous | None:
    """The most recently recorded snapshot, or None."""
    row = db.execute("SELECT id, as_of, created_at, state FROM snapshots "
                     "ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()
    if row is None or not row[3]:
        return None
    return Previous(row[0], row[1], row[2], json.loads(row[3]))


@dataclass(frozen=True)
class Diff:
    """What changed between two states."""

    values: list[trends.Change]
    joined: list[list[str]]
    """Ledger entries (mechanism, party, role, date) that are new."""
    added: list[str]
    retired: list[str]

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not (self.values or self.joined or self.added or self.retired)


def diff(db: Database, old: dict[str, Any], new: dict[str, Any]) -> Diff:
    """The changes from ``old`` to ``new``, with directions from the fields' scales."""
    scales = trends._scales(db)
    names = dict(db.execute("SELECT id, name FROM indicators").fetchall())
    cats = dict(db.execute("SELECT id, category_id FROM indicators").fetchall())
    changed = []
    for ind in sorted(new["values"]):
        for field, (value, as_of_, source) in sorted(new["values"][ind].items()):
            before = old["values"].get(ind, {}).get(field)
            if before is None or before[0] == value:
                continue
            label, scale = scales.get((cats.get(ind), field), (field, trends.Scale("text", (),
                                                                                    "none")))
            changed.append(trends.Change(
                ind, names.get(ind, ind), cats.get(ind, ""), field, label, before[0], value,
                before[1], as_of_, trends.direction(scale, before[0], value), source, "", "",
                None))
    old_members = {tuple(m) for m in old["members"]}
    joined = [m for m in new["members"] if tuple(m) not in old_members]
    added = sorted(set(new["indicators"]) - set(old["indicators"]))
    retired = sorted(set(old["indicators"]) - set(new["indicators"]))
    return Diff(changed, joined, added, retired)


def record(db: Database, snap_id: str, state: dict[str, Any], created_at: str, fmt: str,
           path: str) -> None:
    """Remember a snapshot so the next export can say what changed since."""
    db["snapshots"].upsert({
        "id": snap_id, "created_at": created_at, "as_of": as_of(state), "format": fmt,
        "path": path, "state": json.dumps(state, sort_keys=True, ensure_ascii=False),
    }, pk="id")
