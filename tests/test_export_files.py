"""Output files: never the store, all or nothing, modes like a shell redirect, dated files
kept; the refresh lock cannot damage what its path points at; multi-id decisions."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.refresh import refresh_lock


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture
def synced(run):
    assert run("list").exit_code == 0
    return run


# -- item 1: no output is the store, its WAL or index, or its lock -----------------------

def test_no_output_path_is_the_store_or_one_of_its_files(synced, tmp_path, monkeypatch):
    run = synced
    monkeypatch.chdir(tmp_path)
    db = Path(run.db.name)
    (tmp_path / "link.md").symlink_to(db)
    os.link(db, tmp_path / "hard.md")
    Path(f"{db}.refresh-lock").touch()
    (tmp_path / "sub").mkdir()
    before = _digest(db)
    spellings = [str(db), f"./{db}", str(tmp_path / db), f"sub/../{db}", "link.md", "hard.md",
                 f"{db}-wal", f"{db}-shm", f"{db}.refresh-lock", f"{db}-wal/", f"{db}/"]
    listing = _files(tmp_path)
    for target in spellings:
        for fmt in ("md", "json", "csv"):
            result = run("export", "--format", fmt, "-o", target)
            assert result.exit_code == 2, (target, result.output)
            line = _one_line(result.stderr)
            assert "the store or one of its files" in line and "nothing was written" in line
        result = run("refresh", "--export", target)
        assert result.exit_code == 2, (target, result.output)
        assert _digest(db) == before
        assert _files(tmp_path) == listing
    run.db = Path("link.md")  # the store named through a link: its real name is refused too
    assert run("export", "-o", str(db)).exit_code == 2
    assert _digest(db) == before


# -- item 3: a dated file is never replaced by a later snapshot of the same day ----------

def test_a_later_snapshot_of_the_same_day_gets_a_suffix(synced, tmp_path):
    run = synced
    out = tmp_path / "briefings"
    assert run("export", "-o", f"{out}/").exit_code == 0
    first = (out / "2026-11-22.md").read_text()
    assert run("set", "pace-mismatch", "severity", "Low", "--as-of", "2026-11").exit_code == 0
    assert run("export", "-o", f"{out}/").exit_code == 0
    assert run("export", "-o", f"{out}/").exit_code == 0
    assert (out / "2026-11-22.md").read_text() == first  # the first one is kept
    second = (out / "2026-11-22-2.md").read_text()
    assert "Pace mismatch" in second and second != first
    assert (out / "latest.md").read_text() == (out / "2026-11-22-3.md").read_text()
    for fmt in ("json", "csv"):
        for _ in range(2):
            assert run("export", "--format", fmt, "-o", f"{out}/").exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["2026-11-22", "2026-11-22-2", "2026-11-22-2.json", "2026-11-22-2.md",
                     "2026-11-22-3.md", "2026-11-22.json", "2026-11-22.md", "latest.json",
                     "latest.md"]


# -- item 6: modes follow the umask; a replaced file keeps its mode ----------------------

@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_exports_follow_the_umask(synced, tmp_path, mask, mode):
    run = synced
    old = os.umask(mask)
    try:
        assert run("export", "-o", str(tmp_path / "one.md")).exit_code == 0
        assert run("export", "-o", f"{tmp_path}/dir/").exit_code == 0
        assert run("export", "--format", "csv", "-o", f"{tmp_path}/dir/").exit_code == 0
    finally:
        os.umask(old)
    written = [tmp_path / "one.md", tmp_path / "dir" / "2026-11-22.md",
               tmp_path / "dir" / "latest.md", tmp_path / "dir" / "2026-11-22" / "events.csv"]
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == mode, path
    folder = stat.S_IMODE((tmp_path / "dir" / "2026-11-22").stat().st_mode)
    assert folder == 0o777 & ~mask


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664, 0o600])
def test_an_overwritten_file_keeps_its_mode(synced, tmp_path, mode):
    target = tmp_path / "brief.md"
    target.write_text("old\n")
    os.chmod(target, mode)
    (tmp_path / "dir").mkdir()
    latest = tmp_path / "dir" / "latest.md"
    latest.write_text("old\n")
    os.chmod(latest, mode)
    old = os.umask(0o077)
    try:
        assert synced("export", "-o", str(target)).exit_code == 0
        assert synced("export", "-o", f"{tmp_path}/dir/").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert stat.S_IMODE(latest.stat().st_mode) == mode
    assert target.read_text().startswith("#")


# -- item 7: all or nothing, one line, exit 1 --------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path):
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tiny tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


@pytest.mark.parametrize("fmt, target", [("md", "brief.md"), ("md", "dir/"),
                                         ("json", "dir/"), ("csv", "dir/"),
                                         ("json", "state.json")])
def test_a_full_disk_leaves_nothing_half_written(synced, tiny_disk, fmt, target):
    run = synced
    (tiny_disk / "dir").mkdir()
    (tiny_disk / "dir" / "latest.md").write_text("the previous briefing\n")
    with open(tiny_disk / "filler", "wb", buffering=0) as filler:  # leave a few hundred bytes at most
        try:
            while True:
                filler.write(b"x" * 512)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    snapshots = _snapshots(run)
    result = run("export", "--format", fmt, "-o", f"{tiny_disk}/{target}")
    assert result.exit_code == 1, result.output
    line = _one_line(result.stderr)
    assert "could not write" in line and "No space left on device" in line
    assert _files(tiny_disk) == {"dir", "dir/latest.md", "filler"}
    assert (tiny_disk / "dir" / "latest.md").read_text() == "the previous briefing\n"
    assert _snapshots(run) == snapshots  # not recorded either


def _snapshots(run) -> int:
    import sqlite3

    return sqlite3.connect(run.db).execute("SELECT count(*) FROM snapshots").fetchone()[0]


def test_a_failure_while_placing_files_undoes_the_ones_placed(synced, tmp_path, monkeypatch):
    """The dated file is placed, then latest.md cannot be: neither stays, nothing recorded."""
    run = synced
    real = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if str(dst).endswith("latest.md"):
            raise OSError(errno.EIO, "Input/output error", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    result = run("export", "-o", f"{tmp_path}/out/")
    assert result.exit_code == 1 and "Input/output error" in _one_line(result.stderr)
    assert _files(tmp_path / "out") == set()
    assert _snapshots(run) == 0


@pytest.mark.parametrize("target", ["{file}/sub/", "{file}/brief.md", "{missing}/brief.md"])
def test_an_unusable_folder_gets_one_line(synced, tmp_path, target):
    (tmp_path / "plain.txt").write_text("x")
    path = target.format(file=tmp_path / "plain.txt", missing=tmp_path / "no")
    result = synced("export", "-o", path)
    assert result.exit_code in (1, 2), result.output
    _one_line(result.stderr)
    assert (tmp_path / "plain.txt").read_text() == "x"


# -- item 2: the refresh lock ------------------------------------------------------------

def test_the_lock_never_follows_a_link_nor_truncates(synced, tmp_path):
    run = synced
    db = run.db
    lock = Path(f"{db}.refresh-lock")
    before = _digest(db)
    victims = {"symlink to the store": lambda: lock.symlink_to(db),
               "hard link to the store": lambda: os.link(db, lock),
               "dangling symlink": lambda: lock.symlink_to(tmp_path / "nowhere"),
               "directory": lambda: lock.mkdir(),
               "fifo": lambda: os.mkfifo(lock)}
    for what, make in victims.items():
        make()
        result = run("refresh")
        assert result.exit_code == 1, (what, result.output)
        line = _one_line(result.stderr)
        assert str(lock) in line, what
        with pytest.raises(TrackerError) as caught:
            with refresh_lock(str(db)):
                pass
        assert caught.value.exit_code == 1
        assert _digest(db) == before, what
        assert not (tmp_path / "nowhere").exists()
        lock.rmdir() if lock.is_dir() and not lock.is_symlink() else lock.unlink()


def test_the_lock_file_is_not_written(tmp_path):
    db = tmp_path / "s.db"
    lock = Path(f"{db}.refresh-lock")
    lock.write_text("left by someone\n")
    with refresh_lock(str(db)):
        pass
    assert lock.read_text() == "left by someone\n"


# -- item 8: multi-id commands check every id first --------------------------------------

def _proposals(run, count: int) -> None:
    import sqlite3

    conn = sqlite3.connect(run.db)
    for i in range(count):
        conn.execute(
            "INSERT INTO proposals (kind, indicator_id, field, value, as_of, source_url, "
            "confidence, reason, status, created_at) VALUES ('observation', 'test-treaty', "
            "'participant_count', ?, '2026-11', 'https://example.org/x', 'medium', 'test', "
            "'pending', '2026-11-22T00:00:00Z')", [str(10 + i)])
    conn.commit()
    conn.close()


@pytest.mark.parametrize("args", [["accept", "1", "999"], ["reject", "2", "999"],
                                  ["accept", "1", "2", "1"], ["accept", "999", "1"],
                                  ["accept", "1", "3"]])
def test_multi_id_review_writes_nothing_when_one_id_is_wrong(synced, args):
    run = synced
    _proposals(run, 3)
    assert run("review", "reject", "3").exit_code == 0  # 3 is decided already
    history = run("history", "test-treaty", "--format", "json").stdout
    result = run("review", *args)
    assert result.exit_code == 2, result.output
    assert "nothing was decided" in _one_line(result.stderr)
    assert "3 proposals" not in run("review").stdout
    assert "2 proposals waiting" in run("review").stdout
    assert run("history", "test-treaty", "--format", "json").stdout == history
    both = run("review", "accept", "1", "2")
    assert both.exit_code == 0 and both.stdout.count("accepted") == 2


def test_an_output_that_is_a_link_writes_through_it(synced, tmp_path):
    real = tmp_path / "shared" / "brief.md"
    real.parent.mkdir()
    real.write_text("old\n")
    os.chmod(real, 0o640)
    (tmp_path / "brief.md").symlink_to(real)
    assert synced("export", "-o", str(tmp_path / "brief.md")).exit_code == 0
    assert (tmp_path / "brief.md").is_symlink()
    assert real.read_text().startswith("#") and stat.S_IMODE(real.stat().st_mode) == 0o640
