"""How the suite measures: medians of repeated runs, whole commands under GNU time, the
equality check of a product's output against its floor's, and the PASS/FAIL record."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

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

def checked(name: str, ours: str, floor: str, contained: bool = False) -> bool:
    """Whether the product's output equals the floor's (or holds it whole, for a floor that
    prints one part of the output); a floor that disagrees is a failure, not a figure."""
    same = floor in ours if contained else ours == floor
    if not same:
        RESULTS.append((name, "", "", 0, 0, "FAIL"))
        where = next((i for i, (a, b) in enumerate(zip(ours, floor)) if a != b),
                     min(len(ours), len(floor)))
        print(f"FAIL  {name}: the floor's output differs from the product's (first at "
              f"character {where}: {ours[where:where + 60]!r} against "
              f"{floor[where:where + 60]!r}); not timed", flush=True)
    return same


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[str, float, int]:
    """Run a command; return its output, its wall time and its peak resident memory (from
    GNU time: a child forked from this large process would inherit its high-water mark)."""
    import tempfile

    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        out = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd],
                             stdout=subprocess.PIPE, env=env, check=True).stdout
        elapsed = time.perf_counter() - start
        peak = int(rss.read().split()[-1]) * 1024
    return out.decode(), elapsed, peak


def command(name: str, ours: list[str], floor: list[str], repeat: int, budget: float,
            memory_budget: float | None = None, env: dict | None = None,
            contained: bool = False) -> tuple[float, int] | None:
    """A whole command in a fresh process against a stdlib script printing the same; its
    median time and its highest peak memory (bytes)."""
    env = {**os.environ, "TRACKER_NOW": NOW, **(env or {})}
    ours_out = run_measured(ours, env)
    floor_out = run_measured(floor, env)
    if not checked(name, ours_out[0], floor_out[0], contained):
        return None
    runs = [run_measured(ours, env) for _ in range(repeat)]
    floors = [run_measured(floor, env) for _ in range(repeat)]
    t, peak = statistics.median(r[1] for r in runs), max(r[2] for r in runs)
    record(name, t, statistics.median(r[1] for r in floors), budget,
           note=f"floor: floors.py {floor[3]} (output checked equal)")
    if memory_budget is not None:
        record(name + ", peak memory", peak / 2**20, max(r[2] for r in floors) / 2**20,
               memory_budget, unit=" MiB", note="peak resident set of the process, against "
                                                "the floor's")
    return t, peak


def floor_cmd(*args: str) -> list[str]:
    """A floor in a fresh process, its module loaded from bytecode as the product's are."""
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); "
            f"import floors; floors.main(sys.argv[1:])", *args]
