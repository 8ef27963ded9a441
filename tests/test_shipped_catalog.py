"""The shipped catalog holds every row of the research page's tables, and what changed since."""

from __future__ import annotations

import pytest

from tracker.catalog import MECHANISMS, load_catalog, shipped_catalog_path

# Every row of every table of "International Coordination: Research Report", by table.
RESEARCH_PAGE = {
    "key-findings": ["No binding treaties", "Soft law growing", "US-China divide",
                     "AI Safety Institutes", "Timeline pressure"],
    "mechanism-types": ["Treaties", "Soft law", "Standards", "Institutions", "Bilateral"],
    "treaty-precedents": ["Nuclear", "Chemical weapons", "Climate", "Cyber", "AI"],
    "mechanisms": ["Bletchley Declaration", "Seoul Declaration", "G7 AI Code of Conduct",
                   "GPAI", "AI Safety Institutes network"],
    "cooperation-dimensions": ["Safety research", "Standards", "Military AI", "Commercial AI",
                               "Dialogue"],
    "regional-approaches": ["EU", "US", "China", "UK", "Others"],
    "institutions": ["UN", "ITU", "OECD", "ISO", "Custom body"],
    "obstacles": ["Strategic competition", "Sovereignty concerns", "Pace mismatch",
                  "Verification difficulty", "Capability diffusion"],
    "enablers": ["Shared risk perception", "Technical community", "Safety incidents",
                 "Economic interdependence", "Norm entrepreneurship"],
    "feasibility": ["Information sharing", "Hot lines", "Confidence building",
                    "Technical standards", "Compute monitoring", "Incident reporting",
                    "Evaluation standards", "Mutual recognition", "Binding treaty",
                    "International body", "Compute governance", "Racing limits"],
    "scenarios": ["Racing continues", "Governance gaps", "Lowest common denominator",
                  "Incident response", "National focus", "Coalition of willing",
                  "Technical track", "Long timeline"],
    "related-parameters": ["Societal Trust", "Governance", "Coordination Capacity",
                           "Regulatory Capacity"],
}
POLICY_PAPER = {
    "domains": ["Agricultural development", "Educational technology", "Cybersecurity",
                "Environmental monitoring", "Healthcare innovation"],
    "pathways": ["Institutional alignment", "Strategic benefits", "Risk mitigation"],
}
BASELINE_DATE = "2024-06"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(shipped_catalog_path())


def _names(catalog, category):
    return [i.name for i in catalog.model.indicators if i.category == category]


@pytest.mark.parametrize("category", sorted({**RESEARCH_PAGE, **POLICY_PAPER}))
def test_every_row_is_in_the_catalog(catalog, category):
    expected = {**RESEARCH_PAGE, **POLICY_PAPER}[category]
    names = _names(catalog, category)
    missing = [n for n in expected if n not in names]
    assert not missing, f"{category}: missing {missing}"


def test_research_page_rows_have_a_mid_2024_baseline_from_the_page(catalog):
    page = catalog.model.references["research-page"].url
    for category, names in RESEARCH_PAGE.items():
        for ind in catalog.model.indicators:
            if ind.category != category or ind.name not in names:
                continue
            firsts = [vals[0] for vals in ind.values.values()]
            assert firsts, ind.id
            assert any(v.as_of == BASELINE_DATE and catalog.source_url(v.source) == page
                       for v in firsts), ind.id


def test_feasibility_rows_are_in_three_tiers(catalog):
    tiers = [i.tier for i in catalog.model.indicators
             if i.category == "feasibility" and i.name in RESEARCH_PAGE["feasibility"]]
    assert sorted(tiers) == [1] * 4 + [2] * 4 + [3] * 4


def test_every_mechanism_has_criteria(catalog):
    mechanisms = [i for i in catalog.model.indicators if i.category == MECHANISMS]
    assert len(mechanisms) >= 20
    assert all(m.criteria is not None and m.kind for m in mechanisms)


@pytest.mark.parametrize("mechanism", [
    "bletchley-declaration", "seoul-declaration", "paris-statement", "new-delhi-declaration",
    "cets-225", "aisi-network", "gpai", "g7-code-of-conduct"])
def test_required_membership_ledgers_exist(catalog, mechanism):
    ledger = catalog.model.memberships[mechanism]
    assert ledger.entries
    assert ledger.complete or ledger.note, "an incomplete ledger says what is known"


@pytest.mark.parametrize("mechanism", [
    "cets-225", "paris-statement", "new-delhi-declaration", "un-scientific-panel",
    "un-global-dialogue", "frontier-ai-safety-commitments", "haip-reporting-framework",
    "reaim-blueprint", "political-declaration-military-ai"])
def test_mechanisms_the_baseline_lacks_have_rows(catalog, mechanism):
    assert catalog.indicators_by_id[mechanism].category == MECHANISMS


def test_changes_since_the_baseline_are_recorded(catalog):
    gpai = catalog.indicators_by_id["gpai"].values["participant_count"]
    assert [v.value for v in gpai][:1] == [29]
    # 44 members (OECD, July 2024): the 38 OECD members and six GPAI countries; the
    # European Union, a founding member, is counted apart.
    assert 44 in [v.value for v in gpai]
    orgs = catalog.indicators_by_id["gpai"].values["organisation_count"]
    assert [v.value for v in orgs] == [1]
    changed = [i for i in catalog.model.indicators
               if any(v.as_of > BASELINE_DATE for vals in i.values.values() for v in vals)
               and i.category in RESEARCH_PAGE]
    assert len(changed) >= 25


def test_groups_are_data(catalog):
    groups = catalog.model.groups
    assert len(groups["G7"].members) == 7
    assert {"USA", "CHN", "EU", "AU"} <= set(groups["G20"].members)
    assert len(groups["COE"].members) == 46


def test_events_include_the_timeline_and_announced_ones(catalog):
    dates = [e.date for e in catalog.model.events]
    assert len(dates) >= 70
    assert any(d >= "2027" for d in dates)


def test_every_mechanism_shows_the_six_criteria_and_a_fit(catalog, tmp_path):
    from tracker import criteria
    from tracker.store import Store
    from tracker.sync import sync

    store = Store.open(tmp_path / "shipped.db")
    sync(store, catalog)
    found = criteria.load(store.db)
    mechanisms = [i.id for i in catalog.model.indicators if i.category == MECHANISMS]
    assert set(found) == set(mechanisms)
    for mid in mechanisms:
        assert [c.key for c in found[mid].criteria] == list(criteria.LABELS), mid
        assert found[mid].fit.level in ("strong", "partial", "weak"), mid
        assert all(c.rationale and c.source for c in found[mid].criteria), mid
    # The lens no longer calls a bloc, a bilateral or a values treaty an ideal case.
    for mid in ("pax-silica", "us-china-ai-dialogue", "cets-225"):
        assert found[mid].fit.level == "weak", mid
    store.close()


# The page's own columns per table, in page order (counts derived from them, and the
# catalog's later level fields, are not page columns).
PAGE_COLUMNS = {
    "key-findings": ["key_data", "implication"],
    "mechanism-types": ["description", "ai_status"],
    "treaty-precedents": ["time_to_treaty", "lessons"],
    "mechanisms": ["participants", "status", "enforcement"],
    "cooperation-dimensions": ["cooperation_level", "obstacle"],
    "regional-approaches": ["approach", "status"],
    "institutions": ["ai_mandate", "effectiveness"],
    "obstacles": ["mechanism", "severity"],
    "enablers": ["mechanism", "status"],
    "feasibility": ["description", "feasibility"],
    "scenarios": ["description"],
    "related-parameters": ["connection"],
}


def test_every_research_page_row_reads_exactly_as_the_page(catalog):
    """Name plus the first value of each page column, as the page prints the row (its table
    cells run together in the text copy of the page, tests/data/research-page.txt)."""
    from pathlib import Path

    page = set((Path(__file__).parent / "data" / "research-page.txt").read_text().splitlines())
    url = catalog.model.references["research-page"].url
    rows = 0
    for category, names in RESEARCH_PAGE.items():
        for ind in catalog.model.indicators:
            if ind.category != category or ind.name not in names:
                continue
            cells = []
            for field in PAGE_COLUMNS[category]:
                first = ind.values[field][0]
                assert catalog.source_url(first.source) == url, (ind.id, field)
                assert first.as_of == BASELINE_DATE, (ind.id, field)
                cells.append(str(first.value))
            line = ind.name + "".join(cells)
            assert line in page, f"{ind.id}: {line!r} is not a row of the page"
            rows += 1
    assert rows == 69
