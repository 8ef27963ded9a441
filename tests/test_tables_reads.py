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
