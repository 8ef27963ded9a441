"""Headline figures computed from the store, each at any date so it has its own trend.

Every figure says what it counts (its items, each with a source and a confidence), whether
it is a count or only a floor (an incomplete or missing ledger could hide more), and
whether it rests only on low-confidence values. Nothing is typed in: a figure is the
ledgers and fields as they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from tracker.queries import IN_ROLES
from tracker.trends import BETTER, NEUTRAL, WORSE, pad

if TYPE_CHECKING:
    from sqlite_utils import Database

SIGNED_STATUSES = ("Open for signature", "Active", "In force")
"""A treaty's lifecycle levels at which it has been opened for signature."""
LIFECYCLE_FIELDS = ("treaty_status", "status")
"""Where a treaty's lifecycle is recorded: its own field first, the older shared one next."""
COUNT, FLOOR = "count", "floor"


@dataclass(frozen=True)
class Item:
    """One thing a figure looks at: counted, or left uncertain (what makes it a floor)."""

    id: str
    name: str
    counted: bool
    why: str
    source: str
    confidence: str
    unknown: bool = False
    """Not counted because the ledger cannot say (what makes the figure a floor)."""


@dataclass(frozen=True)
class Figure:
    """One headline figure now, and as it stood at the window's start."""

    id: str
    label: str
    value: int
    text: str
    """The value as shown, with its caveats: ``4 (floor)``, ``1 of 5 (low confidence)``."""
    before: int | None
    direction: str
    note: str
    kind: str = COUNT
    """``count``: every input is known; ``floor``: incomplete or missing ledgers could add."""
    low_confidence: bool = False
    """Every counted item rests only on low-confidence values."""
    items: list[Item] = field(default_factory=list)
    value_text: str = ""
    """The value as shown without its caveats: ``1 of 5 (0 of 3 COE)``."""

    @property
    def flags(self) -> str:
        """The caveats in a few letters, for narrow tables: ``floor``, ``low``, ``floor, low``."""
        return ", ".join(([FLOOR] if self.kind == FLOOR else [])
                         + (["low"] if self.low_confidence else []))

    def as_dict(self) -> dict:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass
class _Value:
    value: int
    items: list[Item]
    floor: bool
    extra: dict = field(default_factory=dict)

    @property
    def low(self) -> bool:
        counted = [i for i in self.items if i.counted]
        return bool(counted) and all(i.confidence == "low" for i in counted)


def short_name(name: str) -> str:
    """``Long Treaty Name (CETS 225)`` -> ``CETS 225``; other names unchanged."""
    match = re.search(r"\(([^()]{2,20})\)$", name.strip())
    return match.group(1) if match else name


class Reads:
    """What the headline figures read from the store, read once: names, ledgers and the
    treaties' lifecycle and enforcement histories. Figures at many dates (the charts, the
    window's start and now) are computed from one of these without reading again."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.names = dict(db.execute("SELECT id, name FROM indicators").fetchall())
        self.kinds, self.party_names = {}, {}
        for code, kind, name in db.execute("SELECT code, kind, name FROM parties"):
            self.kinds[code], self.party_names[code] = kind, name
        self.complete = {m: bool(c) for m, c in db.execute(
            "SELECT mechanism_id, complete FROM ledgers").fetchall()}
        self.memberships = [(m, party, role, pad(d), source, conf) for m, party, role, d,
                            source, conf in db.execute(
            "SELECT m.mechanism_id, m.party, m.role, m.date, m.source, m.confidence "
            "FROM memberships m JOIN indicators i ON i.id = m.mechanism_id "
            "WHERE i.retired_at IS NULL ORDER BY m.date, m.id")]
        self.treaties = [r[0] for r in db.execute(
            "SELECT id FROM indicators WHERE retired_at IS NULL AND kind = 'treaty' "
            "ORDER BY position")]
        self.mechanisms = [m for m, in db.execute(
            "SELECT id FROM indicators WHERE retired_at IS NULL AND category_id = "
            "'mechanisms' ORDER BY position").fetchall()]
        self.rules = []
        """(indicator, entry-into-force rule, its group's parties), in catalog order."""
        for ind, raw in db.execute(
            "SELECT id, entry_into_force FROM indicators WHERE entry_into_force IS NOT NULL "
            "AND retired_at IS NULL ORDER BY position"
        ).fetchall():
            rule = json.loads(raw)
            group = {p for p, in db.execute("SELECT party FROM group_members WHERE "
                                            "group_id = ?", [rule.get("group") or ""])}
            self.rules.append((ind, rule, group))
        self.histories: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}

    def history(self, indicator: str, fieldname: str) -> list[tuple[str, str, str, str]]:
        """A field's observations, oldest first: (value, padded as-of, source, confidence)."""
        key = (indicator, fieldname)
        if key not in self.histories:
            self.histories[key] = [(v, pad(as_of), source, conf) for v, as_of, source, conf
                                   in self.db.execute(
                "SELECT value, as_of, source, confidence FROM observations WHERE "
                "indicator_id = ? AND field = ? ORDER BY as_of, recorded_at, id",
                [indicator, fieldname])]
        return self.histories[key]


class _Reader:
    """The store's ledgers and fields as they stood on one date (None: now)."""

    def __init__(self, reads: Reads, date: str | None) -> None:
        self.reads, self.date = reads, date
        self.names, self.kinds = reads.names, reads.kinds
        self.party_names, self.complete = reads.party_names, reads.complete
        self.roles: dict[str, dict[str, tuple[str, str, str]]] = {}
        for m, party, role, d, source, conf in reads.memberships:
            if date is None or d <= date:
                self.roles.setdefault(m, {})[party] = (role, source, conf)

    def participants(self, mechanism: str) -> dict[str, tuple[str, str, str]]:
        return {p: r for p, r in self.roles.get(mechanism, {}).items() if r[0] in IN_ROLES}

    def value(self, indicator: str, fieldname: str) -> tuple[str, str, str] | None:
        """(value, source, confidence) of a field on the date, or None."""
        found = None
        for v, as_of, source, conf in self.reads.history(indicator, fieldname):
            if self.date is None or as_of <= self.date:
                found = (v, source, conf)
        return found

    def lifecycle(self, treaty: str) -> tuple[str, str, str] | None:
        for name in LIFECYCLE_FIELDS:
            found = self.value(treaty, name)
            if found is not None:
                return found
        return None


def _binding(r: _Reader, treaty: str) -> bool:
    enforcement = r.value(treaty, "enforcement")
    return enforcement is None or enforcement[0] == "Binding"


def _signed(r: _Reader, treaties: list[str]) -> _Value:
    items = []
    for t in treaties:
        if not _binding(r, t):
            continue
        status = r.lifecycle(t)
        signers = {p: v for p, v in r.roles.get(t, {}).items() if v[0] in ("signed", "ratified")}
        if status and status[0] in SIGNED_STATUSES:
            items.append(Item(t, r.names[t], True, f"status {status[0]}", status[1], status[2]))
        elif signers:
            party, (role, source, conf) = next(iter(signers.items()))
            items.append(Item(t, r.names[t], True, f"{party} {role} (ledger)", source, conf))
        else:
            why = f"status {status[0]}" if status else "no status recorded"
            items.append(Item(t, r.names[t], False, why, status[1] if status else "",
                              status[2] if status else ""))
    return _Value(sum(i.counted for i in items), items, False)


def _in_force(r: _Reader, treaties: list[str]) -> _Value:
    items = []
    for t in treaties:
        if not _binding(r, t):
            continue
        status = r.lifecycle(t)
        items.append(Item(t, r.names[t], bool(status and status[0] == "In force"),
                          f"status {status[0]}" if status else "no status recorded",
                          status[1] if status else "", status[2] if status else ""))
    return _Value(sum(i.counted for i in items), items, False)


def _us_and_china(r: _Reader, mechanisms: list[str]) -> _Value:
    """Mechanisms whose ledger holds both; one without a complete ledger is not counted as
    lacking them: it is unknown, and makes the figure a floor."""
    items = []
    for m in mechanisms:
        parts = r.participants(m)
        has = [p for p in ("USA", "CHN") if p in parts]
        if len(has) == 2:
            conf = min((parts[p][2] for p in has), key=("low", "medium", "high").index)
            items.append(Item(m, r.names[m], True, "both in the ledger", parts["CHN"][1], conf))
        elif m in r.complete and r.complete[m]:
            missing = " and ".join(p for p in ("USA", "CHN") if p not in has)
            items.append(Item(m, r.names[m], False, f"complete ledger without {missing}",
                              "", ""))
        else:
            why = "no ledger" if m not in r.complete and m not in r.roles else \
                "incomplete ledger" + (f" ({', '.join(has)} recorded)" if has else "")
            items.append(Item(m, r.names[m], False, why, "", "", unknown=True))
    return _Value(sum(i.counted for i in items), items, any(i.unknown for i in items))


def _parties(r: _Reader, mechanisms: list[str]) -> _Value:
    """States and organisations (not companies) with a current role in any ledger."""
    first: dict[str, Item] = {}
    uncertain = []
    for m in mechanisms:
        for p, (role, source, conf) in sorted(r.participants(m).items()):
            if r.kinds.get(p) == "company" or p in first:
                continue
            first[p] = Item(p, r.party_names.get(p, p), True, f"{role} {m}", source, conf)
        if not r.complete.get(m, False):
            uncertain.append(Item(m, r.names[m], False, "incomplete ledger" if m in r.complete
                                  or m in r.roles else "no ledger", "", "", unknown=True))
    items = sorted(first.values(), key=lambda i: i.id) + uncertain
    return _Value(len(first), items, bool(uncertain))


def _ratified(r: _Reader, treaty: str, rule: dict, group: set[str]) -> _Value:
    items = [Item(p, r.party_names.get(p, p), True, "ratified" + (f" ({rule['group']} member)" if p in group else ""),
                  source, conf)
             for p, (role, source, conf) in sorted(r.roles.get(treaty, {}).items())
             if role == "ratified"]
    in_group = sum(1 for i in items if i.id in group)
    return _Value(len(items), items, not r.complete.get(treaty, False), {"group": in_group})


def _all(reads: Reads, date: str | None) -> dict[str, _Value]:
    r = _Reader(reads, date)
    treaties, mechanisms = reads.treaties, reads.mechanisms
    out = {"treaties-signed": _signed(r, treaties), "treaties-in-force": _in_force(r, treaties),
           "us-and-china": _us_and_china(r, mechanisms), "parties": _parties(r, mechanisms)}
    for ind, rule, group in reads.rules:
        out[f"{ind}:ratified"] = _ratified(r, ind, rule, group)
    return out


def _with_caveats(text: str, v: _Value) -> str:
    """``4`` -> ``4 (floor)``; ``1 of 5 (0 of 3 COE)`` -> ``1 of 5 (0 of 3 COE; floor, low
    confidence)``."""
    marks = ([FLOOR] if v.floor else []) + (["low confidence"] if v.low else [])
    if not marks:
        return text
    if text.endswith(")"):
        return f"{text[:-1]}; {', '.join(marks)})"
    return f"{text} ({', '.join(marks)})"


def figures(db: Database, since: str | None, reads: Reads | None = None) -> list[Figure]:
    """The headline figures now, each with its value at the window's start ``since``
    (``reads``: what was read already for other dates, see :class:`Reads`)."""
    reads = reads or Reads(db)
    now, then = _all(reads, None), _all(reads, since) if since else None
    names = reads.names
    rules = dict(db.execute("SELECT id, entry_into_force FROM indicators "
                            "WHERE entry_into_force IS NOT NULL").fetchall())

    def fig(key: str, label: str, text: str, note: str) -> Figure:
        v = now[key]
        before = then[key].value if then is not None and key in then else None
        if before is None or before == v.value:
            move = NEUTRAL
        else:
            move = BETTER if v.value > before else WORSE
        unknown = sum(1 for i in v.items if i.unknown)
        if v.floor and unknown:
            note += f" A floor: {unknown} not known to count (see --explain {key})."
        elif v.floor:
            note += " A floor: the ledger is incomplete, so more may count."
        if v.low:
            note += " Rests only on low-confidence sources."
        return Figure(key, label, v.value, _with_caveats(text, v), before, move, note,
                      FLOOR if v.floor else COUNT, v.low, v.items, text)

    out = [
        fig("treaties-signed", "Binding AI treaties signed", str(now["treaties-signed"].value),
            "Treaties (binding unless their enforcement says otherwise) whose lifecycle is "
            "open for signature or later, or that have a signature in their ledger."),
        fig("treaties-in-force", "Binding AI treaties in force",
            str(now["treaties-in-force"].value),
            "Treaties (binding unless their enforcement says otherwise) in force."),
        fig("us-and-china", "Mechanisms with US and China", str(now["us-and-china"].value),
            "Mechanisms whose ledger holds both the US and China with a current role; one "
            "without a complete ledger is not counted as lacking them."),
        fig("parties", "Parties in any mechanism", str(now["parties"].value),
            "States and organisations (not companies) with a current role of signed, "
            "ratified, endorsed or member in a recorded ledger."),
    ]
    for ind, raw in rules.items():
        key = f"{ind}:ratified"
        if key not in now:
            continue
        rule = json.loads(raw)
        text = f"{now[key].value} of {rule['ratifications']}"
        if rule.get("group"):
            text += f" ({now[key].extra['group']} of {rule['group_minimum']} {rule['group']})"
        out.append(fig(key, f"{short_name(names.get(ind, ind))} ratifications", text,
                       "Ratifications in the ledger against what entry into force needs. "
                       + (rule.get("note") or "")))
    return out


def explain(figure: Figure) -> list[list[str]]:
    """What a figure counts, one row per item: counted items first, then the uncertain."""
    ordered = [i for i in figure.items if i.counted] + \
        [i for i in figure.items if i.unknown] + \
        [i for i in figure.items if not i.counted and not i.unknown]
    return [[i.id, i.name if i.name != i.id else "", "counted" if i.counted else
             "unknown" if i.unknown else "not counted", i.why, i.confidence, i.source]
            for i in ordered]


def values_at(db: Database, date: str | None, reads: Reads | None = None) -> dict[str, int]:
    """Each headline figure's value on ``date`` (YYYY-MM-DD; None: now), by figure id."""
    return {key: v.value for key, v in _all(reads or Reads(db), date).items()}
