"""Trends: every change in the window, better and worse coloured, flips marked."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Static

from tracker import trends
from tracker.ledger_changes import window_changes
from tracker.store import Store

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import add_columns, cell, lines, trend


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
        add_columns(table, self.size.width, [
            ("As of", None, 10), ("Indicator", None, 0), ("Field", None, 12), ("From", None, 0),
            ("To", None, 0), ("Trend", None, 10), ("Conf.", None, 6), ("Source", None, 0)])
        for key, c in self.changes.items():
            table.add_row(cell(c.as_of), cell(c.name), cell(c.label), cell(c.old),
                          cell(c.new), trend(c.direction, c.flip),
                          cell(c.confidence, "red" if c.confidence == "low" else ""),
                          cell(c.source), key=key)
        table.display = bool(data.changes)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        c = getattr(self, "changes", {}).get(event.row_key.value or "")
        if c is not None:
            self.query_one("#preview", Static).update(lines(
                ("", f"{c.name} · {c.label} · "
                     + (f"{c.old_as_of} → {c.as_of}" if c.old_as_of else c.as_of)),
                ("From", c.old), ("To", c.new), ("Trend", trend(c.direction, c.flip)),
                ("Source", f"{c.source} ({c.confidence} confidence, {c.origin})"),
                ("Note", c.note)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(event.row_key.value.split("|", 1)[1]))
