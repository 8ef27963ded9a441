"""Participation: parties against mechanisms, a glyph per role, filter by group, sort."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from tracker import queries
from tracker.store import Store

from screens.base import DataScreen
from screens.cells import ROLE_GLYPHS, ROLE_STYLES, cell

PINNED = ("USA", "CHN")
"""Parties listed first, so the US and China are easy to find."""


@dataclass
class Matrix:
    mechanisms: list[tuple[str, str]]
    roles: dict[str, dict[str, str]]
    """party -> mechanism -> latest role"""
    names: dict[str, str]
    groups: dict[str, list[str]]


class ParticipationScreen(DataScreen):
    """Who takes part in what."""

    BINDINGS = [
        Binding("g", "next_group", "Group"),
        Binding("s", "toggle_sort", "Sort"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Matrix | None = None
        self.group = "all"
        self.by_count = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="matrix-title", classes="section", markup=False)
        yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True)
        yield Static(id="legend", markup=False)
        yield Footer()

    def fetch(self, store: Store) -> Matrix:
        mechanisms, roles = [], {}
        for row in queries.rows(store.db, "mechanisms"):
            _, entries = queries.ledger(store.db, row.id)
            if not entries:
                continue
            mechanisms.append((row.id, row.name))
            for party, role in queries.current_parties(entries).items():
                roles.setdefault(party, {})[row.id] = role
        names = dict(store.db.execute("SELECT code, name FROM parties").fetchall())
        groups = {g: v["members"] for g, v in queries.groups(store.db).items()}
        return Matrix(mechanisms, roles, names, groups)

    def show(self, data: Matrix) -> None:
        self.data = data
        self.draw()

    def draw(self) -> None:
        """Fill the matrix for the chosen group and order."""
        data = self.data
        if data is None:
            return
        parties = list(data.roles)
        if self.group != "all":
            members = set(data.groups.get(self.group, []))
            parties = [p for p in data.groups.get(self.group, [])] + \
                [p for p in parties if p in members and p not in data.groups[self.group]]
        counts = {p: sum(1 for r in data.roles.get(p, {}).values() if r in queries.IN_ROLES)
                  for p in parties}
        if self.by_count:
            parties.sort(key=lambda p: (-counts[p], p))
        else:
            parties.sort(key=lambda p: data.names.get(p, p))
        parties = [p for p in PINNED if p in parties] + [p for p in parties if p not in PINNED]
        table = self.query_one("#matrix", DataTable)
        table.clear(columns=True)
        table.add_column("Party", key="party")
        table.add_column("In", key="count")
        for mid, _ in data.mechanisms:
            table.add_column(mid[:12], key=mid)
        for p in parties:
            style = "bold" if p in PINNED else ""
            glyphs = []
            for mid, _ in data.mechanisms:
                role = data.roles.get(p, {}).get(mid, "")
                glyphs.append(cell(ROLE_GLYPHS.get(role, "·"), ROLE_STYLES.get(role, "dim")))
            table.add_row(cell(f"{data.names.get(p, p)} ({p})", style), cell(counts[p]),
                          *glyphs, key=p)
        order = "by number of mechanisms" if self.by_count else "by name"
        self.query_one("#matrix-title", Static).update(
            f"{len(parties)} parties × {len(data.mechanisms)} mechanisms with ledgers · group "
            f"{self.group} (g) · {order} (s) · US and China first")
        self.query_one("#legend", Static).update(
            "R ratified  S signed  E endorsed  M member  o observer  ✗ declined  W withdrew  "
            "· none recorded. Ledgers may be incomplete (see each mechanism's detail).")

    def action_next_group(self) -> None:
        """Show all parties, then each group in turn."""
        if self.data is None:
            return
        names = ["all", *sorted(self.data.groups)]
        self.group = names[(names.index(self.group) + 1) % len(names)]
        self.draw()

    def action_toggle_sort(self) -> None:
        """Sort by number of mechanisms, or by name."""
        self.by_count = not self.by_count
        self.draw()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        column = event.cell_key.column_key.value
        if column not in ("party", "count"):
            from screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(column))
