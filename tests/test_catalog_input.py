"""Catalog and analyst input: hostile YAML, dates after today, withdrawn values, counts
and source URLs."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker.catalog import check_catalog
from tracker.values import count, web_url

from conftest import DATA, FROZEN


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


# -- item 26: hostile YAML is refused before it is expanded ------------------------------

def _hostile(tmp_path: Path) -> dict[str, Path]:
    small = (DATA / "catalog-small.yaml").read_text()
    made = {"bomb": DATA / "catalog-alias-bomb.yaml"}
    keys = "\n".join(f"k{i}: &k{i} {{" + ", ".join(f"a{j}: *k{i - 1}" for j in range(10))
                     + "}" for i in range(1, 9))
    made["mapping bomb"] = tmp_path / "mapping.yaml"
    made["mapping bomb"].write_text("k0: &k0 {a: lol, b: lol}\n" + keys + "\n" + small)
    notes = "\n".join(f"  - &n{i} [" + ", ".join([f"*n{i - 1}"] * 12) + "]"
                      for i in range(1, 9))
    made["bomb in a value"] = tmp_path / "value.yaml"
    made["bomb in a value"].write_text(small.replace(
        "references:", "extra:\n  - &n0 [lol, lol, lol]\n" + notes + "\nreferences:", 1))
    made["deep nesting"] = tmp_path / "deep.yaml"
    made["deep nesting"].write_text("x: " + "[" * 5000 + "]" * 5000 + "\n" + small)
    return made


def _limit_memory() -> None:
    limit = 1_500_000_000
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.parametrize("which", ["bomb", "mapping bomb", "bomb in a value", "deep nesting"])
def test_hostile_yaml_is_refused_fast_with_bounded_memory(tmp_path, which):
    path = _hostile(tmp_path)[which]
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "tracker", "validate", str(path)],
                          capture_output=True, text=True, timeout=60,
                          preexec_fn=_limit_memory,
                          env={"TRACKER_NOW": FROZEN.isoformat(), "PATH": "/usr/bin:/bin"})
    elapsed = time.monotonic() - started
    assert done.returncode == 2, done.stderr[-500:]
    assert elapsed < 5, elapsed
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr
    assert len(lines) == 2 and lines[1].startswith("Error: 1 problem in the catalog")
    assert lines[0].startswith(f"{path}:")
    assert "alias" in lines[0] or "nest" in lines[0]


def test_ordinary_anchors_and_aliases_still_validate(tmp_path):
    text = (DATA / "catalog-small.yaml").read_text()
    text = text.replace("confidence: high}\n", "confidence: &sure high}\n", 1)
    text = text.replace("confidence: high}", "confidence: *sure}")
    path = tmp_path / "aliases.yaml"
    path.write_text(text)
    assert "*sure" in text
    catalog, problems = check_catalog(path)
    assert problems == [] and catalog is not None


# -- item 27: nothing dated after today; a value can be withdrawn ------------------------

@pytest.mark.parametrize("as_of, ok", [("2031-01-01", False), ("2027", False),
                                       ("2026-12", False), ("2026-11-23", False),
                                       ("2026-11-22", True), ("2026-11", True),
                                       ("2026", True)])
def test_set_refuses_a_date_after_today(run, as_of, ok):
    result = run("set", "test-treaty", "participant_count", "5", "--as-of", as_of)
    history = run("history", "test-treaty", "participant_count", "--format", "json").stdout
    if ok:
        assert result.exit_code == 0, result.output
        assert json.loads(history)[-1]["as_of"] == as_of
    else:
        assert result.exit_code == 2
        line = _one_line(result.stderr)
        assert f"--as-of: '{as_of}' is after today (2026-11-22)" in line
        assert "analyst" not in history


@pytest.mark.parametrize("old, new", [
    ("{value: 4, as_of: 2025-02,", "{value: 4, as_of: 2027-01,"),
    ("as_of: 2025-06", "as_of: 2026-12-01"),
    ("role: declined, date: 2025-02-11", "role: declined, date: 2026-11-23"),
    ("    as_of: 2024-06\n    confidence: high", "    as_of: 2027\n    confidence: high"),
])
def test_a_catalog_value_dated_after_today_is_a_problem(tmp_path, old, new):
    text = (DATA / "catalog-small.yaml").read_text()
    assert old in text
    path = tmp_path / "future.yaml"
    path.write_text(text.replace(old, new, 1))
    line_no = text[: text.index(old)].count("\n") + 1
    _, problems = check_catalog(path)
    assert [p.line for p in problems] == [line_no] or \
        [p.line for p in problems] == [line_no + 1], problems
    assert "after today (2026-11-22)" in problems[0].message


def test_a_withdrawn_value_stays_in_history_and_is_not_current(run, tmp_path):
    assert run("set", "test-treaty", "participant_count", "7", "--as-of", "2026-10",
               "--source", "https://example.org/a").exit_code == 0
    assert run("set", "test-treaty", "participant_count", "9",
               "--source", "https://example.org/b").exit_code == 0
    result = run("withdraw", "test-treaty", "participant_count", "--note", "misread",
                 "--author", "ana")
    assert result.exit_code == 0, result.output
    assert "withdrew test-treaty.participant_count = 9" in result.stdout
    assert "current value: 7 (as of 2026-10)" in result.stdout
    shown = run("show", "test-treaty", "--format", "json").stdout
    assert '"9"' not in shown
    rows = json.loads(run("history", "test-treaty", "participant_count",
                          "--format", "json").stdout)
    withdrawn = [r for r in rows if r["withdrawn_at"]]
    assert [(r["value"], r["withdrawn_by"], r["withdrawn_note"]) for r in withdrawn] == \
        [("9", "ana", "misread")]
    table = run("history", "test-treaty", "participant_count").stdout
    assert "9 (withdrawn)" in table and "withdrawn 2026-11-22 by ana: misread" in table
    trends = json.loads(run("trends", "--since", "all", "--format", "json").stdout)
    assert all(c["new"] != "9" for c in trends["changes"])
    assert "| 9 " not in run("export").stdout
    csv_rows = run("export", "--format", "csv").stdout.splitlines()
    assert csv_rows[0].endswith(",withdrawn_at")
    assert [r for r in csv_rows if ",9,2026-11-22," in r][0].endswith(",2026-11-22T09:30:00Z")
    # by date; then nothing is left to withdraw, and catalog values cannot be withdrawn
    assert run("withdraw", "test-treaty", "participant_count", "--as-of",
               "2026-10").exit_code == 0
    assert '"4"' in run("show", "test-treaty", "--format", "json").stdout
    for args in (["test-treaty", "participant_count"], ["pace-mismatch", "severity"],
                 ["test-treaty", "participant_count", "--as-of", "2024-06"],
                 ["nope", "severity"], ["test-treaty", "colour"]):
        result = run("withdraw", *args)
        assert result.exit_code == 2, args
        _one_line(result.stderr)


# -- item 28: a count is a non-negative integer; a source is a URL that parses -----------

@pytest.mark.parametrize("value", ["-5", "3.5", "nan", "NaN", "inf", "-inf", "1e400", "1e3",
                                   "0x10", "five", "10 000", "-0.0", "99999999999999999"])
def test_a_count_is_a_non_negative_whole_number(run, value):
    run("list")
    before = run("history", "test-treaty", "--format", "json").stdout
    result = run("set", "test-treaty", "participant_count", "--", value)
    assert result.exit_code == 2, value
    assert "participant_count:" in _one_line(result.stderr)
    assert run("history", "test-treaty", "--format", "json").stdout == before


@pytest.mark.parametrize("value, stored", [("0", "0"), ("12", "12"), (" 7 ", "7"),
                                           ("+3", "3")])
def test_whole_numbers_are_counts(run, value, stored):
    result = run("set", "test-treaty", "participant_count", "--", value)
    assert result.exit_code == 0, result.output
    assert f"participant_count = {stored} " in result.stdout


@pytest.mark.parametrize("url", ["https://x y", "https://", "http://", "javascript:alert(1)",
                                 "ftp://example.org/a", "https://exa mple.org/",
                                 "https://example.org/\nx", "https://a.org:99999/",
                                 "https://-bad-.org/", "example.org/page", "data:text/html,x",
                                 # the link shown would not be the one opened
                                 "https://ex.org/a\u202eb", "https://ex.org/a\u200bb",
                                 "https://ex.org/a\u00adb", "https://ex.org/a\x9bb",
                                 "https://ex.org/a\x7fb", "https://ex.org/\u2066a\u2069"])
def test_a_source_is_a_url_that_parses(run, url):
    run("list")
    result = run("set", "test-treaty", "participant_count", "5", "--source", url)
    assert result.exit_code == 2, url
    assert "--source:" in _one_line(result.stderr)
    with pytest.raises(ValueError):
        web_url(url)


@pytest.mark.parametrize("url", ["https://example.org/a?b=c#d", "http://127.0.0.1:8080/x",
                                 "https://[::1]/x", "https://bücher.example/", "page"])
def test_good_sources_are_accepted(run, url):
    assert run("set", "test-treaty", "participant_count", "5", "--source", url).exit_code == 0


@pytest.mark.parametrize("old, new", [("{value: 4,", "{value: -4,"), ("{value: 4,", "{value: 4.5,"),
                                      ("{value: 4,", "{value: .nan,"),
                                      ("source: https://example.org/b", "source: https://x y"),
                                      ("url: https://example.org/page", "url: https://exa mple"),
                                      ("url: https://example.org/page", "url: javascript:x")])
def test_catalog_counts_and_urls_are_checked_the_same_way(tmp_path, old, new):
    text = (DATA / "catalog-small.yaml").read_text()
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1))
    _, problems = check_catalog(path)
    assert len(problems) == 1, problems
    assert problems[0].line == text[: text.index(old)].count("\n") + 1


def test_count_and_web_url_directly():
    assert count(3) == 3 and count(3.0) == 3 and count("+0") == 0
    for bad in (-1, 2.5, float("nan"), float("inf"), True, "1.0", ""):
        with pytest.raises(ValueError):
            count(bad)
    assert web_url("https://example.org/x") == "https://example.org/x"


@pytest.mark.parametrize("kind", ["fifo", "device", "huge"])
def test_a_catalog_that_cannot_be_read_safely_is_refused_without_reading(run, tmp_path, kind):
    import os

    target = tmp_path / "catalog-in.yaml"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target = Path("/dev/zero")
    else:
        with open(target, "wb") as handle:
            handle.truncate(9_000_000)  # sparse: over the limit without using the disk
    for args in (["validate", str(target)], ["--catalog", str(target), "list"]):
        result = run(*args) if args[0] == "validate" else run("list", catalog=target)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"{target}: ")
