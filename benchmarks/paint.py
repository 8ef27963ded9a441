"""Time a dashboard's first paint in a fresh process: `python paint.py MODE [DB CATALOG]`.

Prints JSON: seconds from process start (imports included) to the first painted frame,
to the data shown, and for a screen switch with its data. MODE is `minimal` (a header, a table, a footer) or
`tracker`.
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
        if sys.argv[1] == "tracker":
            start = time.perf_counter()
            await pilot.press("2")
            await app.workers.wait_for_complete()
            await pilot.pause()
            out["switch"] = time.perf_counter() - start
    return out


if __name__ == "__main__":
    application = minimal_app() if sys.argv[1] == "minimal" else tracker_app(*sys.argv[2:4])
    print(json.dumps(asyncio.run(measure(application))))
