"""`t` in the dashboard: the screens show the store as it stood at a date."""

from __future__ import annotations

from textual.widgets import Input, Static

from test_dashboard import make_app, settle, table


def _cells(app, selector: str) -> list[str]:
    rows = table(app, selector)
    return [" | ".join(getattr(c, "plain", str(c)) for c in rows.get_row_at(i))
            for i in range(rows.row_count)]


async def _set_date(pilot, text: str) -> None:
    await pilot.press("t")
    await pilot.pause()
    field = pilot.app.screen.query_one("#at-input", Input)
    field.value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_t_sets_the_date_the_screens_show(store, catalog, tmp_path):
    from screens.at_date import AtDateScreen
    from screens.detail import DetailScreen
    from screens.nav import NavBar

    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert any("Moderate" in row for row in _cells(app, "#rows"))
        await _set_date(pilot, "2024-12")
        assert app.at == "2024-12"
        assert "as at 2024-12" in str(app.screen.query_one(NavBar).render())
        rows = _cells(app, "#rows")
        assert not any("Moderate" in row for row in rows)  # dated 2025-06: not yet
        assert any("Pace mismatch" in row and "High" in row for row in rows)
        # The past is one copy of the store: every table is read from it at once.
        assert sorted(app.screen.data.tables) == ["mechanisms", "obstacles"]
        app.push_screen(DetailScreen("test-treaty"))
        await settle(pilot)
        assert table(app, "#members").row_count == 3  # CHN declined in 2025-02
        assert "as at 2024-12" in str(app.screen.query_one(NavBar).render())
        await pilot.press("escape")
        await pilot.press("1")  # the Overview reads the same date
        await settle(pilot)
        assert "as at 2024-12" in str(app.screen.query_one(NavBar).render())
        figures = _cells(app, "#figures")
        assert any(row.startswith("Parties in any mechanism | 3") for row in figures), figures
        heads = [str(c.label) for c in table(app, "#figures").columns.values()]
        assert "2024-12" in heads and "Now" not in heads  # the values then, not now

        await pilot.press("t")  # a bad date: one line in the box, nothing changes
        await pilot.pause()
        app.screen.query_one("#at-input", Input).value = "2030"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AtDateScreen)
        error = str(app.screen.query_one("#at-error", Static).render())
        assert "'2030' is after today (2026-11-22)" in error
        await pilot.press("escape")
        assert app.at == "2024-12"

        await _set_date(pilot, "")  # empty: today again
        assert app.at is None
        assert "as at" not in str(app.screen.query_one(NavBar).render())
        assert "Now" in [str(c.label) for c in table(app, "#figures").columns.values()]
        await pilot.press("2")
        await settle(pilot)
        assert any("Moderate" in row for row in _cells(app, "#rows"))
