"""The essay's six criteria: computed from a small ledger, read ones kept, and the fit rule."""

from __future__ import annotations

import pytest

from tracker import criteria
from tracker.criteria import Facts, assess, fit_of

G7 = ["CAN", "FRA", "DEU", "ITA", "JPN", "GBR", "USA"]
G20 = G7 + ["ARG", "AUS", "BRA", "CHN", "IND", "IDN", "MEX", "KOR", "ZAF", "RUS", "SAU", "TUR"]
GROUPS = {"G7": G7, "G20": G20}
READ = {k: {"value": "yes", "rationale": f"read {k}", "confidence": "medium",
            "source": "https://example.org/text"}
        for k in ("outside_structures", "single_purpose", "no_shared_values")}


def facts(parties: list[str], complete: bool = True, kinds: dict | None = None,
          **counts) -> Facts:
    kinds = kinds or {}
    return Facts(parties={p: kinds.get(p, "country") for p in parties},
                 confidences=["high"] * len(parties),
                 sources=["https://example.org/ledger"] * len(parties),
                 has_ledger=True, complete=complete,
                 counts={k: (v, "medium", "https://example.org/count")
                         for k, v in counts.items()})


def by_key(items) -> dict:
    return {c.key: c for c in items}


def test_both_powers_spanning_both_sides_is_multipolar():
    broad = G7 + ["CHN", "IND", "BRA", "IDN", "ZAF", "SAU", "KEN", "NGA"]
    found = by_key(assess(READ, facts(broad), GROUPS))
    assert found["multipolar"].value == "yes"
    assert found["multipolar"].basis == "ledger"
    assert "US and China both in" in found["multipolar"].rationale
    assert found["not_dependent"].value == "partly"  # 15 states: fewer than 20
    assert found["among_states"].value == "yes"


def test_only_one_power_is_at_most_partly_and_one_side_only_is_no():
    one = by_key(assess(READ, facts(G7 + ["IND", "BRA", "IDN", "KOR", "AUS", "ZAF"]), GROUPS))
    assert one["multipolar"].value == "partly"
    assert "US in, China not" in one["multipolar"].rationale
    g7_only = by_key(assess(READ, facts(G7), GROUPS))
    assert g7_only["multipolar"].value == "no" and "one side only" in \
        g7_only["multipolar"].rationale
    assert g7_only["not_dependent"].value == "no"  # seven states: a small set
    bilateral = by_key(assess(READ, facts(["USA", "CHN"]), GROUPS))
    assert bilateral["multipolar"].value == "no" and bilateral["not_dependent"].value == "no"


def test_incomplete_ledger_gives_a_floor_and_a_larger_recorded_count_is_used():
    found = by_key(assess(READ, facts(G7 + ["IND"], complete=False, participant_count=40),
                          GROUPS))
    assert found["multipolar"].basis == "floor"
    assert found["multipolar"].shown == "partly (floor)"
    assert "incomplete ledger" in found["multipolar"].rationale
    # 40 recorded states, but the G7 holds 7 of the 8 recorded: it carries the mechanism.
    assert found["not_dependent"].basis == "count"
    assert found["not_dependent"].value == "partly"
    assert "7 of its 8 recorded states are G7 members" in found["not_dependent"].rationale


def test_companies_and_missing_ledgers():
    kinds = {"OPENAI": "company", "ZHIPU": "company"}
    mixed = by_key(assess(READ, facts(["USA", "GBR", "OPENAI"], kinds=kinds), GROUPS))
    assert mixed["among_states"].value == "partly"
    firms = by_key(assess(READ, facts(["OPENAI", "ZHIPU"], kinds=kinds), GROUPS))
    assert firms["among_states"].value == "no" and firms["multipolar"].value == "no"
    nothing = by_key(assess(READ, Facts(), GROUPS))
    for key in criteria.COMPUTED:
        assert nothing[key].value == "unknown" and nothing[key].basis == "none"
        assert "Insufficient ledger" in nothing[key].rationale
    # Without a ledger, the analyst's reading is the fallback, said to be one.
    typed = {**READ, "multipolar": {"value": "no", "rationale": "Two powers", "confidence":
                                    "low", "source": "https://example.org/x"}}
    fallback = by_key(assess(typed, Facts(), GROUPS))["multipolar"]
    assert (fallback.value, fallback.basis) == ("no", "fallback")
    counted = by_key(assess(READ, Facts(counts={"company_count": (13, "medium", "u")}),
                            GROUPS))["among_states"]
    assert (counted.value, counted.basis) == ("no", "count")


def test_read_criteria_are_kept_as_written():
    found = by_key(assess(READ, facts(G7), GROUPS))
    assert found["single_purpose"].value == "yes"
    assert found["single_purpose"].basis == "reading"
    assert found["single_purpose"].source == "https://example.org/text"


@pytest.mark.parametrize("values, floors, level, provisional", [
    (["yes"] * 6, [False] * 6, "strong", False),
    (["yes"] * 5 + ["partly"], [False] * 6, "strong", False),
    (["yes"] * 4 + ["partly"] * 2, [False] * 6, "partial", False),
    (["yes"] * 5 + ["no"], [False] * 6, "partial", False),
    (["yes"] * 4 + ["no"] * 2, [False] * 6, "weak", False),
    (["partly"] * 5 + ["no"], [False] * 6, "weak", False),
    (["yes"] * 5 + ["unknown"], [False] * 6, "partial", True),
    (["yes", "no", "yes", "yes", "no", "yes"], [False, True] + [False] * 4, "weak", True),
])
def test_fit_rule(values, floors, level, provisional):
    fit = fit_of(values, floors)
    assert (fit.level, fit.provisional) == (level, provisional)
    assert "of 12 points" in fit.rationale


def test_criteria_in_the_store_follow_the_ledger(store, catalog):
    from tracker.sync import sync

    sync(store, catalog)
    found = criteria.load(store.db)["test-treaty"]
    assert [c.key for c in found.criteria] == list(criteria.LABELS)
    keys = by_key(found.criteria)
    assert keys["outside_structures"].rationale.startswith("Negotiated by its parties")
    assert keys["not_dependent"].value == "no"  # four states recorded
    assert found.as_dict()["rule_source"] == criteria.RULE_URL


def test_a_reading_holds_a_computed_value_down_but_never_lifts_it():
    convened = {**READ, "not_dependent": {"value": "partly", "rationale": "One state convenes "
                                          "it", "confidence": "medium",
                                          "source": "https://example.org/convenor"}}
    broad = facts([f"C{i:02d}" for i in range(30)])
    held = by_key(assess(convened, broad, GROUPS))["not_dependent"]
    assert (held.value, held.basis) == ("partly", "reading")
    assert held.rationale.startswith("30 states") and "held at partly by the reading: One " \
        "state convenes it" in held.rationale
    lifted = {**READ, "not_dependent": {**convened["not_dependent"], "value": "yes"}}
    small = by_key(assess(lifted, facts(G7), GROUPS))["not_dependent"]
    assert small.value == "no" and small.basis == "ledger"
    # Where the ledger cannot answer (no G7/G20 declared), the reading stands in.
    typed = {**READ, "multipolar": {"value": "no", "rationale": "Two powers", "confidence":
                                    "medium", "source": "https://example.org/x"}}
    stand_in = by_key(assess(typed, facts(["USA", "CHN", "GBR"]), {}))["multipolar"]
    assert (stand_in.value, stand_in.basis) == ("no", "fallback")


def test_an_incomplete_ledger_with_no_party_in_it_says_nothing_about_dependence():
    # A vote's ledger may hold only those who voted against (declined): no current party.
    empty = Facts(has_ledger=True, complete=False)
    found = by_key(assess(READ, empty, GROUPS))
    for key in criteria.COMPUTED:
        assert found[key].value == "unknown", (key, found[key])
    # A complete ledger that holds no state does answer: it rests on no state at all.
    done = by_key(assess(READ, Facts(has_ledger=True, complete=True), GROUPS))
    assert done["not_dependent"].value == "no"


def test_a_resolution_counts_the_states_that_voted_for_it(store, catalog_path):
    from tracker.catalog import load_catalog
    from tracker.sync import sync

    text = catalog_path.read_text().replace(
        "      status: {label: Status, scale: mechanism_status}",
        "      status: {label: Status, scale: mechanism_status}\n"
        "      first_committee_votes: {label: First Committee votes in favour, scale: parties}\n"
        "      plenary_votes: {label: Plenary votes in favour, scale: parties}")
    text = text.replace("\nmemberships:", """
  - id: test-resolution
    category: mechanisms
    name: Test resolution
    kind: resolution
    criteria:
      outside_structures: {value: "no", rationale: r, source: "https://example.org/r", confidence: high}
      single_purpose: {value: "yes", rationale: r, source: "https://example.org/r", confidence: high}
      no_shared_values: {value: "yes", rationale: r, source: "https://example.org/r", confidence: high}
    values:
      first_committee_votes:
        - {value: 160, as_of: 2025-11, source: "https://example.org/v1", confidence: high}
      plenary_votes:
        - {value: 165, as_of: 2025-12, source: "https://example.org/v2", confidence: high}

memberships:
  test-resolution:
    complete: false
    entries:
      - {party: RUS, role: declined, date: 2025-12-01, source: https://example.org/v2, confidence: high}""")
    catalog_path.write_text(text)
    sync(store, load_catalog(catalog_path))
    found = by_key(criteria.load(store.db)["test-resolution"].criteria)
    assert found["not_dependent"].value == "yes", found["not_dependent"]
    assert found["not_dependent"].rationale.startswith("165 states (from the recorded votes in "
                                                       "favour)")
    assert found["not_dependent"].source == "https://example.org/v2"
    assert found["among_states"].value == "yes"
    assert found["multipolar"].value == "unknown"  # who voted how is not in the ledger


@pytest.mark.parametrize("mechanism", [
    "aisi-network", "haip-friends-group", "political-declaration-military-ai",
    "international-ai-safety-report", "pax-silica", "waico"])
def test_a_mechanism_one_state_convenes_or_proposes_has_a_reading_of_dependence(mechanism):
    """The rule is applied alike: hosts and convenors are not in a ledger, so each such
    mechanism (a US, UK, Japanese or Chinese initiative) carries a not_dependent reading
    that holds the computed value down to partly or no."""
    from tracker.catalog import load_catalog, shipped_catalog_path

    ind = next(i for i in load_catalog(shipped_catalog_path()).model.indicators
               if i.id == mechanism)
    reading = ind.criteria.not_dependent
    assert reading is not None and reading.value in ("partly", "no"), reading
