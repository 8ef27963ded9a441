"""`tracker serve` (the dashboard in a browser) and read-only publishing with Datasette."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tracker.cli_serve import app_command
from tracker.cli import Env

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(rb"\x1b(\[[0-9;?$]*[A-Za-z~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Z])")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_refuses_a_public_host_without_public(run):
    result = run("serve", "--host", "0.0.0.0", "--port", str(_free_port()))
    assert result.exit_code == 2
    assert "not a loopback address" in result.output and "--public" in result.output
    assert not run.db.exists()  # refused before the store is made


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_serve_refuses_a_bad_port(run, port):
    result = run("serve", "--port", port)
    assert result.exit_code == 2
    assert "--port" in result.output


def test_serve_says_in_one_line_when_the_port_is_taken(run):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_the_served_command_keeps_odd_paths_whole(tmp_path):
    odd = tmp_path / "[Work] AI's $HOME" / "s.db"
    command = app_command(Env(str(odd), str(tmp_path / "c y.yaml")))
    argv = shlex.split(command)
    assert argv[1:3] == ["-m", "tracker"]
    assert argv[argv.index("--db") + 1] == str(odd)
    assert argv[argv.index("--catalog") + 1] == str(tmp_path / "c y.yaml")


async def _first_screen(port: int, deadline: float) -> str:
    """The served app's first frames over its websocket, as text without escape codes."""
    import aiohttp

    seen = b""
    bound = aiohttp.ClientTimeout(total=max(1.0, deadline - time.monotonic()))
    async with aiohttp.ClientSession(timeout=bound) as session:
        async with session.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24",
                                      receive_timeout=5) as ws:
            while time.monotonic() < deadline:
                try:
                    message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data
                elif message.type != aiohttp.WSMsgType.TEXT:
                    break
                if b"Headline figures" in ANSI.sub(b"", seen):
                    break
    return ANSI.sub(b"", seen).decode("utf-8", "replace")


def test_serve_answers_on_loopback_with_the_dashboard(tmp_path, catalog_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    server = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", str(tmp_path / "web.db"),
         "--catalog", str(catalog_path), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60  # a bound so a broken server fails, not hangs
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read().decode()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        import httpx

        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert page.status_code == 200 and f"ws://127.0.0.1:{port}/ws" in page.text
        screen = asyncio.run(asyncio.wait_for(_first_screen(port, deadline),
                                              max(1.0, deadline - time.monotonic())))
        assert "Overview" in screen and "Headline figures" in screen, screen[-2000:]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_datasette_publishes_the_store_with_the_shipped_metadata(tmp_path, run):
    from datasette.app import Datasette

    assert run("list").exit_code == 0  # makes and syncs the store
    db = tmp_path / "tracker.db"
    run.db.rename(db)
    for suffix in ("-wal", "-shm"):
        Path(str(run.db) + suffix).unlink(missing_ok=True)
    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))

    async def ask():
        ds = Datasette([str(db)], metadata=metadata)
        await ds.invoke_startup()
        rows = (await ds.client.get("/tracker/current_values.json?_shape=array&_size=max")).json()
        tables = (await ds.client.get("/tracker.json")).json()["tables"]
        return rows, tables

    rows, tables = asyncio.run(ask())
    import sqlite3

    with sqlite3.connect(db) as conn:
        expected = {(r[0], r[1], r[2]) for r in conn.execute(
            "SELECT indicator_id, field, value FROM current_values")}
    assert {(r["indicator_id"], r["field"], r["value"]) for r in rows} == expected
    assert expected
    hidden = {t["name"] for t in tables if t["hidden"]}
    assert {"meta", "source_pins", "snapshots"} <= hidden
    assert "observations" not in hidden and "memberships" not in hidden
    described = metadata["databases"]["tracker"]["tables"]
    assert "current_values" in described and described["current_values"]["description"]
