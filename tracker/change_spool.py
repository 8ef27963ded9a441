"""A window's changes in bounded memory: written to a temporary database as they are
computed, read back newest first.

Changes are listed newest first across fields, but computed one field after another, so the
first line of the list is known only once every field has been read. Held in a list, a
window of every observation costs memory in proportion to the store (1.1 GB for
``tracker trends --since all`` on a million observations). A :class:`Spool` instead writes
each change, already formatted for its output, to a private temporary SQLite database
(on disk, with SQLite's page cache bounded) and reads it back in the list's order with one
``ORDER BY``, which SQLite's sorter performs in bounded memory too. While the changes are
written it counts them, gathers the flips (one per field at most) and the widest cell of
each column, so a table's title and its column widths are known before the first row is
read back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from tracker.errors import EXIT_STORE, TrackerError
from tracker.trends import pad

if TYPE_CHECKING:
    from tracker.trends import Change

_BATCH = 2000
"""Changes written per ``executemany``: what is held at once before the spool has it."""

CACHE_KIB = 512
"""The spool's page cache (and in-memory sort) in KiB."""

SEP = "\x1f"
"""Between the cells of a row as the spool keeps it."""

ORDER = "rank, padded DESC, category DESC, indicator DESC, field DESC, party DESC, rowid"
"""The order of :func:`tracker.ledger_changes.window_changes` (its sort key, newest first;
equal keys in the order the changes were computed), after a watch list's rank."""


def failed(exc: sqlite3.Error) -> TrackerError:
    """The one line a spool that cannot be written (a full or unwritable disk) prints; exit
    1, as for a store or output that cannot be used."""
    return TrackerError(f"the changes could not be sorted in a temporary file ({exc}); "
                        "set SQLITE_TMPDIR or TMPDIR to a folder with free space", EXIT_STORE)


class Spool:
    """Changes formatted as rows of cells, kept on disk and read back in order.

    Args:
        width: cells per row (without ``measure``: one, a change's JSON or CSV text).
        rank: for a watch list, the rank of an indicator id (lower first); None: all equal.
        measure: for a table, :func:`tracker.streamed.measured_row`: each row is kept as its
            one-line cells, the widest cell of each column in :attr:`widths`, and
            :meth:`rows` gives each row as ``(one_cell, *cells)``.
    """

    def __init__(self, width: int, rank: Callable[[str], int] | None = None,
                 measure: Callable[[Sequence[str]], tuple[Sequence[str], list[int], bool]]
                 | None = None) -> None:
        self.width = width
        self.rank = rank
        self.measure = measure
        self.count = 0
        self.flips: set[tuple[str, str]] = set()
        self.widths = [0] * width
        try:
            self.conn = self._open()
        except sqlite3.Error as exc:
            raise failed(exc) from None

    @staticmethod
    def _open() -> sqlite3.Connection:
        # "": a private database on a temporary file, deleted on close; pages beyond the
        # cache go to the file, and so does the sorter's overflow (SQLite sorts in memory
        # up to the cache's size). 512 KiB: a quarter of the default, as fast here.
        conn = sqlite3.connect("")
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        # A table row's cells are kept as one text, joined by a unit separator (a control
        # character, which one-line cells never hold): one column, however many cells.
        conn.execute("CREATE TABLE spool (rank INTEGER, padded TEXT, category TEXT, "
                     "indicator TEXT, field TEXT, party TEXT, one_cell INTEGER, cells TEXT)")
        return conn

    def fill(self, changes: Iterable[Change], row: Callable[[Change], Sequence]) -> Spool:
        """Write ``changes`` (in the order they were computed), each as ``row(change)``."""
        rank, measure, flips, widths = self.rank, self.measure, self.flips, self.widths
        batch = []
        for c in changes:
            cells, one_cell = row(c), None
            if c.flip:
                flips.add((c.indicator_id, c.field))
            if measure is not None:
                cells, sizes, one_cell = measure(cells)
                widths[:] = map(max, widths, sizes)
            batch.append((rank(c.indicator_id) if rank else 0, pad(c.as_of), c.category,
                          c.indicator_id, c.field, c.party or "", one_cell,
                          SEP.join(cells) if measure else cells[0]))
            if len(batch) >= _BATCH:
                self._write(batch)
                batch = []
        self._write(batch)
        return self

    def _write(self, batch: list) -> None:
        try:
            self.conn.executemany("INSERT INTO spool VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch)
        except sqlite3.Error as exc:
            raise failed(exc) from None
        self.count += len(batch)

    def rows(self) -> Iterator[tuple]:
        """The rows, newest change first (after a watch list's rank), one at a time, as
        tuples of cells (with ``measure``: ``(one_cell, *cells)``)."""
        try:  # the sort runs here, before the first row: a full disk fails before output
            rows = self.conn.execute(f"SELECT one_cell, cells FROM spool ORDER BY {ORDER}")
        except sqlite3.Error as exc:
            raise failed(exc) from None
        if self.measure is None:  # one cell: JSON or CSV text, kept whole
            return _read((text,) for _, text in rows)
        return _read((one_cell, *text.split(SEP)) for one_cell, text in rows)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _read(rows: Iterator[tuple]) -> Iterator[tuple]:
    """The rows, with a failure while reading them (a sort that spills to a disk that
    fills meanwhile) as the same one line, after what was already written."""
    try:
        yield from rows
    except sqlite3.Error as exc:
        raise failed(exc) from None
