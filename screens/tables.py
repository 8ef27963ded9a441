"""Tables: one per category, current values coloured by scale, trend arrows, filter and sort."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from tracker import queries, trends
from tracker.store import Store
from tracker.text import one_line

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import add_columns, cell, lines, valued
from screens.sorting import BLANK, RANKED, ordered, rank
from screens.footer import KeyFooter
from screens.plain import Plain


@dataclass
class Table:
    """One category's table as read: its rows, each field's latest move, and fits."""

    rows: list[queries.Row]
    moves: dict[tuple[str, str], str]
    fits: dict[str, str] = field(default_factory=dict)
    """Each mechanism's fit to the essay's criteria (``*``: provisional); only for the
    mechanisms table."""


@dataclass
class Tables:
    categories: list[dict]
    tables: dict[str, Table]
    """The tables read so far, by category id: the one shown first, then each one the
    first time it is chosen (what the screen reads follows what it shows)."""


def read_table(db, category: str, since: str | None) -> Table:
    """A category's :class:`Table` from ``db`` (a store's reader or ``Database``): its
    indicators' current values, each field's latest move since ``since``, and for the
    mechanisms each one's fit."""
    from tracker.newest import latest_moves

    moves = latest_moves(db, since, category=category)  # a few rows per field shown
    fits = {}
    if category == "mechanisms":
        from tracker import criteria

        fits = {m: c.fit.level + ("*" if c.fit.provisional else "")
                for m, c in criteria.load(db).items() if c.fit}
    return Table(queries.rows(db, category), moves, fits)


def sort_key(field: dict | None, row: queries.Row, column: str):
    """How a row sorts on a column: a :func:`screens.sorting.rank` pair."""
    if column == "name":
        return rank(row.name, None)
    if column == "as_of":
        return rank(trends.pad(row.as_of) if row.as_of else "", None)
    current = row.values.get(column)
    if current is None:
        return rank(None, field)
    return rank((field or {}).get("synonyms", {}).get(current.value, current.value), field)


def scale_width(field: dict, rows: list[queries.Row]) -> int:
    """The width a scale's column needs: its label, or its longest value and an arrow."""
    values = [r.values[field["field"]].value for r in rows if field["field"] in r.values]
    return max([len(field["label"]), *(len(v) + 2 for v in values)])


FIT_ORDER = ("", "weak", "partial", "strong")


class TablesScreen(DataScreen):
    """The research page's tables, the domains and the mechanisms, with current values."""

    AUTO_FOCUS = "#rows"

    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort", "Sort"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("left_square_bracket", "category(-1)", "Prev table"),
        Binding("right_square_bracket", "category(1)", "Next table"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Tables | None = None
        self.category = ""
        self.sort_column = "name"
        self.sort_reverse = False
        self.sort_touched = False
        self.reading: set[str] = set()
        """Categories whose table is being read."""

    def compose(self) -> ComposeResult:
        yield NavBar("tables")
        with Horizontal():
            yield OptionList(id="categories", markup=False)
            with Vertical(id="table-pane"):
                yield Plain(id="table-title", classes="section")
                yield DataTable(id="rows", cursor_type="row", zebra_stripes=True)
                yield Plain(id="preview", classes="preview")
        yield KeyFooter()

    def fetch(self, store: Store) -> Tables:
        since = trends.window_start(self.app.window, self.app.today())
        db = store.reader  # stdlib reads: no sqlite-utils import on the way to the table
        categories = queries.categories(db)
        ids = [c["id"] for c in categories]
        if getattr(self.app, "at", None):
            wanted = ids  # a past date is one copy of the store: read every table from it
        else:
            wanted = [self.category if self.category in ids else ids[0]] if ids else []
        return Tables(categories, {c: read_table(db, c, since) for c in wanted})

    def show(self, data: Tables) -> None:
        self.data = data
        self.reading = set()
        options = self.query_one("#categories", OptionList)
        listed = [(c["id"], one_line(c["title"])) for c in data.categories]
        ids = [i for i, _ in listed]
        if self.category not in ids:  # first shown, or its category gone from the catalog
            if self.category:
                self.notify(f"The table {self.category!r} is no longer in the catalog; "
                            "showing the first.", timeout=6, markup=False)
            self.category = ids[0] if ids else ""
            self.sort_column, self.sort_reverse = "name", False
        if [(o.id, str(o.prompt)) for o in options.options] != listed:
            # The catalog changed (another process synced it): the list follows, and the
            # table in view stays, with its sort and filter.
            with options.prevent(OptionList.OptionHighlighted):
                options.clear_options()
                options.add_options([Option(title, id=i) for i, title in listed])
                if ids:
                    options.highlighted = ids.index(self.category)
        self.draw()

    @property
    def table(self) -> Table | None:
        """The shown category's table, once read."""
        return self.data.tables.get(self.category) if self.data is not None else None

    def _read_table(self, category: str) -> None:
        """Read a category's table in a worker; :meth:`draw` shows it when it is in."""
        if category in self.reading:
            return
        self.reading.add(category)
        self._load_table(self.data, category,
                         trends.window_start(self.app.window, self.app.today()))

    @work(thread=True, group="table", exit_on_error=False)
    def _load_table(self, data: Tables, category: str, since: str | None) -> None:
        table = self.read(lambda store: read_table(store.reader, category, since))
        self.call_later(self._table_loaded, data, category, table)

    def _table_loaded(self, data: Tables, category: str, table: Table | None) -> None:
        """A table read (None: the read failed, said on the screen; choosing the table
        again reads it again)."""
        if data is not self.data:
            return  # the store was read again meanwhile; draw() asks for what it lacks
        self.reading.discard(category)
        if table is None:
            if category == self.category:
                cat = next(c for c in data.categories if c["id"] == category)
                self.query_one("#table-title", Static).update(
                    f"{one_line(cat['title'])} · not read (choose it again to retry, "
                    "ctrl+r reads every screen again)")
            return
        self.failed(None)  # the store reads again
        data.tables[category] = table
        if category == self.category:
            self.draw()

    def draw(self) -> None:
        """Fill the table for the chosen category, filter and sort."""
        if self.data is None:
            return
        cat = next((c for c in self.data.categories if c["id"] == self.category), None)
        if cat is None:
            return
        part = self.table
        if part is None:  # chosen for the first time: read it, show it when it is in
            self.query_one("#rows", DataTable).clear(columns=True)
            self.query_one("#preview", Static).update("")
            self.query_one("#table-title", Static).update(f"{one_line(cat['title'])} · reading…")
            self._read_table(cat["id"])
            return
        needle = self.needle
        rows = part.rows
        if needle:
            rows = [r for r in rows if needle in r.name.casefold() or needle in r.id
                    or any(needle in v.value.casefold() for v in r.values.values())]
        fields = {f["field"]: f for f in cat["fields"]}
        fit = cat["id"] == "mechanisms"
        if fit and self.sort_column == "fit":
            def fit_rank(r) -> tuple[int, int]:
                level = part.fits.get(r.id, "").rstrip("*")
                return (RANKED, FIT_ORDER.index(level)) if level in FIT_ORDER[1:] else (BLANK, 0)

            rows = ordered(rows, fit_rank, self.sort_reverse)
        else:
            rows = ordered(rows, lambda r: sort_key(fields.get(self.sort_column), r,
                                                    self.sort_column), self.sort_reverse)
        if self.sort_column not in fields and self.sort_column not in ("name", "as_of") \
                and not (fit and self.sort_column == "fit"):
            self.sort_column = "name"
        table = self.query_one("#rows", DataTable)
        table.clear(columns=True)
        specs = [("Name", "name", 0)] + ([("Fit", "fit", 8)] if fit else [])
        for f in cat["fields"]:
            specs.append((f["label"], f["field"], 0, None if f["scale_kind"] == "text" else
                          scale_width(f, rows)))
        specs += [("As of", "as_of", 10), ("Conf.", "confidence", 6)]
        add_columns(table, (table.size.width or self.size.width - 22) - 2, specs)
        for r in rows:
            values = []
            for f in cat["fields"]:
                cur = r.values.get(f["field"])
                values.append(valued(cur.value, f, part.moves.get((r.id, f["field"])))
                              if cur else cell(""))
            # The row's weakest confidence: a row is as sure as its least sure value.
            confidence = max((v.confidence for v in r.values.values()),
                             key=("high", "medium", "low").index, default="")
            extra = [cell(part.fits.get(r.id, ""))] if fit else []
            table.add_row(cell(r.name), *extra, *values, cell(r.as_of), cell(confidence),
                          key=r.id)
        if not rows:  # nothing matches: no stale preview of a row that is not shown
            self.query_one("#preview", Static).update("")
        order = "▼" if self.sort_reverse else "▲"
        shown = f"{len(rows)} row{'' if len(rows) == 1 else 's'}" + \
            (f" matching {needle!r}" if needle else "")
        label = next((f["label"] for f in cat["fields"] if f["field"] == self.sort_column),
                     self.sort_column.replace("_", " "))
        self.query_one("#table-title", Static).update(
            f"{one_line(cat['title'])} · {shown} · sorted by {label} {order} · window {self.app.window}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.category:
            self.category = event.option.id
            self.sort_column, self.sort_reverse = "name", False
            self.draw()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.input.set_class(bool(event.value), "active")
        self.draw()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#rows", DataTable).focus()

    @property
    def needle(self) -> str:
        """The filter's text, casefolded ("" until the filter box is first opened)."""
        boxes = self.query("#filter")
        return boxes.first(Input).value.strip().casefold() if boxes else ""

    async def action_filter(self) -> None:
        """Focus the filter box (made the first time it is asked for: hidden while it is
        empty and unfocused, it costs the screen's opening nothing until then)."""
        boxes = self.query("#filter")
        if boxes:
            boxes.first(Input).focus()
            return
        box = Input(placeholder="Filter names and values (Esc clears)", id="filter")
        await self.query_one("#table-pane").mount(box, after="#table-title")
        box.focus()

    def action_clear_filter(self) -> None:
        """Empty the filter and go back to the table."""
        for box in self.query("#filter").results(Input):
            box.value = ""
        self.query_one("#rows", DataTable).focus()

    def action_category(self, step: int) -> None:
        """Show the previous or next table."""
        options = self.query_one("#categories", OptionList)
        if options.option_count:
            options.highlighted = ((options.highlighted or 0) + step) % options.option_count

    def action_sort(self) -> None:
        """Sort by the next column (then the same one descending)."""
        if self.data is None:
            return
        cat = next(c for c in self.data.categories if c["id"] == self.category)
        columns = ["name", *[f["field"] for f in cat["fields"]], "as_of"]
        if not self.sort_reverse:
            self.sort_reverse = True
        else:
            index = columns.index(self.sort_column) if self.sort_column in columns else 0
            self.sort_column = columns[(index + 1) % len(columns)]
            self.sort_reverse = False
        self.draw()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key == "confidence":
            return
        self.sort_reverse = not self.sort_reverse if key == self.sort_column else False
        self.sort_column = key
        self.draw()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        part = self.table
        if part is None:
            return
        row = next((r for r in part.rows if r.id == event.row_key.value), None)
        cat = next((c for c in self.data.categories if c["id"] == self.category), None)
        if row is None or cat is None:
            return
        pairs = [("", f"{row.name} ({row.id}) · enter for its history")]
        if row.id in part.fits:
            pairs.append(("Fit", part.fits[row.id].replace("*", " (provisional)")
                          + " to the essay's six criteria"))
        for f in cat["fields"]:
            cur = row.values.get(f["field"])
            if cur:
                extra = f" (also reported: {'; '.join(cur.disputed_by)})" if cur.disputed_by \
                    else ""
                pairs.append((f["label"], f"{cur.value}{extra} · {cur.as_of}, "
                                          f"{cur.confidence} confidence"))
        self.query_one("#preview", Static).update(lines(*pairs))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(event.row_key.value))
