"""What a headline figure counts: every item behind it, with its source and confidence."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tracker import headline, trends
from tracker.store import Store
from tracker.text import clean

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import add_columns, cell, lines
from screens.footer import KeyFooter
from screens.plain import Plain


@dataclass
class Explained:
    figure: headline.Figure | None


class ExplainScreen(DataScreen):
    """One headline figure: count or floor, confidence, and the list behind it."""

    AUTO_FOCUS = "#items"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"),
                Binding("o", "open_source", "Open source")]

    def __init__(self, figure_id: str) -> None:
        super().__init__()
        self.figure_id = figure_id
        self.urls: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield NavBar(self.app.current_mode)
        with Vertical(id="explain"):
            yield Plain(id="figure-title", classes="title")
            yield Plain(id="figure-note")
            yield Plain(id="items-title", classes="section")
            yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
            yield Plain(id="item", classes="preview")
        yield KeyFooter()

    def fetch(self, store: Store) -> Explained:
        since = trends.window_start(self.app.window, self.app.today())
        found = {f.id: f for f in headline.figures(store.db, since)}
        return Explained(found.get(self.figure_id))

    def show(self, data: Explained) -> None:
        f = data.figure
        if f is None:
            self.query_one("#figure-title", Static).update(f"Unknown figure {self.figure_id}")
            return
        kind = "a floor" if f.kind == headline.FLOOR else "a count"
        self.query_one("#figure-title", Static).update(f"{f.label}: {f.text} · {kind}")
        self.query_one("#figure-note", Static).update(clean(f.note))
        counted = sum(i.counted for i in f.items)
        unknown = sum(i.unknown for i in f.items)
        self.query_one("#items-title", Static).update(
            f"What it counts: {counted} counted, {unknown} unknown, "
            f"{len(f.items) - counted - unknown} not counted (o opens a source)")
        table = self.query_one("#items", DataTable)
        table.clear(columns=True)
        rows = headline.explain(f)
        id_width = max([4, *(len(r[0]) for r in rows)])
        add_columns(table, self.size.width - 2, [
            ("ID", None, min(id_width, max(12, self.size.width // 4))), ("Counts", None, 8), ("Why", None, 0), ("Conf.", None, 6),
            ("Source", None, 0)])
        self.urls = {}
        self.rows = {}
        for n, row in enumerate(rows):
            key = f"{n}:{row[0]}"
            table.add_row(cell(row[0]), cell(row[2]), cell(row[3]), cell(row[4]),
                          cell(row[5]), key=key)
            self.urls[key] = row[5]
            self.rows[key] = row

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = getattr(self, "rows", {}).get(event.row_key.value or "")
        if row is not None:
            self.query_one("#item", Static).update(lines(
                ("", f"{row[0]}" + (f" · {row[1]}" if row[1] else "") + f" · {row[2]}"),
                ("Why", row[3]), ("Source", f"{row[5]} ({row[4]} confidence)"
                                  if row[5] else "")))

    def action_open_source(self) -> None:
        """Open the highlighted item's source in a browser."""
        table = self.query_one("#items", DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        url = self.urls.get(key, "")
        if url.startswith(("http://", "https://")):
            self.app.open_link(url)
        else:
            self.notify("No source for this item.", timeout=3)
