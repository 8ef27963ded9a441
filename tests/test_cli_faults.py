"""Faults of the command line: one line and a documented exit code, never a traceback.

Windows that reach before the year 1, a bad TRACKER_NOW, output that cannot be written
(a full disk, a closed descriptor, a reader that went away), and the small texts."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import trends
from tracker.errors import EXIT_BROKEN_PIPE, EXIT_OUTPUT, TrackerError


@pytest.mark.parametrize("command", ["trends", "export"])
@pytest.mark.parametrize("since", ["3000y", "99999999d", "2027y", "99999999999999999999w",
                                   "24400m", "9" * 40 + "d"])
def test_windows_beyond_the_calendar_are_one_line(run, since, command):
    result = run(command, "--since", since)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: --since: {since!r} reaches back before the year 1 (allowed: "
        f"{trends.WINDOW_HELP})"]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("since", ["2026-13-45", "2026-02-30", "0000", "1y ago"])
def test_impossible_dates_are_one_line(run, since):
    result = run("trends", "--since", since)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "is not" in result.stderr and "allowed" in result.stderr


@pytest.mark.parametrize("today, since, start", [
    (dt.date(2026, 11, 30), "1y", "2025-11-30"),   # not 2025-11-28
    (dt.date(2026, 3, 31), "1m", "2026-02-28"),     # the month's last day
    (dt.date(2028, 2, 29), "1y", "2027-02-28"),     # a leap day a year on
    (dt.date(2026, 5, 31), "3m", "2026-02-28"),
    (dt.date(2026, 1, 31), "2w", "2026-01-17"),
    (dt.date(2026, 11, 30), "2025y", "0001-11-30"),  # the earliest a window reaches
])
def test_windows_use_calendar_arithmetic(today, since, start):
    assert trends.window_start(since, today) == start


@pytest.mark.parametrize("now", ["garbage", "2026-13-45", "2026-02-30T10:00:00Z",
                                 "26:00", "2026-06-15T25:00:00Z"])
@pytest.mark.parametrize("command", [["list"], ["trends"], ["export"], ["sources"],
                                     ["validate"], []])
def test_a_bad_tracker_now_is_one_line(run, monkeypatch, now, command):
    monkeypatch.setenv("TRACKER_NOW", now)
    result = run(*command)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"Error: TRACKER_NOW: {now!r} is not a real ISO 8601 timestamp (allowed: e.g. "
        "2026-06-15T12:00:00Z or 2026-06-15; or unset it for the real clock)"]
    assert not run.db.exists()  # refused before the store was touched


def test_a_good_tracker_now_with_spaces_or_a_plain_date_is_accepted(run, monkeypatch):
    for now in (" 2026-06-15T12:00:00Z ", "2026-06-15"):
        monkeypatch.setenv("TRACKER_NOW", now)
        assert run("trends", "--since", "30d").exit_code == 0


# --- output that cannot be written: the real entry point, in a process ------------------

def _tracker(tmp_path: Path, catalog_path: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRACKER_NOW": "2026-11-22T09:30:00+00:00"}
    return subprocess.run([sys.executable, "-m", "tracker", "--db", str(tmp_path / "p.db"),
                           "--catalog", str(catalog_path), *args],
                          env=env, capture_output="stdout" not in kw, text=True, **kw)


COMMANDS = [["list"], ["list", "--format", "csv"], ["trends", "--since", "all", "--format",
                                                    "json"],
            ["members", "test-treaty"], ["show", "test-treaty"], ["export"]]


@pytest.fixture
def synced(tmp_path, catalog_path):
    assert _tracker(tmp_path, catalog_path, "list", stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL).returncode == 0


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", COMMANDS)
def test_a_full_disk_is_one_line_and_exit_74(tmp_path, catalog_path, synced, args):
    with open("/dev/full", "w") as full:
        result = _tracker(tmp_path, catalog_path, *args, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == EXIT_OUTPUT == 74
    assert result.stderr.splitlines() == [
        "Error: cannot write the output: No space left on device"]


@pytest.mark.parametrize("args", COMMANDS)
def test_a_stdout_closed_by_the_shell_is_one_line_and_exit_74(tmp_path, catalog_path, synced,
                                                               args):
    cmd = (f"{sys.executable} -m tracker --db {tmp_path / 'p.db'} --catalog {catalog_path} "
           + " ".join(args) + " >&-")
    result = subprocess.run(["bash", "-c", cmd], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TRACKER_NOW": "2026-11-22T09:30:00+00:00"})
    assert result.returncode == EXIT_OUTPUT
    assert result.stderr.splitlines() == [
        "Error: cannot write the output: standard output is closed"], result.stderr


@pytest.mark.parametrize("args", COMMANDS[:2])
def test_a_stdout_closed_while_running_is_one_line_and_exit_74(tmp_path, catalog_path, synced,
                                                                args):
    result = subprocess.run(
        [sys.executable, "-c", "import os, sys, runpy; os.close(1); sys.argv = sys.argv[1:]; "
         "runpy.run_module('tracker', run_name='__main__')", "tracker", "--db",
         str(tmp_path / "p.db"), "--catalog", str(catalog_path), *args],
        env={**os.environ, "TRACKER_NOW": "2026-11-22T09:30:00+00:00"},
        stderr=subprocess.PIPE, text=True)
    assert result.returncode == EXIT_OUTPUT
    assert result.stderr.splitlines() == [
        "Error: cannot write the output: standard output is closed"], result.stderr


@pytest.mark.parametrize("args", COMMANDS)
def test_a_reader_that_went_away_is_quiet_and_exit_141(tmp_path, catalog_path, synced, args):
    read, write = os.pipe()
    os.close(read)  # like `| head -1` that has already exited: every write is a broken pipe
    try:
        result = _tracker(tmp_path, catalog_path, *args, stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert result.returncode == EXIT_BROKEN_PIPE == 141
    assert result.stderr == ""


def test_head_minus_one_reads_the_first_line_and_nothing_breaks(tmp_path, catalog_path, synced):
    cmd = (f"{sys.executable} -m tracker --db {tmp_path / 'p.db'} --catalog {catalog_path} "
           "export | head -1; echo \"rc=${PIPESTATUS[0]}\"")
    out = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True,
                         env={**os.environ, "TRACKER_NOW": "2026-11-22T09:30:00+00:00"})
    first, rc = out.stdout.splitlines()
    assert first.startswith("# International AI coordination")
    assert rc in ("rc=0", "rc=141")  # 0 when all was written before head left
    assert "Traceback" not in out.stderr and "Exception" not in out.stderr


def test_export_to_a_folder_needs_no_stdout(tmp_path, catalog_path, synced):
    with open("/dev/full", "w") as full:
        result = _tracker(tmp_path, catalog_path, "export", "-o", f"{tmp_path}/b/",
                          stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "b" / "latest.md").exists()


def test_errors_raised_as_tracker_errors_keep_their_code():
    with pytest.raises(TrackerError) as exc:
        trends.window_start("3000y", dt.date(2026, 1, 1))
    assert exc.value.exit_code == 2


# --- small text ------------------------------------------------------------------------

def test_counts_agree_with_their_nouns(run, tmp_path):
    from tracker.text import count

    assert [count(n, "proposal") for n in (0, 1, 2)] == ["0 proposals", "1 proposal",
                                                         "2 proposals"]
    assert count(1, "entry", "entries") == "1 entry" and count(3, "party", "parties") == \
        "3 parties"
    out = run("trends", "--since", "2025-06").stdout
    assert "1 change since 2025-06-01" in out and "1 changes" not in out
    assert "0 values are due" in out
    assert "3 participants" in run("members", "test-treaty").stdout
    validated = run("validate").stdout
    assert "1 ledger," in validated and "1 ledgers" not in validated


def test_review_lists_one_proposal_in_the_singular(run):
    from tracker.store import Store

    assert run("list").exit_code == 0
    store = Store.open(run.db)
    try:
        store.db["proposals"].insert({
            "kind": "observation", "indicator_id": "pace-mismatch", "field": "severity",
            "value": "Low", "as_of": "2026-10", "source_id": "s", "source_url":
            "https://example.org/s", "confidence": "low", "reason": "manual",
            "status": "pending", "created_at": "2026-10-02T00:00:00Z"})
    finally:
        store.close()
    out = run("review").stdout
    assert "1 proposal waiting for review" in out and "1 proposals" not in out


def test_validate_never_says_nothing_was_written(run, tmp_path, catalog_path):
    missing = run("validate", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2
    assert missing.stderr.splitlines() == [
        f"{tmp_path / 'nope.yaml'}: the catalog file does not exist",
        f"Error: 1 problem in the catalog {tmp_path / 'nope.yaml'}"]
    broken = run("list", catalog=tmp_path / "nope.yaml")
    assert broken.exit_code == 2 and "nothing was written" in broken.stderr
    assert f"{tmp_path / 'nope.yaml'}:1" not in broken.stderr


def test_list_help_points_to_a_list_of_categories_that_exists(run):
    assert "tracker list --categories" in run("list", "--help").stdout
    out = run("list", "--categories").stdout
    assert "obstacles" in out and "Mechanisms" in out
    import json

    data = json.loads(run("list", "--categories", "--format", "json").stdout)
    assert [c["id"] for c in data] == ["obstacles", "mechanisms"]
    assert [c["rows"] for c in data] == [2, 1]
    bad = run("list", "--category", "nope")
    assert bad.exit_code == 2 and "allowed: obstacles, mechanisms" in bad.stderr


def test_export_help_names_the_file_of_each_format(run):
    text = " ".join(run("export", "--help").stdout.split())
    assert "latest.md, latest.json or a dated folder of CSV files (by --format)" in text


def test_exit_codes_are_documented_in_help_and_readme(run):
    help_text = run("--help").stdout
    assert "74  the output could not be written" in help_text
    assert "141 the reader closed the pipe" in help_text
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "| 74 |" in readme and "| 141 |" in readme
