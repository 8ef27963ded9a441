"""A refresh is bounded in time and memory whatever a server does: dripping bytes, nested
compression, redirects elsewhere, and a contact the headers cannot carry."""

from __future__ import annotations

import fcntl
import gzip
import socket
import threading
import time
import tracemalloc
import zlib

import httpx
import pytest
from click.testing import CliRunner
from werkzeug import Response

from tracker.catalog import load_catalog
from tracker.fetchers import http
from tracker.fetchers.decode import Decoder, DecodeError
from tracker.sync import sync

from conftest import DATA
from test_refresh_faults import (_faulty, bad_source, bad_url, catalog_with, good_url,
                                 json_source, run, served)  # noqa: F401 - a fixture

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


def _drip_server(first: bytes, drip: bytes, every: float = 0.05) -> int:
    """A loopback server that sends ``first``, then one byte of ``drip`` every ``every``
    seconds for as long as the client listens (each read arrives well within any
    per-read timeout, so only a wall-clock deadline ends it)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(30)

    def handle(conn):
        try:
            conn.recv(65536)
            conn.sendall(first)
            for _ in range(int(20 / every)):
                conn.sendall(drip)
                time.sleep(every)
        except OSError:
            pass
        finally:
            conn.close()

    def accept():
        try:
            while True:
                conn, _ = listener.accept()
                threading.Thread(target=handle, args=(conn,), daemon=True).start()
        except OSError:
            listener.close()

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


DRIPS = {
    "status line": (b"", b"H"),
    "headers": (HEAD + b"X-Slow: ", b"a"),
    "body": (HEAD + b"Content-Length: 100000\r\n\r\n{\"total\": 1", b" "),
}


@pytest.mark.parametrize("where", DRIPS)
def test_a_dripping_server_fails_its_source_at_the_deadline(store, tmp_path, served, where):
    port = _drip_server(*DRIPS[where])
    block = json_source("bad", f"http://127.0.0.1:{port}/drip.json", field="signatories")
    start = time.monotonic()
    error = _faulty(store, tmp_path, served, "", kind_block=block, timeout=5.0,
                    deadline=0.4)
    assert time.monotonic() - start < 3.0
    assert error == "no complete answer within its deadline of 0.4 s; abandoned"


def test_a_source_s_own_deadline_wins(store, tmp_path, served):
    port = _drip_server(*DRIPS["body"])
    block = json_source("bad", f"http://127.0.0.1:{port}/drip.json", field="signatories",
                        extra="    deadline: 0.3\n")
    start = time.monotonic()
    error = _faulty(store, tmp_path, served, "", kind_block=block, timeout=5.0, deadline=60)
    assert time.monotonic() - start < 3.0
    assert "deadline of 0.3 s" in error


def test_the_run_deadline_bounds_every_host_and_skips_what_is_left(store, tmp_path, served):
    """Two dripping hosts in parallel, a second source queued behind one of them."""
    one, two = _drip_server(*DRIPS["headers"]), _drip_server(*DRIPS["body"])
    sources = (json_source("a", f"http://127.0.0.1:{one}/a.json")
               + json_source("b", f"http://127.0.0.1:{two}/b.json", field="signatories")
               + json_source("c", f"http://127.0.0.1:{two}/c.json", field="documents"))
    catalog, _ = catalog_with(tmp_path, sources)
    sync(store, catalog)
    start = time.monotonic()
    report = run(store, catalog, deadline=30, run_deadline=0.5)
    assert time.monotonic() - start < 3.0
    errors = {o.source_id: o.error for o in report.outcomes}
    assert errors["a"] == errors["b"] == "the run's deadline of 0.5 s was reached; abandoned"
    assert errors["c"] == "not tried: the run's deadline of 0.5 s was reached"
    assert {r["consecutive_failures"] for r in store.db["source_health"].rows} == {1}


def test_cli_deadlines_from_options_and_env_release_the_lock(tmp_path, served, monkeypatch):
    from tracker.cli import cli

    monkeypatch.setattr("tracker.refresh.HOST_DELAY", 0)
    port = _drip_server(*DRIPS["headers"])
    _, path = catalog_with(tmp_path, json_source("good", good_url(served)) + json_source(
        "bad", f"http://127.0.0.1:{port}/drip.json", field="signatories"))
    db = tmp_path / "cli.db"
    for args, env in ((["--deadline", "0.4"], {}), ([], {"TRACKER_SOURCE_DEADLINE": "0.4"}),
                      (["--run-deadline", "0.4"], {})):
        start = time.monotonic()
        result = CliRunner().invoke(cli, ["--db", str(db), "--catalog", str(path), "refresh",
                                          *args], env=env)
        assert time.monotonic() - start < 5.0
        assert result.exit_code == 1, result.output
        assert "bad: failed: " in result.stderr and "deadline of 0.4 s" in result.stderr
        with open(f"{db}.refresh-lock", "a+") as lock:  # released: free to take at once
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    bad = CliRunner().invoke(cli, ["--db", str(db), "--catalog", str(path), "refresh",
                                   "--deadline", "0"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_cli_defaults_are_the_documented_ones():
    from tracker import refresh
    from tracker.cli import cli

    params = {p.name: p.default for p in cli.commands["refresh"].params}
    assert params["deadline"] == refresh.SOURCE_DEADLINE == 300
    assert params["run_deadline"] == refresh.RUN_DEADLINE == 1200
    text = (DATA.parent.parent / "docs" / "sources.md").read_text()
    assert "300 s" in text and "1200 s" in text


def _nested(data: bytes, times: int) -> bytes:
    for _ in range(times):
        data = gzip.compress(data, 9)
    return data


@pytest.mark.parametrize("codings", ["gzip", "gzip, gzip", "gzip, deflate", "x-gzip, gzip"])
def test_the_body_cap_counts_decoded_bytes_as_they_are_decoded(store, tmp_path, served,
                                                               codings):
    decoded = 64 * 1024 * 1024
    body = b" " * decoded
    for coding in [c.strip() for c in codings.split(",")]:
        body = zlib.compress(body, 9) if coding == "deflate" else gzip.compress(body, 9)
    assert len(body) < 300_000
    served.expect_request("/bomb.json").respond_with_data(
        body, content_type="application/json", headers={"Content-Encoding": codings})
    tracemalloc.start()
    try:
        error = _faulty(store, tmp_path, served, "/bomb.json",
                        extra="    max_bytes: 1048576\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "over the cap of 1048576 bytes (decoded)" in error
    assert peak < 16 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB for a 1 MiB cap"


def test_a_nested_gzip_body_under_the_cap_is_read(store, tmp_path, served):
    served.expect_request("/ok.json").respond_with_data(
        _nested(b'{"total": 5}', 2), content_type="application/json",
        headers={"Content-Encoding": "gzip, gzip"})
    catalog, _ = catalog_with(tmp_path, json_source("ok", bad_url(served, "/ok.json")))
    sync(store, catalog)
    assert run(store, catalog).outcomes[0].status == "ok"
    assert store.db.execute("SELECT value FROM current_values WHERE field = 'rules'"
                            ).fetchone()[0] == "5"


@pytest.mark.parametrize("codings, body, said", [
    ("br", b"xx", "unsupported Content-Encoding 'br'"),
    ("gzip", b"not gzip at all", "not valid compressed data"),
    ("gzip, gzip, gzip, gzip", _nested(b"{}", 4), "4 nested content codings"),
])
def test_bad_or_unknown_codings_fail_in_one_line(store, tmp_path, served, codings, body, said):
    served.expect_request("/coded.json").respond_with_data(
        body, content_type="application/json", headers={"Content-Encoding": codings})
    assert said in _faulty(store, tmp_path, served, "/coded.json")


def test_the_decoder_never_hands_on_more_than_a_step():
    decoder = Decoder("gzip, gzip")
    pieces = list(decoder.feed(_nested(b"a" * 5_000_000, 2))) + list(decoder.finish())
    assert b"".join(pieces) == b"a" * 5_000_000
    assert max(len(p) for p in pieces) <= 64 * 1024
    with pytest.raises(DecodeError):
        Decoder("compress")


# Redirects


def test_a_redirect_to_another_host_fails_the_source(store, tmp_path, served):
    served.expect_request("/moved.json").respond_with_data(
        "", status=302, headers={"Location": good_url(served)})
    error = _faulty(store, tmp_path, served, "/moved.json")
    assert error == ("redirect to another site refused: localhost (not 127.0.0.1; declare "
                     "it in the source's redirect_hosts)")


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/x.json",
                                      "javascript:alert(1)", "data:application/json,{}"])
def test_a_redirect_to_another_scheme_fails_the_source(store, tmp_path, served, location):
    served.expect_request("/moved.json").respond_with_data(
        "", status=301, headers={"Location": location})
    error = _faulty(store, tmp_path, served, "/moved.json")
    assert error.startswith("redirect to a ") and "refused (only http and https" in error


def test_redirects_on_the_same_site_and_to_declared_hosts_are_followed(store, tmp_path,
                                                                       served):
    served.expect_request("/old.json").respond_with_data(
        "", status=308, headers={"Location": "/new.json"})
    served.expect_request("/new.json").respond_with_json({"total": 3})
    served.expect_request("/away.json").respond_with_data(
        "", status=307, headers={"Location": good_url(served)})
    sources = (json_source("same", bad_url(served, "/old.json"))
               + json_source("declared", bad_url(served, "/away.json"), field="signatories",
                             extra="    redirect_hosts: [localhost]\n"))
    catalog, _ = catalog_with(tmp_path, sources)
    sync(store, catalog)
    report = run(store, catalog)
    assert [o.status for o in report.outcomes] == ["ok", "ok"], report.outcomes
    values = dict(store.db.execute("SELECT field, value FROM current_values WHERE field IN "
                                   "('rules', 'signatories')").fetchall())
    assert values == {"rules": "3", "signatories": "7"}


@pytest.mark.parametrize("origin, target, allowed", [
    ("https://example.org/a", "https://www.example.org/b", True),
    ("https://www.example.org/a", "https://example.org/b", True),
    ("https://example.org/a", "https://data.example.org/b", True),
    ("http://example.org/a", "https://example.org/b", True),
    ("https://example.org/a", "http://example.org/b", False),
    ("https://example.org/a", "https://example.org.evil.test/b", False),
    ("https://example.org/a", "https://notexample.org/b", False),
    ("https://data.example.org/a", "https://example.org/b", False),
])
def test_the_redirect_policy(origin, target, allowed):
    try:
        http.check_redirect(httpx.URL(origin), httpx.URL(target), ())
    except http.FetchError:
        assert not allowed
    else:
        assert allowed


@pytest.mark.parametrize("hosts", ["[https://example.org]", "[example.org/x]", "example.org"])
def test_redirect_hosts_are_host_names(tmp_path, hosts):
    from tracker.catalog import CatalogError

    with pytest.raises(CatalogError, match="redirect_hosts"):
        catalog_with(tmp_path, json_source("s", "https://example.org/a.json",
                                           extra=f"    redirect_hosts: {hosts}\n"))


# The contact in the User-Agent


@pytest.mark.parametrize("contact, shown", [
    ("José Ñandú <jose@exämple.org>", "Jos%C3%A9 %C3%91and%C3%BA <jose@ex%C3%A4mple.org>"),
    ("ops@example.org\r\nX-Injected: 1", "ops@example.org X-Injected: 1"),
    ("東京 (ops)", "%E6%9D%B1%E4%BA%AC %28ops%29"),
    ("https://example.org/bot", "https://example.org/bot"),
])
def test_a_contact_the_headers_cannot_carry_is_encoded(store, tmp_path, served, monkeypatch,
                                                       contact, shown):
    monkeypatch.setenv("TRACKER_CONTACT", contact)
    seen = []

    def handler(request):
        seen.append(request.headers)
        return Response('{"total": 4}', content_type="application/json")

    served.expect_request("/ua.json").respond_with_handler(handler)
    catalog, _ = catalog_with(tmp_path, json_source("ua", bad_url(served, "/ua.json")))
    sync(store, catalog)
    assert run(store, catalog).outcomes[0].status == "ok"
    assert f"; bot; {shown}) httpx/" in seen[0]["User-Agent"]
    assert "X-Injected" not in seen[0]


def test_cli_refresh_with_a_non_ascii_contact(tmp_path, served, monkeypatch):
    from tracker.cli import cli

    _, path = catalog_with(tmp_path, json_source("good", good_url(served)))
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "c.db"), "--catalog", str(path),
                                      "refresh"],
                                env={"TRACKER_CONTACT": "Zoë <zoë@exämple.org>"})
    assert result.exit_code == 0, result.output
    assert "good: pace-mismatch.rules = 7" in result.stdout


def test_a_source_that_overruns_its_deadline_without_waiting_fails_alone(store, tmp_path,
                                                                        served, monkeypatch):
    """Time spent parsing counts too; the next source of the same host is not touched."""
    from tracker import fetchers

    real = fetchers.KINDS["json"]

    async def slow_parse(ctx, source):
        fetched = await real(ctx, source)
        if source.id == "slow":
            time.sleep(0.5)  # CPU-bound work: no await on which a cancellation could land
        return fetched

    monkeypatch.setitem(fetchers.KINDS, "json", slow_parse)
    sources = (json_source("slow", bad_url(served, "/good.json"), field="signatories")
               + json_source("next", bad_url(served, "/good.json")))
    catalog, _ = catalog_with(tmp_path, sources)
    sync(store, catalog)
    report = run(store, catalog, deadline=0.2)
    outcomes = {o.source_id: o for o in report.outcomes}
    assert outcomes["slow"].error == "no complete answer within its deadline of 0.2 s; abandoned"
    assert outcomes["next"].status == "ok"
