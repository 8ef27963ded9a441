"""The dashboard's faults, each driven by Pilot: sorts, worker errors, literal text, a store
written or broken by others, quitting during a slow refresh, keyboard scrolling."""

from __future__ import annotations

import shutil
import socket
import time

import pytest
from textual.widgets import DataTable

from tracker.store import Store
from tracker.sync import sync

from conftest import FROZEN

MORE_MECHANISMS = """\
  - id: unsure-pact
    category: mechanisms
    name: Unsure pact
    criteria: {outside_structures: {value: "yes", rationale: A new pact, source: page, confidence: low}, single_purpose: {value: "yes", rationale: One purpose, source: page, confidence: low}, no_shared_values: {value: "yes", rationale: No values test, source: page, confidence: low}}
    values:
      status:
        - {value: Uncertain, as_of: 2024-06, source: page, confidence: low}
  - id: blank-pact
    category: mechanisms
    name: Blank pact
    criteria: {outside_structures: {value: "yes", rationale: A new pact, source: page, confidence: low}, single_purpose: {value: "yes", rationale: One purpose, source: page, confidence: low}, no_shared_values: {value: "yes", rationale: No values test, source: page, confidence: low}}
    values:
      participants:
        - {value: none yet, as_of: 2024-06, source: page, confidence: low}
  - id: live-pact
    category: mechanisms
    name: Live pact
    criteria: {outside_structures: {value: "yes", rationale: A new pact, source: page, confidence: low}, single_purpose: {value: "yes", rationale: One purpose, source: page, confidence: low}, no_shared_values: {value: "yes", rationale: No values test, source: page, confidence: low}}
    values:
      status:
        - {value: In force, as_of: 2024-06, source: page, confidence: high}
      participant_count:
        - {value: 40, as_of: 2024-06, source: page, confidence: high}
"""


def app_for(store, catalog, tmp_path, **kwargs):
    from screens.app import TrackerApp

    sync(store, catalog)
    kwargs.setdefault("watch_seconds", 0)
    return TrackerApp(store, catalog, export_dir=tmp_path / "snapshots", clock=lambda: FROZEN,
                      log_path=tmp_path / "dashboard.log", **kwargs)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def column(app, selector: str, index: int) -> list[str]:
    table = app.screen.query_one(selector, DataTable)
    return [table.get_row_at(i)[index].plain for i in range(table.row_count)]


def toasts(app) -> list[str]:
    """What the notification toasts show on screen, as rendered."""
    from textual.widgets._toast import Toast

    return [t.render().plain for t in app.screen.query(Toast)]


@pytest.fixture
def wider_catalog(catalog_path):
    from tracker.catalog import load_catalog

    text = catalog_path.read_text()
    catalog_path.write_text(text.replace("\nmemberships:", MORE_MECHANISMS + "\nmemberships:"))
    return load_catalog(catalog_path)


# 1. Sorting


async def test_sorting_puts_unranked_levels_and_blanks_last_both_ways(store, wider_catalog,
                                                                      tmp_path):
    app = app_for(store, wider_catalog, tmp_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.press("2", "right_square_bracket")  # Mechanisms
        await settle(pilot)
        screen = app.screen
        assert screen.category == "mechanisms"
        seen = []
        for _ in range(12):  # every column, ascending then descending, by the key
            await pilot.press("s")
            seen.append((screen.sort_column, screen.sort_reverse))
            if screen.sort_column == "status":
                names = column(app, "#rows", 0)
                expected = ["Test Treaty", "Live pact"]  # Active < In force
                if screen.sort_reverse:
                    expected.reverse()
                assert names == expected + ["Unsure pact", "Blank pact"], seen[-1]
            if screen.sort_column == "participant_count":
                names = column(app, "#rows", 0)
                expected = ["Test Treaty", "Live pact"]  # 4 < 40
                if screen.sort_reverse:
                    expected.reverse()
                assert names == expected + ["Unsure pact", "Blank pact"], seen[-1]
        assert ("status", True) in seen and ("participant_count", True) in seen
        assert app.is_running


def test_rank_keeps_groups_in_order_when_reversed():
    from screens.sorting import ordered, rank

    field = {"scale_kind": "ordinal", "levels": ["Low", "High"]}
    values = ["High", "", "Uncertain", "Low", None, "Moot"]
    up = ordered(values, lambda v: rank(v, field))
    down = ordered(values, lambda v: rank(v, field), reverse=True)
    assert up[:4] == ["Low", "High", "Moot", "Uncertain"]
    assert down[:4] == ["High", "Low", "Uncertain", "Moot"]
    assert set(up[4:]) == set(down[4:]) == {"", None}  # blanks never first


# 2. Errors in workers and handlers


async def test_an_unusable_store_shows_one_line_and_the_app_goes_on(catalog, tmp_path):
    from screens.tables import TablesScreen

    folder = tmp_path / "box"
    folder.mkdir()
    store = Store.open(folder / "store.db", clock=lambda: FROZEN)
    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        assert not app.screen.query("#load-error")
        store.close()
        shutil.rmtree(folder)  # the folder removed
        await pilot.press("ctrl+r")
        await settle(pilot)
        line = str(app.screen.query_one("#load-error").render())
        assert line.startswith("Could not read the store:") and "does not exist" in line
        assert "\n" not in line
        assert any("Could not read the store" in n.message and n.severity == "error"
                   for n in app._notifications)
        await pilot.press("2")  # another screen still opens, and says the same
        await settle(pilot)
        assert isinstance(app.screen, TablesScreen)
        assert app.screen.query("#load-error")
        folder.mkdir()
        (folder / "store.db").write_text("not a database, just text\n")  # replaced by text
        await pilot.press("f5")
        await settle(pilot)
        assert "not a usable tracker store" in str(app.screen.query_one("#load-error")
                                                   .render())
        await pilot.press("1", "3", "w")
        await settle(pilot)
        assert app.is_running
    assert not app.return_code
    assert "does not exist" in (tmp_path / "dashboard.log").read_text()


async def test_the_watch_notices_a_store_that_is_gone(catalog, tmp_path):
    folder = tmp_path / "box"
    folder.mkdir()
    store = Store.open(folder / "store.db", clock=lambda: FROZEN)
    app = app_for(store, catalog, tmp_path, watch_seconds=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        store.close()
        shutil.rmtree(folder)
        for _ in range(40):
            await pilot.pause(0.05)
            if app.screen.query("#load-error"):
                break
        assert "is gone" in str(app.screen.query_one("#load-error").render())
        assert app.is_running


async def test_an_error_in_a_handler_is_survived_and_logged(store, catalog, tmp_path,
                                                             monkeypatch):
    from screens.tables import TablesScreen

    def broken(self):
        raise ValueError("a [/x] fault")

    monkeypatch.setattr(TablesScreen, "action_sort", broken)
    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert app.is_running
        assert any("Something went wrong: a [/x] fault" in t for t in toasts(app))
        await pilot.press("1")
        await settle(pilot)
        assert app.screen.query_one("#figures", DataTable).row_count == 4
    assert not app.return_code
    assert "ValueError: a [/x] fault" in (tmp_path / "dashboard.log").read_text()


async def test_a_fault_that_repeats_stops_the_app_with_a_nonzero_code(store, catalog, tmp_path,
                                                                      monkeypatch):
    from screens.tables import TablesScreen

    def broken(self):
        raise ValueError("again")

    monkeypatch.setattr(TablesScreen, "action_sort", broken)
    app = app_for(store, catalog, tmp_path)
    with pytest.raises(ValueError):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("2")
            await settle(pilot)
            for _ in range(8):
                await pilot.press("s")
    assert app.return_code == 1


def test_the_cli_exits_nonzero_when_the_dashboard_stopped_on_an_error(run, monkeypatch):
    from screens.app import TrackerApp

    def run_app(self):
        self._return_code = 1

    monkeypatch.setattr("tracker.cli._interactive", lambda: True)
    monkeypatch.setattr(TrackerApp, "run", run_app)
    result = run.runner.invoke(__import__("tracker.cli").cli.cli, ["--db", str(run.db)])
    assert result.exit_code == 1


# 3. Text from data, paths and errors is shown literally


async def test_square_brackets_in_paths_urls_values_and_names_are_literal(tmp_path,
                                                                         catalog_path,
                                                                         monkeypatch):
    from screens.detail import DetailScreen
    from tracker.catalog import load_catalog

    url = "https://example.org/later/[/x]"
    catalog_path.write_text(catalog_path.read_text()
                            .replace("https://example.org/later", url)
                            .replace("name: European Union", "name: '[b]Union[/b] [/x]'"))
    catalog = load_catalog(catalog_path)
    folder = tmp_path / "[Work] AI"
    folder.mkdir()
    store = Store.open(folder / "tracker.db", clock=lambda: FROZEN)
    sync(store, catalog)
    with store.transaction() as db:
        run_id = store.start_run("refresh", "x")
        db["proposals"].insert({
            "source_id": "wikidata", "run_id": run_id, "kind": "observation",
            "indicator_id": "pace-mismatch", "field": "severity", "value": "[/x]Low",
            "as_of": "2026-01", "source_url": url, "confidence": "low", "note": "[red]n",
            "reason": "manual source [/x]", "status": "pending", "created_at": "2026-11-01"})
    monkeypatch.setattr("screens.links.open_in_browser", lambda u: False)
    from screens.app import TrackerApp

    app = TrackerApp(store, catalog, clock=lambda: FROZEN, log_path=tmp_path / "log",
                     watch_seconds=0)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await pilot.press("e")  # a path in a notification
        await settle(pilot)
        assert any(f"written to {folder}/snapshots/latest.md" in t for t in toasts(app))
        app.push_screen(DetailScreen("pace-mismatch"))  # a URL in a notification (o)
        await settle(pilot)
        await pilot.press("tab", "down")  # to the History table, then the later value
        await pilot.press("o")
        await settle(pilot)
        assert app.clipboard == url
        assert any(url in t and "clipboard" in t for t in toasts(app))
        await pilot.press("escape", "7")  # a proposal's value (a)
        await settle(pilot)
        assert "[/x]Low" in column(app, "#proposals", 1)[0]
        await pilot.press("a", "a")
        await settle(pilot)
        assert any("pace-mismatch.severity = [/x]Low" in t for t in toasts(app))
        await pilot.press("4")  # a party's name
        await settle(pilot)
        assert any("[b]Union[/b] [/x] (EU)" in c for c in column(app, "#matrix", 0))
        app.screen.query_one("#matrix", DataTable).move_cursor(row=2, column=0)
        await pilot.press("enter")
        await settle(pilot)
        # enter opens the party's profile, its name shown literally
        assert "[b]Union[/b] [/x]" in str(app.screen.query_one("#party-title").render())
        assert app.is_running
    store.close()


async def test_a_failed_refresh_and_export_say_their_error_literally(store, catalog, tmp_path):
    app = app_for(store, catalog, tmp_path)
    app.export_dir = tmp_path / "[red]file[/red]"
    app.export_dir.parent.mkdir()
    app.export_dir.write_text("a file where the folder should be")
    async with app.run_test(size=(160, 30), notifications=True) as pilot:
        await pilot.press("e")
        await settle(pilot)
        assert any(t.startswith("Export failed:") and "[red]file[/red]" in t
                   for t in toasts(app)), toasts(app)
        assert app.is_running


def test_every_static_and_option_list_is_built_without_markup():
    """Each Static / OptionList in the screens is made with markup=False, and each column
    label is a Text: catalog titles and labels are data too."""
    import ast
    from pathlib import Path

    root = Path(__file__).parent.parent / "screens"
    offenders = []
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("Static", "OptionList", "Label"):
                if not any(k.arg == "markup" and getattr(k.value, "value", True) is False
                           for k in node.keywords):
                    offenders.append(f"{path.name}:{node.lineno} {name}")
            if name == "add_column":
                label = node.args[0] if node.args else None
                if isinstance(label, ast.Constant) and label.value == "":
                    continue  # a rich Table's unnamed column
                if not (isinstance(label, ast.Call) and getattr(label.func, "id", "") == "Text"):
                    offenders.append(f"{path.name}:{node.lineno} add_column")
    assert offenders == []


# 5. Live while others write


async def test_an_external_write_reloads_the_screen_keeping_cursor_and_filter(
        store, wider_catalog, tmp_path):
    from tracker import assess

    app = app_for(store, wider_catalog, tmp_path, watch_seconds=0.05)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.press("2", "right_square_bracket")
        await settle(pilot)
        await pilot.press("slash", *"pact", "enter")
        rows = app.screen.query_one("#rows", DataTable)
        assert rows.row_count == 3
        await pilot.press("down")
        assert rows.cursor_row == 1
        before = column(app, "#rows", 0)[1]
        other = Store.open(store.path, clock=lambda: FROZEN)  # another process, in effect
        try:
            assess.record(other, wider_catalog, "live-pact", "participants", "Forty states",
                          as_of="2026-11", source="https://example.org/x", confidence="high",
                          note=None, author="cron")
        finally:
            other.close()
        for _ in range(60):
            await pilot.pause(0.05)
            if "Forty states" in " ".join(c.plain for c in rows.get_row_at(
                    rows.get_row_index("live-pact"))):
                break
        else:
            pytest.fail("the screen did not reload after the external write")
        assert app.screen.query_one("#filter").value == "pact"
        assert rows.row_count == 3
        assert rows.cursor_row == 1 and column(app, "#rows", 0)[1] == before


# 6. Quitting during a slow refresh


@pytest.fixture
def silent_server():
    """A loopback port that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


async def test_quit_during_a_slow_refresh_returns_within_a_second(store, tmp_path,
                                                                  silent_server):
    import httpx

    from conftest import DATA
    from screens.app import TrackerApp
    from tracker.catalog import load_catalog
    from tracker.fetchers import make_client
    from tracker.refresh import refresh_lock

    text = (DATA / "catalog-sources.yaml").read_text()
    for host in ("https://fr.test", "https://epoch.test", "https://wd.test",
                 "https://gov.test", "https://aiid.test"):
        text = text.replace(host, silent_server)
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    catalog = load_catalog(path)
    sync(store, catalog)
    app = TrackerApp(store, catalog, lambda: make_client(timeout=httpx.Timeout(30)),
                     clock=lambda: FROZEN, log_path=tmp_path / "log", watch_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await pilot.pause(0.5)  # the requests are waiting on the silent server
        assert app.refreshing
        start = time.monotonic()
        await pilot.press("q")
    for _ in range(100):  # the refresh lets go of the store: another refresh could start
        try:
            with refresh_lock(store.path):
                break
        except Exception:  # noqa: BLE001 - still held
            time.sleep(0.01)
    elapsed = time.monotonic() - start
    assert elapsed < 1.0
    assert store.db.execute("SELECT count(*) FROM runs WHERE kind = 'refresh'").fetchone()[0] == 1


# 10. The detail screen scrolls from the keyboard


async def test_the_detail_scrolls_from_the_keyboard_to_history_and_sparklines(store, catalog,
                                                                              tmp_path):
    from screens.detail import DetailScreen

    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(DetailScreen("test-treaty"))
        await settle(pilot)
        page = app.screen.query_one("#detail")
        assert app.focused is page
        assert page.max_scroll_y > 0 and page.scroll_y == 0
        await pilot.press("end")
        await pilot.pause(0.3)
        assert page.scroll_y == page.max_scroll_y
        history = app.screen.query_one("#history")
        assert history.region.intersection(page.region).height > 0  # on screen
        await pilot.press("home")
        await pilot.pause(0.3)
        await pilot.press("pagedown")
        await pilot.pause(0.3)
        assert page.scroll_y > 0
        await pilot.press("tab")
        assert app.focused is not page


# 16. Review asks before deciding; a rejection is undone with u


async def test_review_asks_then_rejects_and_u_reopens(store, catalog, tmp_path):
    app = app_for(store, catalog, tmp_path)
    with store.transaction() as db:
        run_id = store.start_run("refresh", "x")
        for value in ("Low", "High"):
            db["proposals"].insert({
                "source_id": "wikidata", "run_id": run_id, "kind": "observation",
                "indicator_id": "pace-mismatch", "field": "severity", "value": value,
                "as_of": "2026-01", "source_url": "https://example.org/p",
                "confidence": "low", "reason": "manual", "status": "pending",
                "created_at": "2026-11-01"})
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        proposals = app.screen.query_one("#proposals", DataTable)
        await pilot.press("x", "escape")  # asked, then cancelled
        await settle(pilot)
        assert proposals.row_count == 2
        await pilot.press("x", "x")
        await settle(pilot)
        await settle(pilot)
        assert proposals.row_count == 1
        assert store.db.execute("SELECT status FROM proposals ORDER BY id").fetchall() == \
            [("rejected",), ("pending",)]
        await pilot.press("u")
        await settle(pilot)
        await settle(pilot)
        assert proposals.row_count == 2
    assert store.db.execute("SELECT count(*) FROM proposals WHERE status = 'pending'"
                            ).fetchone()[0] == 2


# 14. The ? panel lists the screen's own keys first


async def test_the_keys_panel_lists_the_screens_keys_first(store, catalog, tmp_path):
    from rich.console import Console

    from screens.keys import ScreenKeysTable

    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        panel = app.screen.query_one(ScreenKeysTable)
        console = Console(width=40, record=True)
        console.print(panel.render_bindings_table())
        text = console.export_text()
        rows = [line.split() for line in text.splitlines() if line.strip()]
        firsts = [r[1] if len(r) > 1 else "" for r in rows[:5]]
        assert firsts[:2] == ["Filter", "Sort"], rows[:6]
        assert text.index("Next table") < text.index("Window") < text.index("Focus Next"), text
        await pilot.press("question_mark")
        await settle(pilot)
        assert not app.screen.query(ScreenKeysTable)


# 12. Trends: filter and sort; an empty result clears the preview


async def test_trends_filter_and_sort_and_an_empty_result_clears_the_preview(store, catalog,
                                                                             tmp_path):
    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.window = "all"
        await pilot.press("3")
        await settle(pilot)
        changes = app.screen.query_one("#changes", DataTable)
        total = changes.row_count  # field changes and membership changes
        assert total >= 3
        dates = column(app, "#changes", 0)
        assert dates[0] == "2025-06" and dates == sorted(dates, reverse=True)
        await pilot.press("s")  # date, oldest first
        again = column(app, "#changes", 0)
        assert again == sorted(again)
        await pilot.press("s")  # indicator A-Z
        # The cells cut a long name first (the field stays): compare the names themselves.
        indicators = [app.screen.changes[row.key.value].name for row in changes.ordered_rows]
        assert indicators[0] == "Pace mismatch" and indicators == sorted(indicators)
        preview = app.screen.query_one("#preview")
        assert "Pace mismatch" in str(preview.render())
        await pilot.press("slash", *"pace")
        assert changes.row_count == 1
        assert "matching 'pace'" in str(app.screen.query_one("#trends-title").render())
        await pilot.press(*"zzz")
        assert changes.row_count == 0 and not changes.display
        assert str(preview.render()).strip() == "" and not preview.display
        await pilot.press("escape")
        assert changes.row_count == total


# 15. No browser: the link goes to the clipboard


def test_no_browser_or_a_console_browser_counts_as_none(monkeypatch):
    import webbrowser

    from screens.links import open_in_browser

    def none():
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    assert open_in_browser("https://example.org") is False
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.GenericBrowser("lynx"))
    assert open_in_browser("https://example.org") is False

    class Refuses(webbrowser.BackgroundBrowser):
        def open(self, url, new=0, autoraise=True):
            return False

    monkeypatch.setattr(webbrowser, "get", lambda: Refuses("xdg-open"))
    assert open_in_browser("https://example.org") is False

    class Opens(webbrowser.BackgroundBrowser):
        def open(self, url, new=0, autoraise=True):
            return True

    monkeypatch.setattr(webbrowser, "get", lambda: Opens("xdg-open"))
    assert open_in_browser("https://example.org") is True


async def test_a_decision_on_a_store_that_is_gone_is_one_line(catalog, tmp_path):
    folder = tmp_path / "box"
    folder.mkdir()
    store = Store.open(folder / "store.db", clock=lambda: FROZEN)
    app = app_for(store, catalog, tmp_path)
    with store.transaction() as db:
        db["proposals"].insert({
            "source_id": "wikidata", "run_id": store.start_run("refresh", "x"),
            "kind": "observation", "indicator_id": "pace-mismatch", "field": "severity",
            "value": "Low", "as_of": "2026-01", "source_url": "https://example.org/p",
            "confidence": "low", "reason": "manual", "status": "pending",
            "created_at": "2026-11-01"})
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        store.close()
        shutil.rmtree(folder)
        await pilot.press("a", "a")
        await settle(pilot)
        assert any("does not exist" in n.message for n in app._notifications)
        assert app.is_running


# 13. At 200 columns spare width goes where it is needed


async def test_wide_columns_fit_their_values_not_the_terminal(store, wider_catalog, tmp_path):
    app = app_for(store, wider_catalog, tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        figures = app.screen.query_one("#figures", DataTable)
        first = list(figures.columns.values())[0]
        assert first.width == len("Mechanisms with US and China")  # not 150 columns
        await pilot.press("2", "right_square_bracket")
        await settle(pilot)
        rows = app.screen.query_one("#rows", DataTable)
        status = rows.columns[next(k for k in rows.columns if k.value == "status")]
        assert status.width >= len("Uncertain") + 2  # the longest value and its arrow


async def test_tables_filter_to_nothing_clears_the_preview(store, catalog, tmp_path):
    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        preview = app.screen.query_one("#preview")
        assert "enter for its history" in str(preview.render())
        await pilot.press("slash", *"nothing-like-this")
        assert app.screen.query_one("#rows", DataTable).row_count == 0
        assert str(preview.render()).strip() == ""


async def test_sources_at_80_columns_show_the_error_and_the_url(store, tmp_path):
    from tracker.catalog import load_catalog
    from screens.app import TrackerApp

    from conftest import DATA

    catalog = load_catalog(DATA / "catalog-sources.yaml")
    sync(store, catalog)
    error = "HTTP 503 from https://epoch.test/data/large_scale_ai_models.csv [/x] retry later"
    with store.transaction() as db:
        db["source_health"].insert({"source_id": "epoch", "last_attempt": "2026-11-21",
                                    "status": "failed", "consecutive_failures": 3,
                                    "last_error": error}, alter=True)
    app = TrackerApp(store, catalog, clock=lambda: FROZEN, log_path=tmp_path / "log",
                     watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        sources = app.screen.query_one("#sources", DataTable)
        labels = [c.label.plain for c in sources.columns.values()]
        assert "Last error" in labels and "URL" in labels
        assert sum(c.get_render_width(sources) for c in sources.columns.values()) <= 80
        sources.move_cursor(row=sources.get_row_index("epoch"))
        await pilot.pause()
        preview = str(app.screen.query_one("#preview").render())
        assert f"Error: {error}" in " ".join(preview.split()).replace("- ", "-")
        assert "https://epoch.test/data/large_scale_ai_models.csv" in preview.replace("\n", "")


async def test_a_failed_refresh_says_its_error_literally(store, tmp_path):
    from tracker.catalog import load_catalog
    from screens.app import TrackerApp

    from conftest import DATA

    catalog = load_catalog(DATA / "catalog-sources.yaml")
    sync(store, catalog)

    def no_client():
        raise RuntimeError("proxy [/x] refused at [Work] AI")

    app = TrackerApp(store, catalog, no_client, clock=lambda: FROZEN,
                     log_path=tmp_path / "log", watch_seconds=0)
    async with app.run_test(size=(160, 30), notifications=True) as pilot:
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        assert any(t == "Refresh failed: proxy [/x] refused at [Work] AI" for t in toasts(app)), \
            toasts(app)
        assert app.is_running and not app.refreshing
