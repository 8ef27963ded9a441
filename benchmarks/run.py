"""The performance suite: `python benchmarks/run.py` prints each figure, its ratio to a
baseline taken in the same run, and PASS or FAIL against its budget.

Each figure is the median of repeated runs. Absolute times on shared machines mean
little; ratios against a floor measured moments before mean more.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import build  # noqa: E402

NOW = "2026-11-22T12:00:00Z"
RESULTS: list[tuple[str, str, str, float, float, str]] = []


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def record(name: str, ours: float, floor: float, budget: float, unit: str = "s",
           note: str = "") -> None:
    ratio = ours / floor if floor else float("inf")
    verdict = "PASS" if ratio <= budget else "FAIL"
    RESULTS.append((name, f"{ours:.3f}{unit} vs {floor:.3f}{unit}", f"{ratio:.2f}x",
                    budget, ratio, verdict + (f"  {note}" if note else "")))
    print(f"{verdict}  {name}: {ours:.3f}{unit} against {floor:.3f}{unit} = {ratio:.2f}x "
          f"(budget {budget}x){'  ' + note if note else ''}", flush=True)


def tracker_cmd() -> list[str]:
    script = Path(sys.executable).with_name("tracker")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracker"]


def run_quiet(cmd: list[str], env: dict | None = None) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)


# ---------------------------------------------------------------------------- measurements

def cli_start(small_db: Path, repeat: int) -> None:
    env = {**os.environ, "TRACKER_NOW": NOW}
    cmd = [*tracker_cmd(), "--db", str(small_db), "list"]
    run_quiet(cmd, env)  # first run syncs the shipped catalog
    floor = median_time(lambda: run_quiet([sys.executable, "-c",
                                           "import click, sqlite_utils, yaml"]), repeat)
    ours = median_time(lambda: run_quiet(cmd, env), repeat)
    record("CLI start: tracker list (shipped catalog)", ours, floor, 1.5,
           note="floor: python -c 'import click, sqlite_utils, yaml'")


def first_paint(small_db: Path, large_db: Path, large_catalog: Path, repeat: int) -> None:
    from tracker.paths import shipped_catalog_path

    def paint(*args: str) -> dict:
        out = subprocess.run([sys.executable, str(HERE / "paint.py"), *args], check=True,
                             capture_output=True, text=True, env={**os.environ,
                                                                  "TRACKER_NOW": NOW})
        return json.loads(out.stdout.strip().splitlines()[-1])

    def median_of(args):
        runs = [paint(*args) for _ in range(repeat)]
        return {k: statistics.median(r[k] for r in runs) for k in runs[0]}

    minimal = median_of(["minimal"])
    small = median_of(["tracker", str(small_db), str(shipped_catalog_path())])
    large = median_of(["tracker", str(large_db), str(large_catalog)])
    record("Dashboard first paint, shipped catalog", small["paint"], minimal["paint"], 1.5,
           note=f"data shown at {small['data']:.2f}s")
    record("Dashboard first paint, large store", large["paint"], minimal["paint"], 2.0,
           note=f"data shown at {large['data']:.2f}s")
    print(f"INFO  Screen switch with its data: shipped catalog {small['switch']:.3f}s, "
          f"large store {large['switch']:.3f}s", flush=True)


FLOOR_CHANGES = """
WITH steps AS (
  SELECT o.indicator_id, o.field, o.value, o.as_of, o.source,
         LAG(o.value) OVER (PARTITION BY o.indicator_id, o.field
                            ORDER BY o.as_of, o.recorded_at, o.id) AS old
  FROM observations o
)
SELECT * FROM steps WHERE old IS NOT NULL AND old != value AND as_of >= ?
ORDER BY as_of DESC
"""
FLOOR_HISTORY = ("SELECT field, as_of, value, origin, confidence, source, note FROM "
                 "observations WHERE indicator_id = ? ORDER BY field, as_of, recorded_at, id")
FLOOR_CURRENT = """
SELECT o.indicator_id, o.field, o.value, o.as_of, o.source FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY indicator_id, field
                               ORDER BY as_of DESC, recorded_at DESC, id DESC) AS rank
  FROM observations) AS o WHERE rank = 1
"""


def queries(large_db: Path, large_catalog: Path, repeat: int) -> None:
    """The commands' work on an open store (process start is measured by CLI start)."""
    import datetime as dt
    import io

    from tracker import export, reports
    from tracker.cli_snapshots import print_trends
    from tracker.store import Store

    clock = lambda: dt.datetime(2026, 11, 22, 12, tzinfo=dt.timezone.utc)  # noqa: E731
    store = Store.open(large_db, clock=clock)
    since = "2025-11-22"

    def floor(sql: str, params: list):
        def go():
            conn = sqlite3.connect(large_db)
            conn.execute(sql, params).fetchall()
            conn.close()
        return go

    record("tracker history ID (large store)",
           median_time(lambda: reports.history(store.db, io.StringIO(), "ind-0100", None,
                                               "json"), repeat * 10),
           median_time(floor(FLOOR_HISTORY, ["ind-0100"]), repeat * 10), 3.0,
           note="floor: the same rows in one SELECT, on a fresh connection")
    record("tracker trends --since 1y --format json (large store)",
           median_time(lambda: print_trends(store, io.StringIO(), "1y", "json"), repeat),
           median_time(floor(FLOOR_CHANGES, [since]), repeat), 3.0,
           note="floor: one LAG query over the observations")
    export_floor = f"SELECT * FROM ({FLOOR_CURRENT}) UNION ALL SELECT indicator_id, field, " \
                   f"value, as_of, source FROM ({FLOOR_CHANGES})"
    record("tracker export (large store)",
           median_time(lambda: export.build(store, "md"), repeat),
           median_time(floor(export_floor, [since]), repeat), 3.0,
           note="floor: current values and the year's changes in one query")
    store.close()


def sync_cost(tmp: Path, repeat: int) -> None:
    from tracker.catalog import load_catalog
    from tracker.paths import shipped_catalog_path
    from tracker.store import Store
    from tracker.sync import sync

    catalog = load_catalog(shipped_catalog_path())
    full = []
    for i in range(repeat):
        path = tmp / f"sync-{i}.db"
        store = Store.open(path)
        start = time.perf_counter()
        sync(store, catalog)
        full.append(time.perf_counter() - start)
        if i < repeat - 1:
            store.close()
    unchanged = median_time(lambda: sync(store, catalog), repeat * 5)
    store.close()
    record("Sync of an unchanged catalog", unchanged, statistics.median(full), 0.05,
           note="baseline: a full sync of the shipped catalog")


def _serve(host: str, handler) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _catalog_with_sources(path: Path, sources: list[tuple[str, str, str]]) -> None:
    """A catalog whose indicators are fed by the given (id, kind, url) sources."""
    lines = ["version: 1", "scales:", "  count: {kind: numeric, unit: items, better: none}",
             "categories:", "  - id: bench", "    title: Bench", "    fields:",
             "      n: {label: N, scale: count}", "indicators:"]
    for ident, _, _ in sources:
        lines += [f"  - id: {ident}", "    category: bench", f"    name: {ident}"]
    lines.append("sources:")
    for ident, kind, url in sources:
        params = "{path: total}" if kind == "json" else "{column: value, aggregate: sum}"
        lines += [f"  - id: {ident}", f"    kind: {kind}", f"    url: {url}",
                  f"    params: {params}", f"    feeds: {{indicator: {ident}, field: n}}"]
    path.write_text("\n".join(lines) + "\n")


def refresh_time(tmp: Path, repeat: int) -> None:
    from tracker.catalog import load_catalog
    from tracker.fetchers import make_client
    from tracker.refresh import refresh
    from tracker.store import Store
    from tracker.sync import sync

    # The servers run in a process of their own, so they do not share the refresh's CPU.
    servers = subprocess.Popen([sys.executable, str(HERE / "servers.py"), "8", "0.2"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ports = [int(servers.stdout.readline()) for _ in range(8)]
    sources = [(f"s{h}-{i}", "json", f"http://127.0.0.{h}:{ports[h - 1]}/s{i}.json")
               for h in range(1, 9) for i in range(5)]
    path = tmp / "refresh.yaml"
    _catalog_with_sources(path, sources)
    catalog = load_catalog(path)

    times = []
    for i in range(repeat):
        store = Store.open(tmp / f"refresh-{i}.db")
        sync(store, catalog)

        async def go():
            async with make_client() as client:
                start = time.perf_counter()
                report = await refresh(store, catalog, client, host_delay=0)
                times.append(time.perf_counter() - start)
                return report
        report = asyncio.run(go())
        assert not report.failed, report.failed
        store.close()
    ours = statistics.median(times)
    servers.stdin.close()
    servers.wait(timeout=10)
    record("Refresh: 40 sources on 8 loopback hosts (200 ms each)", ours, 5 * 0.2, 1.2,
           note="ideal: one host's 5 requests in series; politeness pause set to 0")


class _Csv(BaseHTTPRequestHandler):
    path_on_disk: Path

    def do_GET(self):  # noqa: N802
        size = self.path_on_disk.stat().st_size
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        with self.path_on_disk.open("rb") as handle:
            shutil.copyfileobj(handle, self.wfile)

    def log_message(self, *args):
        pass


def refresh_memory(tmp: Path) -> None:
    csv_path = tmp / "big.csv"
    if not csv_path.exists():
        with csv_path.open("w") as handle:
            handle.write("name,value,note\n")
            row = 0
            while handle.tell() < 50_000_000:
                handle.write(f"row {row},{row % 97},\"a note, with a comma and more text\"\n")
                row += 1
    size = csv_path.stat().st_size
    _Csv.path_on_disk = csv_path
    server = _serve("127.0.0.1", _Csv)
    catalog = tmp / "memory.yaml"
    _catalog_with_sources(catalog, [("big", "csv",
                                     f"http://127.0.0.1:{server.server_address[1]}/big.csv")])
    for stale in tmp.glob("mem.db*"):
        stale.unlink()  # a fresh store, so the body is parsed, not skipped as unchanged
    out = subprocess.run([sys.executable, str(HERE / "memory.py"), "", str(tmp / "mem.db"),
                          str(catalog)], check=True, capture_output=True, text=True)
    server.shutdown()
    data = json.loads(out.stdout.strip().splitlines()[-1])
    assert data["status"] == ["ok"], data
    peak = data["peak"] - data["before"]
    record("Refresh memory: a 50 MB CSV source", peak / 2**20, size / 2**20, 2.0, unit=" MiB",
           note="peak resident memory above the process's baseline, against the file size")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--data", default=str(HERE / ".data"),
                        help="where the generated stores are kept between runs")
    args = parser.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}", flush=True)
    print("Building the large store (cached after the first run)...", flush=True)
    large_db, large_catalog = build(data)
    small_db = data / "small.db"
    for stale in data.glob("small.db*"):
        stale.unlink()
    work = data / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    cli_start(small_db, args.repeat * 2)
    first_paint(small_db, large_db, large_catalog, max(3, args.repeat - 2))
    queries(large_db, large_catalog, max(3, args.repeat - 2))
    sync_cost(work, args.repeat)
    refresh_time(work, max(3, args.repeat - 2))
    refresh_memory(data)
    failed = [r for r in RESULTS if not r[5].startswith("PASS")]
    print(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} budgets met "
          f"in {time.perf_counter() - start:.0f}s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
