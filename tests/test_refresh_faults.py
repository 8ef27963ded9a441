"""Faults from real HTTP servers on loopback: each is survived, nothing earlier is lost."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import httpx
import pytest
from werkzeug import Response

from tracker.catalog import load_catalog
from tracker.fetchers import make_client
from tracker.refresh import refresh
from tracker.sync import sync

from conftest import DATA


async def _nosleep(_seconds: float) -> None:
    return None


def catalog_with(tmp_path, sources: str):
    """The small catalog plus the given sources (YAML list items)."""
    text = (DATA / "catalog-sources.yaml").read_text()
    text = text[: text.index("\nsources:")] + "\nsources:\n" + sources
    path = tmp_path / "faults.yaml"
    path.write_text(text)
    return load_catalog(path), path


def bad_source(kind: str, url: str, params: str) -> str:
    """The faulty source of a test: a kind, a URL and its settings, feeding `signatories`."""
    return (f"  - id: bad\n    kind: {kind}\n    url: {url}\n    params: {params}\n"
            "    feeds: {indicator: pace-mismatch, field: signatories}\n")


def json_source(ident: str, url: str, field: str = "rules", extra: str = "") -> str:
    return (f"  - id: {ident}\n    kind: json\n    url: {url}\n"
            f"    params: {{path: total, aggregate: value}}\n"
            f"    feeds: {{indicator: pace-mismatch, field: {field}}}\n{extra}")


@pytest.fixture
def served(httpserver):
    """A good source on `localhost`; faults are served on `127.0.0.1` (another host)."""
    httpserver.expect_request("/good.json").respond_with_json({"total": 7})
    return httpserver


def good_url(server) -> str:
    return server.url_for("/good.json").replace("127.0.0.1", "localhost")


def bad_url(server, path: str) -> str:
    return server.url_for(path).replace("localhost", "127.0.0.1")


def run(store, catalog, timeout=5.0, sleep=_nosleep, **limits):
    async def go():
        async with make_client(timeout=httpx.Timeout(timeout)) as client:
            return await refresh(store, catalog, client, sleep=sleep, host_delay=0, **limits)
    return asyncio.run(go())


def _faulty(store, tmp_path, served, path: str, extra: str = "", kind_block: str | None = None,
            timeout: float = 0.5, **limits):
    sources = json_source("good", good_url(served)) + (
        kind_block or json_source("bad", bad_url(served, path), field="signatories",
                                  extra=extra))
    catalog, _ = catalog_with(tmp_path, sources)
    sync(store, catalog)
    before = store.db.execute("SELECT id, value FROM observations ORDER BY id").fetchall()
    report = run(store, catalog, timeout=timeout, **limits)
    outcomes = {o.source_id: o for o in report.outcomes}
    assert outcomes["good"].status == "ok"  # the other source was still refreshed
    assert store.db.execute("SELECT value FROM current_values WHERE field = 'rules'"
                            ).fetchone()[0] == "7"
    after = store.db.execute("SELECT id, value FROM observations ORDER BY id").fetchall()
    assert after[: len(before)] == before  # every earlier value is still there
    assert not store.db.execute("SELECT 1 FROM observations WHERE field = 'signatories'"
                                ).fetchone()
    health = store.db["source_health"].get("bad")
    assert health["status"] == "failing" and health["consecutive_failures"] == 1
    assert report.failed and report.failed[0].source_id == "bad"
    return outcomes["bad"].error


def _raw_server(reply, delay: float = 0.0) -> int:
    """A one-shot server on loopback that waits, then writes ``reply`` and hangs up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve_once():
        conn, _ = listener.accept()
        conn.recv(65536)
        time.sleep(delay)
        try:
            conn.sendall(reply)
        except OSError:
            pass
        conn.close()
        listener.close()

    threading.Thread(target=serve_once, daemon=True).start()
    return listener.getsockname()[1]


def test_timeout(store, tmp_path, served):
    port = _raw_server(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       b"Content-Length: 12\r\n\r\n{\"total\": 1}", delay=1.5)
    block = json_source("bad", f"http://127.0.0.1:{port}/slow.json", field="signatories")
    assert "timed out" in _faulty(store, tmp_path, served, "", kind_block=block)


def test_server_error(store, tmp_path, served):
    served.expect_request("/500.json").respond_with_data("boom", status=500)
    assert "HTTP 500" in _faulty(store, tmp_path, served, "/500.json")


def test_wrong_content_type_is_a_failure_even_with_200(store, tmp_path, served):
    served.expect_request("/html.json").respond_with_data(
        "<html><body>Service unavailable</body></html>", content_type="text/html")
    assert "unexpected content type 'text/html'" in _faulty(store, tmp_path, served,
                                                             "/html.json")


def test_malformed_json(store, tmp_path, served):
    served.expect_request("/broken.json").respond_with_data('{"total": 7',
                                                            content_type="application/json")
    assert "malformed JSON" in _faulty(store, tmp_path, served, "/broken.json")


def test_body_over_the_cap(store, tmp_path, served):
    served.expect_request("/big.json").respond_with_data(
        json.dumps({"total": 1, "pad": "x" * 5000}), content_type="application/json")
    error = _faulty(store, tmp_path, served, "/big.json", extra="    max_bytes: 1024\n")
    assert "over the cap of 1024" in error


def test_redirect_loop(store, tmp_path, served):
    served.expect_request("/loop.json").respond_with_data(
        "", status=302, headers={"Location": "/loop.json"})
    assert "redirects" in _faulty(store, tmp_path, served, "/loop.json")


def test_malformed_xml(store, tmp_path, served):
    served.expect_request("/feed.xml").respond_with_data(
        "<rss><channel><item><title>unclosed</channel>", content_type="application/rss+xml")
    block = bad_source("feed", bad_url(served, "/feed.xml"),
                       "{mode: count}")
    assert "malformed feed" in _faulty(store, tmp_path, served, "", kind_block=block)


def test_malformed_csv_and_non_utf8_bytes(store, tmp_path, served):
    served.expect_request("/latin1.csv").respond_with_data(
        "name,date\nZ\xfcrich,2025-01-01\n".encode("latin-1"), content_type="text/csv")
    block = bad_source("csv", bad_url(served, "/latin1.csv"),
                       "{column: date, aggregate: count}")
    assert "not UTF-8" in _faulty(store, tmp_path, served, "", kind_block=block)


def test_unterminated_csv_quote(store, tmp_path, served):
    served.expect_request("/quote.csv").respond_with_data(
        'name,date\n"unterminated,2025-01-01\n', content_type="text/csv")
    block = bad_source("csv", bad_url(served, "/quote.csv"),
                       "{column: date, aggregate: count}")
    assert "malformed CSV" in _faulty(store, tmp_path, served, "", kind_block=block)


def test_429_with_retry_after_is_honoured(store, tmp_path, served):
    calls = []

    def limited(request):
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "3"})
        return Response(json.dumps({"total": 9}), content_type="application/json")

    served.expect_request("/limited.json").respond_with_handler(limited)
    catalog, _ = catalog_with(tmp_path, json_source("limited", bad_url(served, "/limited.json")))
    sync(store, catalog)
    waited = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    report = run(store, catalog, sleep=sleep)
    assert report.outcomes[0].status == "ok"
    assert waited == [3.0] and len(calls) == 2


def test_truncated_body(store, tmp_path, served):
    """A server that promises more bytes than it sends, then hangs up."""
    port = _raw_server(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       b"Content-Length: 500\r\n\r\n{\"total\": ")
    block = json_source("bad", f"http://127.0.0.1:{port}/cut.json", field="signatories")
    error = _faulty(store, tmp_path, served, "", kind_block=block)
    assert "broke off" in error or "malformed" in error


def test_cli_exit_code_with_a_failing_loopback_source(tmp_path, served, monkeypatch):
    from click.testing import CliRunner

    from tracker.cli import cli

    monkeypatch.setattr("tracker.refresh.HOST_DELAY", 0)
    served.expect_request("/down.json").respond_with_data("down", status=503,
                                                          headers={"Retry-After": "600"})
    _, path = catalog_with(tmp_path, json_source("good", good_url(served)) +
                           json_source("bad", bad_url(served, "/down.json"),
                                       field="signatories"))
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "--catalog", str(path), "refresh"])
    assert result.exit_code == 1
    assert "bad: failed: HTTP 503: asked to wait 600s" in result.stderr
    assert "good: pace-mismatch.rules = 7" in result.stdout
