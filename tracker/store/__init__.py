"""The SQLite store, through sqlite-utils: open, migrate, and the small write helpers.

One file holds everything: the catalog's content, every dated observation with its
provenance, membership ledgers, events, runs and snapshots. It is a plain SQLite database
that Datasette can publish read-only as it is.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from typing import TYPE_CHECKING

from tracker.dates import timestamp, utcnow
from tracker.errors import TrackerError

if TYPE_CHECKING:
    import sqlite_utils

LATEST = 8
"""The schema version this tracker writes (the number of migrations)."""

__all__ = ["LATEST", "Store", "default_db_path"]

Clock = Callable[[], dt.datetime]

BUSY_TIMEOUT_MS = 10_000
"""How long a reader or writer waits for another process's write to finish."""


def default_db_path() -> Path:
    """The store's default location, in the user data directory."""
    from platformdirs import user_data_path

    return user_data_path("tracker", appauthor=False) / "tracker.db"


class Store:
    """An open store. Build it with :meth:`open`; close it with :meth:`close`.

    The sqlite-utils layer is made on first use of :attr:`db`, so opening a store that is
    already up to date costs a connection and a few pragmas, not an import.
    """

    def __init__(self, conn: sqlite3.Connection, path: str, clock: Clock = utcnow) -> None:
        self.conn = conn
        self.path = path
        self.clock = clock
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """The store through sqlite-utils."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    @classmethod
    def open(cls, path: str | Path, *, clock: Clock = utcnow, create_dirs: bool = False) -> "Store":
        """Open (creating if needed) and upgrade the store at ``path``.

        Args:
            path: the SQLite file, or ``:memory:``.
            clock: returns the current UTC time; tests inject a fixed one.
            create_dirs: create missing parent folders (for the default location).

        Raises:
            TrackerError: the file is not a usable store.
        """
        name = str(path)
        if name != ":memory:":
            parent = Path(name).expanduser().parent
            if create_dirs:
                parent.mkdir(parents=True, exist_ok=True)
            elif not parent.is_dir():
                raise TrackerError(f"--db {name}: folder {parent} does not exist")
        try:
            conn = sqlite3.connect(name, timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if name != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            store = cls(conn, name, clock)
            if conn.execute("PRAGMA user_version").fetchone()[0] != LATEST:
                from tracker.store.migrations import migrate

                migrate(store.db)
        except sqlite3.DatabaseError as exc:
            raise TrackerError(f"--db {name}: not a usable tracker store ({exc})") from None
        except ValueError as exc:
            raise TrackerError(f"--db {name}: {exc}") from None
        return store

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def now(self) -> str:
        """The current time as the store writes it."""
        return timestamp(self.clock())

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One atomic write: all of it lands, or none of it does.

        The write lock is taken up front (``BEGIN IMMEDIATE``): a transaction that starts
        as a read and upgrades later fails at once when another process wrote meanwhile,
        whereas waiting for the lock at the start lets the busy timeout do its job.
        """
        conn = self.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            conn.rollback()
            raise
        conn.execute("COMMIT")

    def get_meta(self, key: str) -> str | None:
        """A value from the ``meta`` table."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Write a value to the ``meta`` table (inside the caller's transaction)."""
        self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    def start_run(self, kind: str, catalog_digest: str | None = None) -> int:
        """Record the start of a run (sync, set, refresh) and return its id."""
        table = self.db["runs"]
        table.insert({"kind": kind, "started_at": self.now(), "status": "running",
                      "catalog_digest": catalog_digest})
        return table.last_pk

    def finish_run(self, run_id: int, status: str, detail: str = "") -> None:
        """Record how a run ended."""
        self.db["runs"].update(run_id, {"finished_at": self.now(), "status": status,
                                        "detail": detail})
