"""Trends: every change in the window, better and worse coloured, flips marked; filter
and sort."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from tracker import trends
from tracker.ledger_changes import window_changes
from tracker.store import Store
from tracker.text import one_line, shorten

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import add_columns, cell, lines, trend
from screens.sorting import ordered, rank
from screens.footer import KeyFooter
from screens.plain import Plain

SORTS = {
    "as_of": ("date", lambda c: rank(trends.pad(c.as_of), None)),
    "name": ("indicator", lambda c: rank(c.name, None)),
    "label": ("field", lambda c: rank(c.label, None)),
    "direction": ("trend", lambda c: rank(c.direction, {
        "scale_kind": "ordinal", "levels": ["worse", "changed", "neutral", "better"]})),
    "confidence": ("confidence", lambda c: rank(c.confidence, {
        "scale_kind": "ordinal", "levels": ["low", "medium", "high"]})),
}
"""What `s` sorts by, in turn: a name for the title and a sort key."""


def matches(change: trends.Change, needle: str) -> bool:
    """The change mentions ``needle`` (casefolded) in its names, values, source or note."""
    return any(needle in (text or "").casefold() for text in (
        change.name, change.indicator_id, change.label, change.old, change.new,
        change.source, change.note, change.direction))


WIDE = 140
"""From this width the table also shows each change's confidence and source; below it they
are in the preview, and the note ("Why", cut with an ellipsis) keeps its place beside the
change."""


@dataclass
class Trends:
    since: str | None
    changes: list[trends.Change]


def named(change, width: int) -> str:
    """``indicator · field`` in ``width`` columns: the indicator's name is cut first, so
    the field (or the party of a membership change) stays readable."""
    label = one_line(change.label)
    room = width - cell_len(label) - 3
    if room < 8:
        # Too narrow for both (a long name and a party's): the field keeps 14 columns, the
        # start of a party's name, so the rows of one ledger still tell apart; the
        # indicator has what is left, and the cell ends in "…" where the field is cut.
        room = max(4, width - 3 - min(cell_len(label), 14))
    return f"{shorten(change.name, room)} · {label}"


class TrendsScreen(DataScreen):
    """What changed, for better or worse."""

    AUTO_FOCUS = "#changes"
    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort", "Sort"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_column = "as_of"
        self.sort_reverse = True  # newest first
        self.data: Trends | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("trends")
        yield Plain(id="trends-title", classes="section")
        yield Input(placeholder="Filter names, values, sources (Esc clears)", id="filter")
        yield DataTable(id="changes", cursor_type="row", zebra_stripes=True)
        yield Plain(id="preview", classes="preview")
        yield KeyFooter()

    def fetch(self, store: Store) -> Trends:
        since = trends.window_start(self.app.window, self.app.today())
        return Trends(since, window_changes(store.db, since))

    def show(self, data: Trends) -> None:
        self.data = data
        self.draw()

    def draw(self) -> None:
        """Fill the table for the filter and the sort."""
        data = self.data
        if data is None:
            return
        needle = self.query_one("#filter", Input).value.strip().casefold()
        shown = [c for c in data.changes if matches(c, needle)] if needle else data.changes
        counts = {d: sum(1 for c in shown if c.direction == d)
                  for d in ("better", "worse", "neutral", "changed")}
        flips = len({(c.indicator_id, c.field) for c in shown if c.flip})
        plural = "" if len(shown) == 1 else "s"
        since = data.since or "the first record"
        name, key = SORTS[self.sort_column]
        order = f"by {name} {'▼' if self.sort_reverse else '▲'} (s)"
        matching = f" matching {needle!r}" if needle else ""
        self.query_one("#trends-title", Static).update(
            f"{len(shown)} change{plural}{matching} since {since} (window {self.app.window}; "
            f"w to change) · {counts['better']} better, {counts['worse']} worse, "
            f"{counts['neutral']} neutral, {counts['changed']} text · {flips} flipped "
            f"(moved both ways) · {order}" if shown else
            f"No changes{matching} dated since {since}: "
            + ("Esc clears the filter" if needle else "press w for a longer window"))
        self.changes = {f"{i}|{c.indicator_id}": c for i, c in enumerate(data.changes)}
        keys = {id(c): k for k, c in self.changes.items()}
        table = self.query_one("#changes", DataTable)
        table.clear(columns=True)
        wide = self.size.width >= WIDE
        # The note ("Why") gets the largest share, so the reason stays beside the change.
        # The width left for the three text columns: the screen's, less the fixed columns
        # (As of, Trend; when wide also Conf. and Source), two columns of padding each
        # and the table's edges, and the scrollbar.
        fixed = 10 + 9 + (6 + 24 if wide else 0)
        rest = max(48, self.size.width - fixed - 2 * (7 if wide else 5) - 2 - 2)
        name, change = rest * 3 // 10, rest // 4
        # What a column does not need goes to the others: the changes' own text first,
        # then the note.
        need_name = max([17, *(cell_len(one_line(f"{c.name} · {c.label}")) for c in shown)])
        need_change = max([6, *(cell_len(one_line(f"{c.old} → {c.new}")) for c in shown)])
        spare = max(0, change - need_change)
        change -= spare
        name = min(need_name, name + spare)
        why = rest - name - change
        specs = [("As of", None, 10), ("Indicator · field", None, name),
                 ("Change", None, change), ("Trend", None, 9), ("Why", None, why)]
        if wide:
            specs[4:4] = [("Conf.", None, 6)]
            specs.append(("Source", None, 24))
        add_columns(table, self.size.width, specs)
        for c in ordered(shown, key, self.sort_reverse):
            row = [cell(c.as_of), cell(named(c, name)), cell(f"{c.old} → {c.new}"),
                   trend(c.direction, c.flip), cell(shorten(c.note or "", why))]
            if wide:
                row[4:4] = [cell(c.confidence, "red" if c.confidence == "low" else "")]
                row.append(cell(c.source))
            table.add_row(*row, key=keys[id(c)])
        table.display = bool(shown)
        preview = self.query_one("#preview", Static)
        preview.display = bool(shown)
        if not shown:
            preview.update("")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.input.set_class(bool(event.value), "active")
        self.draw()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#changes", DataTable).focus()

    def action_filter(self) -> None:
        """Focus the filter box."""
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        """Empty the filter and go back to the table."""
        self.query_one("#filter", Input).value = ""
        self.query_one("#changes", DataTable).focus()

    def action_sort(self) -> None:
        """Sort by the next column (each first one way, then the other)."""
        columns = list(SORTS)
        first_reverse = lambda c: c == "as_of"  # noqa: E731 - dates newest first
        if self.sort_reverse == first_reverse(self.sort_column):
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column = columns[(columns.index(self.sort_column) + 1) % len(columns)]
            self.sort_reverse = first_reverse(self.sort_column)
        self.draw()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        c = getattr(self, "changes", {}).get(event.row_key.value or "")
        if c is not None:
            self.query_one("#preview", Static).update(lines(
                ("", f"{c.name} · {c.label} · "
                     + (f"{c.old_as_of} → {c.as_of}" if c.old_as_of else c.as_of)),
                ("Change", Text.assemble(f"{one_line(c.old)} → {one_line(c.new)}  ",
                                          trend(c.direction, c.flip))),
                ("Why", c.note),
                ("Source", f"{c.source} ({c.confidence} confidence, {c.origin})")))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(event.row_key.value.split("|", 1)[1]))
