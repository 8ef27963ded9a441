"""The shipped membership ledgers: who is covered, hosts, dates, sources and completeness."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pytest

from tracker.catalog import MECHANISMS, load_catalog, shipped_catalog_path
from tracker.catalog.checks import is_country
from tracker.dates import start_of, utcnow
from tracker.queries import IN_ROLES

# The research material the catalog is built from runs to about 10 July 2026; no party can
# be known to have joined after it.
COVERAGE = "2026-07-10"

# Mechanisms whose parties are not public states, organisations or companies, with why.
NO_PUBLIC_PARTIES = {
    "un-scientific-panel": "40 experts serving in their personal capacity, not states",
    "un-global-dialogue": "open to every UN member state; no list of participants",
    "new-delhi-frontier-commitments": "13 developers per a weak tracker; none named",
    "haip-reporting-framework": "reporting organisations are not named in the sources",
    "waico": "proposed; no founding instrument or membership",
    "singapore-consensus": "researchers, not parties",
    "ai-summit-series": "a series of summits; each declaration has its own ledger",
    "global-digital-compact": "adopted within the Pact for the Future; no co-sponsor or vote list",
    "cern-for-ai": "a proposal with no members",
}

# The host or convener of each mechanism, who is a party of its own text. REAIM's hosts
# are presumed (low confidence): no page found names them among the endorsers.
HOSTS = {
    "bletchley-declaration": ["GBR"],
    "seoul-declaration": ["KOR", "GBR"],
    "seoul-ministerial-statement": ["KOR", "GBR"],
    "paris-statement": ["FRA", "IND"],
    "new-delhi-declaration": ["IND"],
    "aisi-network": ["USA"],
    "g7-code-of-conduct": ["JPN"],
    "g7-ai-for-prosperity": ["CAN"],
    "pax-silica": ["USA"],
    "reaim-blueprint": ["KOR", "NLD", "SGP", "KEN", "GBR"],
    "reaim-pathways": ["ESP"],
    "political-declaration-military-ai": ["USA"],
    "international-ai-safety-report": ["GBR"],
    "haip-friends-group": ["JPN"],
    "us-china-ai-dialogue": ["USA", "CHN"],
    "current-ai": ["FRA"],
    "unga-78-265": ["USA"],
    "unga-ai-capacity-building": ["CHN"],
}

CONFIDENCES = {"high", "medium", "low"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(shipped_catalog_path())


def _latest_roles(ledger) -> dict[str, str]:
    """Each party's latest role, as the store and the headline figures read a ledger."""
    latest: dict[str, str] = {}
    for entry in sorted(ledger.entries, key=lambda e: start_of(e.date)):
        latest[entry.party] = entry.role
    return latest


def _split(catalog, parties):
    """(states, organisations) among ``parties``; companies are neither."""
    kinds = {code: org.kind for code, org in catalog.model.organisations.items()}
    states = {p for p in parties if is_country(p)}
    orgs = {p for p in parties if kinds.get(p) == "intergovernmental"}
    return states, orgs


def _end_of(year: int, month: int | None, day: int | None) -> dt.date:
    if day:
        return dt.date(year, month, day)
    if month:
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, 12, 31)


_URL_DATE = re.compile(r"(?<!\d)(20\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?!\d)")


def _published(url: str) -> dt.date | None:
    """The latest day a page can have been written on, when its address carries a date."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    year, month, day = match.groups()
    return _end_of(int(year), int(month), int(day) if day else None)


def test_every_mechanism_has_a_ledger_or_a_reason(catalog):
    mechanisms = {i.id for i in catalog.model.indicators if i.category == MECHANISMS}
    ledgers = set(catalog.model.memberships)
    unexplained = mechanisms - ledgers - set(NO_PUBLIC_PARTIES)
    assert not unexplained, f"mechanisms with neither a ledger nor a reason: {sorted(unexplained)}"
    assert not ledgers & set(NO_PUBLIC_PARTIES), "a mechanism listed as having no public parties has a ledger"
    assert set(NO_PUBLIC_PARTIES) <= mechanisms, "a reason names a mechanism the catalog does not have"
    assert len(ledgers) >= 25


@pytest.mark.parametrize("mechanism", sorted(HOSTS))
def test_hosts_are_parties_of_their_own_texts(catalog, mechanism):
    latest = _latest_roles(catalog.model.memberships[mechanism])
    for host in HOSTS[mechanism]:
        assert latest.get(host) in IN_ROLES, f"{mechanism}: host {host} is {latest.get(host)}"


def test_both_powers_are_in_their_own_dialogue(catalog):
    latest = _latest_roles(catalog.model.memberships["us-china-ai-dialogue"])
    assert {p for p, role in latest.items() if role in IN_ROLES} == {"USA", "CHN"}


def test_no_party_joins_after_the_sources_or_the_clock(catalog):
    today = utcnow().date()
    late = [(mid, e.party, e.date) for mid, ledger in catalog.model.memberships.items()
            for e in ledger.entries
            if start_of(e.date) > start_of(COVERAGE) or start_of(e.date) > today]
    assert not late, f"entries dated after {COVERAGE} or today: {late}"


def test_no_party_joins_after_the_page_that_reports_it(catalog):
    """A joining date later than the page's own date is a reading date, not a joining date."""
    wrong = []
    for mid, ledger in catalog.model.memberships.items():
        for e in ledger.entries:
            published = _published(catalog.source_url(e.source))
            if published and start_of(e.date) > published:
                wrong.append((mid, e.party, e.date, e.source))
    assert not wrong, wrong


def test_the_page_date_check_reads_addresses():
    assert _published("https://x.org/2023/11/01/story/") == dt.date(2023, 11, 1)
    assert _published("https://x.de/nachrichten-2025-02/64522404-y.htm") == dt.date(2025, 2, 28)
    assert _published("https://x.org/news/2026-02-24-item") == dt.date(2026, 2, 24)
    assert _published("https://x.org/?p=72572") is None
    assert _published("https://x.org/article/12020231") is None


def test_every_entry_has_a_source_a_confidence_and_a_date(catalog):
    for mid, ledger in catalog.model.memberships.items():
        for e in ledger.entries:
            url = catalog.source_url(e.source)
            assert url.startswith(("http://", "https://")), (mid, e.party, e.source)
            assert "shared/" not in url, (mid, e.party, "cites the research notes, not a source")
            assert e.confidence in CONFIDENCES, (mid, e.party)
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", e.date), (mid, e.party, e.date)


def test_a_party_appears_once_per_role_and_date(catalog):
    for mid, ledger in catalog.model.memberships.items():
        keys = [(e.party, e.role, e.date) for e in ledger.entries]
        assert len(keys) == len(set(keys)), f"{mid}: duplicate entries"


def test_every_ledger_says_what_it_is_and_what_is_missing(catalog):
    for mid, ledger in catalog.model.memberships.items():
        assert ledger.note, f"{mid}: a ledger note gives its sourced count"
        if not ledger.complete:
            assert "missing" in ledger.note, f"{mid}: an incomplete ledger says what is missing"


def _sourced_counts(catalog, mechanism):
    """The latest recorded counts of states, organisations and companies of a mechanism."""
    values = catalog.indicators_by_id[mechanism].values
    latest = {}
    for field in ("participant_count", "organisation_count", "company_count"):
        if values.get(field):
            # The newest value; of values with the same date, the one listed last.
            latest[field] = sorted(values[field], key=lambda v: start_of(v.as_of))[-1].value
    return latest


def test_complete_ledgers_match_the_recorded_count(catalog):
    """A complete ledger holds exactly the sourced number of states (and organisations).

    ``participant_count`` counts states only once the catalog has a separate
    ``organisation_count`` field; before that split, a count may include the organisations.
    """
    fields = next(c.fields for c in catalog.model.categories if c.id == MECHANISMS)
    split = "organisation_count" in fields
    checked = 0
    for mid, ledger in catalog.model.memberships.items():
        if not ledger.complete:
            continue
        latest = _latest_roles(ledger)
        states, orgs = _split(catalog, [p for p, role in latest.items() if role in IN_ROLES])
        counts = _sourced_counts(catalog, mid)
        companies = {p for p, role in latest.items()
                     if role in IN_ROLES and p not in states | orgs}
        if companies and "company_count" in counts:
            checked += 1
            assert counts["company_count"] == len(companies), (mid, len(companies), counts)
        if "participant_count" not in counts:
            continue
        checked += 1
        allowed = {len(states)} if split else {len(states), len(states) + len(orgs)}
        assert counts["participant_count"] in allowed, (
            f"{mid}: complete ledger has {len(states)} states and {len(orgs)} organisations, "
            f"the catalog records {counts['participant_count']}")
        if split and "organisation_count" in counts:
            assert counts["organisation_count"] == len(orgs), mid
    assert checked >= 5


def test_incomplete_ledgers_hold_fewer_states_than_recorded(catalog):
    """Where a count exists, an incomplete ledger never claims more states than it."""
    for mid, ledger in catalog.model.memberships.items():
        counts = _sourced_counts(catalog, mid)
        if ledger.complete or "participant_count" not in counts:
            continue
        latest = _latest_roles(ledger)
        states, _ = _split(catalog, [p for p, role in latest.items() if role in IN_ROLES])
        assert len(states) < counts["participant_count"], (mid, len(states), counts)


def test_companies_are_parties_only_of_company_mechanisms(catalog):
    kinds = {code: org.kind for code, org in catalog.model.organisations.items()}
    company_ledgers = {mid for mid, ledger in catalog.model.memberships.items()
                       if any(kinds.get(e.party) == "company" for e in ledger.entries)}
    assert company_ledgers == {"frontier-ai-safety-commitments", "eu-gpai-code-of-practice"}


@pytest.mark.parametrize("group", ["G7", "G20", "COE"])
def test_membership_groups_cite_their_own_lists_not_wiki_mirrors(catalog, group):
    g = catalog.model.groups[group]
    url = catalog.source_url(g.source)
    assert "wiki" not in url and g.confidence != "low", (group, url)
    assert g.note, group


def test_group_lists_are_consistent(catalog):
    groups = catalog.model.groups
    assert set(groups["G7"].members) < set(groups["G20"].members)
    assert len(groups["G20"].members) == 21  # 19 countries, the EU and the African Union
    assert "RUS" not in groups["COE"].members and len(set(groups["COE"].members)) == 46
