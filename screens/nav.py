"""The top bar: the product's name and the screens, the current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SCREENS = (("1", "overview", "Overview"), ("2", "tables", "Tables"), ("3", "trends", "Trends"),
           ("4", "participation", "Parties"), ("5", "calendar", "Calendar"),
           ("6", "sources", "Sources"), ("7", "review", "Review"))
"""Key, mode and label of each peer screen, in order."""


class NavBar(Static):
    """`tracker  1 Overview  2 Tables ...`: where you are and how to get elsewhere."""

    DEFAULT_CSS = """
    NavBar {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self, current: str) -> None:
        super().__init__(markup=False)
        self.current = current

    def on_mount(self) -> None:
        self.draw()
        if hasattr(type(self.app), "at"):
            self.watch(self.app, "at", lambda _: self.draw(), init=False)

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        """The bar for the current width: the product's name only where there is room."""
        text = Text()
        if self.app.size.width >= 90:
            text.append("tracker  ", style="bold")
        for i, (key, mode, label) in enumerate(SCREENS):
            if i:
                text.append("  ")
            text.append(f"{key} ", style="bold")
            text.append(label, style="reverse bold" if mode == self.current else "")
        at = getattr(self.app, "at", None)
        lines = 1
        if at:  # the date being viewed (`t`): at the end of the bar, or under it if narrow
            room = self.app.size.width - 2 - text.cell_len
            if room >= len(at) + 8:
                text.append("  as at ", style="bold")
            else:
                text.append("\nas at ", style="bold")
                lines = 2
            text.append(at, style="reverse bold")
        self.styles.height = lines
        self.update(text)
