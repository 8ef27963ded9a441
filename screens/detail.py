"""Detail: every field with its full history and provenance; members and criteria."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from tracker import criteria, queries, series
from tracker.reports import history_note, history_value
from tracker.text import clean, one_line
from tracker.store import Store

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import ROLE_STYLES, add_columns, cell, lines, valued
from screens.charts import ChartPanel
from screens.footer import KeyFooter
from screens.plain import Plain


CRITERION_STYLES = {"yes": "green", "partly": "yellow", "no": "red", "unknown": "dim"}


@dataclass
class Detail:
    indicator: dict | None
    fields: list[dict] = field(default_factory=list)
    row: queries.Row | None = None
    history: list[dict] = field(default_factory=list)
    ledger: dict | None = None
    entries: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    progress: str = ""
    category_title: str = ""
    criteria: object = None
    """The mechanism's six criteria and fit (tracker.criteria.MechanismCriteria), if any."""
    charts: list = field(default_factory=list)
    """Time-axis charts (tracker.series.Chart): the ledger's growth, then each field's."""


def progress(store: Store, indicator: dict) -> str:
    """Progress to entry into force, from the ledger and the treaty's rule."""
    if not indicator.get("entry_into_force"):
        return ""
    rule = json.loads(indicator["entry_into_force"])
    _, entries = queries.ledger(store.db, indicator["id"])
    ratified = {p for p, r in queries.current_parties(entries).items() if r == "ratified"}
    text = f"Entry into force: {len(ratified)} of {rule['ratifications']} ratifications"
    if rule.get("group"):
        members = queries.groups(store.db).get(rule["group"], {}).get("members", [])
        text += (f", {len(ratified & set(members))} of {rule['group_minimum']} from "
                 f"{rule['group']}")
    return text + f" (rule: {rule['source']})"


class DetailScreen(DataScreen):
    """One indicator in full."""

    AUTO_FOCUS = "#detail"
    """The page itself has the focus first, so the arrow and page keys scroll it all:
    current values, charts, History, members, events."""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("o", "open_source", "Open source"),
        Binding("tab", "app.focus_next", "Next table"),
    ]

    def __init__(self, indicator_id: str) -> None:
        super().__init__()
        self.indicator_id = indicator_id
        self.urls: dict[str, dict[str, str]] = {}

    def compose(self) -> ComposeResult:
        yield NavBar(self.app.current_mode)
        with VerticalScroll(id="detail"):
            yield Plain(id="title", classes="title")
            yield Plain(id="about")
            yield Plain(id="criteria-title", classes="section")
            yield Plain(id="criteria")
            yield Plain("Current values", classes="section")
            yield Plain(id="current")
            yield Vertical(id="plots")  # scrolled with the page, not on its own
            yield Plain("History", classes="section")
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
            yield Plain(id="preview", classes="preview")
            yield Plain(id="members-title", classes="section")
            yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
            yield Plain("Events", id="events-title", classes="section")
            yield DataTable(id="events", cursor_type="row")
        yield KeyFooter()

    def fetch(self, store: Store) -> Detail:
        ind = queries.indicator(store.db, self.indicator_id)
        if ind is None:
            return Detail(None)
        cats = {c["id"]: c for c in queries.categories(store.db, dropped=True)}
        [row] = queries.rows(store.db, ids=[self.indicator_id], retired=True)
        head, entries = queries.ledger(store.db, self.indicator_id)
        history = queries.history(store.db, self.indicator_id)
        today = self.app.today().isoformat()
        charts = [series.ledger_chart(store.db, self.indicator_id, today)]
        charts += [series.field_chart(history, f, today)
                   for f in cats[ind["category_id"]]["fields"]]
        return Detail(ind, cats[ind["category_id"]]["fields"], row, history, head, entries,
                      queries.events_for(store.db, self.indicator_id), progress(store, ind),
                      cats[ind["category_id"]]["title"],
                      criteria.load(store.db).get(self.indicator_id)
                      if ind["category_id"] == "mechanisms" else None,
                      [c for c in charts if c is not None])

    def show(self, data: Detail) -> None:
        if data.indicator is None:
            self.query_one("#title", Static).update(f"Unknown indicator {self.indicator_id}")
            return
        ind = data.indicator
        title = f"{ind['name']}  ·  {data.category_title}  ·  {ind['id']}"
        if ind["retired_at"]:
            title += f"  retired {ind['retired_at'][:10]}"
        self.query_one("#title", Static).update(clean(title))
        about = [ind["description"] or ""]
        if ind["aliases"]:
            about.append("Also known as: " + "; ".join(ind["aliases"]))
        if data.progress:
            about.append(data.progress)
        self.query_one("#about", Static).update(clean("\n".join(a for a in about if a)))
        self._criteria(data)
        self._current(data)
        self._plots(data)
        self._history(data)
        self._members(data)
        events = self.query_one("#events", DataTable)
        events.clear(columns=True)
        add_columns(events, self.size.width - 2, [("Date", None, 10), ("Event", None, 0),
                                                  ("Source", None, 0)])
        self.urls["events"] = {}
        for e in data.events:
            events.add_row(cell(e["date"]), cell(e["title"]), cell(e["source"]), key=e["id"])
            self.urls["events"][e["id"]] = e["source"]
        self.query_one("#events-title").display = bool(data.events)
        events.display = bool(data.events)

    def _criteria(self, data: Detail) -> None:
        """The essay's six criteria, each with its value, rationale and source, and the fit."""
        crit = data.criteria
        shown = crit is not None and crit.fit is not None
        self.query_one("#criteria-title").display = shown
        self.query_one("#criteria", Static).display = shown
        if not shown:
            return
        self.query_one("#criteria-title", Static).update(
            f"Essay criteria · fit {crit.fit.shown}")
        text = Text()
        for c in crit.criteria:
            text.append(f"{criteria.LABELS[c.key]}: ", style="bold")
            text.append(c.shown, style=CRITERION_STYLES.get(c.value, ""))
            text.append(f"  {c.confidence} confidence · {one_line(c.rationale)} · "
                        f"{one_line(c.source)}\n", "dim")
        text.append(f"Fit {crit.fit.shown}: {one_line(crit.fit.rationale)} (rules: docs/catalog.md)",
                    "italic")
        self.query_one("#criteria", Static).update(text)

    def _current(self, data: Detail) -> None:
        """Whole current values, wrapped: long text is never cut here."""
        text = Text()
        self.urls["current"] = {}
        for f in data.fields:
            cur = data.row.values.get(f["field"]) if data.row else None
            if cur is None:
                continue
            if text.plain:
                text.append("\n")
            text.append(f"{one_line(f['label'])}: ", style="bold")
            text.append_text(valued(cur.value, f))
            if cur.disputed_by:
                text.append(" (also reported: " + one_line("; ".join(cur.disputed_by)) + ")",
                            "dim")
            text.append(f"  {cur.as_of} · {cur.confidence} confidence · {one_line(cur.source)}",
                        "dim")
            if cur.note:
                text.append(f" · {one_line(cur.note)}", "dim italic")
        self.query_one("#current", Static).update(text)

    def _plots(self, data: Detail) -> None:
        """The ledger's growth and each field's history, on a time axis."""
        plots = self.query_one("#plots", Vertical)
        plots.remove_children()
        height = 12 if self.size.height >= 40 else 8
        # An ordinal scale gets one row per level (and the frame and dates): each level's
        # line sits on its own labelled row.
        plots.mount_all([ChartPanel(c, len(c.levels) + 3 if c.levels else height,
                                    classes="plot") for c in data.charts])
        plots.display = bool(data.charts)

    def _history(self, data: Detail) -> None:
        table = self.query_one("#history", DataTable)
        table.clear(columns=True)
        add_columns(table, self.size.width - 2, [
            ("As of", None, 10), ("Field", None, 12), ("Value", None, 0), ("Origin", None, 7),
            ("Conf.", None, 6), ("Source", None, 0), ("Note", None, 0)])
        labels = {f["field"]: f["label"] for f in data.fields}
        self.urls["history"] = {}
        for o in data.history:
            table.add_row(cell(o["as_of"]), cell(labels.get(o["field"], o["field"])),
                          cell(history_value(o)), cell(o["origin"]), cell(o["confidence"]),
                          cell(o["source"]), cell(history_note(o)), key=str(o["id"]))
            self.urls["history"][str(o["id"])] = o["source"]

    def _members(self, data: Detail) -> None:
        table = self.query_one("#members", DataTable)
        title = self.query_one("#members-title", Static)
        table.clear(columns=True)
        self.urls["members"] = {}
        shown = bool(data.entries or data.ledger)
        table.display = title.display = shown
        if not shown:
            return
        latest = queries.current_parties(data.entries)
        inside = sum(1 for r in latest.values() if r in queries.IN_ROLES)
        kind = "complete" if data.ledger and data.ledger["complete"] else "incomplete"
        note = f": {data.ledger['note']}" if data.ledger and data.ledger["note"] else ""
        title.update(clean(f"Members: {inside} participants, {kind} ledger{note}"))
        add_columns(table, self.size.width - 2, [
            ("Party", None, 9), ("Name", None, 0), ("Role", None, 8), ("Date", None, 10),
            ("Conf.", None, 6), ("Source", None, 0)])
        for e in data.entries:
            table.add_row(cell(e["party"]), cell(e["party_name"]),
                          cell(e["role"], ROLE_STYLES.get(e["role"], "")), cell(e["date"]),
                          cell(e["confidence"]), cell(e["source"]), key=str(e["id"]))
            self.urls["members"][str(e["id"])] = e["source"]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "history":
            return
        o = next((o for o in getattr(self, "loaded").history
                  if str(o["id"]) == event.row_key.value), None) if getattr(self, "loaded", None) \
            else None
        if o is not None:
            self.query_one("#preview", Static).update(lines(
                ("", f"{o['field']} as of {o['as_of']} · {o['origin']} · {o['confidence']} "
                     f"confidence · recorded {o['recorded_at']} · o opens the source"),
                ("Value", o["value"]), ("Source", o["source"]), ("Note", o["note"]),
                ("Author", o["author"])))

    def action_open_source(self) -> None:
        """Open the source of the highlighted row in a browser."""
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            self.notify("Press tab to reach a table, then highlight a row.", timeout=3)
            return
        key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
        url = self.urls.get(focused.id or "", {}).get(key or "", "")
        if url.startswith(("http://", "https://")):
            self.app.open_link(url)
        else:
            self.notify(f"No link: the source is {url or 'unknown'}.", timeout=3)
