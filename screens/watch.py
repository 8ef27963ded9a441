"""Notice when another process writes the store, cheaply: SQLite's ``PRAGMA data_version``.

``data_version`` is a counter kept per connection that moves whenever *another* connection
commits to the file (a `tracker set`, a cron `refresh`, or the dashboard's own workers). One
long-lived connection asks for it once a second: no table is read until something changed.
The file itself is watched too (removed, or replaced by another file), since an open
connection keeps reading the old, unlinked file and would never notice.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Polled:
    """What one look at the store found."""

    changed: bool
    """Another connection committed since the last look (or the file came back)."""
    error: str | None = None
    """The store cannot be watched: why, in one line (None when it is fine)."""


class StoreWatch:
    """Polls one store file; use it from one thread at a time."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.conn: sqlite3.Connection | None = None
        self.version: int | None = None
        self.identity: tuple[int, int] | None = None
        self.error: str | None = None
        self.lock = threading.Lock()

    def _identity(self) -> tuple[int, int]:
        st = os.stat(self.path)
        return (st.st_dev, st.st_ino)

    def _connect(self) -> None:
        self.close()
        identity = self._identity()
        from tracker.store import files

        # As the store itself is opened: its path escaped (a `#` or `?` in a folder name),
        # read-only when this user may not write it (mode=rw would fail on it).
        conn = files.connect(self.path, read_only=not files.writable(self.path), timeout=1,
                             check_same_thread=False)
        try:
            # A file that is not SQLite (or not a tracker store) fails here, not later.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self.version = conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            conn.close()
            raise
        self.conn, self.identity = conn, identity

    def poll(self) -> Polled:
        """Look once. The first look only starts watching; it reports no change."""
        with self.lock:
            return self._poll()

    def _poll(self) -> Polled:
        if self.path == ":memory:":
            return Polled(False)
        first = self.conn is None and self.error is None
        try:
            if self.conn is None or self._identity() != self.identity:
                self._connect()
                recovered = self.error is not None or not first
                self.error = None
                return Polled(recovered)
            version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        except FileNotFoundError:
            return self._failed(f"the store {self.path} is gone (its file or folder was "
                                "removed)")
        except (OSError, sqlite3.Error) as exc:
            return self._failed(f"the store {self.path} cannot be read ({exc})")
        changed = version != self.version
        self.version = version
        return Polled(changed)

    def _failed(self, message: str) -> Polled:
        self.close()
        self.error = message
        return Polled(False, message)

    def close(self) -> None:
        """Drop the connection (a new look reconnects)."""
        conn, self.conn = self.conn, None
        if conn is not None:
            conn.close()
