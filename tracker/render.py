"""Print tables as Rich tables on a terminal, aligned plain text when piped, JSON or CSV.

Every cell goes through :func:`tracker.text.clean` and is built as a Rich ``Text``, never
parsed as markup, so values from sources print literally.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.text import clean, one_line

FORMATS = ("table", "json", "csv")


def console(file: TextIO | None = None) -> Console:
    """A console on ``file`` (stdout by default) that never interprets markup in data."""
    return Console(file=file or sys.stdout, highlight=False, soft_wrap=False)


def is_terminal(out: TextIO) -> bool:
    """Whether ``out`` is an interactive terminal."""
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def table(out: TextIO, title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]],
          *, caption: str | None = None, styles: Sequence[str | None] | None = None) -> None:
    """Print one table: Rich on a terminal, plain aligned columns otherwise."""
    cells = [[one_line(c) for c in row] for row in rows]
    if is_terminal(out):
        con = console(out)
        t = Table(title=Text(clean(title)) if title else None, title_justify="left",
                  caption=Text(clean(caption)) if caption else None, caption_justify="left",
                  header_style="bold", expand=False)
        for i, col in enumerate(columns):
            t.add_column(Text(col), style=(styles[i] if styles else None), overflow="fold")
        for row in cells:
            t.add_row(*(Text(c) for c in row))
        con.print(t)
        return
    if title:
        out.write(f"{one_line(title)}\n")
    widths = [len(c) for c in columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    for row in [list(columns), *cells]:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n")
    if caption:
        out.write(f"{one_line(caption)}\n")
    out.write("\n")


def line(out: TextIO, text: str) -> None:
    """Print one line of untrusted text literally."""
    out.write(clean(text) + "\n")


def as_json(out: TextIO, data: Any) -> None:
    """Print ``data`` as indented JSON with a stable key order."""
    json.dump(data, out, indent=2, ensure_ascii=False, sort_keys=False)
    out.write("\n")


def as_csv(out: TextIO, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a header and rows as CSV (RFC 4180 quoting)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if c is None else clean(c) for c in row])
    out.write(buf.getvalue())
