"""An output that is not a regular file (a FIFO, a terminal, `/dev/stdout`, `/dev/null`) is
written into, as a shell redirect would: it is never replaced by a regular file, which for
root and `-o /dev/null` would replace the system's null device."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest


@pytest.fixture
def synced(run):
    assert run("list").exit_code == 0
    return run


def _read_fifo(path: Path, got: list[bytes]) -> threading.Thread:
    """Read the FIFO in a thread, opened before this returns (a writer that does not wait
    for readers must find one), until the writer closes it."""
    import select
    import time

    ready = threading.Event()

    def reader():
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a reader now, with no writer yet
        ready.set()
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLHUP)
        chunks: list[bytes] = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if not poller.poll(100):
                continue
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            if not data and chunks:
                break  # the writer closed it
            chunks.append(data)
        os.close(fd)
        got.append(b"".join(chunks))
    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    ready.wait(5)
    return thread


@pytest.mark.parametrize("args, start", [
    (["export"], b"# "), (["export", "--format", "json"], b"{"),
    (["export", "--category", "obstacles"], b"#"),
    (["export", "--category", "obstacles", "--format", "csv"], b"ID,Name"),
])
@pytest.mark.parametrize("via_link", [False, True])
def test_a_fifo_output_is_written_into_and_stays_a_fifo(synced, tmp_path, args, start,
                                                        via_link):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = fifo
    if via_link:
        target = tmp_path / "link"
        target.symlink_to(fifo)
    got: list[bytes] = []
    thread = _read_fifo(fifo, got)
    result = synced(*args, "-o", str(target))
    thread.join(10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].startswith(start), got
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_dev_null_is_a_sink_not_a_file_to_replace(synced):
    before = os.stat("/dev/null")
    result = synced("export", "-o", "/dev/null")
    assert result.exit_code == 0, result.output
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.parametrize("args", [["export"], ["export", "--category", "obstacles"]])
def test_a_fifo_nobody_reads_fails_at_once_instead_of_hanging(synced, tmp_path, args):
    import time

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result: list = []
    thread = threading.Thread(target=lambda: result.append(
        synced(*args, "-o", str(fifo))), daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(10)
    if thread.is_alive():  # unblock the writer so the test run can go on
        with open(fifo, "rb") as handle:
            handle.read()
        thread.join(5)
    assert time.monotonic() - started < 10, "the export waited for a reader"
    assert result[0].exit_code == 1, result[0].output
    assert "a FIFO that nobody reads" in result[0].stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_folder_export_whose_latest_is_an_unread_fifo_does_not_hang(synced, tmp_path):
    out = tmp_path / "briefings"
    out.mkdir()
    os.mkfifo(out / "latest.md")
    result: list = []
    thread = threading.Thread(target=lambda: result.append(
        synced("export", "-o", f"{out}/")), daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():
        with open(out / "latest.md", "rb") as handle:
            handle.read()
        thread.join(5)
        pytest.fail("the export waited for a reader of latest.md")
    assert result[0].exit_code == 1 and "nobody reads" in result[0].stderr
    assert sorted(p.name for p in out.iterdir()) == ["latest.md"]  # all or nothing
    import sqlite3

    assert sqlite3.connect(synced.db).execute("SELECT count(*) FROM snapshots").fetchone() \
        == (0,)
