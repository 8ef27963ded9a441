"""`tracker refresh`, `review` and `sources` as cron and analysts use them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.refresh import refresh_lock

from conftest import DATA, FROZEN
from fakes import Sources


@pytest.fixture
def fake(monkeypatch):
    handler = Sources()
    import tracker.fetchers as fetchers

    real = fetchers.make_client
    monkeypatch.setattr(fetchers, "make_client",
                        lambda: real(httpx.MockTransport(handler)))
    monkeypatch.setattr("tracker.refresh.HOST_DELAY", 0)
    return handler


@pytest.fixture
def tracker(tmp_path):
    catalog = tmp_path / "catalog.yaml"
    shutil.copy(DATA / "catalog-sources.yaml", catalog)
    db = tmp_path / "store.db"

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(db), "--catalog", str(catalog), *args],
                                  catch_exceptions=False)
    invoke.db = db
    invoke.catalog = catalog
    return invoke


def test_refresh_prints_only_news_when_not_on_a_terminal(tracker, fake):
    first = tracker("refresh")
    assert first.exit_code == 0, first.output
    lines = first.stdout.strip().splitlines()
    assert any(line.startswith("fr: pace-mismatch.documents = 10000 as of 2026") for line in lines)
    assert all(":" in line for line in lines)  # only change lines, no progress or summary
    second = tracker("refresh", "--quiet")
    assert second.exit_code == 0 and second.stdout == ""  # nothing new: cron mails nothing


def test_a_failed_source_exits_1_and_the_rest_are_refreshed(tracker, fake):
    fake.overrides["epoch.test"] = httpx.Response(500, text="boom")
    result = tracker("refresh")
    assert result.exit_code == 1
    assert "epoch: failed: HTTP 500" in result.stderr
    assert "fr: pace-mismatch.documents" in result.stdout
    sources = tracker("sources").stdout
    assert "epoch" in sources and "failing" in sources and "HTTP 500" in sources


def test_unknown_source_is_a_usage_error_and_writes_nothing(tracker, fake):
    result = tracker("refresh", "--source", "nope")
    assert result.exit_code == 2
    assert "--source: unknown source 'nope' (declared: fr, epoch" in result.stderr
    assert fake.requests == []


def test_another_refresh_holding_the_lock_exits_75(tracker, fake):
    tracker("list")
    with refresh_lock(str(tracker.db)):
        result = tracker("refresh")
    assert result.exit_code == 75
    assert "another refresh is running" in result.stderr
    assert fake.requests == []
    assert tracker("refresh", "--source", "fr").exit_code == 0  # the lock is free again


def test_dry_run_and_export(tracker, fake, tmp_path):
    dry = tracker("refresh", "--dry-run")
    assert dry.exit_code == 0 and "would record fr: pace-mismatch.documents" in dry.stdout
    assert tracker("history", "pace-mismatch", "documents").stdout.count("fetcher") == 0
    out = tmp_path / "briefings"
    result = tracker("refresh", "--quiet", "--export", str(out))
    assert result.exit_code == 0
    assert (out / "latest.md").exists() and (out / "2026-11-22.md").exists()


def test_review_lists_accepts_and_rejects(tracker, fake):
    text = tracker.catalog.read_text().replace(
        "    feeds: {indicator: pace-mismatch, field: documents}\n",
        "    feeds: {indicator: pace-mismatch, field: documents}\n    review: manual\n")
    tracker.catalog.write_text(text)
    tracker("refresh", "--source", "fr")
    listed = tracker("review").stdout
    assert "2 proposals waiting for review" in listed
    assert "pace-mismatch.documents = 10000 as of 2026" in listed
    assert "the source is reviewed by hand" in listed
    accepted = tracker("review", "accept", "2", "--author", "ana")
    assert accepted.exit_code == 0 and "accepted 2: pace-mismatch.documents = 10000" in \
        accepted.stdout
    assert tracker("review", "reject", "1").exit_code == 0
    again = tracker("review", "accept", "1")
    assert again.exit_code == 2 and "proposal 1 is rejected, not pending" in again.stderr
    history = tracker("history", "pace-mismatch", "documents", "--format", "json").stdout
    assert json.loads(history)[-1]["author"] == "ana"
    assert tracker("review").stdout.strip() == "No proposals are waiting for review."


SLOW_SERVER = r"""
import socket, sys, threading, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)

def answer(conn):
    data = conn.recv(65536)
    if b"/slow" in data:
        print("slow", flush=True)
        time.sleep(60)
    body = b'{"total": 5}'
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                 + str(len(body)).encode() + b"\r\n\r\n" + body)
    conn.close()

while True:
    conn, _ = s.accept()
    threading.Thread(target=answer, args=(conn,), daemon=True).start()
"""


def test_a_refresh_killed_half_way_leaves_the_store_intact(tmp_path):
    server = subprocess.Popen([sys.executable, "-c", SLOW_SERVER], stdout=subprocess.PIPE,
                              text=True)
    try:
        port = int(server.stdout.readline())
        text = (DATA / "catalog-sources.yaml").read_text()
        text = text[: text.index("\nsources:")] + f"""
sources:
  - id: quick
    kind: json
    url: http://127.0.0.1:{port}/quick.json
    params: {{path: total}}
    feeds: {{indicator: pace-mismatch, field: rules}}
  - id: slow
    kind: json
    url: http://localhost:{port}/slow.json
    params: {{path: total}}
    feeds: {{indicator: pace-mismatch, field: signatories}}
"""
        catalog = tmp_path / "catalog.yaml"
        catalog.write_text(text)
        db = tmp_path / "store.db"
        env = {**os.environ, "TRACKER_NOW": FROZEN.isoformat()}
        base = [sys.executable, "-m", "tracker", "--db", str(db), "--catalog", str(catalog)]
        victim = subprocess.Popen([*base, "refresh", "--quiet"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert server.stdout.readline().strip() == "slow"  # the run is half-way
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # wait for the quick source's write
            conn = sqlite3.connect(db)
            try:
                done = conn.execute("SELECT count(*) FROM observations WHERE field = 'rules' "
                                    "AND origin = 'fetcher'").fetchone()[0]
            except sqlite3.OperationalError:
                done = 0
            conn.close()
            if done:
                break
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT value FROM current_values WHERE field = 'rules'"
                            ).fetchone()[0] == "5"
        assert conn.execute("SELECT status FROM runs WHERE kind = 'refresh'").fetchone()[0] \
            == "running"
        conn.close()
        # The next run gets the lock the killed one held, and refreshes the quick source.
        again = subprocess.run([*base, "refresh", "--source", "quick"], env=env,
                               capture_output=True, text=True, timeout=60)
        assert again.returncode == 0, again.stderr
    finally:
        server.kill()
        server.wait()
