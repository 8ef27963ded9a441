"""Every command through click's CliRunner, as a user types it."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tracker.cli import cli


def test_list_prints_every_category_with_values_and_dates(run):
    result = run("list")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Obstacles" in out and "Mechanisms" in out
    assert re.search(r"^pace-mismatch +Pace mismatch +Moderate +2025-06$", out, re.M)
    assert "4 (also reported: 3)" in out


def test_list_one_category_and_unknown_category(run):
    out = run("list", "--category", "mechanisms").stdout
    assert "Test Treaty" in out and "Pace mismatch" not in out
    bad = run("list", "--category", "treaties")
    assert bad.exit_code == 2
    assert "unknown category 'treaties' (allowed: obstacles, mechanisms)" in bad.stderr


def test_list_json_and_csv(run):
    data = json.loads(run("list", "--format", "json").stdout)
    [mech] = [c for c in data["categories"] if c["id"] == "mechanisms"]
    status = mech["rows"][0]["values"]["status"]
    assert status["value"] == "Active" and status["as_of"] == "2025-02-11"
    assert status["source"] == "https://example.org/a"
    rows = list(csv.DictReader(io.StringIO(run("list", "--format", "csv").stdout)))
    assert {"id": "pace-mismatch", "field": "severity", "value": "Moderate"}.items() <= \
        rows[2].items()


def test_bare_tracker_prints_the_overview(run):
    result = run()
    assert result.exit_code == 0
    assert "Strategic competition" in result.stdout


def test_show_gives_provenance_criteria_ledger_and_events(run):
    out = run("show", "test-treaty").stdout
    assert "Test Treaty (test-treaty) in Mechanisms" in out
    assert "Essay criteria: fit partial" in out
    assert re.search(r"Multipolar +unknown +low +The catalog declares no G7 and G20", out)
    assert re.search(r"Not dependent +no +low +4 states \(from the recorded count\)", out)
    assert "3 participants in the incomplete ledger (USA: signed, CHN: declined)" in out
    assert "Test Treaty opens for signature" in out
    data = json.loads(run("show", "test-treaty", "--format", "json").stdout)
    crit = {c["key"]: c for c in data["criteria"]["criteria"]}
    assert crit["outside_structures"]["value"] == "yes"
    assert crit["among_states"]["basis"] == "floor"
    assert data["criteria"]["fit"]["level"] == "partial"
    assert data["members"]["groups"]["G7"] == {"in": 2, "of": 7}


def test_history_shows_baseline_and_later_values_with_sources(run):
    out = run("history", "pace-mismatch", "severity").stdout
    lines = [ln for ln in out.splitlines() if ln.startswith("2024-06") or ln.startswith("2025")]
    assert re.search(r"2024-06 +severity +High .*https://example.org/page", lines[0])
    assert re.search(r"2025-06 +severity +Moderate .*https://example.org/later", lines[1])
    data = json.loads(run("history", "pace-mismatch", "--format", "json").stdout)
    assert [d["value"] for d in data] == ["High", "Moderate"]


def test_history_of_unknown_things(run):
    assert run("history", "nope").exit_code == 2
    bad = run("history", "pace-mismatch", "colour")
    assert bad.exit_code == 2
    assert "unknown field 'colour' for 'pace-mismatch' (allowed: mechanism, severity)" \
        in bad.stderr


def test_set_records_an_assessment_that_becomes_current(run):
    result = run("set", "pace-mismatch", "severity", "low", "--as-of", "2026-10",
                 "--source", "https://example.org/mine", "--confidence", "low",
                 "--note", "Talks resumed", "--author", "ana")
    assert result.exit_code == 0, result.output
    assert "recorded pace-mismatch.severity = Low (as of 2026-10" in result.stdout
    data = json.loads(run("history", "pace-mismatch", "severity", "--format", "json").stdout)
    last = data[-1]
    assert (last["value"], last["origin"], last["author"], last["note"]) == \
        ("Low", "analyst", "ana", "Talks resumed")
    assert "Low       2026-10" in run("list", "-c", "obstacles").stdout


def test_set_defaults_to_today_and_the_analyst(run):
    run("set", "test-treaty", "participant_count", "5")
    data = json.loads(run("history", "test-treaty", "participant_count",
                          "--format", "json").stdout)
    assert data[-1]["as_of"] == "2026-11-22"
    assert data[-1]["source"] == "analyst"


@pytest.mark.parametrize("args, message", [
    (["pace-mismatch", "severity", "Catastrophic"],
     "'Catastrophic' is not on the scale (allowed: Low, Moderate, High)"),
    (["test-treaty", "participant_count", "many"], "'many' is not a count"),
    (["pace-mismatch", "colour", "red"], "unknown field 'colour'"),
    (["nope", "severity", "Low"], "unknown indicator 'nope'"),
    (["pace-mismatch", "severity", "Low", "--as-of", "yesterday"], "--as-of: 'yesterday'"),
    (["pace-mismatch", "severity", "Low", "--source", "my notes"], "--source: 'my notes'"),
])
def test_set_refuses_bad_values_and_writes_nothing(run, args, message):
    run("list")
    before = json.loads(run("history", "pace-mismatch", "--format", "json").stdout)
    result = run("set", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert json.loads(run("history", "pace-mismatch", "--format", "json").stdout) == before


def test_members_shows_the_dated_ledger(run):
    out = run("members", "test-treaty").stdout
    assert "GBR    United Kingdom  signed    2024-09-05" in out
    assert "CHN    China           declined  2025-02-11" in out
    data = json.loads(run("members", "test-treaty", "--role", "signed",
                          "--format", "json").stdout)
    assert [e["party"] for e in data["entries"]] == ["EU", "GBR", "USA"]
    assert data["includes"] == {"USA": "signed", "CHN": "declined"}
    assert data["complete"] is False
    bad = run("members", "pace-mismatch")
    assert bad.exit_code == 2 and "unknown mechanism 'pace-mismatch'" in bad.stderr


def test_validate_ok_and_broken(run, catalog_path):
    result = run("validate")
    assert result.exit_code == 0
    assert "ok (3 indicators in 2 categories, 10 values, 1 ledger, 2 events)" in result.stdout
    assert not run.db.exists()  # validate never writes
    catalog_path.write_text(catalog_path.read_text().replace("confidence: high}",
                                                             "confidence: certain}", 1))
    result = run("validate", str(catalog_path))
    assert result.exit_code == 2
    assert f"{catalog_path}:" in result.stderr and "'certain' is not allowed" in result.stderr
    assert "nothing was written" not in result.stderr  # validate never writes anyway


def test_environment_variables_choose_store_and_catalog(tmp_path, catalog_path, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("TRACKER_CATALOG", str(catalog_path))
    result = CliRunner().invoke(cli, ["list", "-c", "mechanisms"])
    assert result.exit_code == 0 and "Test Treaty" in result.stdout
    assert (tmp_path / "env.db").exists()


def test_default_store_lives_in_the_user_data_directory(tmp_path, catalog_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["--catalog", str(catalog_path), "list"])
    assert result.exit_code == 0
    assert (tmp_path / "xdg-data" / "tracker" / "tracker.db").exists()


def test_store_in_a_missing_folder_is_one_clear_line(run, tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "no" / "x.db"), "--catalog",
                                      str(run.catalog), "list"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.output


def test_unknown_command_and_option_are_usage_errors(run):
    assert run("frobnicate").exit_code == 2
    assert run("list", "--colour").exit_code == 2


def _commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_with_an_example(name, run):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert f"tracker {name}" in result.stdout


def test_top_level_help_lists_exit_codes():
    from click.testing import CliRunner

    out = CliRunner().invoke(cli, ["--help"]).stdout
    assert "75  another refresh holds the lock" in out
    assert "Example:" in out


def test_hostile_text_prints_literally(run, catalog_path):
    text = catalog_path.read_text().replace(
        "value: US-China rivalry", 'value: "[bold red]x[/] \\e[31mred\\e[0m | <b>"')
    catalog_path.write_text(text)
    out = run("list", "-c", "obstacles").stdout
    assert "[bold red]x[/] red | <b>" in out
    assert "\x1b" not in out


def test_list_shows_each_mechanisms_fit_after_its_name(run):
    out = run("list", "--category", "mechanisms").stdout
    header, row = out.splitlines()[1:3]
    assert header.split()[:3] == ["ID", "Name", "Fit"]
    assert re.match(r"test-treaty +Test Treaty +partial +", row), row
    data = json.loads(run("list", "--format", "json").stdout)
    rows = {c["id"]: c["rows"] for c in data["categories"]}
    assert rows["mechanisms"][0]["fit"] == "partial"
    assert "fit" not in rows["obstacles"][0]
    assert "Fit" not in run("list", "--category", "obstacles").stdout


@pytest.mark.parametrize("name", ["Test Treaty", "test treaty", "  TEST   Treaty "])
def test_members_takes_a_mechanism_name_as_show_does(run, name):
    by_id = run("members", "test-treaty", "--format", "json").stdout
    result = run("members", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == by_id
    bad = run("members", "Pace mismatch")   # a name, but not a mechanism's
    assert bad.exit_code == 2 and "unknown mechanism 'pace-mismatch'" in bad.stderr
