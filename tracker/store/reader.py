"""The store's read side on the standard library: what the listing commands query with.

The reports and queries read the store with three calls of the sqlite-utils API:
``db.execute(sql, params)`` (a cursor of tuples), ``db.query(sql, params)`` (dicts) and
``db[name].exists()``. :class:`Reader` answers those three on a plain ``sqlite3``
connection, so a short command (``tracker list``, ``show``, ``history``) reads the store
without importing sqlite-utils, which takes longer than the command's own work.
Writes always go through :attr:`tracker.store.Store.db` (sqlite-utils).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any


class Reader:
    """Reads on an open connection, with the sqlite-utils ``Database`` read calls.

    ``conn`` is the connection itself (as ``Database.conn``).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] | dict | None = None) -> sqlite3.Cursor:
        """A cursor over the rows as tuples (``Database.execute``)."""
        return self.conn.execute(sql, () if parameters is None else parameters)

    def query(self, sql: str,
              params: Sequence[Any] | dict | None = None) -> Iterator[dict[str, Any]]:
        """The rows as dicts keyed by column name (``Database.query``)."""
        cursor = self.conn.execute(sql, () if params is None else params)
        keys = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row))

    def __getitem__(self, name: str) -> _Table:
        return _Table(self.conn, name)


class _Table:
    """A table by name; only :meth:`exists` is asked of it on the read side."""

    def __init__(self, conn: sqlite3.Connection, name: str) -> None:
        self.conn, self.name = conn, name

    def exists(self) -> bool:
        """Whether the store has this table (``Table.exists``)."""
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 [self.name]).fetchone() is not None
