"""Participation: parties against mechanisms, a glyph per role, filter by group, sort."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tracker import queries
from tracker.store import Store
from tracker.text import count, one_line

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import ROLE_GLYPHS, ROLE_STYLES, cell, lines
from screens.footer import KeyFooter
from screens.plain import Plain

PINNED = ("USA", "CHN")


_DROP = {"declaration", "statement", "network", "commitments", "of", "the", "on", "for",
         "conduct", "report", "group"}
_ABBREVIATIONS = {"international": "Intl", "ministerial": "Min.", "frontier": "Frontier"}
_UPPER = {"g7", "ai", "un", "eu", "cets", "gpai", "aisi", "haip", "reaim", "waico", "oecd",
          "unga", "nc3", "laws", "us"}


def short_label(mechanism_id: str, name: str) -> str:
    """A column header made from the mechanism's id: ``seoul-ministerial-statement`` ->
    ``Seoul Min.``, ``cets-225`` -> ``CETS 225``; at most 12 wide."""
    words = []
    for token in mechanism_id.split("-"):
        if token in _DROP:
            continue
        word = token.upper() if token in _UPPER else _ABBREVIATIONS.get(token, token.title())
        if len(" ".join([*words, word])) > 12:
            break
        words.append(word)
    return " ".join(words) or one_line(name)[:12]


def short_labels(mechanisms: list[tuple[str, str]]) -> dict[str, str]:
    """Column headers, one per mechanism, never two alike: where two would read the same
    (``reaim-blueprint`` and ``reaim-pathways`` both give ``REAIM``), each takes the start of
    its next word, cut with an ellipsis (``REAIM Blue…``, ``REAIM Path…``)."""
    from collections import Counter

    labels = {mid: short_label(mid, name) for mid, name in mechanisms}
    seen = Counter(labels.values())
    for mid, name in mechanisms:
        label = labels[mid]
        if seen[label] < 2:
            continue
        words = [t for t in mid.split("-") if t not in _DROP]
        rest = words[len(label.split()):]
        if not rest:  # its whole id already shows: the other one gets the longer header
            continue
        room = max(4, 12 - len(label) - 1)
        labels[mid] = f"{label} {rest[0].title()[:room - 1]}…" if len(rest[0]) > room \
            else f"{label} {rest[0].title()}"
    return labels


@dataclass
class Matrix:
    mechanisms: list[tuple[str, str]]
    roles: dict[str, dict[str, str]]
    """party -> mechanism -> latest role"""
    names: dict[str, str]
    groups: dict[str, list[str]]
    group_names: dict[str, str]
    companies: set[str]


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
        yield NavBar("participation")
        yield Plain(id="matrix-title", classes="section")
        # The party and its count stay in view while the cursor moves right.
        yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True, fixed_columns=2)
        yield Plain(id="preview", classes="preview")
        yield Plain(id="legend")
        yield KeyFooter()

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
        found = queries.groups(store.db)
        groups = {g: v["members"] for g, v in found.items()}
        companies = {r[0] for r in store.db.execute(
            "SELECT code FROM parties WHERE kind = 'company'")}
        return Matrix(mechanisms, roles, names, groups,
                      {g: v["name"] for g, v in found.items()}, companies)

    def show(self, data: Matrix) -> None:
        self.data = data
        self.draw()

    def draw(self) -> None:
        """Fill the matrix for the chosen group and order."""
        data = self.data
        if data is None:
            return
        # Companies sign commitments, not treaties: they are left out of the parties' matrix.
        parties = [p for p in data.roles if p not in data.companies]
        if self.group != "all":
            members = set(data.groups.get(self.group, []))
            parties = sorted(set(parties) | members)
            parties = [p for p in parties if p in members]
        counts = {p: sum(1 for r in data.roles.get(p, {}).values() if r in queries.IN_ROLES)
                  for p in parties}
        name = lambda p: data.names.get(p, p).casefold()  # noqa: E731
        if self.by_count:
            parties.sort(key=lambda p: (-counts[p], name(p)))
        else:
            parties.sort(key=name)
        pinned = [p for p in PINNED if p in parties]
        parties = pinned + [p for p in parties if p not in PINNED]
        self.mechanism_names = dict(data.mechanisms)
        table = self.query_one("#matrix", DataTable)
        table.clear(columns=True)
        table.add_column(Text("Party"), key="party", width=24)
        table.add_column(Text("In"), key="count", width=3)
        labels = short_labels(data.mechanisms)
        for mid, _ in data.mechanisms:
            table.add_column(Text(one_line(labels[mid])), key=mid)
        for p in parties:
            style = "bold" if p in PINNED else ""
            glyphs = []
            for mid, _ in data.mechanisms:
                role = data.roles.get(p, {}).get(mid, "")
                glyphs.append(cell(ROLE_GLYPHS.get(role, "·"), ROLE_STYLES.get(role, "dim")))
            table.add_row(cell(f"{data.names.get(p, p)} ({p})", style), cell(counts[p]),
                          *glyphs, key=p)
        order = "by number of mechanisms" if self.by_count else "by name"
        group = "all parties" if self.group == "all" else \
            f"{self.group}: {data.group_names.get(self.group, self.group)}"
        first = " · " + " and ".join(pinned) + " first" if pinned else ""
        self.query_one("#matrix-title", Static).update(
            f"{count(len(parties), 'party', 'parties')} × {count(len(data.mechanisms), 'mechanism')} with ledgers · {group} "
            f"(g) · {order} (s){first}")
        self.query_one("#legend", Static).update(
            "R ratified  S signed  E endorsed  M member  o observer  ✗ declined  W withdrew  "
            "· none recorded. Ledgers may be incomplete. Enter: the mechanism, or the party's "
            "profile.")

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

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if self.data is None:
            return
        party = event.cell_key.row_key.value or ""
        column = event.cell_key.column_key.value or ""
        name = self.data.names.get(party, party)
        if column in ("party", "count"):
            self.query_one("#preview", Static).update(lines(("", f"{name} ({party})")))
            return
        role = self.data.roles.get(party, {}).get(column, "no role recorded")
        self.query_one("#preview", Static).update(lines(
            ("", f"{name} ({party}) · {self.mechanism_names.get(column, column)}: {role}")))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        column = event.cell_key.column_key.value
        if column in ("party", "count"):
            from screens.party import PartyScreen

            self.app.push_screen(PartyScreen(event.cell_key.row_key.value or ""))
            return
        if column not in ("party", "count"):
            from screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(column))
