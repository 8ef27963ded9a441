"""Headline figures: counts or floors from the ledgers as they are, low-confidence flags,
and what each figure counts (`tracker trends --explain`)."""

from __future__ import annotations

import json

from tracker import headline
from tracker.catalog import load_catalog
from tracker.sync import sync

RULE = ("        confidence: low\n    entry_into_force:\n      ratifications: 2\n"
        "      group: G7\n      group_minimum: 1\n      source: https://example.org/eif\n"
        "      confidence: high\n    values:\n      participants:")


def _catalog(path, *, complete: bool, ratified_confidence: str | None = None,
             china: str = "declined", extra_mechanism: bool = False):
    text = path.read_text()
    text = text.replace("        confidence: low\n    values:\n      participants:", RULE)
    text = text.replace("    complete: false\n", f"    complete: {str(complete).lower()}\n")
    text = text.replace("{party: CHN, role: declined", f"{{party: CHN, role: {china}")
    if ratified_confidence:
        text = text.replace(
            "      - {party: CHN,",
            "      - {party: GBR, role: ratified, date: 2025-06-01, source: "
            f"https://example.org/r, confidence: {ratified_confidence}}}\n      - {{party: CHN,")
    if extra_mechanism:
        text = text.replace("\nmemberships:", """
  - id: no-ledger-forum
    category: mechanisms
    name: Forum without a ledger
    kind: forum
    criteria:
      outside_structures: {value: "yes", rationale: r, source: "https://example.org/f", confidence: low}
      single_purpose: {value: "yes", rationale: r, source: "https://example.org/f", confidence: low}
      no_shared_values: {value: "yes", rationale: r, source: "https://example.org/f", confidence: low}

memberships:""")
    path.write_text(text)
    return load_catalog(path)


def _figures(store, catalog, since=None):
    sync(store, catalog)
    return {f.id: f for f in headline.figures(store.db, since)}


def test_incomplete_ledger_makes_a_floor_not_an_absence(store, catalog_path):
    figs = _figures(store, _catalog(catalog_path, complete=False))
    us_cn = figs["us-and-china"]
    assert (us_cn.value, us_cn.kind, us_cn.text) == (0, "floor", "0 (floor)")
    assert [(i.id, i.counted, i.why) for i in us_cn.items] == \
        [("test-treaty", False, "incomplete ledger (USA recorded)")]
    parties = figs["parties"]
    assert (parties.value, parties.kind, parties.text) == (3, "floor", "3 (floor)")
    assert {i.id for i in parties.items if i.counted} == {"EU", "GBR", "USA"}


def test_complete_ledgers_give_counts(store, catalog_path):
    figs = _figures(store, _catalog(catalog_path, complete=True, ratified_confidence="high"))
    assert (figs["us-and-china"].value, figs["us-and-china"].kind) == (0, "count")
    [known] = figs["us-and-china"].items  # known not to hold both: no floor
    assert (known.counted, known.unknown, known.why) == (False, False,
                                                         "complete ledger without CHN")
    assert (figs["parties"].text, figs["parties"].kind) == ("3", "count")
    eif = figs["test-treaty:ratified"]
    assert (eif.text, eif.kind, eif.low_confidence) == ("1 of 2 (1 of 1 G7)", "count", False)


def test_a_mechanism_without_a_ledger_keeps_the_figure_a_floor(store, catalog_path):
    figs = _figures(store, _catalog(catalog_path, complete=True, china="signed",
                                    extra_mechanism=True))
    us_cn = figs["us-and-china"]
    # CHN's signature is recorded with low confidence: the one counted item is weak.
    assert (us_cn.value, us_cn.text) == (1, "1 (floor, low confidence)")
    assert [(i.id, i.counted, i.why) for i in us_cn.items] == [
        ("test-treaty", True, "both in the ledger"), ("no-ledger-forum", False, "no ledger")]
    assert figs["parties"].kind == "floor"


def test_low_confidence_input_is_flagged(store, catalog_path):
    figs = _figures(store, _catalog(catalog_path, complete=False, ratified_confidence="low"))
    eif = figs["test-treaty:ratified"]
    assert eif.text == "1 of 2 (1 of 1 G7; floor, low confidence)"
    assert eif.low_confidence and eif.flags == "floor, low"
    assert "Rests only on low-confidence sources" in eif.note
    # A medium-confidence input among the counted ones lifts the flag.
    assert not figs["parties"].low_confidence


def test_treaties_signed_and_in_force_read_the_lifecycle(store, catalog_path):
    catalog = _catalog(catalog_path, complete=True)
    figs = _figures(store, catalog)
    assert figs["treaties-signed"].value == 1  # GBR signed, in the ledger
    assert figs["treaties-in-force"].value == 0
    assert [i.why for i in figs["treaties-in-force"].items] == ["status Active"]


def test_trends_explain_lists_what_a_figure_counts(run, catalog_path):
    _catalog(catalog_path, complete=False, ratified_confidence="low")
    out = run("trends", "--explain", "test-treaty:ratified").stdout
    assert "Test Treaty ratifications: 1 of 2 (1 of 1 G7; floor, low confidence)" in out
    assert "GBR" in out and "https://example.org/r" in out and "low" in out
    table = run("trends", "--since", "all").stdout
    assert "0 (floor)" in table and "--explain ID" in table
    data = json.loads(run("trends", "--explain", "us-and-china", "--format", "json").stdout)
    assert data["kind"] == "floor" and data["items"][0]["why"].startswith("incomplete")
    bad = run("trends", "--explain", "nope")
    assert bad.exit_code == 2
    assert "unknown figure 'nope' (allowed: treaties-signed" in bad.stderr
