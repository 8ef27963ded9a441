"""The store's file: a path is a path, other programs' files are left alone, damaged and
read-only stores get one line, several processes can make or upgrade one at once."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tracker.store import LATEST, Store
from tracker.store.files import APPLICATION_ID

from conftest import DATA, FROZEN

TRACKER = [sys.executable, "-m", "tracker"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


# -- item 5: --db is a path, never a SQLite URI ------------------------------------------

@pytest.mark.parametrize("name", ["C#/t.db", "t?.db", "file:x.db?mode=memory", "a%41b.db",
                                  "q?mode=ro#frag.db"])
def test_db_text_is_a_path_never_a_uri(run, tmp_path, monkeypatch, name):
    work = tmp_path / "work"
    (work / "C#").mkdir(parents=True)
    monkeypatch.chdir(work)
    run.db = Path(name)
    assert run("set", "pace-mismatch", "severity", "Low", "--as-of", "2026-01").exit_code == 0
    assert "2026-01  severity  Low       analyst" in run("history", "pace-mismatch").stdout
    made = {str(p.relative_to(work)) for p in work.rglob("*") if p.is_file()}
    assert made == {name}, made  # the store, and nothing else (no stray 't' or 'x.db')
    assert sqlite3.connect(work / name).execute("PRAGMA application_id").fetchone()[0] \
        == APPLICATION_ID

    import tracker.catalog as catalog_module

    calls = []
    real = catalog_module.check_catalog
    monkeypatch.setattr(catalog_module, "check_catalog",
                        lambda path: calls.append(path) or real(path))
    assert run("list").exit_code == 0
    assert calls == []  # the stored digest was found: an unchanged catalog is not re-read


# -- item 4: another program's SQLite file is left untouched -----------------------------

def _foreign_files(folder: Path) -> list[Path]:
    made = []
    notes = folder / "notes.db"
    conn = sqlite3.connect(notes)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('my notes')")
    conn.commit()
    conn.close()
    made.append(notes)
    marked = folder / "marked.db"
    conn = sqlite3.connect(marked)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    made.append(marked)
    versioned = folder / "versioned.db"
    conn = sqlite3.connect(versioned)
    conn.execute("PRAGMA user_version = 3")
    conn.execute("CREATE TABLE meta (key, value)")  # one of our names is not enough
    conn.commit()
    conn.close()
    made.append(versioned)
    return made


def test_a_sqlite_file_that_is_not_ours_is_refused_and_untouched(run, tmp_path):
    for path in _foreign_files(tmp_path):
        before = _digest(path)
        run.db = path
        for args in (["list"], ["set", "pace-mismatch", "severity", "Low"], ["export"]):
            result = run(*args)
            assert result.exit_code == 2, result.output
            line = _one_line(result.stderr)
            assert str(path) in line and "not a tracker store" in line
        assert _digest(path) == before
        assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
        assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_new_and_upgraded_stores_are_marked_as_ours(tmp_path, store):
    assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.executescript((DATA / "store-v1.sql").read_text())
    conn.close()
    upgraded = Store.open(old, clock=lambda: FROZEN)
    assert upgraded.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert upgraded.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    upgraded.close()


# -- item 9: damaged pages give one line, for every command ------------------------------

def _damage(path: Path) -> None:
    size = path.stat().st_size
    page = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    with open(path, "r+b") as handle:
        for number in range(1, size // page):  # every page but the first (the schema)
            handle.seek(number * page)
            handle.write(b"\xde\xad" * (page // 2))


@pytest.mark.parametrize("args", [
    ["list"], ["show", "test-treaty"], ["export"], ["export", "--format", "json"],
    ["set", "pace-mismatch", "severity", "Low"], ["trends"],
    ["history", "test-treaty"], ["members", "test-treaty"], ["withdraw", "test-treaty",
                                                              "participant_count"],
])
def test_a_damaged_store_gets_one_line_with_the_verdict_and_what_to_do(run, args):
    assert run("list").exit_code == 0
    sqlite3.connect(run.db).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    _damage(run.db)
    result = run(*args)
    assert result.exit_code == 1, result.output
    line = _one_line(result.stderr)
    assert str(run.db) in line and "damaged" in line and "integrity check:" in line
    assert "backup" in line and ".recover" in line


# -- item 10: several processes on a new store, or one needing an upgrade ----------------

def _at_once(commands: list[list[str]], cwd: Path) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "TRACKER_NOW": FROZEN.isoformat()}
    procs = [subprocess.Popen(c, cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for c in commands]
    outputs = [p.communicate(timeout=120) for p in procs]
    return [subprocess.CompletedProcess(p.args, p.returncode, *out)
            for p, out in zip(procs, outputs)]


def _catalog_rows(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM observations WHERE origin = 'catalog'"
                            ).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("start", ["new", "v1"])
def test_eight_processes_on_a_new_or_old_store_all_succeed(tmp_path, start):
    """With the shipped catalog, whose first sync takes long enough for the race to show."""
    env = {**os.environ, "TRACKER_NOW": FROZEN.isoformat()}
    alone = tmp_path / "alone.db"
    if start == "v1":
        conn = sqlite3.connect(alone)
        conn.executescript((DATA / "store-v1.sql").read_text())
        conn.close()
    subprocess.run(TRACKER + ["--db", str(alone), "list"], env=env, check=True,
                   capture_output=True)
    for trial in range(2):
        db = tmp_path / f"shared-{trial}.db"
        if start == "v1":
            conn = sqlite3.connect(db)
            conn.executescript((DATA / "store-v1.sql").read_text())
            conn.close()
        base = TRACKER + ["--db", str(db)]
        commands = [base + ["list"], base + ["show", "cets-225"], base + ["trends"],
                    base + ["export"], base + ["list", "--format", "json"],
                    base + ["history", "cets-225"], base + ["members", "cets-225"],
                    base + ["list"]]
        for done in _at_once(commands, tmp_path):
            assert done.returncode == 0, (trial, done.stderr)
            assert done.stderr == ""
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        conn.close()
        assert _catalog_rows(db) == _catalog_rows(alone)  # synced once, not per process


# -- item 11: a store the user may not write can be read --------------------------------

def _as_other_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot drop write access")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@pytest.fixture
def read_only_store():
    """A synced store in a folder, both read-only for the user running the commands."""
    top = Path(tempfile.mkdtemp(prefix="tracker-ro-"))
    os.chmod(top, 0o755)
    folder = top / "ro"
    folder.mkdir()
    catalog = top / "catalog.yaml"
    shutil.copy(DATA / "catalog-small.yaml", catalog)
    os.chmod(catalog, 0o644)
    out = top / "out"
    out.mkdir()
    os.chmod(out, 0o777)
    db = folder / "store.db"
    env = {**os.environ, "TRACKER_NOW": FROZEN.isoformat(),
           "XDG_CONFIG_HOME": "/nonexistent"}  # another user reads no config of ours
    subprocess.run(TRACKER + ["--db", str(db), "--catalog", str(catalog), "list"], env=env,
                   check=True, capture_output=True)
    os.chmod(db, 0o444)
    os.chmod(folder, 0o555)
    yield db, catalog, out, env
    os.chmod(folder, 0o755)
    shutil.rmtree(top)


def test_a_read_only_store_can_be_read_and_only_writes_fail(read_only_store):
    db, catalog, out, env = read_only_store
    before = _digest(db)
    base = _as_other_user() + TRACKER + ["--db", str(db), "--catalog", str(catalog)]

    def tracker(*args):
        return subprocess.run(base + list(args), env=env, capture_output=True, text=True,
                              cwd=out)

    listed = tracker("list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = [r["id"] for c in json.loads(listed.stdout)["categories"] for r in c["rows"]]
    assert "test-treaty" in rows
    assert "Test Treaty" in tracker("show", "test-treaty").stdout
    assert tracker("trends").returncode == 0
    exported = tracker("export", "-o", str(out / "brief.md"))
    assert exported.returncode == 0, exported.stderr
    assert (out / "brief.md").read_text().startswith("#")
    folder = tracker("export", "-o", f"{out}/briefings/")
    assert folder.returncode == 0 and "not recorded" in folder.stderr
    for args in (["set", "pace-mismatch", "severity", "Low"], ["refresh"],
                 ["withdraw", "pace-mismatch", "severity"]):
        result = tracker(*args)
        assert result.returncode == 1, result.stderr
        line = _one_line(result.stderr)
        assert "read-only" in line and str(db) in line
    for target in (str(db.parent / "brief.md"), f"{db.parent}/briefings/",
                   f"{db.parent}/"):  # an unwritable folder: one line, exit 1
        for fmt in ("md", "csv"):
            if fmt == "csv" and not target.endswith("/"):
                continue
            result = tracker("export", "--format", fmt, "-o", target)
            assert result.returncode == 1, (target, result.stderr)
            assert "Permission denied" in _one_line(result.stderr)
    changed = out / "changed.yaml"
    changed.write_text(catalog.read_text().replace("Pace mismatch", "Pace gap"))
    os.chmod(changed, 0o644)
    shown = tracker("--catalog", str(changed), "show", "pace-mismatch")
    assert shown.returncode == 0 and "Pace mismatch" in shown.stdout
    assert "read-only" in _one_line(shown.stderr)
    assert _digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["store.db"]


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_db_that_is_not_a_regular_file_is_refused_without_blocking(run, tmp_path, kind):
    target = {"fifo": tmp_path / "pipe.db", "folder": tmp_path / "dir.db",
              "device": Path("/dev/null")}[kind]
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    run.db = target
    result = run("list")
    assert result.exit_code == 2
    assert "not a regular file" in _one_line(result.stderr)


def test_wal_files_left_by_another_user_are_named_as_the_reason(tmp_path, catalog, monkeypatch):
    """A reader who could not write the store but could write its folder leaves -wal and
    -shm files the owner cannot write: the owner's write is refused naming them."""
    import os

    from tracker import assess
    from tracker.errors import TrackerError
    from tracker.store import Store
    from tracker.sync import sync

    path = tmp_path / "store.db"
    store = Store.open(path, clock=lambda: FROZEN)
    sync(store, catalog)
    store.close()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"store.db{suffix}").write_bytes(b"")
    shm = str(tmp_path / "store.db-shm")
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == shm and
                        mode & os.W_OK else real(p, mode, **kw))
    owner = Store.open(path, clock=lambda: FROZEN)
    with pytest.raises(TrackerError) as error:
        assess.record(owner, catalog, "pace-mismatch", "mechanism", "x", as_of="2026-11",
                      source="https://example.org/a", confidence="low", note=None,
                      author="ana")
    message = str(error.value)
    assert "store.db-shm belongs to" in message and "remove store.db-wal and store.db-shm" \
        in message and "write access to the file and its folder" not in message
    owner.close()
