"""Trends: every change in the window, better and worse coloured, flips marked."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Static

from tracker import trends
from tracker.ledger_changes import window_changes
from tracker.store import Store
from tracker.text import shorten

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import add_columns, cell, lines, trend


WIDE = 140
"""From this width the table also shows each change's confidence and source; below it they
are in the preview, and the note ("Why", cut with an ellipsis) keeps its place beside the
change."""


@dataclass
class Trends:
    since: str | None
    changes: list[trends.Change]


class TrendsScreen(DataScreen):
    """What changed, for better or worse."""

    def compose(self) -> ComposeResult:
        yield NavBar("trends")
        yield Static(id="trends-title", classes="section", markup=False)
        yield DataTable(id="changes", cursor_type="row", zebra_stripes=True)
        yield Static(id="preview", classes="preview", markup=False)
        yield Footer()

    def fetch(self, store: Store) -> Trends:
        since = trends.window_start(self.app.window, self.app.today())
        return Trends(since, window_changes(store.db, since))

    def show(self, data: Trends) -> None:
        counts = {d: sum(1 for c in data.changes if c.direction == d)
                  for d in ("better", "worse", "neutral", "changed")}
        flips = len({(c.indicator_id, c.field) for c in data.changes if c.flip})
        plural = "" if len(data.changes) == 1 else "s"
        since = data.since or "the first record"
        self.query_one("#trends-title", Static).update(
            f"{len(data.changes)} change{plural} since {since} (window {self.app.window}; w to "
            f"change) · {counts['better']} better, {counts['worse']} worse, "
            f"{counts['neutral']} neutral, {counts['changed']} text · {flips} flipped "
            "(moved both ways)" if data.changes else
            f"No changes dated since {since}: press w for a longer window")
        self.changes = {f"{i}|{c.indicator_id}": c for i, c in enumerate(data.changes)}
        table = self.query_one("#changes", DataTable)
        table.clear(columns=True)
        wide = self.size.width >= WIDE
        # The note ("Why") gets the largest share, so the reason stays beside the change.
        rest = max(48, self.size.width - 10 - 9 - 2 * 6 - 2 - (2 * 8 + 30 if wide else 0))
        name, change = rest * 3 // 10, rest // 4
        why = rest - name - change
        specs = [("As of", None, 10), ("Indicator · field", None, name),
                 ("Change", None, change), ("Trend", None, 9), ("Why", None, why)]
        if wide:
            specs[4:4] = [("Conf.", None, 6)]
            specs.append(("Source", None, 24))
        add_columns(table, self.size.width, specs)
        for key, c in self.changes.items():
            row = [cell(c.as_of), cell(f"{c.name} · {c.label}"), cell(f"{c.old} → {c.new}"),
                   trend(c.direction, c.flip), cell(shorten(c.note or "", why))]
            if wide:
                row[4:4] = [cell(c.confidence, "red" if c.confidence == "low" else "")]
                row.append(cell(c.source))
            table.add_row(*row, key=key)
        table.display = bool(data.changes)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        c = getattr(self, "changes", {}).get(event.row_key.value or "")
        if c is not None:
            self.query_one("#preview", Static).update(lines(
                ("", f"{c.name} · {c.label} · "
                     + (f"{c.old_as_of} → {c.as_of}" if c.old_as_of else c.as_of)),
                ("Change", Text.assemble(f"{c.old} → {c.new}  ", trend(c.direction, c.flip))),
                ("Why", c.note),
                ("Source", f"{c.source} ({c.confidence} confidence, {c.origin})")))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(event.row_key.value.split("|", 1)[1]))
