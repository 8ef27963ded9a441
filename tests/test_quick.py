"""The short path for `tracker list`, `show` and `history`: the same answer as the click
command line, or nothing at all (and then click runs), and no heavy import on the way."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import DATA
from tracker import quick
from tracker.cli_main import main
from tracker.store import files

SHIPPED = DATA.parent.parent / "data" / "indicators.yaml"


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory):
    """A store synced with (a copy of) the shipped catalog by the click command line."""
    folder = tmp_path_factory.mktemp("quick")
    catalog = folder / "indicators.yaml"
    shutil.copy(SHIPPED, catalog)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACKER_NOW", "2026-11-22T09:30:00+00:00")
        mp.setenv("XDG_CONFIG_HOME", str(folder / "xdg-config"))
        mp.setenv("XDG_DATA_HOME", str(folder / "xdg-data"))
        _click(["--db", str(folder / "q.db"), "--catalog", str(catalog), "list"])
    return folder / "q.db", catalog


@pytest.fixture
def synced(shipped_store, tmp_path):
    """A copy of the synced store and its catalog, for one test to change as it likes."""
    db, catalog = tmp_path / "q.db", tmp_path / "indicators.yaml"
    shutil.copy(shipped_store[0], db)
    shutil.copy2(shipped_store[1], catalog)  # a copy: the stamp differs, the digest holds
    return db, catalog


def _click(argv: list[str]) -> tuple[int, str]:
    """The click command line's exit code and standard output."""
    from click.testing import CliRunner

    from tracker.cli import cli

    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    return result.exit_code, result.stdout


def _quick(argv: list[str]) -> str | None:
    return quick.run(argv, io.StringIO())


ANSWERED = [
    ["list"],
    ["list", "--format", "json"],
    ["list", "--format=csv"],
    ["list", "--category", "mechanisms"],
    ["list", "-c", "obstacles", "--format", "json"],
    ["list", "--categories"],
    ["list", "--categories", "--format", "csv"],
    ["show", "cets-225"],
    ["show", "--format", "json", "cets-225"],
    ["history", "cets-225"],
    ["history", "cets-225", "--format", "csv"],
    ["history", "cets-225", "participant_count", "--format=json"],
]


@pytest.mark.parametrize("args", ANSWERED, ids=" ".join)
def test_the_short_path_prints_what_click_prints(synced, args):
    db, catalog = synced
    argv = ["--db", str(db), "--catalog", str(catalog), *args]
    code, expected = _click(argv)
    assert code == 0 and expected
    assert _quick(argv) == expected


def test_names_and_aliases_resolve_as_in_click(synced):
    db, catalog = synced
    for name in ("CETS 225", "cets 225"):
        argv = ["--db", str(db), "--catalog", str(catalog), "show", name]
        assert _quick(argv) == _click(argv)[1]


@pytest.mark.parametrize("args", [
    ["list", "-h"], ["--help"], ["--version"], ["list", "--at", "2025-06"],
    ["list", "--category", "nope"], ["show", "no-such-thing"],
    ["history", "cets-225", "no_field"], ["list", "--format", "xml"],
    ["list", "--format"], ["list", "--category", "a", "--category", "b"],
    ["list", "--category", "mechanisms", "-c", "obstacles"], ["list", "extra"],
    ["show"], ["show", "a", "b"], ["history", "cets-225", "feasibility", "x"],
    ["show", "--", "cets-225"], ["list", "--wat"], ["trends"], ["members", "cets-225"],
], ids=" ".join)
def test_anything_else_goes_to_click(synced, args):
    db, catalog = synced
    assert _quick(["--db", str(db), "--catalog", str(catalog), *args]) is None


def test_empty_and_repeated_global_options_go_to_click(synced):
    db, catalog = synced
    assert _quick(["--db", "", "--catalog", str(catalog), "list"]) is None
    assert _quick(["--db", str(db), "--db", str(db), "--catalog", str(catalog), "list"]) is None
    assert _quick(["--db=" + str(db), "--catalog=" + str(catalog), "list"]) is not None


def test_a_store_to_create_upgrade_or_sync_goes_to_click(tmp_path, synced):
    db, catalog = synced
    assert _quick(["--db", str(tmp_path / "new.db"), "--catalog", str(catalog), "list"]) is None
    assert not (tmp_path / "new.db").exists()  # nothing written: click makes it
    old = tmp_path / "old.db"
    shutil.copy(db, old)
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    assert _quick(["--db", str(old), "--catalog", str(catalog), "list"]) is None
    edited = tmp_path / "edited.yaml"
    edited.write_text(catalog.read_text() + "\n# an edit\n")
    assert _quick(["--db", str(db), "--catalog", str(edited), "list"]) is None


def test_a_terminal_or_forced_colour_goes_to_click(synced, monkeypatch):
    db, catalog = synced
    argv = ["--db", str(db), "--catalog", str(catalog), "list"]

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert quick.run(argv, Tty()) is None
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert quick.run(argv, io.StringIO()) is None


def test_a_read_only_store_goes_to_click(synced, monkeypatch):
    """A store this user may not write gets click's notes (unread log, unsynced catalog)."""
    from tracker.store import files

    db, catalog = synced
    argv = ["--db", str(db), "--catalog", str(catalog), "list"]
    assert _quick(argv) is not None
    monkeypatch.setattr(files, "writable", lambda path: False)
    assert _quick(argv) is None


def test_a_content_change_that_keeps_size_and_mtime_is_seen(synced, monkeypatch):
    """The stamp holds the status-change time, which no tool sets back: an edit that keeps
    the size and restores the mtime is still a change, and the click path syncs it."""
    monkeypatch.setattr(files, "SETTLE_NS", -1)  # the stamp of a fresh edit is recorded
    db, catalog = _synced_here(*synced)
    argv = ["--db", str(db), "--catalog", str(catalog), "show", "cets-225"]
    assert _stored_stamp(db)  # recorded: only the ctime can tell the edit below
    assert _quick(argv) is not None
    before = os.stat(catalog)
    text = catalog.read_text()
    catalog.write_text(text.replace("# a local copy", "# a local cop_"))  # same size
    os.utime(catalog, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(catalog).st_size == before.st_size
    assert _quick(argv) is None  # hashed: the digest differs, so click syncs first
    code, shown = _click(argv)
    assert code == 0
    assert _quick(argv) == shown  # synced: the short path answers again


def _synced_here(db, catalog):
    """The store synced from this very file (an edit makes click sync it), so the store
    records the file's stamp."""
    catalog.write_text(catalog.read_text() + "\n# a local copy\n")
    assert _click(["--db", str(db), "--catalog", str(catalog), "list"])[0] == 0
    return db, catalog


def test_an_unchanged_catalog_is_not_hashed_again(synced, monkeypatch):
    monkeypatch.setattr(files, "SETTLE_NS", -1)  # the stamp of a fresh edit is recorded
    db, catalog = _synced_here(*synced)
    argv = ["--db", str(db), "--catalog", str(catalog), "list"]
    assert _stored_stamp(db)
    import tracker.paths

    def no_hash(*args, **kwargs):
        raise AssertionError("the catalog was hashed although its stamp is unchanged")

    monkeypatch.setattr(tracker.paths, "catalog_digest", no_hash)
    assert _quick(argv)
    os.utime(catalog, None)  # new times: now it must hash
    with pytest.raises(AssertionError):
        _quick(argv)


def _stored_stamp(db) -> str:
    return sqlite3.connect(db).execute(
        "SELECT value FROM meta WHERE key = 'catalog_stamp'").fetchone()[0]


def test_a_touched_catalog_is_hashed_and_still_answered(synced):
    db, catalog = synced
    os.utime(catalog, None)  # same bytes, new times: the stamp differs, the digest does not
    assert _quick(["--db", str(db), "--catalog", str(catalog), "list"]) is not None


@pytest.mark.parametrize("command, allowed", [
    (["history", "cets-225"], []),
    (["show", "cets-225"], ["dataclasses"]),  # the essay criteria are dataclasses
    (["show", "pace-mismatch"], []),  # not a mechanism: no criteria to load
    (["list"], ["dataclasses"]),
])  # Rich's cell widths (rich.cells) load for text beyond ASCII; its consoles never do
def test_the_short_path_loads_no_heavy_library(synced, command, allowed):
    """click, sqlite-utils, Rich's console, PyYAML and pydantic take longer to import than
    these commands take to run; none of them loads on the short path."""
    db, catalog = synced
    code = ("import io, sys; from tracker import quick; "
            f"argv = ['--db', {str(db)!r}, '--catalog', {str(catalog)!r}, *{command!r}]; "
            "assert quick.run(argv, io.StringIO()); "
            "heavy = ('click', 'sqlite_utils', 'rich.console', 'yaml', 'pydantic', "
            "'dataclasses'); "
            "print(sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == repr(allowed)


def test_the_entry_point_prints_the_short_answer_and_exits_0(synced, capsys):
    db, catalog = synced
    argv = ["--db", str(db), "--catalog", str(catalog), "history", "cets-225"]
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert capsys.readouterr().out == _click(argv)[1]


def test_the_entry_point_falls_back_to_click_for_errors(synced, capsys):
    db, catalog = synced
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "--catalog", str(catalog), "list", "--category", "nope"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "unknown category 'nope'" in err and "allowed:" in err
