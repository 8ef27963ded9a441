"""Print tables as Rich tables on a terminal, aligned plain text when piped, JSON or CSV.

Every cell goes through :func:`tracker.text.clean` and is built as a Rich ``Text``, never
parsed as markup, so values from sources print literally.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from typing import TYPE_CHECKING

from tracker.text import clean, csv_cell, escape_json, is_plain, one_line

if TYPE_CHECKING:  # Rich loads only when a terminal needs it: piped output stays light.
    from rich.console import Console
    from rich.text import Text

FORMATS = ("table", "json", "csv")


def console(file: TextIO | None = None) -> Console:
    """A console on ``file`` (stdout by default) that never interprets markup in data."""
    from rich.console import Console

    return Console(file=file or sys.stdout, highlight=False, soft_wrap=False)


def is_terminal(out: TextIO) -> bool:
    """Whether tables go to ``out`` as Rich tables (with colour): on an interactive
    terminal, or when ``FORCE_COLOR`` is set to anything but "" (force-color.org), e.g.
    ``FORCE_COLOR=1 tracker list | less -R``. ``NO_COLOR`` (no-color.org) wins over it:
    piped output is then plain text, and a terminal gets tables without colour."""
    import os

    if os.environ.get("FORCE_COLOR") and not os.environ.get("NO_COLOR"):
        return True
    return _isatty(out)


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def table(out: TextIO, title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]],
          *, caption: str | None = None, styles: Sequence[str | None] | None = None,
          keep: Sequence[int] = (0,), wrap: Sequence[int] | None = None) -> None:
    """Print one table: Rich on a terminal, plain aligned columns otherwise.

    Cells are text (cleaned here) or Rich ``Text`` built from cleaned text.

    Args:
        keep: columns holding ids a user types back: never cut nor folded on a terminal. In
            a column that also wraps (a name with its id below, see :func:`labelled`), the
            name wraps and the id line stays whole.
        wrap: on a terminal, the columns of long text, which wrap; None: every column not
            in ``keep``. Every column starts at its content's width (short ones capped at
            :data:`SHORT_CAP`, wrapping ones at :data:`MIN_TEXT`); the width left goes to
            the columns whose content needs it. A table that cannot fit so prints as
            records, one block per row.
    """
    if is_terminal(out):
        from rich.table import Table
        from rich.text import Text

        cells: list[list[Any]] = [
            [c if isinstance(c, Text) else Text(one_line(c)) for c in row] for row in rows]
        con = console(out)
        if wrap is None:
            wrap = [i for i in range(len(columns)) if i not in keep]
        widths = _widths(con.width, columns, cells, keep, wrap)
        if widths is None:
            _records(con, title, columns, cells, caption)
            return
        t = Table(title=Text(clean(title)) if title else None, title_justify="left",
                  caption=Text(clean(caption)) if caption else None, caption_justify="left",
                  header_style="bold", expand=False)
        for i, col in enumerate(columns):
            t.add_column(Text(col), style=(styles[i] if styles else None), overflow="fold",
                         no_wrap=i in keep and i not in wrap, width=widths[i])
        for row in cells:
            t.add_row(*row)
        con.print(t)
        return
    if title:
        out.write(f"{one_line(title)}\n")
    _aligned(out, [list(columns), *rows])
    if caption:
        out.write(f"{one_line(caption)}\n")
    out.write("\n")


def _plain_column(col: tuple) -> list[str]:
    """A column's cells as one-line text. A column of plain strings that are all printable,
    with single spaces and none at either end (the usual case) is checked as a whole and
    kept; any other goes cell by cell through :func:`one_line`."""
    if set(map(type, col)) == {str}:
        lines = "\n".join(col)
        if is_plain("".join(col)) and "  " not in lines and "\n " not in lines \
                and " \n" not in lines and lines[:1] != " " and lines[-1:] != " ":
            return list(col)
    return [one_line(c.plain if hasattr(c, "plain") else c) for c in col]


def _aligned(out: TextIO, rows: list) -> None:
    """Rows (the header first) as columns two spaces apart, padded to their display width
    (a CJK character takes two columns), without trailing spaces."""
    cols = []
    for col in zip(*rows):
        col = _plain_column(col)
        if "".join(col).isascii():
            width = max(map(len, col))
            cols.append([c.ljust(width) for c in col])
            continue
        from rich.cells import cell_len  # only for text beyond ASCII

        sizes: dict[str, int] = {}
        lens = [sizes[c] if c in sizes else sizes.setdefault(c, cell_len(c)) for c in col]
        width = max(lens)
        cols.append([c + " " * (width - n) for c, n in zip(col, lens)])
    out.writelines("  ".join(row).rstrip() + "\n" for row in zip(*cols))


SHORT_CAP = 16
"""The widest a short-valued column gets before its values wrap."""
MIN_TEXT = 14
"""The narrowest a text column gets; below that a table prints as records instead."""


def _records(con: Console, title: str | None, columns: Sequence[str],
             cells: list[list[Text]], caption: str | None) -> None:
    """A table too wide for the terminal, as one block per row: first cell, then fields."""
    from rich.padding import Padding
    from rich.text import Text

    if title:
        con.print(Text(one_line(title), style="bold underline"))
    for row in cells:
        name, _, ident = row[0].plain.partition("\n")
        con.print(Text.assemble((name, "bold"), *(("  ", (ident, "dim")) if ident else ())))
        for label, cell in zip(columns[1:], row[1:]):
            if cell.plain:
                con.print(Padding(Text.assemble((label + ": ", "dim"), cell), (0, 0, 0, 2), expand=False))
    if caption:
        con.print(Text(one_line(caption)))
    con.print()


def _widths(total: int, columns: Sequence[str], cells: list[list[Text]], keep: Sequence[int],
            wrap: Sequence[int]) -> list[int] | None:
    """Column widths that fit ``total`` terminal cells, or None when the table cannot.

    Each column starts at its content's width, capped at :data:`SHORT_CAP` for short values
    and at :data:`MIN_TEXT` for wrapping text, but never below its longest id (``keep``);
    the width left is then shared among the columns still narrower than their content, in
    proportion to what each lacks, so spare width goes where text would otherwise wrap.
    """
    from rich.cells import cell_len

    def lines(i: int) -> list[str]:
        return [columns[i]] + [x for row in cells for x in row[i].plain.split("\n")]

    content = [max(cell_len(x) for x in lines(i)) for i in range(len(columns))]
    ids = [max([cell_len(row[i].plain.split("\n")[-1]) for row in cells], default=0)
           if i in keep else 0 for i in range(len(columns))]
    widths = [max(ids[i], min(content[i], MIN_TEXT if i in wrap else SHORT_CAP))
              if not (i in keep and i not in wrap) else content[i]
              for i in range(len(columns))]
    free = total - (3 * len(columns) + 1) - sum(widths)
    if free < 0:
        return None
    short = [i for i in range(len(columns)) if i not in wrap]
    # Short values first, up to twice their cap (they are cheap and read badly when cut),
    # then every column in proportion to what it lacks.
    free = _share(widths, [min(content[i], 2 * SHORT_CAP) if i in short else widths[i]
                           for i in range(len(columns))], short, free)
    _share(widths, content, range(len(columns)), free)
    return widths


def _share(widths: list[int], content: list[int], group: Sequence[int], free: int) -> int:
    """Widen the ``group`` columns towards their content with ``free`` cells; return the cells
    left. A column that lacks no more than a fair share (or than :data:`SHORT_CAP`) gets all
    it lacks, smallest first; the others share the rest in proportion to what each lacks."""
    need = {i: content[i] - widths[i] for i in group if widths[i] < content[i]}
    for i in sorted(need, key=need.get):
        if need[i] > free or need[i] > max(free // len(need), SHORT_CAP):
            break
        widths[i] = content[i]
        free -= need.pop(i)
    total = sum(need.values())
    if total <= free:
        for i in need:
            widths[i] = content[i]
        return free - total
    for i, n in need.items():
        widths[i] += free * n // total
    left = free - sum(free * n // total for n in need.values())
    for i in sorted(need, key=lambda i: widths[i] - content[i]):  # what rounding left
        if left <= 0:
            break
        widths[i] += 1
        left -= 1
    return 0


def labelled(name: str, ident: str) -> Text:
    """A name with its id below it, dimmed: one narrow column instead of two."""
    from rich.text import Text

    text = Text(one_line(name))
    text.append("\n" + one_line(ident), style="dim")
    return text


def link(url: str, label: str | None = None, width: int = 30) -> Text:
    """A source as a short label that links to its URL in terminals that support links."""
    from rich.style import Style
    from rich.text import Text

    url = one_line(url)
    if label is None:
        label = url.split("://", 1)[-1]
        if len(label) > width:
            label = label[: width - 1] + "…"
    style = Style(link=url) if url.startswith(("http://", "https://")) else Style()
    return Text(one_line(label), style=style)


def line(out: TextIO, text: str) -> None:
    """Print one line of untrusted text literally."""
    out.write(clean(text) + "\n")


def paragraph(out: TextIO, text: str) -> None:
    """Print a paragraph of untrusted text: wrapped at the width of a terminal (between
    words; a word longer than a line is folded), as one line when piped."""
    if is_terminal(out):
        from rich.text import Text

        console(out).print(Text(one_line(text)), overflow="fold")
    else:
        out.write(one_line(text) + "\n")


def as_json(out: TextIO, data: Any) -> None:
    """Print ``data`` as JSON: indented for a person on a terminal, compact (and much
    faster to write) for scripts and files."""
    if _isatty(out):  # FORCE_COLOR colours tables; JSON stays compact for scripts
        if isinstance(data, dict):  # a person reads it: the streamed lists, whole
            data = {k: [json.loads(i) for i in v.items] if isinstance(v, Encoded) else v
                    for k, v in data.items()}
        out.write(escape_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
        return
    _stream_json(out, data)
    out.write("\n")


def compact_json(data: Any) -> str:
    """``data`` as compact JSON, hostile characters escaped (what piped JSON is made of)."""
    return escape_json(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


_compact = compact_json


class Encoded:
    """A list for :func:`as_json` (piped) given as its items' compact JSON
    (:func:`compact_json`), read one at a time: a long list never exists in memory."""

    def __init__(self, items) -> None:
        self.items = items


def _stream_json(out: TextIO, data: Any, depth: int = 0) -> None:
    """Compact JSON written piece by piece (the same bytes as one ``json.dumps``): a long
    list of changes never exists twice in memory as one string and its escaped copy."""
    if isinstance(data, Encoded):
        first = True
        for item in data.items:
            out.write(("[" if first else ",") + item)
            first = False
        out.write("[]" if first else "]")
    elif depth < 2 and isinstance(data, list) and data:
        for i, item in enumerate(data):
            out.write(("," if i else "[") + _compact(item))
        out.write("]")
    elif depth < 1 and isinstance(data, dict) and data and all(type(k) is str for k in data):
        for i, (key, value) in enumerate(data.items()):
            out.write(("," if i else "{") + _compact(key) + ":")
            _stream_json(out, value, depth + 1)
        out.write("}")
    else:
        out.write(_compact(data))


def as_csv(out: TextIO, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a header and rows as CSV (see :func:`csv_text`)."""
    out.write(csv_text(columns, rows))


def csv_text(columns: Sequence[str], rows: Any) -> str:
    """A header and rows as CSV (RFC 4180 quoting), every cell through
    :func:`tracker.text.csv_cell`: cleaned, and never run as a spreadsheet formula.

    Every CSV the product writes (commands and exports) is made here.
    """
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return buf.getvalue()
