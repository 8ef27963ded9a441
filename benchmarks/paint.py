"""Time a dashboard's first paint in a fresh process: `python paint.py MODE [DB CATALOG]`.

Prints JSON: seconds from process start (imports included) to the first painted frame,
to the data shown, and for a screen switch (key 2, Tables) with its data. MODE is `minimal`
(a header, a table, a footer), `tracker DB CATALOG`, or `floor DB SINCE`: a minimal app
showing the Overview's latest changes, and on 2 the Tables screen's category list and
first table, read with `sqlite3` (`floors.overview_rows`, `table_floor.first_table`). The
tracker and the floor also print what those show, for the suite to check equal.
"""

import time

T0 = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402


def minimal_app():
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Minimal(App):
        def compose(self):
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self):
            table = self.query_one(DataTable)
            table.add_columns("Name", "Value", "As of")
            for i in range(20):
                table.add_row(f"Row {i}", str(i), "2026-01-01")

    return Minimal()


LATEST = ("As of", "Indicator", "Field", "Now", "Trend")


def floor_app(db: str, since: str):
    import sqlite3
    from pathlib import Path

    from textual.app import App
    from textual.containers import Horizontal
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header, OptionList

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import floors
    import table_floor

    def read(fn):
        conn = sqlite3.connect(db)
        try:
            return fn(conn)
        finally:
            conn.close()

    class TableFloor(Screen):
        """The Tables screen's floor: the category list and the first table."""

        def compose(self):
            yield Header()
            with Horizontal():
                yield OptionList(id="categories")
                yield DataTable(id="rows")
            yield Footer()

        def on_mount(self):
            self.run_worker(self.load, thread=True)

        def load(self):
            shown = read(lambda conn: (table_floor.categories(conn),
                                       table_floor.first_table(conn, since)))
            self.app.call_from_thread(self.show_rows, *shown)

        def show_rows(self, categories, rows):
            self.query_one(OptionList).add_options([title for _, title in categories])
            table = self.query_one(DataTable)
            table.add_columns(*(f"c{i}" for i in range(len(rows[0]) if rows else 0)))
            for row in rows:
                table.add_row(*row)

    class Floor(App):
        BINDINGS = [("2", "tables", "Tables")]

        def compose(self):
            yield Header()
            yield DataTable(id="latest")
            yield Footer()

        def on_mount(self):
            self.query_one(DataTable).add_columns(*LATEST)
            self.run_worker(self.load, thread=True)

        def load(self):
            rows = read(lambda conn: floors.overview_rows(conn, since, 200))
            self.call_from_thread(self.show_rows, rows)

        def show_rows(self, rows):
            table = self.query_one(DataTable)
            for row in rows:
                table.add_row(*row)

        def action_tables(self):
            self.push_screen(TableFloor())

    return Floor()


def shown_rows(screen, selector: str = "#latest") -> list[list[str]]:
    """The rows of a screen's table, as plain text."""
    table = screen.query_one(selector)
    return [[str(getattr(c, "plain", c)) for c in table.get_row_at(i)]
            for i in range(table.row_count)]


def shown_tables(screen) -> dict:
    """The Tables screen's category list and table, as plain text."""
    options = screen.query_one("#categories")
    return {"categories": [str(options.get_option_at_index(i).prompt)
                           for i in range(options.option_count)],
            "rows": shown_rows(screen, "#rows")}


def tracker_app(db: str, catalog: str):
    from screens.app import TrackerApp
    from tracker.store import Store

    def load():
        from tracker.catalog import load_catalog

        return load_catalog(catalog)

    return TrackerApp(Store.open(db), load)


async def measure(app) -> dict:
    """First paint is the moment the app receives Textual's Ready event, which the screen
    posts right after it composites its first frame."""
    from textual import events

    out = {}

    def hook(message) -> None:
        if isinstance(message, events.Ready) and "paint" not in out:
            out["paint"] = time.perf_counter() - T0

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["data"] = time.perf_counter() - T0
        if sys.argv[1] in ("tracker", "floor"):
            out["rows"] = shown_rows(app.screen)
        if sys.argv[1] in ("tracker", "floor"):
            start = time.perf_counter()
            await pilot.press("2")
            await app.workers.wait_for_complete()
            await pilot.pause()
            out["switch"] = time.perf_counter() - start
            out["tables"] = shown_tables(app.screen)
    return out


if __name__ == "__main__":
    application = {"minimal": minimal_app, "tracker": tracker_app,
                   "floor": floor_app}[sys.argv[1]](*sys.argv[2:4])
    print(json.dumps(asyncio.run(measure(application))))
