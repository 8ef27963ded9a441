"""Calendar: coming events with countdowns, and the past timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tracker.dates import is_coming
from tracker.store import Store
from tracker.text import shorten
from tracker.trends import pad

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import add_columns, cell, lines
from screens.footer import KeyFooter
from screens.plain import Plain


@dataclass
class Calendar:
    today: dt.date
    coming: list[dict]
    past: list[dict]


def countdown(date: str, today: dt.date) -> str:
    """"in 10 days", "in about 5 months", "in 2027" for partial dates."""
    start = dt.date.fromisoformat(pad(date))
    days = (start - today).days
    if len(date) == 4:
        return f"in {date}" if start.year > today.year else "this year"
    if len(date) == 7:
        months = (start.year - today.year) * 12 + start.month - today.month
        return "this month" if months <= 0 else f"in about {months} months"
    return "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"


class CalendarScreen(DataScreen):
    """What is coming, and what happened."""

    def compose(self) -> ComposeResult:
        yield NavBar("calendar")
        with Vertical():
            yield Plain(id="coming-title", classes="section")
            yield DataTable(id="coming", cursor_type="row", zebra_stripes=True)
            yield Plain("Timeline (newest first)", classes="section")
            yield DataTable(id="past", cursor_type="row", zebra_stripes=True)
        yield Plain(id="preview", classes="preview")
        yield KeyFooter()

    def fetch(self, store: Store) -> Calendar:
        today = self.app.today()
        events = list(store.db.query(
            "SELECT * FROM events WHERE retired_at IS NULL ORDER BY date, id"))
        # A partial date counts as coming until its period ends: "2027" is coming all 2026;
        # an event with an outcome (even "outcome not recorded") is never coming.
        coming = [e for e in events if is_coming(e, today)]
        past = [e for e in reversed(events) if not is_coming(e, today)]
        return Calendar(today, coming, past)

    def show(self, data: Calendar) -> None:
        self.query_one("#coming-title", Static).update(
            f"Coming events ({len(data.coming)}) from {data.today.isoformat()}")
        coming = self.query_one("#coming", DataTable)
        coming.clear(columns=True)
        width = self.size.width
        add_columns(coming, width, [("Date", None, 10), ("When", None, 18), ("Event", None, 0),
                                    ("Kind", None, 16)])
        for e in data.coming:
            coming.add_row(cell(e["date"]), cell(countdown(e["date"], data.today), "bold"),
                           cell(e["title"]), cell(e["kind"]), key=e["id"])
        past = self.query_one("#past", DataTable)
        past.clear(columns=True)
        widths = add_columns(past, width, [("Date", None, 10), ("Event", None, 0),
                                           ("Outcome", None, 0), ("Kind", None, 12)])
        for e in data.past:
            past.add_row(cell(e["date"]), cell(e["title"]),
                         cell(shorten(e.get("outcome") or "", widths[2])),
                         cell(e["kind"]), key=e["id"])
        self.events = {e["id"]: e for e in data.coming + data.past}

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        e = getattr(self, "events", {}).get(event.row_key.value or "")
        if e is not None:
            when = e["date"] + (f" to {e['end_date']}" if e.get("end_date") else "")
            self.query_one("#preview", Static).update(lines(
                ("", f"{e['title']} · {when} · {e['kind']}"), ("Outcome", e.get("outcome")),
                ("Source", f"{e['source']} ({e['confidence']} confidence)"),
                ("Note", e.get("note"))))

