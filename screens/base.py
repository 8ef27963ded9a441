"""A screen whose data is read in a thread worker, so the dashboard never waits on disk."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.screen import Screen

from tracker.store import Store


class DataScreen(Screen):
    """Loads its data with :meth:`fetch` in a worker, then shows it with :meth:`show`."""

    def on_mount(self) -> None:
        self.app.data_screens.append(self)
        # Paint the screen first, then read: a heavy read never delays the first frame.
        self.call_after_refresh(self.reload)

    def on_screen_resume(self) -> None:
        if self in self.app.stale:
            self.app.stale.discard(self)
            self.reload()

    def reload(self) -> None:
        """Read the store again (after a refresh, or a new window)."""
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        store = Store.open(self.app.store_path, clock=self.app.clock)
        try:
            data = self.fetch(store)
        finally:
            store.close()
        self.app.call_from_thread(self._loaded, data)

    def _loaded(self, data: Any) -> None:
        self.loaded = data
        self.shown_width = self.size.width
        self.show(data)

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
