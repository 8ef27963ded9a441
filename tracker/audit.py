"""Content checks over a catalog and its store: what an analyst should not take on trust.

Each finding names the catalog's line for the item it is about, so an analyst can open it.
The kinds (and why each matters) are listed in :data:`KINDS` and in docs/catalog.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from tracker import criteria as essay
from tracker import headline, trends
from tracker.catalog.source import Document, read_document
from tracker.queries import IN_ROLES

if TYPE_CHECKING:
    from tracker.catalog import Catalog
    from tracker.store import Store

KINDS = {
    "ledger-count": "a ledger's count of states (or organisations) differs from the recorded "
                    "participant_count (or organisation_count)",
    "low-confidence": "a headline figure's input rests only on low-confidence values",
    "stale": "a current value is older than its field's freshness",
    "event-outcome": "an announced event is past and has no outcome recorded",
    "no-criteria": "a mechanism has no criteria, or criteria the ledger cannot answer",
    "no-ledger": "a mechanism has no membership ledger",
    "mixed-units": "a numeric value's note counts different kinds of things together",
}
"""Every kind of finding, in the order they are reported."""

ANNOUNCED_KINDS = ("scheduled", "announced")
_UNRECORDED = re.compile(r"\bnot recorded\b|^unknown$", re.I)
"""Event kinds that are announcements by definition (where the catalog declares them)."""

_MIXED = re.compile(r"(?:(\d+)\s+)?(?:countries|nations|states)\s+(?:and|plus)\s+(?:the\s+)?"
                    r"(?:EU|European Union|African Union|(?P<all>(?:international\s+)?"
                    r"organi[sz]ations))\b", re.I)
"""A note that counts states together with organisations ("9 countries plus the EU"): the
number before a named organisation counts states; before "organisations", both."""


@dataclass(frozen=True)
class Finding:
    """One thing the audit found, at a line of the catalog."""

    kind: str
    file: str
    line: int
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.kind}: {self.subject}: {self.message}"

    def as_dict(self) -> dict:
        """A JSON-ready dict."""
        return asdict(self)


class _Where:
    """The catalog's line for an indicator, a value, a ledger entry or an event."""

    def __init__(self, catalog: Catalog, doc: Document) -> None:
        self.file, self.doc = catalog.path, doc
        m = catalog.model
        self.indicators = {ind.id: i for i, ind in enumerate(m.indicators)}
        self.values = {ind.id: ind.values for ind in m.indicators}
        self.events = {e.id: i for i, e in enumerate(m.events)}
        self.entries = {(mid, e.party, e.role, e.date): k for mid, led in m.memberships.items()
                        for k, e in enumerate(led.entries)}

    def indicator(self, ind: str, *rest) -> int:
        if ind not in self.indicators:
            return self.doc.line_of(("indicators",))
        return self.doc.line_of(("indicators", self.indicators[ind], *rest))

    def value(self, ind: str, field: str, as_of: str | None = None) -> int:
        values = self.values.get(ind, {}).get(field, [])
        index = max((k for k, v in enumerate(values) if as_of in (None, v.as_of)),
                    default=None)
        if index is None:
            return self.indicator(ind, "values", field)
        return self.indicator(ind, "values", field, index)

    def ledger(self, mid: str, entry: tuple | None = None) -> int:
        if entry is not None and entry in self.entries:
            return self.doc.line_of(("memberships", mid, "entries", self.entries[entry]))
        if (("memberships", mid)) in self.doc.lines:
            return self.doc.line_of(("memberships", mid))
        return self.indicator(mid)

    def event(self, eid: str) -> int:
        if eid in self.events:
            return self.doc.line_of(("events", self.events[eid]))
        return self.doc.line_of(("events",))


def run(store: Store, catalog: Catalog) -> list[Finding]:
    """Every finding over ``store`` (synced with ``catalog``), in the order of :data:`KINDS`."""
    where = _Where(catalog, read_document(catalog.path))
    db = store.db
    out: list[Finding] = []

    def add(kind: str, line: int, subject: str, message: str) -> None:
        out.append(Finding(kind, where.file, line, subject, message))

    mechanisms = [r[0] for r in db.execute(
        "SELECT id FROM indicators WHERE category_id = 'mechanisms' AND retired_at IS NULL "
        "ORDER BY position")]
    _ledger_counts(db, mechanisms, where, add)
    _low_confidence(db, where, add)
    for due in trends.review_due(db, store.clock().date()):
        add("stale", where.value(due.indicator_id, due.field, due.as_of),
            f"{due.indicator_id}.{due.field}",
            f"{due.value!r} as of {due.as_of} is {due.age_days} days old "
            f"(freshness {due.freshness})")
    _events(db, store.clock().date(), where, add)
    found = essay.load(db)
    for m in mechanisms:
        crit = found.get(m)
        if crit is None or crit.fit is None:
            add("no-criteria", where.indicator(m), m, "no criteria recorded")
            continue
        unknown = [c.key for c in crit.criteria if c.value == "unknown"]
        if unknown:
            add("no-criteria", where.indicator(m, "criteria"), m,
                f"cannot say {', '.join(unknown)} (insufficient ledger, no reading)")
    ledgers = {r[0] for r in db.execute("SELECT mechanism_id FROM ledgers")} | \
        {r[0] for r in db.execute("SELECT DISTINCT mechanism_id FROM memberships")}
    for m in mechanisms:
        if m not in ledgers:
            add("no-ledger", where.indicator(m), m, "no membership ledger")
    _mixed_units(catalog, where, add)
    order = list(KINDS)
    out.sort(key=lambda f: (order.index(f.kind), f.line))
    return out


def _ledger_counts(db, mechanisms: list[str], where: _Where, add) -> None:
    kinds = dict(db.execute("SELECT code, kind FROM parties").fetchall())
    current = {(r[0], r[1]): r[2] for r in db.execute(
        "SELECT indicator_id, field, value FROM current_values "
        "WHERE field IN ('participant_count', 'organisation_count')")}
    heads = dict(db.execute("SELECT mechanism_id, complete FROM ledgers").fetchall())
    for m in mechanisms:
        entries = _latest_roles(db, m)
        if not entries and m not in heads:
            continue
        parts = {p for p, role in entries.items() if role in IN_ROLES}
        counted = {"participant_count": sum(1 for p in parts if kinds.get(p) == "country"),
                   "organisation_count": sum(1 for p in parts
                                             if kinds.get(p) == "intergovernmental")}
        what = {"participant_count": "states", "organisation_count": "organisations"}
        for field, n in counted.items():
            recorded = current.get((m, field))
            if recorded is None:
                continue
            try:
                number = int(float(recorded))
            except ValueError:
                continue
            if number != n:
                state = "complete" if heads.get(m) else "incomplete"
                add("ledger-count", where.ledger(m), m,
                    f"the {state} ledger holds {n} {what[field]}, {field} says {number} "
                    f"(difference {number - n:+d})")


def _latest_roles(db, mechanism: str) -> dict[str, str]:
    """Each party's latest role in a mechanism's ledger."""
    latest: dict[str, str] = {}
    for party, role in db.execute("SELECT party, role FROM memberships WHERE mechanism_id = ? "
                                  "ORDER BY date, id", [mechanism]).fetchall():
        latest[party] = role
    return latest


def _low_confidence(db, where: _Where, add) -> None:
    """Each input of a headline figure that rests only on low-confidence values.

    A party counts towards ``parties`` on a low value only when every current role it has
    in any ledger is recorded with low confidence; any other item when the value it is
    counted on is.
    """
    kinds = dict(db.execute("SELECT code, kind FROM parties").fetchall())
    latest: dict[tuple[str, str], tuple] = {}
    for m, party, role, date, conf, source in db.execute(
            "SELECT m.mechanism_id, m.party, m.role, m.date, m.confidence, m.source "
            "FROM memberships m JOIN indicators i ON i.id = m.mechanism_id "
            "WHERE i.retired_at IS NULL ORDER BY m.date, m.id"):
        latest[(m, party)] = (m, party, role, date, conf, source)
    for f in headline.figures(db, None):
        whole = "; the whole figure rests only on low-confidence values" \
            if f.low_confidence else ""
        if f.id == "parties":
            roles: dict[str, list[tuple]] = {}
            for (m, party), entry in latest.items():
                if entry[2] in IN_ROLES and kinds.get(party) != "company":
                    roles.setdefault(party, []).append(entry)
            for party, entries in sorted(roles.items()):
                if all(e[4] == "low" for e in entries):
                    m, _, role, date, _, source = entries[0]
                    add("low-confidence", where.ledger(m, (m, party, role, date)),
                        f"{f.id}: {party}", f"counted in {f.label!r} only on low-confidence "
                        f"entries ({', '.join(e[0] for e in entries)}: {source}){whole}")
            continue
        mechanism = f.id.split(":")[0] if ":" in f.id else None
        for item in f.items:
            if not item.counted or item.confidence != "low":
                continue
            if mechanism:
                entry = latest.get((mechanism, item.id))
                line = where.ledger(mechanism, entry[:4] if entry else None)
            elif f.id == "us-and-china":
                line = where.ledger(item.id)
            else:
                line = where.value(item.id, "treaty_status") \
                    if "treaty_status" in where.values.get(item.id, {}) \
                    else where.value(item.id, "status")
            add("low-confidence", line, f"{f.id}: {item.id}",
                f"counted in {f.label!r} ({f.text}) only on a low-confidence value "
                f"({item.why}: {item.source}){whole}")


def _period_end(date: str) -> dt.date:
    start = dt.date.fromisoformat(trends.pad(date))
    if len(date) == 4:
        return dt.date(start.year, 12, 31)
    if len(date) == 7:
        return dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


def _events(db, today: dt.date, where: _Where, add) -> None:
    """Past events announced before they happened, without an outcome.

    With an ``outcome`` column, an event with an outcome is settled (one that only says the
    outcome is not recorded is not). An event counts as announced when its kind says so,
    or when it is a catalog event dated after the catalog's data (the newest ``as_of`` of
    the catalog's values): it was recorded before it happened.
    """
    columns = db["events"].columns_dict
    data_as_of = db.execute("SELECT max(as_of) FROM observations WHERE origin = 'catalog'") \
        .fetchone()[0] or ""
    has_outcome = "outcome" in columns
    sql = "SELECT id, date, end_date, kind, title, origin" + \
        (", outcome" if has_outcome else "") + \
        " FROM events WHERE retired_at IS NULL ORDER BY date, id"
    for row in db.execute(sql).fetchall():
        eid, date, end, kind, title, origin = row[:6]
        outcome = (row[6] or "").strip() if has_outcome else ""
        unrecorded = bool(_UNRECORDED.search(outcome))
        if (outcome and not unrecorded) or _period_end(end or date) >= today:
            continue
        announced = kind in ANNOUNCED_KINDS or (
            origin == "catalog" and data_as_of and trends.pad(date) > trends.pad(data_as_of))
        if announced:
            why = ("marked as not recorded" if unrecorded else
                   "has no outcome recorded" + ("" if has_outcome else
                                                " (the store has no outcome column)"))
            add("event-outcome", where.event(eid), eid, f"{title!r} ({date}) is past and {why}")


def _mixed_units(catalog: Catalog, where: _Where, add) -> None:
    """One finding per numeric series whose notes say a value counts states together with
    organisations: "countries and organisations" (with no number, or with the value's own),
    or "N countries plus the EU" on a value larger than N. A series whose unit says it counts
    both (parties: states and organisations) is what it says."""
    m = catalog.model
    for ind in m.indicators:
        fields = catalog.categories[ind.category].fields
        for field, values in ind.values.items():
            scale = m.scales[fields[field].scale]
            if scale.kind != "numeric" or _MIXED.search(scale.unit or ""):
                continue  # not a count, or one declared to count both
            mixed = []
            for k, v in enumerate(values):
                for match in _MIXED.finditer(v.note or ""):
                    named = match.group(1)
                    if named is None or (int(named) == float(v.value) if match.group("all")
                                         else int(named) < float(v.value)):
                        mixed.append((k, v))
                        break
            if mixed:
                k, first = mixed[0]
                add("mixed-units", where.indicator(ind.id, "values", field, k),
                    f"{ind.id}.{field}",
                    f"{len(mixed)} of {len(values)} values count states and organisations "
                    f"together ({scale.unit}), e.g. {first.value} as of {first.as_of}: "
                    f"{first.note!r}")


def summary(findings: list[Finding]) -> str:
    """``12 findings: 3 ledger-count, 1 low-confidence, ...`` (or that the audit is clean)."""
    if not findings:
        return "audit clean: no findings"
    counts = Counter(f.kind for f in findings)
    return f"{len(findings)} finding(s): " + ", ".join(
        f"{counts[k]} {k}" for k in KINDS if counts[k])
