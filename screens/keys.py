"""The `?` panel: the screen's own keys first, then the dashboard's, then the cursor keys.

Textual's panel lists the focused widget's keys first (a table's cursor keys fill it at
80x24 and push the screen's keys below the fold); this one only changes the order.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import HelpPanel, Markdown
from textual.widgets._key_panel import BindingsTable, KeyPanel


def _ours(node) -> set[str]:
    """The actions the dashboard's own classes bind on ``node`` (not Textual's)."""
    actions = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("screens."):
            for binding in cls.__dict__.get("BINDINGS", []):
                actions.add(binding.action if hasattr(binding, "action") else binding[1])
    return actions


def screen_first(screen) -> list:
    """The screen's active bindings: the screen's own, the dashboard's, then the rest
    (moving the focus, cursor keys, quitting)."""
    own, app = _ours(screen), _ours(screen.app)

    def order(active) -> int:
        if active.node is screen and active.binding.action in own:
            return 0
        if active.node is screen.app and active.binding.action in app:
            return 1
        return 2
    return sorted(screen.active_bindings.values(), key=order)


class ScreenKeysTable(BindingsTable):
    """Textual's table of keys, in :func:`screen_first` order."""

    def render_bindings_table(self) -> Table:
        key_style = self.get_component_rich_style("bindings-table--key")
        description_style = self.get_component_rich_style("bindings-table--description")
        table = Table(padding=(0, 0), show_header=False, box=box.SIMPLE,
                      border_style=self.get_component_rich_style("bindings-table--divider"))
        table.add_column("", justify="right")
        for _, group in groupby(screen_first(self.screen), key=lambda b: b.node):
            actions: defaultdict[str, list] = defaultdict(list)
            for active in group:
                if not active.binding.system:
                    actions[active.binding.action].append(active.binding)
            if not actions:
                continue
            for bindings in actions.values():
                keys = " ".join(dict.fromkeys(self.app.get_key_display(b) for b in bindings))
                # One line per action: the shortest description, no tooltip.
                text = min((b.description for b in bindings), key=len)
                table.add_row(Text(keys, style=key_style),
                              Text(text, style=description_style, end=""))
            table.add_section()
        return table


class ScreenKeyPanel(KeyPanel):
    def compose(self) -> ComposeResult:
        yield ScreenKeysTable(shrink=True, expand=False)


class KeysPanel(HelpPanel):
    """The help panel with :class:`ScreenKeyPanel`."""

    def compose(self) -> ComposeResult:
        yield Markdown(id="widget-help")
        yield ScreenKeyPanel(id="keys-help")
