"""The dashboard, driven by Pilot: navigation, filtering, detail, window, export, refresh."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from tracker.sync import sync

from conftest import FROZEN



def make_app(store, catalog, tmp_path):
    from screens.app import TrackerApp

    sync(store, catalog)
    return TrackerApp(store, catalog, export_dir=tmp_path / "snapshots", clock=lambda: FROZEN)


async def settle(pilot) -> None:
    """Wait until every worker has finished and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def table(app, selector: str) -> DataTable:
    return app.screen.query_one(selector, DataTable)


async def test_every_screen_is_reached_by_a_key(store, catalog, tmp_path):
    from screens.calendar import CalendarScreen
    from screens.overview import OverviewScreen
    from screens.participation import ParticipationScreen
    from screens.sources import SourcesScreen
    from screens.tables import TablesScreen
    from screens.trends import TrendsScreen

    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert table(app, "#figures").row_count == 4
        for key, kind in [("2", TablesScreen), ("3", TrendsScreen), ("4", ParticipationScreen),
                          ("5", CalendarScreen), ("6", SourcesScreen), ("1", OverviewScreen)]:
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, kind), key


async def test_filter_a_table_and_open_a_detail(store, catalog, tmp_path):
    from screens.detail import DetailScreen

    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        rows = table(app, "#rows")
        assert rows.row_count == 2  # the obstacles
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"moderate")
        assert rows.row_count == 1
        assert rows.get_row_at(0)[0].plain == "Pace mismatch"
        await pilot.press("enter")  # back to the table
        preview = str(app.screen.query_one("#preview").render())
        assert "Severity: Moderate · 2025-06, low confidence" in preview
        await pilot.press("enter")  # open the highlighted row
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        history = table(app, "#history")
        assert [history.get_row_at(i)[2].plain for i in range(history.row_count)] == \
            ["High", "Moderate"]
        current = str(app.screen.query_one("#current").render())
        assert "Severity: Moderate" in current and "https://example.org/later" in current
        await pilot.press("escape")
        assert not isinstance(app.screen, DetailScreen)
        await pilot.press("escape")  # clears the filter
        assert rows.row_count == 2


async def test_sort_orders_levels_by_rank(store, catalog, tmp_path):
    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        screen.sort_column, screen.sort_reverse = "severity", False
        screen.draw()
        names = [table(app, "#rows").get_row_at(i)[0].plain for i in range(2)]
        assert names == ["Pace mismatch", "Strategic competition"]  # Moderate before High


async def test_mechanism_detail_shows_members_and_criteria(store, catalog, tmp_path):
    from screens.detail import DetailScreen

    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(DetailScreen("test-treaty"))
        await settle(pilot)
        members = table(app, "#members")
        assert members.row_count == 4
        about = str(app.screen.query_one("#about").render())
        assert "outside the UN" in about and "binding" in about
        assert len(app.screen.query(".plot")) == 2  # parties and status have a history


async def test_switching_the_window_changes_the_trends(store, catalog, tmp_path):
    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert app.window == "1y"
        assert table(app, "#changes").row_count == 0  # nothing since 2025-11-22
        await pilot.press("w", "w")  # 3y, then all
        await settle(pilot)
        assert app.window == "all"
        assert table(app, "#changes").row_count == 3


async def test_export_action_writes_a_snapshot(store, catalog, tmp_path):
    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await settle(pilot)
        written = sorted(p.name for p in (tmp_path / "snapshots").iterdir())
        assert written == ["2026-11-22.md", "latest.md"]
        assert store.db["snapshots"].count == 1


async def test_refresh_finishes_while_the_user_keeps_navigating(store, catalog, tmp_path,
                                                                catalog_path):
    from screens.trends import TrendsScreen

    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r", "2", "3")  # no waiting between keys
        assert isinstance(app.screen, TrendsScreen)
        await settle(pilot)
        assert app.refreshing is False
        assert any("Refreshed" in n.message for n in app._notifications)
        assert isinstance(app.screen, TrendsScreen)


async def test_hostile_text_is_shown_literally(store, catalog_path, tmp_path):
    from tracker.catalog import load_catalog

    catalog_path.write_text(catalog_path.read_text().replace(
        "value: US-China rivalry", 'value: "[bold red]x[/] \\e[31mred\\e]0;t\\a"'))
    catalog = load_catalog(catalog_path)
    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        cellv = table(app, "#rows").get_row_at(1)[1]
        assert cellv.plain == "[bold red]x[/] red"


async def test_refresh_and_export_at_once_do_not_crash(store, catalog, tmp_path):
    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r", "e")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("Refreshed" in m for m in messages), messages
        assert any("written to" in m for m in messages), messages
        assert not any("failed" in m for m in messages), messages
