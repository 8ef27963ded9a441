"""Overview: headline figures over the window, the latest changes, and the store's health."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from tracker import headline, series, trends
from tracker.ledger_changes import window_changes
from tracker.store import Store
from tracker.text import one_line

from screens.base import DataScreen
from screens.nav import NavBar
from screens.cells import add_columns, cell, lines, trend
from screens.footer import KeyFooter
from screens.plain import Plain

LATEST = 200
"""How many of the newest changes the overview lists (the table fills the rows it has and
scrolls for the rest)."""


@dataclass
class Overview:
    since: str | None
    figures: list
    changes: list
    status: str
    baseline: str | None = None
    """The date the figures are compared with: the window's start, or for ``all`` the day
    before the first dated record (so every figure says how it grew from nothing)."""
    charts: list = field(default_factory=list)
    """The headline figures over the window (tracker.series.Chart)."""

TALL = 40
"""From this many rows the charts sit above the latest changes; below, ``c`` swaps them."""


def first_record(store: Store) -> str | None:
    """The day before the earliest dated value or ledger entry, as YYYY-MM-DD."""
    import datetime as dt

    dates = [d for (d,) in store.conn.execute(
        "SELECT min(as_of) FROM observations UNION ALL SELECT min(date) FROM memberships")
        if d]
    if not dates:
        return None
    first = dt.date.fromisoformat(min(trends.pad(d) for d in dates))
    return (first - dt.timedelta(days=1)).isoformat()


def status_line(store: Store) -> str:
    """Source health, last refresh and pending reviews, in one line."""
    db = store.conn  # plain SQL: the Overview needs no sqlite-utils (it costs its import)
    from tracker.source_health import health as source_health

    states = [r["state"] for r in source_health(store)]
    if states:
        src = (f"Sources: {states.count('ok')} ok, {states.count('stale')} stale, "
               f"{states.count('failing')} failing, {states.count('never run')} never run")
    else:
        src = "Sources: none declared"
    last = db.execute("SELECT kind, finished_at FROM runs WHERE kind = 'refresh' AND "
                      "finished_at IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone() or \
        db.execute("SELECT kind, finished_at FROM runs WHERE finished_at IS NOT NULL "
                   "ORDER BY id DESC LIMIT 1").fetchone()
    refreshed = f"last {last[0]} {last[1][:16].replace('T', ' ')}" if last and last[1] \
        else "never refreshed"
    pending = db.execute("SELECT count(*) FROM proposals WHERE status = 'pending'").fetchone()[0] \
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                      "name = 'proposals'").fetchone() else 0
    newest = db.execute("SELECT max(as_of) FROM observations").fetchone()[0] or "none"
    return f"Data as of {newest} · {src} · {refreshed} · {pending} pending reviews"


class OverviewScreen(DataScreen):
    """The state of coordination at a glance."""

    BINDINGS = [Binding("c", "toggle_charts", "Charts")]
    charts_shown = False
    """On a short terminal: the charts instead of the latest changes."""

    def compose(self) -> ComposeResult:
        yield NavBar("overview")
        with Vertical(id="overview"):
            yield Plain(id="status")
            yield Plain("Headline figures", id="figures-title", classes="section")
            yield DataTable(id="figures", cursor_type="row", zebra_stripes=True)
            yield Horizontal(id="headline-charts")
            yield Plain("Latest changes", id="latest-title", classes="section")
            yield DataTable(id="latest", cursor_type="row", zebra_stripes=True)
            yield Plain(id="preview", classes="preview")
        yield KeyFooter()

    def fetch(self, store: Store) -> Overview:
        since = trends.window_start(self.app.window, self.app.today())
        baseline = since or first_record(store)
        today = self.app.today().isoformat()
        # The connection, not store.db: these reads use execute() only, and the first
        # screen then shows its data without importing sqlite-utils.
        db = store.conn
        reads = headline.Reads(db)  # the figures and their charts read the store once
        return Overview(since, headline.figures(db, baseline, reads),
                        window_changes(db, since, limit=LATEST), status_line(store),
                        baseline, series.headline_charts(db, today, since, reads=reads))

    def show(self, data: Overview) -> None:
        start = data.since or "the first record"
        self.query_one("#status", Static).update(data.status)
        self.query_one("#figures-title", Static).update(
            f"Headline figures (then: {start}; enter: what a figure counts)")
        figures = self.query_one("#figures", DataTable)
        figures.clear(columns=True)
        width = self.size.width
        at = getattr(self.app, "at", None)
        now = at or "Now"  # viewing a past date (t): the values then, headed by that date
        now_width = max([len(now), *(len(f.value_text) for f in data.figures)])
        label_width = max([6, *(len(f.label) for f in data.figures)])
        wide = width >= 100
        before = (f"On {data.baseline}" if data.baseline else "Before") if wide else "Then"
        add_columns(figures, width, [("Figure", None, 0, label_width),
                                     (now, None, now_width), ("Caveat", None, 10),
                                     (before, None, max(13, len(before)) if wide else 5),
                                     ("Trend", None, 10 if wide else 5)])
        for f in data.figures:
            move = trend(f.direction)
            figures.add_row(cell(f.label), cell(f.value_text),
                            cell(f.flags, "yellow" if f.flags else ""),
                            cell("" if f.before is None else f.before),
                            move[:1] if width < 100 else move, key=f.id)
        self.figures = {f.id: f for f in data.figures}
        self.query_one("#latest-title", Static).update(
            f"Latest changes since {start} (window {self.app.window}; w to change)"
            if data.changes else f"No changes dated since {start}: press w for a longer window")
        self.changes = {f"{c.indicator_id}|{c.field}|{c.as_of}|{c.party or ''}": c for c in data.changes}
        latest = self.query_one("#latest", DataTable)
        latest.clear(columns=True)
        # Each text column as wide as its longest value where the terminal has room: a
        # party's name in Field or a long indicator name is not cut while Now has spare.
        need = lambda texts, least: max([least, *(cell_len(one_line(t)) for t in texts)])  # noqa: E731
        add_columns(latest, width, [
            ("As of", None, 10), ("Indicator", None, 0, need((c.name for c in data.changes), 9)),
            ("Field", None, 0, need((c.label for c in data.changes), 5)),
            (now, None, 0, need((c.new for c in data.changes), len(now))),
            ("Trend", None, 10)])
        for c in data.changes:
            latest.add_row(cell(c.as_of), cell(c.name), cell(c.label), cell(c.new),
                           trend(c.direction, c.flip),
                           key=f"{c.indicator_id}|{c.field}|{c.as_of}|{c.party or ''}")
        latest.display = bool(data.changes)
        preview = self.query_one("#preview", Static)
        preview.display = bool(data.changes)
        if not data.changes:
            preview.update("")
        self._charts(data)

    def _charts(self, data: Overview) -> None:
        """The headline figures over the window, side by side: above the latest changes on
        a tall terminal, instead of them (``c``) on a short one."""
        box = self.query_one("#headline-charts", Horizontal)
        box.remove_children()
        tall = self.size.height >= TALL
        shown = bool(data.charts) and (tall or self.charts_shown)
        box.display = shown
        for widget in ("#latest-title", "#latest", "#preview"):
            self.query_one(widget).display = (tall or not shown) and (
                widget == "#latest-title" or bool(data.changes))
        box.styles.height = "auto" if tall else "1fr"
        if shown:
            from screens.charts import ChartPanel  # plotext: imported when a chart shows

            box.mount_all([ChartPanel(c, 10 if tall else None, classes="headline-chart")
                           for c in data.charts])

    def action_toggle_charts(self) -> None:
        """Swap the latest changes for the charts of the headline figures (short terminals)."""
        if self.size.height >= TALL:
            self.notify("The charts are shown above the latest changes.", timeout=3)
            return
        self.charts_shown = not self.charts_shown
        if getattr(self, "loaded", None) is not None:
            self._charts(self.loaded)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        figure = getattr(self, "figures", {}).get(event.row_key.value or "")
        if event.data_table.id == "figures" and figure is not None:
            self.query_one("#preview", Static).update(lines(
                ("", f"{figure.label}: {figure.text} · enter lists what it counts"),
                ("Counts", figure.note)))
            return
        change = getattr(self, "changes", {}).get(event.row_key.value or "")
        if event.data_table.id == "latest" and change is not None:
            # One line each, cut with "…" where too long: the Source line always shows
            # (enter opens the whole history).
            self.query_one("#preview", Static).update(lines(
                ("", f"{change.name} · {change.label} · {change.as_of} · "
                     f"{change.confidence} confidence"),
                ("Source", change.source),
                ("From", change.old), ("To", change.new), ("Why", change.note)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "figures" and event.row_key.value:
            from screens.explain import ExplainScreen

            self.app.push_screen(ExplainScreen(event.row_key.value))
        elif event.data_table.id == "latest" and event.row_key.value:
            from screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(event.row_key.value.split("|")[0]))
