"""The dashboard's refresh: the same refresh as `tracker refresh`, in a worker thread."""

from __future__ import annotations

import asyncio

from textual import work
from textual.worker import get_current_worker

from tracker.store import Store
from tracker.text import count

from screens.faults import log, one_line


class Refreshing:
    """What TrackerApp does on `r`: refresh in a worker while the screens stay live, and
    cancel at once when the app quits."""

    def action_refresh_store(self) -> None:
        """Refresh in a worker; the screen stays live."""
        if self.refreshing:
            self.notify("A refresh is already running.", timeout=2)
            return
        self.refreshing = True
        self.notify("Refreshing…", timeout=2)
        self._refresh()

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh(self) -> None:
        """The same refresh as `tracker refresh`, in a thread with its own connection.

        Cancelling the worker (quitting does) cancels the pending requests at once: what
        was written stays, the rest is not written."""
        from tracker.refresh import refresh, refresh_lock
        from tracker.sync import sync

        worker = get_current_worker()
        try:
            store = Store.open(self.store_path, clock=self.clock, create=False)
            try:
                sync(store, self.catalog, force=True)
                with refresh_lock(store.path):
                    report = asyncio.run(self._cancellable(
                        self._fetch_all(refresh, store), worker))
            finally:
                store.close()
        except asyncio.CancelledError:
            return
        except Exception as exc:  # noqa: BLE001 - reported on screen, the app goes on
            log.exception("refresh of %s", self.store_path)
            if not worker.is_cancelled:
                self.call_later(self._refreshed, None, one_line(exc))
            return
        changed = sum(len(o.changes) for o in report.outcomes)
        failed = [o.source_id for o in report.failed]
        summary = f"{count(changed, 'change')} from {count(len(report.outcomes), 'source')}"
        if failed:
            summary += f"; failed: {', '.join(failed)}"
        if not worker.is_cancelled:
            self.call_later(self._refreshed, changed, summary)

    @staticmethod
    async def _cancellable(job, worker):
        """Run ``job``; cancel it as soon as ``worker`` is cancelled."""
        task = asyncio.ensure_future(job)
        while not task.done():
            if worker.is_cancelled:
                task.cancel()
                break
            await asyncio.wait({task}, timeout=0.05)
        return await task

    async def _fetch_all(self, refresh, store):
        if not self.catalog.model.sources:
            from tracker.refresh import Report

            return Report(None, [])
        async with self.client_factory() as client:
            return await refresh(store, self.catalog, client, progress=lambda o: (
                self.call_later(self.notify, f"{o.source_id}: {o.status}", timeout=2)))

    def _refreshed(self, added: int | None, summary: str) -> None:
        self.refreshing = False
        if added is None:
            self.notify(f"Refresh failed: {summary}", severity="error", timeout=8)
            return
        self.notify(f"Refreshed: {summary}.", timeout=4)
        self.reload_all()
