"""The charts in snapshots at the two sizes of issue 13: 80x24 and 160x48.

Detail of a treaty: its ledger's growth (signatories, ratifications) against the
entry-into-force threshold, then Parties and Status (levels as tick labels) over time;
Overview: the headline figures over time (below 40 rows after ``c``). Review changed
snapshots in the report before accepting them with --snapshot-update.
"""

from __future__ import annotations

import pytest

from tracker.sync import sync

from conftest import FROZEN
from test_series import treaty_catalog
from test_snapshots import _settled

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


@pytest.fixture
def app(store, catalog_path, tmp_path):
    from screens.app import TrackerApp

    catalog = treaty_catalog(catalog_path)
    sync(store, catalog)
    return TrackerApp(store, catalog, export_dir=tmp_path / "snapshots", clock=lambda: FROZEN,
                      watch_seconds=0)


@pytest.mark.parametrize("size", SIZES)
def test_detail_charts(app, snap_compare, size):
    """Scrolled to the charts: 'Test Treaty: ledger' with Signatories flat at 3 from
    2024-09, Ratifications stepping 0, 1 (2025-06), 2 (2026-01) up to the red threshold at
    2; Parties 2 then 4 from 2025-02; Status from Building to Active (tick labels are the
    scale's levels); dates on the x axis spaced by time."""
    from screens.detail import DetailScreen

    async def run_before(pilot) -> None:
        await pilot.app.push_screen(DetailScreen("test-treaty"))
        await _settled(pilot)
        pilot.app.screen.query_one("#detail").scroll_to_widget(
            pilot.app.screen.query_one("#plots"), animate=False, top=True)
        await _settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_overview_charts(app, snap_compare, size):
    """Window 'all': 'Headline figures' (treaties signed 0 then 1 from 2024-09, Test
    Treaty ratified 0, 1, 2) and 'Parties in any mechanism' (0, then 3 from 2024-09), side
    by side; at 80x24 they replace the latest changes after c, at 160x48 they sit above."""
    async def run_before(pilot) -> None:
        await _settled(pilot)
        pilot.app.window = "all"
        await _settled(pilot)
        if pilot.app.size.height < 40:
            await pilot.press("c")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
