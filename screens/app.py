"""The dashboard: one App built from the store, the catalog and an HTTP client factory."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from tracker.dates import utcnow
from tracker.errors import TrackerError
from tracker.store import Store

from screens.base import DataScreen
from screens.faults import default_log_path, log, one_line, start_log
from screens.overview import OverviewScreen
from screens.refreshing import Refreshing
from screens.watch import StoreWatch

WATCH_SECONDS = 1.0
"""How often the dashboard asks the store whether another process wrote to it."""

ERRORS_BEFORE_EXIT = 5
"""Unexpected errors survived within a minute before the dashboard gives up (exit code 1)."""

WINDOWS = ("30d", "90d", "1y", "3y", "all")
"""The trend windows `w` cycles through."""

if TYPE_CHECKING:  # loaded only when a refresh runs: the dashboard opens without them
    import httpx

    from tracker.catalog import Catalog

ClientFactory = Callable[[], "httpx.AsyncClient"]


def _screen(module: str, name: str) -> Screen:
    import importlib

    return getattr(importlib.import_module(f"screens.{module}"), name)()


def _search_provider() -> type:
    """The palette's search (imported when the palette first opens, not at start)."""
    from screens.search import SearchProvider

    return SearchProvider


def _default_client() -> "httpx.AsyncClient":
    from tracker.fetchers import make_client

    return make_client()


class TrackerApp(Refreshing, App):
    """The analyst's dashboard over one store."""

    TITLE = "tracker"
    SUB_TITLE = "international AI coordination"
    CSS_PATH = "tracker.tcss"
    MODES = {
        "overview": OverviewScreen,
        "tables": lambda: _screen("tables", "TablesScreen"),
        "trends": lambda: _screen("trends", "TrendsScreen"),
        "participation": lambda: _screen("participation", "ParticipationScreen"),
        "calendar": lambda: _screen("calendar", "CalendarScreen"),
        "sources": lambda: _screen("sources", "SourcesScreen"),
        "review": lambda: _screen("review", "ReviewScreen"),
    }
    """Peer screens, each imported when first shown; the detail screen is pushed on top."""
    DEFAULT_MODE = "overview"
    COMMANDS = App.COMMANDS | {_search_provider}
    BINDINGS = [
        Binding("1", "switch_mode('overview')", "Overview", show=False),
        Binding("2", "switch_mode('tables')", "Tables", show=False),
        Binding("3", "switch_mode('trends')", "Trends", show=False),
        Binding("4", "switch_mode('participation')", "Parties", show=False),
        Binding("5", "switch_mode('calendar')", "Calendar", show=False),
        Binding("6", "switch_mode('sources')", "Sources", show=False),
        Binding("7", "switch_mode('review')", "Review", show=False),
        Binding("w", "next_window", "Window"),
        Binding("t", "set_date", "Date", show=False),  # `?` and the palette list it
        Binding("r", "refresh_store", "Refresh"),
        Binding("f5,ctrl+r", "reload", "Reload", show=False),
        Binding("e", "export", "Export"),
        Binding("question_mark", "toggle_keys", "Keys"),
        Binding("q", "quit", "Quit"),
    ]
    """Every action has a key and a command in the palette. The screen keys 1-6 are shown
    in the bar at the top of every screen, the rest in the footer."""

    window: reactive[str] = reactive("1y", init=False)
    """The trend window the screens compare against."""

    at: reactive[str | None] = reactive(None, init=False)
    """The date the screens show the store at (``t``; None: today), see tracker.at."""

    def __init__(self, store: Store, catalog: "Catalog | Callable[[], Catalog]",
                 client_factory: ClientFactory | None = None, *,
                 export_dir: Path | None = None,
                 clock: Callable[[], dt.datetime] = utcnow,
                 log_path: Path | None = None,
                 watch_seconds: float = WATCH_SECONDS) -> None:
        """Build the dashboard.

        Args:
            store: the open store (the dashboard opens its own connections by its path).
            catalog: the validated catalog, synced into the store, or a function that
                loads it (called only when a refresh needs it, off the UI thread).
            client_factory: makes the HTTP client that refreshes use.
            export_dir: where `e` writes snapshots.
            clock: the current time; tests freeze it.
            log_path: where errors the dashboard survived are logged (default: the user
                log directory's ``tracker/dashboard.log``).
            watch_seconds: how often to look for other processes' writes (0: never).
        """
        super().__init__()
        from screens.styles import KeptStylesheet

        self.stylesheet = KeptStylesheet(variables=self.get_css_variables())
        self.store = store
        self.store_path = store.path
        self._catalog = catalog
        self.client_factory = client_factory or _default_client
        self.export_dir = export_dir
        self.clock = clock
        self.data_screens: list[DataScreen] = []
        """Every data screen made so far, to reload after a refresh or a new window."""
        self.stale: set[DataScreen] = set()
        self.refreshing = False
        self.log_path = log_path or default_log_path()
        self.watch_seconds = watch_seconds
        self.watch = StoreWatch(self.store_path)
        self.watching = False
        self.errors: list[float] = []
        """When each unexpected error was survived (monotonic seconds)."""

    def on_mount(self) -> None:
        self.log_path = start_log(self.log_path)
        if self.watch_seconds:
            self.set_interval(self.watch_seconds, self._watch_tick)
            self._watch_tick()

    def on_unmount(self) -> None:
        self.watch.close()

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is literal text: paths, URLs, values and errors can hold
        square brackets, which must never be read as style tags."""
        from tracker.text import clean

        super().notify(clean(message), title=clean(title), severity=severity,
                       timeout=timeout, markup=False)

    def survive(self, error: Exception) -> None:
        """An error a key or a screen's handler raised: say it in one line, log it, and
        carry on. A burst of them (a fault that repeats) stops the app with exit code 1."""
        now = time.monotonic()
        self.errors = [t for t in self.errors if now - t < 60] + [now]
        log.error("unexpected error", exc_info=error)
        if len(self.errors) > ERRORS_BEFORE_EXIT:
            self._handle_exception(error)
            return
        where = f" (details in {self.log_path})" if self.log_path else ""
        self.notify(f"Something went wrong: {one_line(error)}{where}", severity="error",
                    timeout=10)

    async def _dispatch_action(self, namespace, action_name: str, params) -> bool:
        # Every key runs its action here: a fault in one must not take the dashboard down.
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as error:  # noqa: BLE001 - said, logged, survived
            self.survive(error)
            return True

    @property
    def catalog(self) -> "Catalog":
        """The catalog, loaded on first use when the constructor was given a loader."""
        if callable(self._catalog):
            self._catalog = self._catalog()
        return self._catalog

    def today(self) -> dt.date:
        """The clock's date, or the last day of the date being viewed (``t``)."""
        if self.at:
            from tracker.dates import period_end

            return min(self.clock().date(), period_end(self.at))
        return self.clock().date()

    def action_set_date(self) -> None:
        """Ask for the date to view the store at (empty: today)."""
        from screens.at_date import AtDateScreen

        def chosen(date: str | None) -> None:
            if date is not None:
                self.at = date or None

        self.push_screen(AtDateScreen(self.at), chosen)

    def watch_at(self) -> None:
        self.notify(f"Showing the store as at {self.at}" if self.at else "Showing today",
                    timeout=3)
        for screen in list(self.data_screens):  # every screen, the ones behind too
            if screen is not self.screen:
                self.stale.add(screen)
        for screen in self.screen_stack:
            if screen in self.data_screens:
                screen.reload()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            if binding.action.startswith("switch_mode"):
                mode = binding.action.split("'")[1]
                yield SystemCommand(f"Go to {binding.description}",
                                    f"Show the {mode} screen (key {binding.key})",
                                    lambda m=mode: self.switch_mode(m))
        yield SystemCommand("Next trend window", "Cycle 30d, 90d, 1y, 3y, all (key w)",
                            self.action_next_window)
        yield SystemCommand("View at a date", "Show the store as it stood at a date (key t)",
                            self.action_set_date)
        yield SystemCommand("Refresh", "Fetch the declared sources (key r)",
                            self.action_refresh_store)
        yield SystemCommand("Export snapshot", "Write a Markdown snapshot (key e)",
                            self.action_export)

    def action_toggle_keys(self) -> None:
        """Show or hide the panel of keys for the current screen, its own keys first."""
        from textual.widgets import HelpPanel

        from screens.keys import KeysPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.screen.mount(KeysPanel())

    def action_next_window(self) -> None:
        """Cycle the trend window."""
        self.window = WINDOWS[(WINDOWS.index(self.window) + 1) % len(WINDOWS)]
        self.notify(f"Trend window: {self.window}", timeout=2)

    def watch_window(self) -> None:
        self.reload_all()

    def action_reload(self) -> None:
        """Read the store again now (the screen also reloads by itself when it changes)."""
        self.reload_all()

    def _watch_tick(self) -> None:
        if not self.watching:  # the last look is still running (a slow disk): skip one
            self.watching = True
            self._watch_store()

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch_store(self) -> None:
        """Look at the store once: reload the visible screen when another process wrote
        to it, and say once when it cannot be read."""
        try:
            polled = self.watch.poll()
        finally:
            self.watching = False
        if polled.changed:
            self.call_later(self.reload_all)
        elif polled.error:
            self.call_later(self._store_unusable, polled.error)

    def _store_unusable(self, message: str) -> None:
        screen = self.screen
        if isinstance(screen, DataScreen):
            screen.failed(f"Could not read the store: {message}")

    def reload_all(self) -> None:
        """Reload the current screen now and the others when they are next shown."""
        for screen in list(self.data_screens):
            if screen is self.screen:
                screen.reload()
            else:
                self.stale.add(screen)

    @work(thread=True, group="browser", exit_on_error=False)
    def open_link(self, url: str) -> None:
        """Open ``url`` in a browser; when none can be opened, copy it to the clipboard
        (OSC 52, which most terminals honour) and show it whole."""
        from screens.links import open_in_browser
        from tracker.values import web_url

        try:
            web_url(url)  # a store written before a source was checked so may hold others
        except ValueError:
            self.call_later(self.notify, "Not opened or copied: the link holds invisible or "
                            "control characters, so it is not the one shown", severity="error",
                            timeout=8)
            return
        if self.is_web:  # served: the colleague's browser tab opens it, not this machine
            self.call_later(self.open_url, url)
            self.call_later(self.notify, f"Asked the browser to open {url}", timeout=4)
        elif open_in_browser(url):
            self.call_later(self.notify, f"Asked the browser to open {url}", timeout=4)
        else:
            self.call_later(self._link_copied, url)

    def _link_copied(self, url: str) -> None:
        self.copy_to_clipboard(url)
        self.notify(f"No browser could be opened; the link is copied to the clipboard: {url}",
                    timeout=12)

    def action_export(self) -> None:
        """Write a snapshot through the export code, in a worker."""
        self._export()

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self) -> None:
        from tracker import export

        folder = self.export_dir or Path(self.store_path).parent / "snapshots"
        try:
            store = Store.open(self.store_path, clock=self.clock, create=False)
            try:
                snapshot = export.build(store, "md")
                written = export.write(store, snapshot, f"{folder}/")
            finally:
                store.close()
        except (TrackerError, sqlite3.Error, OSError) as exc:
            self.call_later(self.notify, f"Export failed: {exc}", severity="error",
                            timeout=8)
            return
        except Exception as exc:  # noqa: BLE001 - said in one line, logged, survived
            log.exception("export to %s", folder)
            self.call_later(self.notify, f"Export failed: {one_line(exc)}", severity="error",
                            timeout=8)
            return
        self.call_later(self.notify, f"Snapshot {snapshot.id} written to {written[-1]}",
                              timeout=5)
