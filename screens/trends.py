"""Trends: every change in the window, better and worse coloured, flips marked."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from tracker import trends
from tracker.store import Store

from screens.base import DataScreen
from screens.cells import add_columns, cell, trend


@dataclass
class Trends:
    since: str | None
    changes: list[trends.Change]


class TrendsScreen(DataScreen):
    """What changed, for better or worse."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="trends-title", classes="section", markup=False)
        yield DataTable(id="changes", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def fetch(self, store: Store) -> Trends:
        since = trends.window_start(self.app.window, self.app.today())
        return Trends(since, trends.changes(store.db, since))

    def show(self, data: Trends) -> None:
        counts = {d: sum(1 for c in data.changes if c.direction == d)
                  for d in ("better", "worse", "neutral", "changed")}
        flips = len({(c.indicator_id, c.field) for c in data.changes if c.flip})
        self.query_one("#trends-title", Static).update(
            f"{len(data.changes)} changes since {data.since or 'the first record'} "
            f"(window {self.app.window}; w to change) · {counts['better']} better, "
            f"{counts['worse']} worse, {counts['neutral']} neutral, {counts['changed']} "
            f"text · {flips} flips")
        table = self.query_one("#changes", DataTable)
        table.clear(columns=True)
        add_columns(table, self.size.width, [
            ("As of", None, 10), ("Indicator", None, 0), ("Field", None, 12), ("From", None, 0),
            ("To", None, 0), ("Trend", None, 10), ("Source", None, 0)])
        for i, c in enumerate(data.changes):
            table.add_row(cell(c.as_of), cell(c.name), cell(c.label), cell(c.old),
                          cell(c.new), trend(c.direction, c.flip), cell(c.source),
                          key=f"{i}|{c.indicator_id}")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(event.row_key.value.split("|", 1)[1]))
