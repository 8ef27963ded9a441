"""Numbers given on the command line or in the catalog are held to what they can mean: a
deadline is a finite number of seconds (`nan` ended a refresh at once, `inf` let it hang),
and a proposal id is one SQLite can hold (a longer one was a traceback)."""

from __future__ import annotations

import pytest

from test_refresh_faults import catalog_with


@pytest.fixture
def synced(run):
    assert run("list").exit_code == 0
    return run


@pytest.mark.parametrize("option", ["--deadline", "--run-deadline"])
@pytest.mark.parametrize("raw", ["nan", "NaN", "inf", "-inf", "Infinity", "1e400"])
def test_a_deadline_that_is_not_finite_is_a_bad_invocation(synced, option, raw):
    result = synced("refresh", option, raw)
    assert result.exit_code == 2, result.output
    assert "is not a number of seconds" in result.stderr or "not in the range" in \
        result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("env", ["TRACKER_SOURCE_DEADLINE", "TRACKER_RUN_DEADLINE"])
@pytest.mark.parametrize("raw", ["nan", "inf", "1e999"])
def test_a_deadline_from_the_environment_is_held_to_the_same_rule(synced, env, raw):
    result = synced("refresh", env={env: raw})
    assert result.exit_code == 2, result.output
    assert "is not a number of seconds" in result.stderr


@pytest.mark.parametrize("raw", [".inf", ".nan", "1e400", "-.inf"])
def test_a_source_s_own_deadline_must_be_finite(tmp_path, raw):
    from tracker.catalog import CatalogError, load_catalog

    block = ("  - id: src\n    kind: json\n    url: https://src.test/data\n"
             "    params: {path: total, aggregate: value}\n"
             "    feeds: {indicator: pace-mismatch, field: signatories}\n"
             f"    deadline: {raw}\n")
    with pytest.raises(CatalogError) as caught:
        catalog_with(tmp_path, block)
    assert "deadline" in str(caught.value)


@pytest.mark.parametrize("action", ["accept", "reject", "reopen"])
@pytest.mark.parametrize("ids", [["99999999999999999999999"], ["1", "--", "-99999999999999999999"],
                                 [str(2**63)]])
def test_a_proposal_id_too_long_for_the_store_is_one_line(synced, action, ids):
    result = synced("review", action, *ids)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "not in the range" in result.stderr
