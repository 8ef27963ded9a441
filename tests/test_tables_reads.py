"""The Tables screen reads the table in view, and each other one when first chosen."""

from __future__ import annotations

from textual.widgets import Static

from test_dashboard import make_app, settle, table


async def test_a_table_whose_read_failed_is_read_again_when_chosen_again(store, catalog,
                                                                         tmp_path,
                                                                         monkeypatch):
    import screens.tables as tables

    read = tables.read_table
    failures = []

    def flaky(db, category, since):
        if category == "mechanisms" and not failures:
            failures.append(category)
            raise OSError("unable to open database file")
        return read(db, category, since)

    monkeypatch.setattr(tables, "read_table", flaky)
    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("right_square_bracket")  # mechanisms: the read fails
        await settle(pilot)
        screen = app.screen
        assert failures == ["mechanisms"]
        assert screen.query("#load-error")
        title = str(screen.query_one("#table-title", Static).render())
        assert "not read" in title and "reading" not in title
        assert table(app, "#rows").row_count == 0
        await pilot.press("left_square_bracket", "right_square_bracket")  # chosen again
        await settle(pilot)
        assert screen.category == "mechanisms"
        assert table(app, "#rows").get_row("test-treaty")
        assert not screen.query("#load-error")  # the store reads again: the line goes
        assert "Mechanisms" in str(screen.query_one("#table-title", Static).render())


async def test_a_catalog_synced_meanwhile_keeps_the_table_in_view_and_its_sort(store, catalog,
                                                                               tmp_path):
    """Another process syncs a catalog with a new category and a renamed one: the list
    follows it, and the table in view stays where it was, sorted as it was."""
    from textual.widgets import OptionList

    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "right_square_bracket")  # mechanisms
        await settle(pilot)
        await pilot.press("s")  # sorted by name, descending
        screen = app.screen
        assert (screen.category, screen.sort_column, screen.sort_reverse) == \
            ("mechanisms", "name", True)
        with store.transaction() as db:  # what a sync of the changed catalog writes
            db["categories"].insert({"id": "aaa", "title": "A new table", "position": -1})
            db.execute("UPDATE categories SET title = 'Mechanisms renamed' "
                       "WHERE id = 'mechanisms'")
        await pilot.press("ctrl+r")
        await settle(pilot)
        options = screen.query_one("#categories", OptionList)
        assert [str(o.prompt) for o in options.options] == \
            ["A new table", "Obstacles", "Mechanisms renamed"]
        assert options.highlighted == 2
        assert (screen.category, screen.sort_column, screen.sort_reverse) == \
            ("mechanisms", "name", True)
        assert table(app, "#rows").get_row("test-treaty")
        assert "Mechanisms renamed" in str(screen.query_one("#table-title", Static).render())


async def test_a_rows_confidence_is_its_weakest_values(store, catalog, tmp_path):
    from tracker import queries

    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.press("2", "right_square_bracket")
        await settle(pilot)
        rows = table(app, "#rows")
        for row in queries.rows(store.reader, "mechanisms"):
            levels = {v.confidence for v in row.values.values()}
            weakest = next(c for c in ("low", "medium", "high") if c in levels)
            assert rows.get_row(row.id)[-1].plain == weakest, row.id
        assert any(len({v.confidence for v in r.values.values()}) > 1
                   for r in queries.rows(store.reader, "mechanisms"))


async def test_a_screen_whose_first_read_failed_is_read_again_when_shown_again(
        store, catalog, tmp_path, monkeypatch):
    """Not only Tables' categories: any screen whose read failed reads again when it is
    shown again, without ctrl+r."""
    from screens.trends import TrendsScreen

    fetch = TrendsScreen.fetch
    failures = []

    def flaky(self, reading):
        if not failures:
            failures.append(1)
            raise OSError("unable to open database file")
        return fetch(self, reading)

    monkeypatch.setattr(TrendsScreen, "fetch", flaky)
    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        title = app.screen.query_one("#trends-title", Static)
        assert failures and app.screen.query("#load-error")
        assert not str(title.render()).strip()  # nothing read, nothing said
        await pilot.press("1", "3")  # away and back: read again
        await settle(pilot)
        assert not app.screen.query("#load-error")
        assert "since" in str(title.render())


async def test_a_category_the_catalog_dropped_leaves_the_list_and_the_view(store, catalog,
                                                                           catalog_path,
                                                                           tmp_path):
    """Synced without one of its categories, the catalog's tables, lists and the screen
    leave it out; a retired indicator of it still shows."""
    import io
    import re

    from tracker import queries, reports
    from tracker.catalog import load_catalog
    from tracker.sync import sync

    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("2")  # obstacles, the first table
        await settle(pilot)
        text = catalog_path.read_text()  # the obstacles category and its two indicators
        start, end = text.index("  - id: obstacles"), text.index("  - id: mechanisms")
        kept = re.sub(r"  - id: (pace-mismatch|strategic-competition)\n(    .*\n)+", "",
                      text[:start] + text[end:])
        (tmp_path / "dropped.yaml").write_text(kept)
        smaller = load_catalog(tmp_path / "dropped.yaml")
        sync(store, smaller)
        assert [c["id"] for c in queries.categories(store.reader)] == ["mechanisms"]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen.category == "mechanisms"
        assert any("no longer in the catalog" in n.message for n in app._notifications)
        out = io.StringIO()
        reports.show(store.reader, out, "pace-mismatch", "table")  # retired, still shown
        assert "[retired" in out.getvalue() and "Obstacles" in out.getvalue()


async def test_a_store_moved_away_is_never_made_again_and_is_read_when_back(store, catalog,
                                                                          tmp_path):
    """The dashboard reads the store it was started on: moved away, a screen says it is
    gone and makes no new empty store in its place; moved back, it is read again."""
    import os

    app = make_app(store, catalog, tmp_path)
    path = store.path
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        os.replace(path, f"{path}.away")
        await pilot.press("3")  # not read yet: its first read finds nothing there
        await settle(pilot)
        line = str(app.screen.query_one("#load-error", Static).render())
        assert "the store is gone" in line
        assert not os.path.exists(path)  # no empty store made in its place
        os.replace(f"{path}.away", path)
        await pilot.press("1", "3")
        await settle(pilot)
        assert not app.screen.query("#load-error")
        assert "since" in str(app.screen.query_one("#trends-title", Static).render())
