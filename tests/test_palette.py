"""The command palette finds indicators, parties and events by name and opens them."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable

from tracker.catalog import load_catalog
from tracker.paths import shipped_catalog_path
from tracker.store import Store
from tracker.sync import sync

from conftest import FROZEN


@pytest.fixture(scope="module")
def shipped_db(tmp_path_factory):
    """A store synced from the shipped catalog, made once for this module."""
    path = tmp_path_factory.mktemp("palette") / "shipped.db"
    store = Store.open(path, clock=lambda: FROZEN)
    sync(store, load_catalog(shipped_catalog_path()))
    store.close()
    return path


def make_app(path):
    from screens.app import TrackerApp

    return TrackerApp(Store.open(path, clock=lambda: FROZEN),
                      lambda: load_catalog(shipped_catalog_path()), clock=lambda: FROZEN)


async def palette(pilot, text: str) -> list[str]:
    """Open the palette, type ``text``, wait for the hits; return their labels."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*text)
    for _ in range(100):  # the search runs in a thread; wait for its hits to show
        await pilot.pause(0.05)
        options = pilot.app.screen.query_one("CommandList")
        labels = [str(options.get_option_at_index(i).prompt).split("\n")[0]
                  for i in range(options.option_count)]
        if labels:
            return labels
    return []


async def test_cets_opens_the_detail_of_cets_225(shipped_db):
    from screens.detail import DetailScreen

    app = make_app(shipped_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        labels = await palette(pilot, "cets")
        assert labels[0].startswith("Council of Europe Framework Convention on Artificial "
                                    "Intelligence (CETS 225)")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.indicator_id == "cets-225"


async def test_a_party_opens_its_profile_or_its_row_in_participation(shipped_db):
    from screens.search import party_screen

    app = make_app(shipped_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        labels = await palette(pilot, "india")
        assert labels[0] == "India (IND)"
        await pilot.press("enter")
        if party_screen() is not None:  # where the dashboard has a Party screen
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, party_screen()) and app.screen.code == "IND"
            return
        for _ in range(100):
            await app.workers.wait_for_complete()
            await pilot.pause(0.02)
            if app.current_mode == "participation" and isinstance(app.focused, DataTable):
                break
        matrix = app.screen.query_one("#matrix", DataTable)
        assert app.focused is matrix
        assert matrix.coordinate_to_cell_key(matrix.cursor_coordinate).row_key.value == "IND"


async def test_an_event_opens_the_calendar_on_its_row(shipped_db):
    app = make_app(shipped_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        labels = await palette(pilot, "vilnius")
        assert labels[0] == "CoE AI Convention opened for signature in Vilnius (2024-09-05)"
        await pilot.press("enter")
        for _ in range(100):
            await app.workers.wait_for_complete()
            await pilot.pause(0.02)
            if app.current_mode == "calendar" and isinstance(app.focused, DataTable):
                break
        past = app.screen.query_one("#past", DataTable)
        assert app.focused is past
        key = past.coordinate_to_cell_key(past.cursor_coordinate).row_key.value
        assert key == "cets-225-opened-for-signature"


async def test_untrusted_names_show_literally_and_odd_queries_find_nothing(tmp_path, catalog):
    store = Store.open(tmp_path / "s.db", clock=lambda: FROZEN)
    sync(store, catalog)
    with store.transaction() as db:
        db["events"].insert({"id": "ev-[red]x[/]", "date": "2027-01-01",
                             "title": "[bold]Evil[/] \x1b[31msummit", "kind": "summit"})
    store.close()
    from screens.app import TrackerApp

    app = TrackerApp(Store.open(tmp_path / "s.db", clock=lambda: FROZEN), catalog,
                     clock=lambda: FROZEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        labels = await palette(pilot, "evil")
        assert labels == ["[bold]Evil[/] summit (2027-01-01)"]
        options = app.screen.query_one("CommandList")
        assert "event ev-[red]x[/]: show it in the Calendar" in \
            str(options.get_option_at_index(0).prompt)
        await pilot.press("escape")
        for query in ['"', "NEAR(", "*"]:
            await pilot.press("ctrl+p")
            await pilot.press(*query)
            await pilot.pause(0.3)
            assert isinstance(app.screen, CommandPalette)
            await pilot.press("escape")
