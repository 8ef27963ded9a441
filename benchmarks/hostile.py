"""Time and peak memory of `tracker refresh` against hostile loopback servers.

    python benchmarks/hostile.py [drip-headers|drip-body|gzip-bomb] [--decoded-mib N]
        [--limit SECONDS] [--tracker PATH] [refresh options, e.g. --deadline 10]

Starts a loopback server, writes a catalog with a healthy source on another host and the
hostile one, and runs the refresh under ``/usr/bin/time -v``; prints the wall time, the
peak resident memory, the exit code and the refresh's output. ``--limit`` kills a refresh
still running after that many seconds (a refresh that never ends reports "killed").
Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def gzip_bytes(chunks, level: int = 9) -> bytes:
    out = []
    comp = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        out.append(comp.compress(chunk))
    out.append(comp.flush())
    return b"".join(out)


def bomb(decoded_mib: int) -> bytes:
    """``decoded_mib`` MiB of spaces, gzipped twice (``Content-Encoding: gzip, gzip``)."""
    inner = gzip_bytes(b" " * (1 << 20) for _ in range(decoded_mib))
    return gzip_bytes([inner])


def serve(kind: str, body: bytes) -> int:
    """A loopback server: /good.json answers at once, /bad.json is hostile."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def handle(conn: socket.socket) -> None:
        try:
            request = conn.recv(65536)
            if b"/good.json" in request.split(b"\r\n", 1)[0]:
                data = json.dumps({"total": 7}).encode()
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(data) + data)
                return
            if kind == "gzip-bomb":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Encoding: gzip, gzip\r\nContent-Length: %d\r\n"
                             b"Connection: close\r\n\r\n" % len(body) + body)
                return
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            if kind == "drip-body":
                conn.sendall(head + b"Content-Length: 100000\r\n\r\n")
            else:
                conn.sendall(head + b"X-Slow: ")
            while True:  # one byte every two seconds, for as long as the client listens
                conn.sendall(b" " if kind == "drip-body" else b"a")
                time.sleep(2)
        except OSError:
            pass
        finally:
            conn.close()

    def loop() -> None:
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return listener.getsockname()[1]


def catalog(port: int, folder: Path) -> Path:
    base = (REPO / "tests/data/catalog-sources.yaml").read_text()
    base = base[: base.index("\nsources:")]
    sources = (
        f"  - id: good\n    kind: json\n    url: http://localhost:{port}/good.json\n"
        "    params: {path: total, aggregate: value}\n"
        "    feeds: {indicator: pace-mismatch, field: rules}\n"
        f"  - id: hostile\n    kind: json\n    url: http://127.0.0.1:{port}/bad.json\n"
        "    params: {path: total, aggregate: value}\n"
        "    feeds: {indicator: pace-mismatch, field: signatories}\n")
    path = folder / "hostile.yaml"
    path.write_text(base + "\nsources:\n" + sources)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["drip-headers", "drip-body", "gzip-bomb"])
    ap.add_argument("--decoded-mib", type=int, default=1024)
    ap.add_argument("--limit", type=float, default=600)
    ap.add_argument("--tracker", default=str(REPO / ".venv/bin/tracker"))
    args, extra = ap.parse_known_args()  # the rest goes to `tracker refresh`
    extra = [a for a in extra if a != "--"]
    body = bomb(args.decoded_mib) if args.kind == "gzip-bomb" else b""
    if body:
        print(f"nested gzip body: {len(body)} bytes on the wire, "
              f"{args.decoded_mib} MiB decoded")
    port = serve(args.kind, body)
    with tempfile.TemporaryDirectory() as tmp:
        cat = catalog(port, Path(tmp))
        cmd = ["/usr/bin/time", "-v", args.tracker, "--db", f"{tmp}/h.db", "--catalog",
               str(cat), "refresh", *extra]
        env = dict(os.environ, TRACKER_NOW="2026-06-15T12:00:00Z")
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=args.limit)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            code = f"killed after {args.limit:g} s (still running)"
        wall = time.monotonic() - start
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    print(f"{args.kind}: wall {wall:.1f} s, peak RSS "
          f"{int(peak.group(1)) / 1024:.0f} MiB, exit {code}" if peak else
          f"{args.kind}: wall {wall:.1f} s, exit {code}")
    lines = [ln for ln in (out + err).splitlines()
             if ln and not ln.startswith(("\t", "Command"))]
    print("\n".join(lines[:12]))


if __name__ == "__main__":
    sys.exit(main())
