"""Output written row by row, for lists too long to hold: plain tables whose column widths
were measured as the rows were made (see :mod:`tracker.change_spool`), and CSV lines.

The text is the same, byte for byte, as :func:`tracker.render.table` (piped) and
:func:`tracker.render.csv_text` give for the same rows held in a list.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, TextIO

from tracker.text import csv_cell, is_plain, one_line


def measured_row(row: Sequence[str]) -> tuple[Sequence[str], list[int], bool]:
    """A row as one-line cells, the display width of each, and whether every character is
    one cell wide (each width is then the cell's length).

    One-line as :func:`tracker.render.table` makes a column when piped: a row whose text is
    all printable, with single spaces and none at either end of a cell, is checked as a
    whole and kept; any other goes cell by cell through :func:`tracker.text.one_line`."""
    try:
        joined, lines = "".join(row), "\n".join(row)
    except TypeError:  # a cell that is not text (None, a number)
        row = [one_line(c) for c in row]
        joined, lines = "".join(row), "\n".join(row)
    if not (is_plain(joined) and "  " not in lines and "\n " not in lines
            and " \n" not in lines and lines[:1] != " " and lines[-1:] != " "):
        row = [one_line(c) for c in row]
        joined = "".join(row)
    if joined.isascii() or one_cell_each(joined):
        return row, list(map(len, row)), True
    from rich.cells import cell_len

    return row, [cell_len(c) for c in row], False


_ONE_CELL = {chr(c) for first, last in ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF),
                                          (0x370, 0x482), (0x2500, 0x25FC), (0x2800, 0x28FF))
             for c in range(first, last + 1)} | {"•"}
"""Characters one terminal cell wide: the ranges Rich itself takes as one cell each
(Latin, Greek, Cyrillic, box drawing and shapes, Braille) and the trend bullet, then those
measured since (a test checks each against Rich)."""


def one_cell_each(text: str) -> bool:
    """Whether every character of ``text`` is one terminal cell wide, so that its width is
    its length (characters not met before are measured once, by Rich)."""
    if _ONE_CELL.issuperset(text):
        return True
    from rich.cells import cell_len

    new = set(text) - _ONE_CELL
    if all(cell_len(ch) == 1 for ch in new):
        _ONE_CELL.update(new)
        return True
    return False


def streamed_table(out: TextIO, title: str | None, columns: Sequence[str], rows,
                   widths: Sequence[int], caption: str | None = None) -> None:
    """A plain table (as :func:`tracker.render.table` prints one when piped) whose rows are read one at a
    time, each as ``(one_cell, *cells)`` from :func:`measured_row`: ``one_cell`` its flag,
    the cells one-line; ``widths`` the widest of each column, header included."""
    if title:
        out.write(f"{one_line(title)}\n")
    ascii_line = "  ".join(f"{{:<{w}}}" for w in widths).format

    def line(row) -> str:
        if row[0]:
            return ascii_line(*row[1:]).rstrip() + "\n"
        from rich.cells import cell_len

        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(row[1:], widths)) \
            .rstrip() + "\n"

    head, _, one_cell = measured_row(columns)
    out.write(line((one_cell, *head)))
    out.writelines(map(line, rows))
    if caption:
        out.write(f"{one_line(caption)}\n")
    out.write("\n")


def csv_line():
    """A function giving one row as a line of CSV, as :func:`tracker.render.csv_text`
    writes it (for rows written one at a time)."""
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")

    def line(row: Sequence[Any]) -> str:
        buf.seek(0)
        buf.truncate()
        writer.writerow([csv_cell(c) for c in row])
        return buf.getvalue()
    return line
