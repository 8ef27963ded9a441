"""Sources: the health of each declared source, kept apart from the data it feeds."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tracker.store import Store
from tracker.text import count

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import add_columns, cell, lines
from screens.footer import KeyFooter
from screens.plain import Plain

STATUS_STYLES = {"ok": "green", "stale": "yellow", "never run": "dim"}


class SourcesScreen(DataScreen):
    """Where refreshes come from, and whether they are working."""

    def compose(self) -> ComposeResult:
        yield NavBar("sources")
        yield Plain(id="sources-title", classes="section")
        yield DataTable(id="sources", cursor_type="row", zebra_stripes=True)
        yield Plain(id="preview", classes="preview")
        yield KeyFooter()

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
        self.rows = {r["id"]: r for r in rows}
        id_width = min(28, max([6, *(len(r["id"]) for r in rows)]))
        narrow = self.size.width < 120
        # At 80 columns Kind and Last success give way to the error and the URL; the
        # preview below shows every field of the highlighted source in full.
        specs = [("Source", None, id_width), ("Status", None, 9), ("Fails", None, 5),
                 ("Last error", None, 0), ("URL", None, 0)]
        if not narrow:
            specs[1:1] = [("Kind", None, 16)]
            specs[3:3] = [("Last success", None, 16)]
        add_columns(table, self.size.width, specs)
        for r in rows:
            status = r["state"]
            values = [cell(r["id"]), cell(status, STATUS_STYLES.get(status, "red")),
                      cell(r["consecutive_failures"] or 0), cell(r["last_error"] or ""),
                      cell(r["url"])]
            if not narrow:
                values[1:1] = [cell(r["kind"])]
                values[3:3] = [cell(_when(r["last_success"]))]
            table.add_row(*values, key=r["id"])
        table.display = bool(rows)
        preview = self.query_one("#preview", Static)
        preview.display = bool(rows)
        if not rows:
            preview.update("")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        r = getattr(self, "rows", {}).get(event.row_key.value or "")
        if r is not None:
            self.query_one("#preview", Static).update(lines(
                ("", f"{r['id']} · {r['kind']} · {r['state']} · last success "
                     f"{_when(r['last_success']) or 'never'} · "
                     f"{r['consecutive_failures'] or 0} failures in a row"),
                ("Error", r["last_error"]), ("URL", r["url"])))


def _when(timestamp: str | None) -> str:
    return (timestamp or "")[:16].replace("T", " ")
