"""Review: fetched values waiting for an analyst; accept or reject each, logged."""

from __future__ import annotations

import getpass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from tracker import review as queue
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.text import count

from screens.base import DataScreen
from screens.cells import add_columns, cell, lines
from screens.nav import NavBar


class ReviewScreen(DataScreen):
    """The review queue."""

    AUTO_FOCUS = "#proposals"
    BINDINGS = [
        Binding("a", "decide(True)", "Accept"),
        Binding("x", "decide(False)", "Reject"),
    ]

    def compose(self) -> ComposeResult:
        yield NavBar("review")
        yield Static(id="review-title", classes="section", markup=False)
        yield DataTable(id="proposals", cursor_type="row", zebra_stripes=True)
        yield Static(id="preview", classes="preview", markup=False)
        yield Footer()

    def fetch(self, store: Store) -> list[dict]:
        return queue.pending(store)

    def show(self, rows: list[dict]) -> None:
        self.rows = {str(p["id"]): p for p in rows}
        self.query_one("#review-title", Static).update(
            f"{count(len(rows), 'proposal')} waiting for review · a accepts, x rejects" if rows else
            "Nothing is waiting for review: fetched values from manual sources, and values "
            "that contradict curated ones, appear here.")
        table = self.query_one("#proposals", DataTable)
        table.clear(columns=True)
        add_columns(table, self.size.width, [("ID", None, 5), ("Proposal", None, 0),
                                             ("Why", None, 0), ("Source", None, 16)])
        for key, p in self.rows.items():
            table.add_row(cell(p["id"]), cell(queue.describe(p)), cell(p["reason"]),
                          cell(p["source_id"]), key=key)
        table.display = bool(rows)
        self.query_one("#preview").display = bool(rows)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        p = getattr(self, "rows", {}).get(event.row_key.value or "")
        if p:
            self.query_one("#preview", Static).update(lines(
                ("", queue.describe(p)), ("Why", p["reason"]), ("From", p["source_url"]),
                ("Note", p["note"]), ("Fetched", f"{p['created_at']} (run {p['run_id']})")))

    def action_decide(self, accept: bool) -> None:
        """Accept or reject the highlighted proposal."""
        table = self.query_one("#proposals", DataTable)
        if table.row_count == 0:
            self.notify("Nothing to review.", timeout=2)
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self._decide(int(key), accept)

    @work(thread=True, exclusive=True, group="review")
    def _decide(self, proposal_id: int, accept: bool) -> None:
        store = Store.open(self.app.store_path, clock=self.app.clock)
        try:
            p = queue.decide(store, proposal_id, accept, getpass.getuser())
            message = f"{p['status'].capitalize()} {proposal_id}: {queue.describe(p)}"
        except TrackerError as exc:
            message = exc.message
        finally:
            store.close()
        self.app.call_from_thread(self.notify, message, timeout=4)
        self.app.call_from_thread(self.app.reload_all)
