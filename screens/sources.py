"""Sources: the health of each declared source, kept apart from the data it feeds."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Static

from tracker.store import Store
from tracker.text import count

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import add_columns, cell

STATUS_STYLES = {"ok": "green", "stale": "yellow", "never run": "dim"}


class SourcesScreen(DataScreen):
    """Where refreshes come from, and whether they are working."""

    def compose(self) -> ComposeResult:
        yield NavBar("sources")
        yield Static(id="sources-title", classes="section", markup=False)
        yield DataTable(id="sources", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def fetch(self, store: Store) -> list[dict]:
        from tracker.source_health import health

        return health(store)

    def show(self, rows: list[dict]) -> None:
        title = self.query_one("#sources-title", Static)
        title.update(f"{count(len(rows), 'declared source')} · r refreshes them" if rows else
                     "No sources are declared in the catalog, so nothing is fetched; "
                     "values come from the catalog and from analysts (tracker set).")
        table = self.query_one("#sources", DataTable)
        table.clear(columns=True)
        id_width = min(28, max([6, *(len(r["id"]) for r in rows)]))
        add_columns(table, self.size.width, [
            ("Source", None, id_width), ("Kind", None, 16), ("Status", None, 9),
            ("Last success", None, 16), ("Fails", None, 5), ("Last error", None, 0),
            ("URL", None, 0)])
        for r in rows:
            status = r["state"]
            table.add_row(cell(r["id"]), cell(r["kind"]),
                          cell(status, STATUS_STYLES.get(status, "red")),
                          cell((r["last_success"] or "")[:16].replace("T", " ")),
                          cell(r["consecutive_failures"] or 0),
                          cell(r["last_error"] or ""), cell(r["url"]), key=r["id"])
        table.display = bool(rows)
