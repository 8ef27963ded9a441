"""One snapshot per screen at a fixed size, on the small fixture store with a frozen clock.

Review changed snapshots in the report before accepting them with --snapshot-update.
"""

from __future__ import annotations

import pytest

from tracker.sync import sync

from conftest import FROZEN

SIZE = (100, 30)


@pytest.fixture
def app(store, catalog, tmp_path):
    from screens.app import TrackerApp

    sync(store, catalog)
    return TrackerApp(store, catalog, export_dir=tmp_path / "snapshots", clock=lambda: FROZEN)


async def _settled(pilot) -> None:
    """Workers done, then the redraws they caused (a first resize redraws a screen)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _after(*keys: str):
    async def run_before(pilot) -> None:
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()
        await _settled(pilot)
    return run_before


def test_overview(app, snap_compare):
    """Headline figures with their caveat (floor) and change over 1y, the latest changes (none since
    2025-11-22 on this store), and the status line: no sources, last sync time, no reviews."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after())


def test_tables(app, snap_compare):
    """The category list on the left; the Obstacles table with Severity coloured
    (High red, Moderate yellow) and the as-of dates; the footer shows / and s."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("2"))


def test_detail(app, snap_compare):
    """Test Treaty: the essay's six criteria with rationale, source and fit, current values
    (Parties 4 with 3 also reported),
    sparklines for Parties and Status, the history with sources, the members ledger."""
    from screens.detail import DetailScreen

    async def run_before(pilot) -> None:
        await pilot.app.push_screen(DetailScreen("test-treaty"))
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)


def test_trends(app, snap_compare):
    """Window 'all': seven changes (three of fields, four membership entries: one worse,
    red), newest first."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("3", "w", "w"))


def test_participation(app, snap_compare):
    """United States and China first; glyphs S (signed, green) and ✗ (declined, red)."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("4"))


def test_calendar(app, snap_compare):
    """Coming: Next summit, 'in 2027'. Timeline: Test Treaty opens for signature."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("5"))


def test_sources(app, snap_compare):
    """No sources declared: the explanation line and an empty table."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("6"))


def test_review(app, snap_compare):
    """Nothing waiting: the explanation of what appears here, an empty table, a and x."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("7"))
