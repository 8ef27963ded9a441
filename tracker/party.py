"""A party's profile: every mechanism it is in, declined or left, its groups and its events.

A party is found by its code (an ISO 3166-1 alpha-3 code such as ``USA``, or an
organisation's code from the catalog such as ``EU``), by a two-letter country code when
no organisation has it (``US``, ``UK``; but ``AU`` is the African Union, the catalog's
code, not Australia), or by its name, case and accents aside: pycountry's name, common
name and official name of a country (``Korea, Republic of`` also as ``Republic of
Korea``), or the name in the store's ``parties`` table. Three letters or more also match
the start of a name (``russia`` finds the Russian Federation) when only one party matches; several matches, or none, are an error
that lists the nearest parties.

The events of a profile are the structured ones: events linked to a mechanism the party
took part in (signed, ratified, endorsed, member or observer), dated from its first such
entry in that mechanism's ledger until it left (up to the day it withdrew, up to the day
before it declined, as the US declined the 2026 safety report it had worked on); an event dated less
precisely than the party's entry is compared at the event's precision. A signature or
ratification event is one party's act: it is listed only when the party has an entry in
that mechanism's ledger on the event's date. Events that only mention the party in their
notes are not included.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from tracker import queries
from tracker.errors import TrackerError
from tracker.treaty_chart import ChartRow, chart

if TYPE_CHECKING:
    from sqlite_utils import Database

TOOK_PART = ("signed", "ratified", "endorsed", "member", "observer")
"""Roles that mean a party took part in a mechanism (observers included)."""
LEFT = ("declined", "withdrew")
ACTS = ("signature", "ratification")
"""Event kinds that are the act of particular parties, not of the whole mechanism."""


@dataclass
class Membership:
    """A party's latest role in one mechanism, and when it first took part."""

    mechanism: str
    name: str
    kind: str | None
    role: str
    date: str
    since: str | None
    """The date of its first entry with a role in :data:`TOOK_PART`, if any."""
    source: str
    confidence: str
    note: str | None


@dataclass
class Profile:
    """Everything the store says about one party."""

    code: str
    name: str
    kind: str
    official_name: str | None
    groups: list[dict[str, str]] = field(default_factory=list)
    mechanisms: list[Membership] = field(default_factory=list)
    """Mechanisms whose latest role is one of :data:`TOOK_PART`."""
    left: list[Membership] = field(default_factory=list)
    """Mechanisms whose latest role is declined or withdrew."""
    ledger: list[dict[str, Any]] = field(default_factory=list)
    """Every ledger entry of the party, by date."""
    treaties: list[dict[str, Any]] = field(default_factory=list)
    """Its row on each treaty's chart, with the treaty's id, name and summary."""
    events: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def _norm(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _names(db: Database) -> dict[str, set[str]]:
    """Each party's code -> the normalised names it answers to."""
    import pycountry

    out: dict[str, set[str]] = {}
    for code, name in db.execute("SELECT code, name FROM parties"):
        out.setdefault(code, set()).add(_norm(name or code))
    for c in pycountry.countries:
        if c.alpha_3 in out:
            for key in ("name", "common_name", "official_name"):
                name = _norm(getattr(c, key, None) or "")
                if name:
                    out[c.alpha_3].add(name)
                    head, comma, tail = name.partition(", ")
                    if comma:  # "korea, republic of" is also "republic of korea"
                        out[c.alpha_3].add(f"{tail} {head}".removeprefix("the "))
    return out


def resolve(db: Database, query: str) -> str:
    """The code of the party ``query`` names.

    Raises:
        TrackerError: no party, or several, match (exit code 2); the message lists the
            nearest parties.
    """
    wanted = _norm(query)
    if not wanted:
        raise TrackerError("party: give a code (USA, EU) or a name (\"United States\")")
    labels = dict(db.execute("SELECT code, name FROM parties").fetchall())
    by_code = {code.casefold(): code for code in labels}
    if wanted in by_code:
        return by_code[wanted]
    alpha_2 = _alpha_2(wanted)
    if alpha_2 in labels:
        return alpha_2
    names = _names(db)
    exact = sorted(c for c, ns in names.items() if wanted in ns)
    if len(exact) == 1:
        return exact[0]
    starts = exact or sorted(c for c, ns in names.items() if len(wanted) >= 3 and any(
        n.startswith(wanted) for n in ns))
    if len(starts) == 1:
        return starts[0]
    shown = lambda codes: ", ".join(f"{labels[c]} ({c})" for c in codes)  # noqa: E731
    if starts:
        active = _active(db)
        starts.sort(key=lambda c: (c not in active, labels[c].casefold()))
        more = f" and {len(starts) - 8} more" if len(starts) > 8 else ""
        raise TrackerError(f"party {query!r} is ambiguous: it matches {shown(starts[:8])}"
                           f"{more}; give the code")
    pool = {n: c for c, ns in names.items() for n in ns} | {k: v for k, v in by_code.items()}
    near = list(dict.fromkeys(pool[n] for n in difflib.get_close_matches(
        wanted, list(pool), n=8, cutoff=0.6)))[:5]
    hint = f"; nearest: {shown(near)}" if near else ""
    raise TrackerError(f"unknown party {query!r} (a code such as USA or EU, or a name{hint})")


def _alpha_2(wanted: str) -> str | None:
    """The alpha-3 code of a two-letter country code (``us``; ``uk``, which ISO reserves for
    the United Kingdom), or None."""
    import pycountry

    if len(wanted) != 2:
        return None
    if wanted == "uk":
        return "GBR"
    country = pycountry.countries.get(alpha_2=wanted.upper())
    return country.alpha_3 if country else None


def _active(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT DISTINCT party FROM memberships")}


def profile(db: Database, code: str, today: dt.date) -> Profile:
    """The profile of the party ``code`` (a code :func:`resolve` returned)."""
    import pycountry

    name, kind = db.execute("SELECT name, kind FROM parties WHERE code = ?", [code]).fetchone()
    country = pycountry.countries.get(alpha_3=code) if kind == "country" else None
    out = Profile(code, name, kind, getattr(country, "official_name", None))
    out.groups = [{"id": g, "name": n} for g, n in db.execute(
        "SELECT g.id, g.name FROM group_members m JOIN groups g ON g.id = m.group_id "
        "WHERE m.party = ? ORDER BY g.id", [code])]
    rows = db.execute(
        "SELECT m.id, m.mechanism_id, i.name, i.kind, m.role, m.date, m.source, m.confidence, "
        "m.note FROM memberships m JOIN indicators i ON i.id = m.mechanism_id "
        "WHERE m.party = ? AND i.retired_at IS NULL", [code]).fetchall()
    columns = ("id", "mechanism", "name", "kind", "role", "date", "source", "confidence", "note")
    ledger = sorted((dict(zip(columns, r)) for r in rows),
                    key=lambda e: (_pad(e["date"]), e["mechanism"], e["id"]))
    out.ledger = [{k: e[k] for k in columns if k != "id"} for e in ledger]
    latest: dict[str, dict[str, Any]] = {}
    since: dict[str, str] = {}
    for e in ledger:
        latest[e["mechanism"]] = e
        if e["role"] in TOOK_PART:
            since.setdefault(e["mechanism"], e["date"])
    for mid, e in latest.items():
        m = Membership(mid, e["name"], e["kind"], e["role"], e["date"], since.get(mid),
                       e["source"], e["confidence"], e["note"])
        (out.left if e["role"] in LEFT else out.mechanisms).append(m)
    for mid in latest:
        if latest[mid]["kind"] != "treaty":
            continue
        c = chart(db, mid, today)
        row = next((r for r in c.rows if r.party == code), None)
        if row is not None:
            out.treaties.append({"treaty": mid, "name": c.name, **_chart_row(row),
                                 "treaty_status": c.summary})
    out.events = _events(db, ledger, latest)
    return out


def _chart_row(row: ChartRow) -> dict[str, Any]:
    return {k: v for k, v in asdict(row).items() if k not in ("party", "name", "in_group")}


def _events(db: Database, ledger: list[dict[str, Any]],
            latest: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Events linked to its mechanisms while it took part in them (see the module's doc)."""
    spans: dict[str, tuple[str, str | None, str | None]] = {}
    for e in ledger:
        start = spans.get(e["mechanism"], (None,))[0]
        if e["role"] in TOOK_PART and start is None:
            spans[e["mechanism"]] = (e["date"], None, None)
        elif e["role"] in LEFT and start is not None:
            spans[e["mechanism"]] = (start, e["date"], e["role"])
    if not spans:
        return []
    marks = ", ".join("?" for _ in spans)
    found: dict[str, dict[str, Any]] = {}
    for r in db.query(
        "SELECT e.id, e.date, e.end_date, e.title, e.kind, e.source, e.confidence, "
        "l.indicator_id FROM events e JOIN event_links l ON l.event_id = e.id "
        f"WHERE e.retired_at IS NULL AND l.indicator_id IN ({marks}) ORDER BY e.date, e.id",
        list(spans),
    ):
        start, end, how = spans[r["indicator_id"]]
        if not _on_or_after(r["date"], start):
            continue
        if end is not None and not (_on_or_after(end, r["date"]) if how == "withdrew"
                                    else not _on_or_after(r["date"], end)):
            continue  # after it withdrew (the day itself counts), or from the day it declined
        if r["kind"] in ACTS and not any(
                e["mechanism"] == r["indicator_id"] and _same_day(e["date"], r["date"])
                for e in ledger):
            continue
        mechanism = r.pop("indicator_id")
        event = found.setdefault(r["id"], {**r, "mechanisms": []})
        event["mechanisms"].append(mechanism)
    return sorted(found.values(), key=lambda e: (_pad(e["date"]), e["id"]))


def _on_or_after(date: str, start: str) -> bool:
    """``date`` >= ``start``, compared at the coarser of the two precisions."""
    n = min(len(date), len(start))
    return date[:n] >= start[:n]


def _same_day(a: str, b: str) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _pad(date: str) -> str:
    from tracker.trends import pad

    return pad(date)


__all__ = ["LEFT", "TOOK_PART", "Membership", "Profile", "TrackerError", "profile", "resolve"]
