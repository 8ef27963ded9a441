"""The SQLite store, through sqlite-utils: open, migrate, and the small write helpers.

One file holds everything: the catalog's content, every dated observation with its
provenance, membership ledgers, events, runs and snapshots. It is a plain SQLite database
that Datasette can publish read-only as it is.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from typing import TYPE_CHECKING

from tracker.dates import timestamp, utcnow
from tracker.errors import EXIT_STORE, TrackerError

if TYPE_CHECKING:
    import sqlite_utils

LATEST = 11
"""The schema version this tracker writes (the number of migrations)."""

__all__ = ["LATEST", "ReadOnlyStore", "Store", "default_db_path", "store_error"]

Clock = Callable[[], dt.datetime]

BUSY_TIMEOUT_MS = 10_000
"""How long a reader or writer waits for another process's write to finish."""


def default_db_path() -> Path:
    """The store's default location, in the user data directory."""
    from platformdirs import user_data_path

    return user_data_path("tracker", appauthor=False) / "tracker.db"


class ReadOnlyStore(TrackerError):
    """A write to a store opened read-only."""

    def __init__(self, path: str, why: str = "nothing was written") -> None:
        from tracker.store import files

        blocking = files.side_file_blocking(path) if path != ":memory:" else None
        need = blocking or "writes need write access to the file and its folder"
        super().__init__(f"--db {path}: the store is read-only for this user ({why}); "
                         f"reads work, {need}", EXIT_STORE)


def store_error(path: str, exc: sqlite3.DatabaseError) -> TrackerError:
    """The one line for a SQLite error on the store: damaged, not a database, unusable."""
    from tracker.store import files

    text = str(exc)
    if "file is not a database" in text and not files.has_sqlite_header(path):
        return TrackerError(f"--db {path}: not a usable tracker store ({text}); it was left "
                            "untouched")
    if "malformed" in text or "not a database" in text or type(exc) is sqlite3.DatabaseError:
        return TrackerError(files.damaged_message(path, exc), EXIT_STORE)
    if "readonly" in text or "read-only" in text:
        return ReadOnlyStore(path)
    return TrackerError(f"--db {path}: the store could not be used ({text})", EXIT_STORE)


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        conn.close()


class Store:
    """An open store. Build it with :meth:`open`; close it with :meth:`close`.

    The sqlite-utils layer is made on first use of :attr:`db`, so opening a store that is
    already up to date costs a connection and a few pragmas, not an import.
    """

    def __init__(self, conn: sqlite3.Connection, path: str, clock: Clock = utcnow, *,
                 read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.clock = clock
        self.read_only = read_only
        """Opened read-only: the user may not write the file or its folder."""
        self.catalog_path: str | None = None
        """The catalog the commands read with this store: no output may replace it."""
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """The store through sqlite-utils."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    @property
    def reader(self):
        """The store's read side without sqlite-utils (:class:`tracker.store.reader.Reader`):
        what the listing commands read with, so they start without importing it."""
        from tracker.store.reader import Reader

        return Reader(self.conn)

    @classmethod
    def open(cls, path: str | Path, *, clock: Clock = utcnow, create_dirs: bool = False,
             create: bool = True) -> "Store":
        """Open (creating if needed) and upgrade the store at ``path``.

        ``path`` is a file name, never a SQLite URI. A store this process may not write is
        opened read-only: reads work, writes fail with :class:`ReadOnlyStore`. Making and
        upgrading a store is serialized: several processes on a new store all succeed.

        Args:
            path: the SQLite file, or ``:memory:``.
            clock: returns the current UTC time; tests inject a fixed one.
            create_dirs: create missing parent folders (for the default location).
            create: make the store when there is none; False (the dashboard, which reads a
                store it was started on) says the store is gone instead.

        Raises:
            TrackerError: the file is not a usable store (exit 2: another program's file;
                exit 1: damaged, unreadable, or read-only and in need of an upgrade).
        """
        from tracker.store import files

        name = str(path)
        if name == ":memory:":
            store = cls(sqlite3.connect(name), name, clock)
            store._set_up()
            return store
        parent = Path(os.path.expanduser(name)).parent
        if create_dirs:
            parent.mkdir(parents=True, exist_ok=True)
        elif not parent.is_dir():
            raise TrackerError(f"--db {name}: folder {parent} does not exist")
        if os.path.exists(os.path.expanduser(name)) and \
                not os.path.isfile(os.path.expanduser(name)):
            raise TrackerError(f"--db {name}: not a regular file (give a store file, or a new "
                               "file name)")
        if not create and not os.path.exists(os.path.expanduser(name)):
            raise TrackerError(f"--db {name}: the store is gone (no file at that path; it "
                               "was moved or removed)", EXIT_STORE)
        read_only = not files.writable(name)
        if read_only and not Path(os.path.expanduser(name)).exists():
            raise TrackerError(f"--db {name}: cannot create the store, folder {parent} is "
                               "not writable", EXIT_STORE)
        conn = None
        try:
            conn = files.connect(name, read_only=read_only, timeout=BUSY_TIMEOUT_MS / 1000,
                                 create=create)
            store = cls(conn, name, clock, read_only=read_only)
            store._set_up()
        except files.ForeignFile as exc:
            _close(conn)
            raise TrackerError(str(exc)) from None
        except sqlite3.DatabaseError as exc:
            _close(conn)
            raise store_error(name, exc) from None
        except ValueError as exc:
            _close(conn)
            raise TrackerError(f"--db {name}: {exc}", EXIT_STORE) from None
        return store

    def _set_up(self) -> None:
        """Pragmas, then (under the write lock, re-checked there) migrations and our mark."""
        from tracker.store import files

        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        memory = self.path == ":memory:"
        if not memory:
            files.check_ours(conn, self.path)  # before anything is written
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        marked = memory or files.application_id(conn) == files.APPLICATION_ID
        if self.read_only:
            if version != LATEST:
                from tracker.store.migrations import upgrade_for_reading

                if version > LATEST:
                    raise ValueError(f"the store has schema version {version}, newer than "
                                     f"this tracker's {LATEST}; upgrade tracker")
                if not upgrade_for_reading(conn, version):
                    raise TrackerError(
                        f"--db {self.path}: the store is read-only for this user and needs "
                        f"an upgrade to schema {LATEST} (it has {version}); open it once "
                        "with write access to the file and its folder", EXIT_STORE)
        elif version != LATEST or not marked:
            if not memory and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")  # one process makes or upgrades it; others wait
            try:
                if not memory:
                    files.check_ours(conn, self.path)
                if conn.execute("PRAGMA user_version").fetchone()[0] != LATEST:
                    from tracker.store.migrations import migrate

                    migrate(self.db)
                if not memory:
                    conn.execute(f"PRAGMA application_id = {files.APPLICATION_ID}")
            except BaseException:
                conn.rollback()
                raise
            conn.execute("COMMIT")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")

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
        if self.read_only:
            raise ReadOnlyStore(self.path)
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
