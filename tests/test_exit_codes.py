"""The README's exit-code table is the one the commands use (store problems included)."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from tracker import errors
from tracker.cli import cli

README = Path(__file__).parent.parent / "README.md"


def documented() -> dict[int, str]:
    """The README's "Exit codes" table: code -> meaning."""
    text = README.read_text()
    section = text[text.index("### Exit codes"):]
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", section.split("\n\n", 2)[1], re.M)
    return {int(code): meaning for code, meaning in rows}


def test_every_exit_code_constant_is_documented_and_in_the_help(run):
    table = documented()
    constants = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    assert constants <= set(table)
    help_text = run("--help").stdout
    for code in table:
        assert re.search(rf"^\s+{code}\s", help_text, re.M), code


def _foreign(run, tmp_path):
    run.db = tmp_path / "other.db"
    conn = sqlite3.connect(run.db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _damaged(run, tmp_path):
    run("list")
    sqlite3.connect(run.db).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    with open(run.db, "r+b") as handle:
        for page in range(1, run.db.stat().st_size // 4096):
            handle.seek(page * 4096)
            handle.write(b"\xff" * 4096)


def _damaged_header(run, tmp_path):
    run("list")
    sqlite3.connect(run.db).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    with open(run.db, "r+b") as handle:
        handle.seek(16)  # after the magic string: page size, versions, counters
        handle.write(b"\xff" * 84)


def _not_a_database(run, tmp_path):
    run.db = tmp_path / "notes.db"
    run.db.write_text("not a database\n" * 200)


def _newer(run, tmp_path):
    from tracker.store import LATEST
    from tracker.store.files import APPLICATION_ID

    run("list")
    conn = sqlite3.connect(run.db)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()


def _lock_is_a_folder(run, tmp_path):
    run("list")
    Path(f"{run.db}.refresh-lock").mkdir()


def _nothing(run, tmp_path):
    run("list")


SCENARIOS = [
    (_foreign, ["list"], 2, "not a tracker store"),
    (_not_a_database, ["list"], 2, "not a tracker store"),
    (_damaged, ["list"], 1, "damaged store"),
    (_damaged_header, ["show", "test-treaty"], 1, "damaged store"),
    (_damaged, ["set", "pace-mismatch", "severity", "Low"], 1, "damaged store"),
    (_newer, ["list"], 1, "could not be used"),
    (_lock_is_a_folder, ["refresh"], 1, "refresh lock path that cannot be a lock"),
    (_nothing, ["export", "-o", "{db}"], 2, "an output path that is the store"),
    (_nothing, ["export", "-o", "{tmp}/plain.txt/x.md"], 2, "bad invocation"),
    (_nothing, ["set", "pace-mismatch", "severity", "Low", "--as-of", "2030"], 2,
     "a date after today"),
    (_nothing, ["set", "pace-mismatch", "severity", "Huge"], 2, "not on its scale"),
    (_nothing, ["show", "nope"], 2, "unknown id"),
]


@pytest.mark.parametrize("setup, args, code, meaning", SCENARIOS,
                         ids=[f"{s[0].__name__}-{s[1][0]}" for s in SCENARIOS])
def test_store_problems_exit_with_the_documented_code(run, tmp_path, setup, args, code,
                                                      meaning):
    (tmp_path / "plain.txt").write_text("x")
    setup(run, tmp_path)
    argv = [a.format(db=run.db, tmp=tmp_path) for a in args]
    result = run(*argv)
    assert result.exit_code == code, result.output
    assert meaning in documented()[code]
    assert "Traceback" not in result.output
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1


def test_a_full_disk_is_exit_1_as_documented(run, tmp_path, monkeypatch):
    import errno

    run("list")
    real = os.fdopen

    def full(fd, *args, **kwargs):
        handle = real(fd, *args, **kwargs)
        if "w" in (args[0] if args else kwargs.get("mode", "r")):
            def write(_text):
                raise OSError(errno.ENOSPC, "No space left on device")
            handle.write = write
        return handle

    monkeypatch.setattr(os, "fdopen", full)
    result = run("export", "-o", str(tmp_path / "brief.md"))
    assert result.exit_code == 1
    assert "a full disk" in documented()[1]
    assert not (tmp_path / "brief.md").exists()


@pytest.mark.parametrize("args, where", [
    (["list", "--format", "xml"], "tracker list --help"),
    (["show"], "tracker show --help"),
    (["list", "--bogus"], "tracker list --help"),
    (["search", "cets", "--limit", "0"], "tracker search --help"),
    (["serve", "--port", "99999"], "tracker serve --help"),
    (["--nope"], "tracker --help"),
    (["trends", "--since"], "tracker trends --help"),  # an option missing its value
    (["export", "-o"], "tracker export --help"),
    (["nosuch"], "tracker --help"),
])
def test_a_usage_mistake_is_one_line_naming_the_help_to_read(run, args, where):
    result = run(*args, prog_name="tracker")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and f"(see `{where}`)" in lines[0], \
        result.output
