"""The dashboard, driven by Pilot: navigation, filtering, detail, window, export, refresh."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from tracker.sync import sync

from conftest import FROZEN



def make_app(store, catalog, tmp_path):
    from screens.app import TrackerApp

    sync(store, catalog)
    return recording(TrackerApp(store, catalog, export_dir=tmp_path / "snapshots",
                                clock=lambda: FROZEN))


def recording(app):
    """``app`` with every notification's message kept in ``app.said``: a toast expires after
    a few seconds, which a busy machine can spend between the notice and the assertion."""
    app.said = []
    notify = app.notify

    def record(message, *args, **kwargs):
        app.said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = record
    return app


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
        assert not app.screen.query("#filter")  # made when first asked for
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"moderate")
        assert rows.row_count == 1
        assert rows.get_row_at(0)[0].plain == "Pace mismatch"
        await pilot.press("escape")  # cleared, back to the table; / finds the same box
        assert rows.row_count == 2 and not isinstance(app.focused, Input)
        await pilot.press("slash", *"moderate")
        assert len(app.screen.query("#filter")) == 1 and rows.row_count == 1
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
        # The detail reads its data only after its first paint: on a busy machine one
        # settle can come before that read has started.
        for _ in range(50):
            await settle(pilot)
            if getattr(app.screen, "loaded", None) is not None:
                break
        members = table(app, "#members")
        assert members.row_count == 4
        crit = str(app.screen.query_one("#criteria").render())
        assert "Outside the UN and existing structures: yes" in crit
        assert "Radically multipolar: unknown" in crit and "Fit partial" in crit
        assert len(app.screen.query(".plot")) == 3  # the ledger; parties and status have a history


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
        assert table(app, "#changes").row_count == 7  # 3 of fields, 4 ledger entries


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
        assert any("Refreshed" in m for m in app.said), app.said
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
        messages = app.said
        assert any("Refreshed" in m for m in messages), messages
        assert any("written to" in m for m in messages), messages
        assert not any("failed" in m for m in messages), messages


def _sources_app(store, tmp_path, handler):
    import shutil

    import httpx

    from screens.app import TrackerApp
    from tracker.catalog import load_catalog
    from tracker.fetchers import make_client

    from conftest import DATA

    path = tmp_path / "sources.yaml"
    shutil.copy(DATA / "catalog-sources.yaml", path)
    catalog = load_catalog(path)
    sync(store, catalog)
    return recording(TrackerApp(store, catalog,
                                lambda: make_client(httpx.MockTransport(handler)),
                                export_dir=tmp_path / "snapshots", clock=lambda: FROZEN))


async def test_r_runs_the_sources_and_the_screens_show_their_health(store, tmp_path,
                                                                    monkeypatch):
    from fakes import Sources

    monkeypatch.setattr("tracker.refresh.HOST_DELAY", 0)
    handler = Sources()
    handler.overrides["epoch.test"] = __import__("httpx").Response(500, text="down")
    app = _sources_app(store, tmp_path, handler)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        assert table(app, "#sources").row_count == 8
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        messages = " ".join(app.said)
        assert "failed: epoch" in messages
        rows = table(app, "#sources")
        states = {rows.get_row_at(i)[0].plain: rows.get_row_at(i)[2].plain
                  for i in range(rows.row_count)}
        assert states["epoch"] == "failing" and states["fr"] == "ok"


async def test_review_screen_accepts_a_proposal(store, tmp_path, monkeypatch):

    import httpx

    from fakes import Sources
    from tracker.fetchers import make_client

    monkeypatch.setattr("tracker.refresh.HOST_DELAY", 0)
    handler = Sources()
    app = _sources_app(store, tmp_path, handler)
    # Wikidata contradicts the curated date of GBR's signature: a proposal.
    body = (Path(__file__).parent / "data" / "samples" /
            "wikidata-sparql-treaty-parties.json").read_bytes().replace(b"2024-09-05T",
                                                                        b"2024-09-07T")
    handler.overrides["wd.test"] = httpx.Response(
        200, content=body, headers={"Content-Type": "application/sparql-results+json"})

    async def fetch():
        async with make_client(httpx.MockTransport(handler)) as client:
            from tracker.refresh import refresh as run
            return await run(store, app.catalog, client, only=["wikidata"], host_delay=0)

    store.db["source_pins"].insert({"source_id": "wikidata", "key": "qid",
                                    "value": "Q999999225", "pinned_at": "x"})
    await fetch()
    waiting = store.db.execute("SELECT count(*) FROM proposals WHERE status = 'pending'"
                               ).fetchone()[0]
    assert waiting == 3  # EU, GBR and USA signatures dated differently
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        assert table(app, "#proposals").row_count == 3
        await pilot.press("a")  # asks first
        await settle(pilot)
        assert table(app, "#proposals").row_count == 3
        assert "Press a again" in str(app.screen.query_one("#review-title").render())
        await pilot.press("a")
        await settle(pilot)
        await settle(pilot)
        assert table(app, "#proposals").row_count == 2
    assert store.db.execute("SELECT count(*) FROM proposals WHERE status = 'accepted'"
                            ).fetchone()[0] == 1


async def test_the_dashboard_reads_while_a_refresh_writes(store, catalog, tmp_path):
    import threading

    from tracker.store import Store

    app = make_app(store, catalog, tmp_path)
    stop = threading.Event()
    errors = []
    writes = []

    def writer():
        other = Store.open(store.path, clock=lambda: FROZEN)
        try:
            while not stop.wait(0.02):  # a write every 20 ms, as long as the test runs
                sync(other, catalog, force=True)
                writes.append(1)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            for key in ["2", "3", "1", "w", "2", "1"]:
                await pilot.press(key)
                await settle(pilot)
            assert table(app, "#figures").row_count == 4
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert len(writes) > 5


async def test_participation_opens_a_partys_profile_and_mechanisms(store, catalog, tmp_path):
    from screens.detail import DetailScreen

    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        matrix = table(app, "#matrix")
        assert matrix.get_row_at(0)[0].plain == "United States (USA)"  # pinned first
        await pilot.press("enter")  # on the party column: its profile
        await settle(pilot)
        from screens.party import PartyScreen

        assert isinstance(app.screen, PartyScreen) and app.screen.code == "USA"
        assert table(app, "#mechanisms").get_row_at(0)[2].plain == "signed"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("right", "right", "enter")  # the mechanism column
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.indicator_id == "test-treaty"


async def test_enter_on_a_figure_lists_what_it_counts(store, catalog, tmp_path):
    from screens.explain import ExplainScreen

    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        figures = table(app, "#figures")
        figures.focus()
        assert figures.get_row("parties")[2].plain == "floor"  # the Caveat column
        figures.move_cursor(row=figures.get_row_index("parties"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExplainScreen)
        title = str(app.screen.query_one("#figure-title").render())
        assert title.startswith("Parties in any mechanism: 3 (floor)")
        items = table(app, "#items")
        ids = [items.get_row_at(i)[0].plain for i in range(items.row_count)]
        assert ids == ["EU", "GBR", "USA", "test-treaty"]
        assert items.get_row_at(3)[1].plain == "unknown"
        await pilot.press("escape")
        await settle(pilot)
        assert table(app, "#figures").row_count == 4


async def test_mechanisms_table_has_a_fit_column(store, catalog, tmp_path):
    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        rows = table(app, "#rows")
        assert [c.label.plain for c in rows.columns.values()][:2] == ["Name", "Fit"]
        assert rows.get_row("test-treaty")[1].plain == "partial"
