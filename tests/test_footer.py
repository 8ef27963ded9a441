"""The footer rebuilds its keys when what it shows changes, and only then."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.widgets import Label
from textual.widgets._footer import FooterKey

from screens.footer import KeyFooter


class Keys(App):
    BINDINGS = [Binding("s", "sort", "Sort"), Binding("x", "export", "Export")]
    exporting = True

    def compose(self):
        yield Label("body")
        yield KeyFooter()

    def check_action(self, action, parameters):
        return True if action != "export" else (True if self.exporting else None)


def keys(app) -> list[tuple[str, bool]]:
    return [(k.key, k.has_class("-disabled")) for k in app.screen.query(FooterKey)]


async def settle(pilot) -> None:
    """The footer rebuilds after the screen's next refresh: ask for one, wait a few frames."""
    pilot.app.screen.refresh()
    for _ in range(5):
        await pilot.pause(0.02)


async def test_the_same_keys_are_not_rebuilt_and_a_change_is_shown():
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        shown = list(app.screen.query(FooterKey))
        assert [k for k, _ in keys(app)][:2] == ["s", "x"]
        for _ in range(3):  # a focus moving, a table filled: the same keys
            app.refresh_bindings()
            await settle(pilot)
        assert list(app.screen.query(FooterKey)) == shown  # the same widgets, not rebuilt
        app.exporting = False
        app.refresh_bindings()
        await settle(pilot)
        assert ("x", True) in keys(app)  # the key shown disabled
        app.exporting = True
        app.refresh_bindings()
        await settle(pilot)
        assert ("x", False) in keys(app)
