"""A screen whose data is read in a thread worker, so the dashboard never waits on disk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tracker.store import Store
from tracker.text import clean

from screens.faults import log, one_line


def nowhere(message) -> bool:
    """A table's cursor message that names no row: Textual posts one when `end` or
    `pagedown` moves the cursor of an empty table to row -1. There is nothing to show."""
    if isinstance(message, (DataTable.RowHighlighted, DataTable.RowSelected)):
        return message.row_key is None
    if isinstance(message, (DataTable.CellHighlighted, DataTable.CellSelected)):
        return message.cell_key.row_key is None or message.cell_key.column_key is None
    return False


class DataScreen(Screen):
    """Loads its data with :meth:`fetch` in a worker, then shows it with :meth:`show`."""

    def on_mount(self) -> None:
        self.app.data_screens.append(self)
        # Paint the screen first, then read: a heavy read never delays the first frame.
        self.call_after_refresh(self.reload)

    unread = False
    """The last read of the screen's data failed: it is read again when the screen is
    shown again (as well as on ctrl+r and on the next change to the store)."""

    def on_screen_resume(self) -> None:
        if self in self.app.stale or self.unread:
            self.app.stale.discard(self)
            self.reload()

    async def _dispatch_message(self, message) -> None:
        # A fault in one of the screen's handlers is said and logged; the screen goes on
        # (left to Textual, it would stop the app).
        if nowhere(message):
            return
        try:
            await super()._dispatch_message(message)
        except Exception as error:  # noqa: BLE001
            self.app.survive(error)

    def reload(self) -> None:
        """Read the store again (after a refresh, or a new window)."""
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        data = self.read(self.fetch)
        if data is None:
            self.unread = True
        else:
            self.call_later(self._loaded, data)

    def read(self, fetch: Callable[[Store], Any]) -> Any:
        """``fetch(store)`` on a connection of its own, to the store as it stands or, viewing
        a past date (``t``), as it stood then. Runs in a worker thread. A failure is said
        on the screen and logged, and gives None."""
        try:
            store = Store.open(self.app.store_path, clock=self.app.clock, create=False)
            try:
                at = getattr(self.app, "at", None)
                if at:  # the store as it stood then (`t`), read like today's
                    from tracker.at import store_at

                    past = store_at(store, at)
                    try:
                        return fetch(past)
                    finally:
                        past.close()
                return fetch(store)
            finally:
                store.close()
        except Exception as exc:  # noqa: BLE001 - shown on the screen, the app goes on
            log.exception("reading %s for %s", self.app.store_path, type(self).__name__)
            self.call_later(self.failed, f"Could not read the store: {one_line(exc)}")
            return None

    def _loaded(self, data: Any) -> None:
        self.unread = False
        self.failed(None)
        kept = keep_cursors(self)
        self.loaded = data
        self.shown_width = self.size.width
        self.show(data)
        kept()

    def failed(self, message: str | None) -> None:
        """Show ``message`` as one line under the bar (and once as a notification), or
        remove the line (None). The rest of the screen keeps what it showed last."""
        lines = self.query("#load-error")
        if message is None:
            lines.remove()
            return
        if lines:
            line = lines.first(Static)
            if str(line.render()) == clean(message):
                return  # already said: no new notification for the same fault
            line.update(clean(message))
        else:
            line = Static(clean(message), id="load-error", classes="load-error", markup=False)
            from screens.nav import NavBar

            bars = self.query(NavBar)
            if bars:
                self.mount(line, after=bars.first())
            else:
                self.mount(line, before=0)
        self.notify(message, severity="error", timeout=8, markup=False)

    def on_resize(self) -> None:
        # Column widths follow the terminal: redraw when the width really changed.
        if getattr(self, "loaded", None) is not None and \
                self.size.width != getattr(self, "shown_width", None):
            self.shown_width = self.size.width
            self.show(self.loaded)

    def fetch(self, store: Store) -> Any:
        """Read what the screen shows (runs in a worker thread with its own connection)."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        """Put ``data`` on the screen (runs on the app's thread)."""
        raise NotImplementedError


def keep_cursors(screen: Screen) -> Callable[[], None]:
    """Note where each table's cursor is; the returned function puts it back (on the same
    row if it is still there, else at the same position) after the tables are refilled."""
    marks = []
    for table in screen.query(DataTable):
        if not table.row_count:
            continue
        coordinate = table.cursor_coordinate
        try:
            key = table.coordinate_to_cell_key(coordinate).row_key
        except Exception:  # noqa: BLE001 - no cell there: nothing to keep
            continue
        marks.append((table, key, coordinate, table.scroll_offset))

    def restore() -> None:
        for table, key, coordinate, scroll in marks:
            if not table.row_count:
                continue
            try:
                row = table.get_row_index(key)
            except Exception:  # noqa: BLE001 - the row is gone: stay at the same place
                row = min(coordinate.row, table.row_count - 1)
            column = min(coordinate.column, max(len(table.columns) - 1, 0))
            table.scroll_to(scroll.x, scroll.y, animate=False)
            table.move_cursor(row=row, column=column, animate=False)
    return restore
