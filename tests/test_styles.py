"""The dashboard's stylesheet is parsed again only when its sources or variables change."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen
from textual.widgets import Label

from screens.styles import KeptStylesheet


class Main(Screen):
    def compose(self):
        yield Label("main")


class Other(Screen):
    def compose(self):
        yield Label("other", id="other")


class Styled(App):
    CSS = "Label { color: $foreground; }"
    MODES = {"main": Main, "other": Other}
    DEFAULT_MODE = "main"

    def __init__(self):
        super().__init__()
        self.stylesheet = KeptStylesheet(variables=self.get_css_variables())
        self.parses = 0
        reparse = KeptStylesheet.reparse

        def counted(sheet):
            before = sheet._rules
            reparse(sheet)
            self.parses += sheet._rules is not before
        self.stylesheet.reparse = lambda: counted(self.stylesheet)


async def test_a_new_mode_keeps_the_rules_and_a_theme_parses_again():
    app = Styled()
    async with app.run_test() as pilot:
        await pilot.pause()
        start = app.parses
        app.switch_mode("other")  # no new CSS, yet Textual asks for a full parse, twice
        await pilot.pause()
        label = app.screen.query_one("#other", Label)
        assert app.parses == start  # nothing changed: the rules are kept
        dark = label.styles.color
        app.theme = "textual-light"  # new variables: parsed again, the colour follows
        await pilot.pause()
        assert app.parses > start
        assert label.styles.color != dark
