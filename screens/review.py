"""Review: fetched values waiting for an analyst; accept or reject each (confirmed with a
second key press), logged; a rejection made here can be undone."""

from __future__ import annotations

import getpass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tracker import review as queue
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.text import count

from screens.base import DataScreen
from screens.cells import add_columns, cell, lines
from screens.faults import log, one_line
from screens.nav import NavBar
from screens.footer import KeyFooter
from screens.plain import Plain


class ReviewScreen(DataScreen):
    """The review queue."""

    AUTO_FOCUS = "#proposals"
    BINDINGS = [
        Binding("a", "decide(True)", "Accept"),
        Binding("x", "decide(False)", "Reject"),
        Binding("u", "reopen", "Undo reject"),
        Binding("escape", "cancel", "Cancel", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.armed: tuple[int, bool] | None = None
        """The decision asked for once: (proposal id, accept); the same key again confirms."""
        self.rejected: list[int] = []
        """Proposals rejected here, newest last: `u` reopens them in turn."""

    def compose(self) -> ComposeResult:
        yield NavBar("review")
        yield Plain(id="review-title", classes="section")
        yield DataTable(id="proposals", cursor_type="row", zebra_stripes=True)
        yield Plain(id="preview", classes="preview")
        yield KeyFooter()

    def fetch(self, store: Store) -> list[dict]:
        return queue.pending(store)

    def show(self, rows: list[dict]) -> None:
        self.rows = {str(p["id"]): p for p in rows}
        self.query_one("#review-title").remove_class("confirm")
        self.query_one("#review-title", Static).update(
            f"{count(len(rows), 'proposal')} waiting for review · "
            "a accepts, x rejects (each asks once more)" if rows else
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
        self.action_cancel()
        p = getattr(self, "rows", {}).get(event.row_key.value or "")
        if p:
            self.query_one("#preview", Static).update(lines(
                ("", queue.describe(p)), ("Why", p["reason"]), ("From", p["source_url"]),
                ("Note", p["note"]), ("Fetched", f"{p['created_at']} (run {p['run_id']})")))

    def action_decide(self, accept: bool) -> None:
        """Ask to accept or reject the highlighted proposal; the same key again does it."""
        table = self.query_one("#proposals", DataTable)
        if table.row_count == 0:
            self.notify("Nothing to review.", timeout=2)
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        p = self.rows[key]
        if self.armed != (p["id"], accept):
            self.armed = (p["id"], accept)
            verb, again = ("Accept", "a") if accept else ("Reject", "x")
            self.query_one("#review-title", Static).update(
                f"{verb} {p['id']}: {queue.describe(p)}? Press {again} again to "
                f"{verb.lower()}, Esc to cancel.")
            self.query_one("#review-title").add_class("confirm")
            return
        self.armed = None
        self._decide(p["id"], accept)

    def action_cancel(self) -> None:
        """Forget a decision asked for once."""
        if self.armed is not None:
            self.armed = None
            self.show(list(self.rows.values()))

    def action_reopen(self) -> None:
        """Put the last proposal rejected here back in the queue."""
        if not self.rejected:
            self.notify("No rejection to undo here (tracker review reopen ID reopens any).",
                        timeout=4)
            return
        self._reopen(self.rejected.pop())

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def _decide(self, proposal_id: int, accept: bool) -> None:
        def run(store: Store) -> str:
            p = queue.decide(store, proposal_id, accept, getpass.getuser())
            if accept:
                return f"Accepted {proposal_id}: {queue.describe(p)}"
            self.rejected.append(proposal_id)
            return f"Rejected {proposal_id}: {queue.describe(p)} · u undoes"
        self._write(proposal_id, run)

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def _reopen(self, proposal_id: int) -> None:
        self._write(proposal_id, lambda store: (
            f"Reopened {proposal_id}: {queue.describe(queue.reopen(store, proposal_id))}"))

    def _write(self, proposal_id: int, run) -> None:
        """Run one decision with its own connection (in a worker); say how it went."""
        try:
            store = Store.open(self.app.store_path, clock=self.app.clock, create=False)
            try:
                message = run(store)
            finally:
                store.close()
        except TrackerError as exc:
            message = exc.message
        except Exception as exc:  # noqa: BLE001 - said in one line, logged, survived
            log.exception("review of proposal %s", proposal_id)
            message = f"Could not record it: {one_line(exc)}"
        self.app.call_later(self.notify, message, timeout=6)
        self.app.call_later(self.app.reload_all)
