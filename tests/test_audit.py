"""`tracker audit`: every kind of finding on a small catalog, file:line, summary, exit codes."""

from __future__ import annotations

import json

from tracker import audit
from tracker.catalog import load_catalog
from tracker.sync import sync

CLEAN = """\
version: 1
scales:
  text: {kind: text}
categories:
  - id: notes
    title: Notes
    fields:
      text: {label: Text, scale: text}
indicators:
  - id: one
    category: notes
    name: One
    values:
      text:
        - {value: fine, as_of: 2026-01, source: "https://example.org/x", confidence: high}
"""


def _faulty(path):
    """The small catalog with one of each kind of fault."""
    text = path.read_text()
    text = text.replace("severity: {label: Severity, scale: severity}",
                        "severity: {label: Severity, scale: severity, freshness: 180d}")
    text = text.replace(
        "        - {value: 4, as_of: 2025-02, source: https://example.org/b, confidence: low}",
        "        - {value: 4, as_of: 2025-02, source: https://example.org/b, confidence: low, "
        "note: \"3 countries plus the EU\"}")
    text = text.replace(
        "        confidence: low\n    values:\n      participants:",
        "        confidence: low\n    entry_into_force:\n      ratifications: 2\n"
        "      source: https://example.org/eif\n      confidence: high\n"
        "    values:\n      participants:")
    text = text.replace(
        "      - {party: CHN, role: declined",
        "      - {party: GBR, role: ratified, date: 2025-06-01, source: https://example.org/r, "
        "confidence: low}\n      - {party: CHN, role: declined")
    text = text.replace("\nmemberships:", """
  - id: lone-forum
    category: mechanisms
    name: Lone forum
    kind: forum
    criteria:
      outside_structures: {value: "yes", rationale: r, source: "https://example.org/f", confidence: low}
      single_purpose: {value: "yes", rationale: r, source: "https://example.org/f", confidence: low}
      no_shared_values: {value: "yes", rationale: r, source: "https://example.org/f", confidence: low}

memberships:""")
    text = text.replace("""  - id: next-summit""", """  - id: deadline-passed
    date: 2026-08-01
    title: A deadline that passed
    kind: deadline
    source: https://example.org/deadline
    confidence: medium
  - id: next-summit""")
    path.write_text(text)
    return load_catalog(path)


def _line(path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_every_kind_of_finding_with_its_line(store, catalog_path):
    catalog = _faulty(catalog_path)
    sync(store, catalog)
    findings = audit.run(store, catalog)
    kinds = {f.kind for f in findings}
    assert kinds == set(audit.KINDS), kinds
    by = {(f.kind, f.subject): f for f in findings}
    count = by[("ledger-count", "test-treaty")]
    assert count.line == _line(catalog_path, "  test-treaty:")
    assert "holds 2 states, participant_count says 4" in count.message
    low = by[("low-confidence", "test-treaty:ratified: GBR")]
    assert low.line == _line(catalog_path, "{party: GBR, role: ratified")
    assert low.message.endswith("the whole figure rests only on low-confidence values")
    # GBR's latest role (ratified) is its only current one, and it is low: weak for parties.
    assert by[("low-confidence", "parties: GBR")].line == low.line
    stale = by[("stale", "pace-mismatch.severity")]
    assert stale.line == _line(catalog_path, "value: Moderate")
    event = by[("event-outcome", "deadline-passed")]
    assert event.line == _line(catalog_path, "- id: deadline-passed")
    assert by[("no-criteria", "lone-forum")].message.startswith("cannot say multipolar")
    assert by[("no-ledger", "lone-forum")].line == _line(catalog_path, "- id: lone-forum")
    mixed = by[("mixed-units", "test-treaty.participant_count")]
    assert mixed.line == _line(catalog_path, "3 countries plus the EU")
    assert str(mixed).startswith(f"{catalog_path}:{mixed.line}: mixed-units: ")
    assert audit.summary(findings).startswith(f"{len(findings)} finding(s): 1 ledger-count")
    assert ("event-outcome", "next-summit") not in by  # still to come


def test_an_event_with_an_outcome_is_settled(store, catalog_path):
    catalog = _faulty(catalog_path)
    sync(store, catalog)
    store.db["events"].update("deadline-passed", {"outcome": "Outcome not recorded"})
    [left] = [f for f in audit.run(store, catalog) if f.kind == "event-outcome"]
    assert left.message.endswith("is past and marked as not recorded")
    store.db["events"].update("deadline-passed", {"outcome": "It applied."})
    assert not [f for f in audit.run(store, catalog) if f.kind == "event-outcome"]
    # A past event a feed brought in was never announced: it needs no outcome.
    store.db["events"].insert({"id": "feed-news", "date": "2026-09-01", "title": "News",
                               "kind": "other", "source": "https://example.org/n",
                               "confidence": "low", "origin": "feed"})
    assert not [f for f in audit.run(store, catalog) if f.kind == "event-outcome"]


def test_audit_command_exit_codes_and_json(run, catalog_path, tmp_path):
    _faulty(catalog_path)
    result = run("audit")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == f"{len(lines) - 1} finding(s): 1 ledger-count, 2 low-confidence, " \
        "2 stale, 1 event-outcome, 2 no-criteria, 1 no-ledger, 1 mixed-units"
    assert all(line.startswith(f"{catalog_path}:") for line in lines[:-1])
    data = json.loads(run("audit", "--format", "json", "--kind", "no-ledger").stdout)
    assert data["counts"] == {"no-ledger": 1}
    assert data["findings"][0]["subject"] == "lone-forum"
    bad = run("audit", "--kind", "nope")
    assert bad.exit_code == 2 and "unknown kind 'nope' (allowed: ledger-count" in bad.stderr
    clean = tmp_path / "clean.yaml"
    clean.write_text(CLEAN)
    ok = run("audit", catalog=clean)
    assert ok.exit_code == 0 and ok.stdout.strip() == "audit clean: no findings"
    broken = tmp_path / "broken.yaml"
    broken.write_text(CLEAN.replace("version: 1", "version: 9"))
    assert run("audit", catalog=broken).exit_code == 2


UNITS = """\
version: 1
scales:
  states: {kind: numeric, unit: states, better: higher}
  parties: {kind: numeric, unit: parties (states and organisations), better: higher}
categories:
  - id: counts
    title: Counts
    fields:
      participant_count: {label: States, scale: states}
      party_count: {label: Parties (states and organisations), scale: parties}
indicators:
  - id: declared-both
    category: counts
    name: A series declared to count states and organisations together
    values:
      party_count:
        - {value: 64, as_of: 2025-02, source: "https://example.org/p", confidence: medium,
           note: "64 countries and organisations signed."}
  - id: other-count-quoted
    category: counts
    name: States, with another source's combined count quoted
    values:
      participant_count:
        - {value: 89, as_of: 2026-02, source: "https://example.org/s", confidence: medium,
           note: "89 countries plus the EU; the official count was 88 countries and organisations."}
  - id: really-mixed
    category: counts
    name: States counted with organisations
    values:
      participant_count:
        - {value: 88, as_of: 2026-02, source: "https://example.org/m", confidence: medium,
           note: "88 countries and organisations endorsed it."}
        - {value: 30, as_of: 2026-03, source: "https://example.org/m", confidence: medium,
           note: "29 countries plus the EU."}
"""


def test_mixed_units_only_where_a_states_series_holds_a_combined_count(run, tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text(UNITS)
    data = json.loads(run("audit", "--format", "json", "--kind", "mixed-units",
                          catalog=path).stdout)
    subjects = [f["subject"] for f in data["findings"]]
    # A parties series says it counts both; 88 "countries and organisations" is not the 89
    # states recorded; 88 and "29 plus the EU" on 30 are both mixed counts of states.
    assert subjects == ["really-mixed.participant_count"], subjects
    assert data["findings"][0]["message"].startswith("2 of 2 values count states and")


def test_known_gaps_in_the_docs_match_the_shipped_catalogs_audit(tmp_path):
    """docs/catalog.md's "Known gaps" table gives, per kind, what the audit finds on the
    shipped catalog at its stated clock: a merge that changes a count must refresh it."""
    import datetime as dt
    import re
    from pathlib import Path

    from tracker.catalog import shipped_catalog_path
    from tracker.store import Store

    docs = (Path(__file__).parent.parent / "docs" / "catalog.md").read_text()
    gaps = docs[docs.index("## Known gaps"):docs.index("## Level and narrative")]
    said = {kind: int(n) for kind, n in re.findall(r"^\| `([a-z-]+)` \| (\d+) \|", gaps, re.M)}
    assert set(said) == set(audit.KINDS), said
    catalog = load_catalog(shipped_catalog_path())
    clock = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
    store = Store.open(tmp_path / "shipped.db", clock=lambda: clock)
    try:
        sync(store, catalog)
        found = audit.run(store, catalog)
    finally:
        store.close()
    counts = {k: sum(1 for f in found if f.kind == k) for k in audit.KINDS}
    assert said == counts
    assert f"{len(found)} findings" in gaps
