"""The first screen shows its data without loading what it does not show: the Overview reads
the store with plain SQL (no sqlite-utils), the charts' plotting library loads when a chart
is shown (a tall terminal), the palette's search when the palette opens, and the Tables screen each table when it is
first chosen. Each case
runs the dashboard in a fresh process, as a user starts it, and looks at what it loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.sync import sync

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import asyncio, json, sys
from screens.app import TrackerApp
from tracker.store import Store
from textual.widgets import DataTable, Static

LOADED = ("sqlite_utils", "plotext", "screens.charts", "screens.search", "tracker.search")

async def main(path, width, height, palette, tables):
    app = TrackerApp(Store.open(path), lambda: None, watch_seconds=0)
    async with app.run_test(size=(width, height)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        out = {
            "loaded": [m for m in LOADED if m in sys.modules],
            "status": str(screen.query_one("#status", Static).render()),
            "figures": screen.query_one("#figures", DataTable).row_count,
            "latest": screen.query_one("#latest", DataTable).row_count,
            "charts": len(screen.query("ChartPanel")),
        }
        if palette:
            await pilot.press("ctrl+p")
            await pilot.pause()
            for ch in "test":
                await pilot.press(ch)
            for _ in range(100):
                await app.workers.wait_for_complete()
                await pilot.pause(0.05)
                hits = [str(o.prompt) for o in app.screen.query("CommandList").first().options]
                if any("Test Treaty" in h for h in hits):
                    break
            out["hits"] = hits
            out["loaded_after"] = [m for m in LOADED if m in sys.modules]
        if tables:
            reads = []
            for key in ("2", "right_square_bracket", "right_square_bracket",
                        "left_square_bracket"):
                await pilot.press(key)
                await app.workers.wait_for_complete()
                await pilot.pause()
                shown = app.screen.query_one("#rows", DataTable)
                reads.append({"category": app.screen.category,
                              "read": sorted(app.screen.data.tables),
                              "rows": [str(shown.get_row_at(i)[0])
                                       for i in range(shown.row_count)]})
            out["tables"] = reads
            out["loaded_after"] = [m for m in LOADED if m in sys.modules]
    print(json.dumps(out))

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1",
                 sys.argv[5] == "1"))
"""


@pytest.fixture
def db(store, catalog, tmp_path) -> Path:
    sync(store, catalog)
    with store.transaction():  # a change inside the default window, for the latest list
        store.db["observations"].insert({
            "indicator_id": "test-treaty", "field": "participant_count", "value": "9",
            "as_of": "2026-10", "recorded_at": "2026-11-22T09:00:00Z", "origin": "manual",
            "source": "https://example.org/b", "confidence": "medium"})
    return Path(store.path)


def _run(db: Path, width: int, height: int, palette: bool = False,
         tables: bool = False) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(db), str(width), str(height),
                           "1" if palette else "0", "1" if tables else "0"],
                          capture_output=True, text=True,
                          cwd=ROOT, timeout=120,
                          env={"PATH": "", "TRACKER_NOW": "2026-11-22T09:30:00+00:00",
                               "HOME": str(db.parent), "XDG_DATA_HOME": str(db.parent)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_short_terminal_shows_the_overview_without_sqlite_utils_or_charts(db):
    shown = _run(db, 80, 24)
    assert shown["loaded"] == []
    assert shown["status"].startswith("Data as of ") and "pending reviews" in shown["status"]
    assert shown["figures"] >= 4 and shown["latest"] >= 1
    assert shown["charts"] == 0


def test_a_tall_terminal_loads_the_charts_it_shows(db):
    shown = _run(db, 120, 40)
    assert shown["charts"] >= 1
    assert "plotext" in shown["loaded"] and "sqlite_utils" not in shown["loaded"]
    assert shown["figures"] >= 4 and shown["latest"] >= 1


def test_the_palette_loads_its_search_when_opened_and_finds(db):
    shown = _run(db, 100, 30, palette=True)
    assert "screens.search" not in shown["loaded"]
    assert "screens.search" in shown["loaded_after"]
    assert any("Test Treaty" in h for h in shown["hits"]), shown["hits"]


def test_the_tables_screen_reads_each_table_when_it_is_first_shown(db):
    """The first table is read when the screen opens, each other one the first time it is
    chosen, then kept; none of it through sqlite-utils."""
    shown = _run(db, 100, 30, tables=True)
    steps = shown["tables"]
    both = ["mechanisms", "obstacles"]
    assert [s["read"] for s in steps] == [["obstacles"], both, both, both]
    assert [s["category"] for s in steps] == ["obstacles", "mechanisms", "obstacles",
                                              "mechanisms"]
    assert "Test Treaty" in steps[1]["rows"] and steps[1]["rows"] == steps[3]["rows"]
    assert "Pace mismatch" in steps[0]["rows"] and steps[0]["rows"] == steps[2]["rows"]
    assert "sqlite_utils" not in shown["loaded_after"]
