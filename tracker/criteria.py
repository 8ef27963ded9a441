"""The essay's six criteria of a special purpose international collaboration, per mechanism.

Letwin (2023) asks of such a collaboration that it be formed outside the UN and outside
existing structures; radically multipolar; not dependent on any one power or small set;
single purpose, without mission creep; that it require no shared domestic values; and that
it be cooperation among states. Three of these are read from the mechanism's own texts by
an analyst (the catalog's ``criteria:`` block); three are computed here from the ledger
and the recorded counts, with the rules below (also in docs/catalog.md). A ledger that is
not complete only gives a floor, and says so. Binding or voluntary is not a criterion.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from tracker.queries import IN_ROLES

if TYPE_CHECKING:
    from sqlite_utils import Database

RULE_URL = "https://www.kcl.ac.uk/research/special-purpose-international-collaboration"
"""The essay: the source of every criterion's rule."""

LABELS = {
    "outside_structures": "Outside the UN and existing structures",
    "multipolar": "Radically multipolar",
    "not_dependent": "Not dependent on one power or a small set",
    "single_purpose": "Single purpose, no mission creep",
    "no_shared_values": "No shared domestic values required",
    "among_states": "Cooperation among states",
}
"""The six criteria, in the essay's order."""
SHORT = {"outside_structures": "Outside", "multipolar": "Multipolar",
         "not_dependent": "Not dependent", "single_purpose": "Single purpose",
         "no_shared_values": "No shared values", "among_states": "Among states"}
COMPUTED = ("multipolar", "not_dependent", "among_states")
POINTS = {"yes": 2, "partly": 1, "no": 0, "unknown": 0}
RANK = {"no": 0, "partly": 1, "yes": 2}
SMALL_SET = 7
"""At most this many states is a small set (the size of the G7): the mechanism rests on it,
and a group this small that holds more than half of a mechanism's states carries it."""
BROAD = 20
"""From this many states on, no single state is indispensable by number alone."""
STATE_KINDS = ("country", "intergovernmental")
_CONF = ("low", "medium", "high")


@dataclass(frozen=True)
class Assessed:
    """One criterion of one mechanism as shown: value, why, how sure, from where."""

    key: str
    label: str
    value: str
    """``yes``, ``partly``, ``no`` or ``unknown``."""
    rationale: str
    confidence: str
    source: str
    basis: str
    """``reading`` (the analyst's, from the texts), ``ledger`` (complete), ``floor``
    (an incomplete ledger: the value may be higher), ``count`` (the recorded counts),
    ``fallback`` (the analyst's reading where the ledger cannot answer), ``reading`` (read
    from the texts, or a reading that holds a computed value down) or ``none``."""

    @property
    def shown(self) -> str:
        """The value with its caveat: ``partly (floor)``, ``unknown``."""
        return f"{self.value} (floor)" if self.basis == "floor" and self.value != "yes" \
            else self.value


@dataclass(frozen=True)
class Fit:
    """How well a mechanism fits the essay's idea, from the six criteria."""

    level: str
    """``strong``, ``partial`` or ``weak``."""
    provisional: bool
    """Unknown criteria or floors could change the level."""
    rationale: str

    @property
    def shown(self) -> str:
        """``partial`` or ``partial (provisional)``."""
        return self.level + (" (provisional)" if self.provisional else "")


@dataclass(frozen=True)
class MechanismCriteria:
    """A mechanism's six criteria and its fit."""

    mechanism_id: str
    criteria: list[Assessed] = field(default_factory=list)
    fit: Fit | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (with the rules' source)."""
        return {"rule_source": RULE_URL,
                "criteria": [{**asdict(c), "shown": c.shown} for c in self.criteria],
                "fit": None if self.fit is None else {**asdict(self.fit),
                                                      "shown": self.fit.shown}}


@dataclass
class Facts:
    """What the computed criteria look at, for one mechanism."""

    parties: dict[str, str] = field(default_factory=dict)
    """Participating party -> its kind (country, intergovernmental, company, ...)."""
    confidences: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    has_ledger: bool = False
    complete: bool = False
    counts: dict[str, tuple[float, str, str]] = field(default_factory=dict)
    """Field -> (current value, confidence, source) for participant/organisation/company
    counts (``participant_count`` counts states only) and a resolution's votes in favour
    (``plenary_votes``, ``first_committee_votes``: states that voted for it)."""
    required_group: str | None = None
    """A group whose members the treaty needs to enter into force."""


def fit_of(values: list[str], floors: list[bool]) -> Fit:
    """The fit from the six values (``unknown`` for a criterion that cannot be said).

    Points: yes 2, partly 1, no or unknown 0, out of 12. *strong*: 11 or more, no ``no``,
    nothing unknown; *weak*: two or more ``no``, or 5 points or fewer; *partial*:
    otherwise. The fit is *provisional* when reading every unknown and every floor as
    ``yes`` would give another level.
    """
    level = _level(values)
    best = _level(["yes" if v == "unknown" or fl else v for v, fl in zip(values, floors)])
    score = sum(POINTS[v] for v in values)
    counts = Counter(values)
    parts = [f"{score} of 12 points ({counts['yes']} yes, {counts['partly']} partly, "
             f"{counts['no']} no" + (f", {counts['unknown']} unknown" if counts["unknown"]
                                     else "") + ")"]
    if best != level:
        parts.append(f"could be {best} once unknowns and floors are settled")
    return Fit(level, best != level, "; ".join(parts))


def _level(values: list[str]) -> str:
    score = sum(POINTS[v] for v in values)
    noes = values.count("no")
    if score >= 11 and noes == 0 and "unknown" not in values:
        return "strong"
    if noes >= 2 or score <= 5:
        return "weak"
    return "partial"


def assess(typed: dict[str, dict[str, Any]], facts: Facts,
           groups: dict[str, list[str]]) -> list[Assessed]:
    """The six criteria of one mechanism: read ones as typed, computed ones from ``facts``.

    Args:
        typed: criterion -> {value, rationale, confidence, source} from the catalog.
        groups: group id -> member states (countries only; ``G7`` and ``G20`` are used
            for multipolarity).
    """
    out = []
    for key, label in LABELS.items():
        found = None
        if key == "multipolar":
            found = _multipolar(facts, groups)
        elif key == "not_dependent":
            found = _not_dependent(facts, groups)
        elif key == "among_states":
            found = _among_states(facts)
        row = typed.get(key)
        if found is not None and found[0] == "unknown" and row and row.get("value"):
            found = None  # the reading stands in where the ledger cannot answer
        if found is not None and row and row.get("value") and \
                RANK[row["value"]] < RANK[found[0]]:
            # A reading can hold a computed value down (a convenor the ledger cannot see),
            # never lift it.
            found = (row["value"], f"{found[1]}; held at {row['value']} by the reading: "
                     f"{row['rationale']}", row["confidence"], row["source"], "reading")
        if found is None:
            if row and row.get("value"):
                basis = "fallback" if key in COMPUTED else "reading"
                why = row["rationale"] + (" (no ledger or count to compute it from)"
                                          if basis == "fallback" else "")
                found = (row["value"], why, row["confidence"], row["source"], basis)
            elif key in COMPUTED:
                found = ("unknown", "Insufficient ledger: no ledger or count to compute it "
                         "from, and no reading recorded", "low", RULE_URL, "none")
            else:
                found = ("unknown", "Not assessed", "low", RULE_URL, "none")
        out.append(Assessed(key, label, *found))
    return out


def _ledger_conf(facts: Facts) -> str:
    if not facts.confidences:
        return "low"
    ranks = sorted(_CONF.index(c) for c in facts.confidences if c in _CONF)
    median = _CONF[ranks[len(ranks) // 2]] if ranks else "low"
    return median if facts.complete or median == "low" else "medium"


def _ledger_source(facts: Facts) -> str:
    return Counter(facts.sources).most_common(1)[0][0] if facts.sources else RULE_URL


def _states(facts: Facts) -> set[str]:
    return {p for p, kind in facts.parties.items() if kind == "country"}


def _multipolar(facts: Facts, groups: dict[str, list[str]]):
    if not facts.has_ledger or not facts.parties:
        return None
    if "G7" not in groups or "G20" not in groups:
        return ("unknown", "The catalog declares no G7 and G20 groups to compute it from",
                "low", RULE_URL, "none")
    g7 = set(groups["G7"])
    others = set(groups["G20"]) - g7
    states = _states(facts)
    usa, chn = "USA" in states, "CHN" in states
    in_g7, in_others = len(states & g7), len(states & others)
    powers = ("US and China both in" if usa and chn else
              "US in, China not" if usa else "China in, US not" if chn else
              "neither the US nor China")
    spans = f"G7 {in_g7}/{len(g7)}, G20 non-G7 {in_others}/{len(others)}"
    if not states:
        value, why = "no", "no state among its parties"
    elif len(states) < 3:
        value, why = "no", f"{len(states)} state(s): bilateral at most, not multipolar"
    elif not in_g7 or not in_others:
        value, why = "no", f"one side only ({spans}); {powers}"
    elif usa and chn and in_g7 * 2 >= len(g7) and in_others * 2 >= len(others):
        value, why = "yes", f"{powers}; spans both ({spans})"
    else:
        value, why = "partly", f"{powers}; {spans} (yes needs both powers and half of each)"
    basis = "ledger" if facts.complete else "floor"
    if not facts.complete:
        why += "; incomplete ledger"
    return value, why, _ledger_conf(facts), _ledger_source(facts), basis


VOTES = ("plenary_votes", "first_committee_votes")
"""A resolution's votes in favour, the plenary's first: each counts states that back it."""


def _recorded_states(facts: Facts) -> tuple[tuple[float, str, str], str] | None:
    """The recorded count of states (value, confidence, source) and what it is: the
    participant count, else a resolution's latest votes in favour."""
    if "participant_count" in facts.counts:
        return facts.counts["participant_count"], "the recorded count"
    for field_ in VOTES:
        if field_ in facts.counts:
            return facts.counts[field_], "the recorded votes in favour"
    return None


def _state_count(facts: Facts) -> tuple[int, str, str, str, str]:
    """The number of participating states: the ledger's, or the recorded count if higher."""
    ledger = len(_states(facts)) if facts.has_ledger else 0
    found = _recorded_states(facts)
    recorded, whence = found if found else (None, "")
    if recorded and recorded[0] > ledger and not (facts.has_ledger and facts.complete):
        return int(recorded[0]), "count", whence, recorded[1], recorded[2]
    basis = "ledger" if facts.complete else "floor"
    return ledger, basis, "the complete ledger" if facts.complete else \
        "the incomplete ledger", _ledger_conf(facts), _ledger_source(facts)


def _not_dependent(facts: Facts, groups: dict[str, list[str]]):
    if _recorded_states(facts) is None and not facts.parties and not facts.complete:
        return None  # no ledger, or one holding nobody yet: it cannot say
    n, basis, whence, conf, source = _state_count(facts)
    states = _states(facts)
    heavy = []
    if len(states) >= 3:
        for gid, members in sorted(groups.items()):
            inside = len(states & set(members))
            if len(members) <= SMALL_SET and inside * 2 > len(states):
                heavy.append(f"{inside} of its {len(states)} recorded states are {gid} members")
    if facts.required_group:
        heavy.append(f"entry into force needs {facts.required_group} members")
    if n == 0:
        value, why = "no", f"no state among its parties (from {whence})"
    elif n <= SMALL_SET:
        value, why = "no", f"{n} states (from {whence}): rests on a small set"
    elif n < BROAD or heavy:
        value = "partly"
        why = f"{n} states (from {whence})" + (f"; {'; '.join(heavy)}" if heavy else
                                               f"; fewer than {BROAD}")
    else:
        value, why = "yes", f"{n} states (from {whence}); no small group holds half of them"
    return value, why, conf, source, basis


def _among_states(facts: Facts):
    if facts.has_ledger and facts.parties:
        kinds = Counter("state" if k in STATE_KINDS else "other" for k in facts.parties.values())
        if kinds["other"] == 0:
            value, why = "yes", f"all {kinds['state']} parties are states or organisations of states"
        elif kinds["state"] == 0:
            value, why = "no", f"no state among its {kinds['other']} parties (companies or others)"
        else:
            value, why = "partly", (f"{kinds['state']} states or organisations of states with "
                                    f"{kinds['other']} companies or other parties")
        basis = "ledger" if facts.complete else "floor"
        return value, why + ("" if facts.complete else "; incomplete ledger"), \
            _ledger_conf(facts), _ledger_source(facts), basis
    found = _recorded_states(facts)
    states = found[0] if found else None
    orgs = facts.counts.get("organisation_count")
    companies = facts.counts.get("company_count")
    if not (states or orgs or companies):
        return None
    ns = (states[0] if states else 0) + (orgs[0] if orgs else 0)
    nc = companies[0] if companies else 0
    used = [c for c in (states, orgs, companies) if c]
    conf = min((c[1] for c in used), key=_CONF.index)
    if ns and nc:
        value, why = "partly", f"{int(ns)} states or organisations with {int(nc)} companies"
    elif ns:
        value, why = "yes", f"{int(ns)} states or organisations recorded, no companies"
    else:
        value, why = "no", f"{int(nc)} companies recorded, no states"
    return value, why + " (from the recorded counts)", conf, used[0][2], "count"


def load(db: Database) -> dict[str, MechanismCriteria]:
    """Every live mechanism's six criteria and fit, computed from the store."""
    typed: dict[str, dict[str, dict[str, Any]]] = {}
    if db["criteria"].exists():
        for r in db.query("SELECT * FROM criteria ORDER BY mechanism_id, position"):
            typed.setdefault(r["mechanism_id"], {})[r["criterion"]] = r
    mechs = db.execute("SELECT id, entry_into_force FROM indicators WHERE category_id = "
                       "'mechanisms' AND retired_at IS NULL ORDER BY position").fetchall()
    facts = {m: Facts() for m, _ in mechs}
    for m, rule in mechs:
        if rule:
            facts[m].required_group = json.loads(rule).get("group")
    for m, complete in db.execute("SELECT mechanism_id, complete FROM ledgers").fetchall():
        if m in facts:
            facts[m].has_ledger, facts[m].complete = True, bool(complete)
    kinds = dict(db.execute("SELECT code, kind FROM parties").fetchall())
    latest: dict[tuple[str, str], tuple[str, str, str]] = {}
    for m, party, role, conf, source in db.execute(
            "SELECT mechanism_id, party, role, confidence, source FROM memberships "
            "ORDER BY date, id").fetchall():
        latest[(m, party)] = (role, conf, source)
    for (m, party), (role, conf, source) in latest.items():
        if m in facts and role in IN_ROLES:
            f = facts[m]
            f.has_ledger = True
            f.parties[party] = kinds.get(party, "other")
            f.confidences.append(conf)
            f.sources.append(source)
    for m, fld, value, conf, source in db.execute(  # the mechanisms' values only
            "SELECT indicator_id, field, value, confidence, source FROM current_values "
            "WHERE field IN ('participant_count', 'organisation_count', 'company_count', "
            f"'plenary_votes', 'first_committee_votes') AND indicator_id IN "
            f"({', '.join('?' for _ in facts)})", list(facts)):
        if m in facts:
            try:
                facts[m].counts[fld] = (float(value), conf, source)
            except ValueError:
                continue
    groups = {gid: [p for p in g["members"] if kinds.get(p) == "country"]
              for gid, g in _groups(db).items()}
    out = {}
    for m, _ in mechs:
        if m not in typed:
            out[m] = MechanismCriteria(m)
            continue
        items = assess(typed[m], facts[m], groups)
        out[m] = MechanismCriteria(m, items, fit_of([c.value for c in items],
                                                    [c.basis == "floor" for c in items]))
    return out


def _groups(db: Database) -> dict[str, dict[str, Any]]:
    from tracker.queries import groups

    return groups(db)
