"""The catalog loads into typed objects; every class of mistake is reported at file:line."""

from __future__ import annotations

import sqlite3

import pytest

from tracker.catalog import check_catalog, load_catalog, shipped_catalog_path


def _line_of(path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_small_catalog_loads_into_typed_objects(catalog):
    ind = catalog.indicators_by_id["test-treaty"]
    assert ind.criteria.outside_structures.value == "yes"
    assert ind.criteria.multipolar is None  # computed from the ledger
    assert [v.value for v in ind.values["participant_count"]] == [2, 3, 4]
    assert catalog.scale("severity").better == "lower"
    assert catalog.model.memberships["test-treaty"].entries[2].party == "EU"
    assert catalog.source_url("page") == "https://example.org/page"
    assert len(catalog.digest) == 64


def test_shipped_catalog_is_valid():
    catalog, problems = check_catalog(shipped_catalog_path())
    assert problems == []
    assert len(catalog.model.indicators) > 80


# Each case: (text to replace, replacement, text on the line the problem is reported at,
# words the message must contain).
CASES = {
    "bad-yaml": ("    name: Pace mismatch", "    name: [Pace mismatch", "name: [Pace",
                 ["invalid YAML"]),
    "unknown-key": ("    name: Pace mismatch", "    name: Pace mismatch\n    colour: red",
                    "colour: red", ["unknown key 'colour'", "allowed: id, category"]),
    "level-not-on-scale": ("{value: High, as_of: 2024-06, source: page, confidence: medium}\n"
                           "  - id: pace",
                           "{value: Severe, as_of: 2024-06, source: page, confidence: medium}\n"
                           "  - id: pace", "value: Severe",
                           ["'Severe' is not on the scale", "allowed: Low, Moderate, High"]),
    "bad-date": ("as_of: 2025-02-11", "as_of: 2025-02-30", "2025-02-30",
                 ["not a real date", "YYYY-MM-DD"]),
    "duplicate-id": ("  - id: pace-mismatch", "  - id: strategic-competition",
                     "  - id: strategic-competition\n    category: obstacles\n    name: Pace",
                     ["duplicate indicator id 'strategic-competition'"]),
    "duplicate-key": ("    name: Pace mismatch", "    name: Pace mismatch\n    name: Again",
                      "name: Again", ["duplicate key 'name'"]),
    "unknown-category": ("    category: obstacles\n    name: Pace",
                         "    category: obstacle\n    name: Pace", "category: obstacle\n",
                         ["unknown category 'obstacle'", "declared: obstacles, mechanisms"]),
    "unknown-reference": ("source: page, confidence: medium}\n  - id: pace",
                          "source: pgae, confidence: medium}\n  - id: pace", "source: pgae",
                          ["'pgae' is neither an http(s) URL nor a reference id"]),
    "link-to-nothing": ("links: [test-treaty]", "links: [no-such-thing]", "links: [no-such",
                        ["link to unknown indicator 'no-such-thing'"]),
    "unknown-country": ("{party: USA, role: signed", "{party: USX, role: signed", "party: USX",
                        ["unknown party 'USX'", "ISO 3166-1 alpha-3"]),
    "value-without-source": ("{value: Moderate", "{value: Moderate", None, None),
    "wrong-role": ("role: declined", "role: refused", "role: refused",
                   ["'refused' is not allowed", "'declined'"]),
    "criterion-without-value": ("        value: partly\n        rationale: Refers",
                                "        rationale: Refers", "      no_shared_values:",
                                ["criteria.no_shared_values: missing 'value'",
                                 "allowed: yes, partly, no"]),
    "criterion-not-a-word": ("        value: partly\n", "        value: maybe\n",
                             "value: maybe", ["'maybe' is not allowed", "'partly'"]),
    "old-criteria-keys": ("      outside_structures:\n", "      un: outside\n"
                          "      outside_structures:\n", "un: outside",
                          ["unknown key 'un'", "allowed: outside_structures, multipolar"]),
    "criterion-without-rationale": ("        rationale: One purpose only\n", "",
                                    "      single_purpose:", ["missing required key "
                                                               "'rationale'"]),
    "text-for-number": ("{value: 3, as_of", "{value: three, as_of", "value: three",
                        ["'three' is not a number", "parties"]),
}


@pytest.mark.parametrize("case", [c for c in CASES if c != "value-without-source"])
def test_each_class_of_mistake_is_reported_at_its_line(case, catalog_path):
    old, new, at, words = CASES[case]
    text = catalog_path.read_text()
    assert old in text, case
    catalog_path.write_text(text.replace(old, new, 1))
    catalog, problems = check_catalog(catalog_path)
    assert catalog is None
    assert problems, case
    expected_line = _line_of(catalog_path, at.split("\n")[0]) if "\n" not in at else \
        catalog_path.read_text().split(at)[0].count("\n") + 1
    first = problems[0]
    assert first.file == str(catalog_path)
    assert first.line == expected_line, str(first)
    for word in words:
        assert word in first.message, str(first)
    assert str(first).startswith(f"{catalog_path}:{expected_line}: ")


def test_a_value_without_a_source_is_refused(catalog_path):
    text = catalog_path.read_text().replace(
        "        - value: Moderate\n          as_of: 2025-06\n"
        "          source: https://example.org/later\n",
        "        - value: Moderate\n          as_of: 2025-06\n")
    catalog_path.write_text(text)
    _, problems = check_catalog(catalog_path)
    assert len(problems) == 1
    assert problems[0].line == _line_of(catalog_path, "- value: Moderate")
    assert "missing required key 'source'" in problems[0].message


def test_several_problems_are_all_reported_in_line_order(catalog_path):
    text = catalog_path.read_text()
    text = text.replace("role: declined", "role: refused").replace("as_of: 2025-02-11",
                                                                 "as_of: 25-02-11")
    catalog_path.write_text(text)
    _, problems = check_catalog(catalog_path)
    assert len(problems) == 2
    assert problems[0].line < problems[1].line


def test_a_yes_that_yaml_reads_as_true_must_be_quoted(catalog_path):
    catalog_path.write_text(catalog_path.read_text().replace(
        "value: US-China rivalry", "value: yes"))
    _, problems = check_catalog(catalog_path)
    assert "got true (quote it to make it text)" in problems[0].message


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    _, problems = check_catalog(tmp_path / "nope.yaml")
    assert "the catalog file does not exist" in problems[0].message
    assert str(problems[0]) == f"{tmp_path / 'nope.yaml'}: the catalog file does not exist"
    (tmp_path / "dir.yaml").mkdir()
    _, problems = check_catalog(tmp_path / "dir.yaml")
    assert str(problems[0]).startswith(f"{tmp_path / 'dir.yaml'}: cannot read the catalog: ")


@pytest.mark.parametrize("case", ["unknown-key", "level-not-on-scale", "unknown-country"])
def test_a_broken_catalog_writes_nothing(case, run, catalog_path):
    assert run("list").exit_code == 0
    before = _dump(run.db)
    old, new, _, words = CASES[case]
    catalog_path.write_text(catalog_path.read_text().replace(old, new, 1))
    for command in (["list"], ["set", "pace-mismatch", "severity", "Low"], []):
        result = run(*command)
        assert result.exit_code == 2, command
        assert words[0] in result.stderr
        assert "nothing was written" in result.stderr
        assert "Traceback" not in result.output
    assert _dump(run.db) == before


def _dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_broken_catalog_creates_no_store(run, catalog_path):
    catalog_path.write_text(catalog_path.read_text().replace("version: 1", "version: 7"))
    result = run("list")
    assert result.exit_code == 2
    assert "'7' is not allowed" in result.stderr or "7 is not allowed" in result.stderr
    assert not run.db.exists()


def test_load_catalog_raises_with_all_problems(catalog_path):
    from tracker.catalog import CatalogError

    catalog_path.write_text(catalog_path.read_text().replace("role: declined", "role: x"))
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_path)
    assert len(info.value.problems) == 1
