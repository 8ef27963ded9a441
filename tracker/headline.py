"""Headline figures computed from the store, each at any date so it has its own trend."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass


from tracker.queries import IN_ROLES
from tracker.trends import BETTER, NEUTRAL, WORSE, pad, value_at

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

SIGNED_STATUSES = ("Open for signature", "Active", "In force")


@dataclass(frozen=True)
class Figure:
    """One headline figure now, and as it stood at the window's start."""

    id: str
    label: str
    value: int
    text: str
    before: int | None
    direction: str
    note: str

    def as_dict(self) -> dict:
        """A JSON-ready dict."""
        return asdict(self)


def short_name(name: str) -> str:
    """``Long Treaty Name (CETS 225)`` -> ``CETS 225``; other names unchanged."""
    match = re.search(r"\(([^()]{2,20})\)$", name.strip())
    return match.group(1) if match else name


def _participants(db: Database, date: str | None) -> dict[str, set[str]]:
    """Each mechanism's participating parties on ``date`` (latest role per party)."""
    latest: dict[tuple[str, str], str] = {}
    for m in db.query(
        "SELECT m.mechanism_id, m.party, m.role, m.date FROM memberships m "
        "JOIN indicators i ON i.id = m.mechanism_id WHERE i.retired_at IS NULL "
        "ORDER BY m.date, m.id"
    ):
        if date is None or pad(m["date"]) <= date:
            latest[(m["mechanism_id"], m["party"])] = m["role"]
    out: dict[str, set[str]] = {}
    for (mechanism, party), role in latest.items():
        if role in IN_ROLES:
            out.setdefault(mechanism, set()).add(party)
    return out


def _roles(db: Database, mechanism: str, date: str | None) -> dict[str, str]:
    latest: dict[str, str] = {}
    for m in db.query("SELECT party, role, date FROM memberships WHERE mechanism_id = ? "
                      "ORDER BY date, id", [mechanism]):
        if date is None or pad(m["date"]) <= date:
            latest[m["party"]] = m["role"]
    return latest


def _lifecycle(db: Database, treaty: str, date: str | None) -> str | None:
    """A treaty's lifecycle (``treaty_status``; stores synced before it existed: ``status``)."""
    return value_at(db, treaty, "treaty_status", date) or value_at(db, treaty, "status", date)


def _values(db: Database, date: str | None) -> dict[str, int | str]:
    """Every headline number at ``date`` (None: now), plus the texts that go with them."""
    companies = {r[0] for r in db.execute("SELECT code FROM parties WHERE kind = 'company'")}
    treaties = [r[0] for r in db.execute(
        "SELECT id FROM indicators WHERE retired_at IS NULL AND kind = 'treaty' "
        "AND criteria_binding = 'binding' ORDER BY position")]
    parts = _participants(db, date)
    out: dict[str, int | str] = {}
    out["treaties-signed"] = sum(
        1 for t in treaties
        if parts.get(t) or _lifecycle(db, t, date) in SIGNED_STATUSES)
    out["treaties-in-force"] = sum(
        1 for t in treaties if _lifecycle(db, t, date) == "In force")
    out["us-and-china"] = sum(1 for members in parts.values() if {"USA", "CHN"} <= members)
    out["parties"] = len(set().union(*parts.values()) - companies) if parts else 0
    for ind, rule in db.execute(
        "SELECT id, entry_into_force FROM indicators WHERE entry_into_force IS NOT NULL "
        "AND retired_at IS NULL ORDER BY position"
    ).fetchall():
        rule = json.loads(rule)
        ratified = {p for p, role in _roles(db, ind, date).items() if role == "ratified"}
        out[f"{ind}:ratified"] = len(ratified)
        if rule.get("group"):
            group = {r[0] for r in db.execute(
                "SELECT party FROM group_members WHERE group_id = ?", [rule["group"]])}
            out[f"{ind}:group"] = len(ratified & group)
    return out


def figures(db: Database, since: str | None) -> list[Figure]:
    """The headline figures now, each with its value at the window's start ``since``."""
    now, then = _values(db, None), _values(db, since) if since else None
    names = dict(db.execute("SELECT id, name FROM indicators").fetchall())
    rules = dict(db.execute("SELECT id, entry_into_force FROM indicators "
                            "WHERE entry_into_force IS NOT NULL").fetchall())

    def fig(key: str, label: str, text: str, note: str) -> Figure:
        before = then[key] if then is not None else None
        value = int(now[key])
        if before is None or before == value:
            move = NEUTRAL
        else:
            move = BETTER if value > before else WORSE
        return Figure(key, label, value, text, before, move, note)

    out = [
        fig("treaties-signed", "Binding AI treaties signed",
            str(now["treaties-signed"]), "Treaties marked binding whose status is open for "
            "signature or later, or that have a signature in their ledger."),
        fig("treaties-in-force", "Binding AI treaties in force", str(now["treaties-in-force"]),
            "Treaties marked binding whose current status is In force."),
        fig("us-and-china", "Mechanisms with US and China",
            str(now["us-and-china"]), "From the recorded membership ledgers (some are "
            "incomplete)."),
        fig("parties", "Parties in any mechanism", str(now["parties"]),
            "Countries and organisations (not companies) with a current role of signed, "
            "ratified, endorsed or member in a recorded ledger."),
    ]
    for ind, raw in rules.items():
        if f"{ind}:ratified" not in now:
            continue
        rule = json.loads(raw)
        text = f"{now[f'{ind}:ratified']} of {rule['ratifications']}"
        if rule.get("group"):
            text += f" ({now[f'{ind}:group']} of {rule['group_minimum']} {rule['group']})"
        out.append(fig(f"{ind}:ratified", f"{short_name(names.get(ind, ind))} ratifications",
                       text, "Ratifications against what entry into force needs. "
                       + (rule.get("note") or "")))
    return out
