"""Make untrusted text inert before it reaches a terminal, a table or a file.

One rule, :data:`HOSTILE`, says which characters never reach a reader raw: C0 controls
(except tab and newline), DEL and the C1 controls (U+0080-U+009F; U+009B alone is a CSI that
terminals obey), the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) that
make text read in another order than it is stored, and the zero-width characters (U+200B-U+200D,
U+2060, U+FEFF) that hide text or make two ids look equal. :func:`clean` strips them (tables,
Markdown, CSV, notifications); :func:`escape_json` writes them as ``\\uXXXX`` escapes, so JSON
keeps the data whole and still prints inert.
"""

from __future__ import annotations

import re

HOSTILE = (r"\x00-\x08\x0b-\x1f\x7f-\x9f"   # C0 (but tab, newline), DEL, C1
           r"\u202a-\u202e\u2066-\u2069"      # bidi embeddings, overrides, isolates
           r"\u200b-\u200d\u2060\ufeff")      # zero-width space, (non-)joiner, word joiner, BOM
"""The characters no output shows raw (a regex character-class body)."""

_HOSTILE = re.compile(f"[{HOSTILE}]")
# An ANSI escape sequence: removing its text (not only the ESC) keeps `[31m` out of tables.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def clean(value: object) -> str:
    """Return ``value`` as text with terminal controls, bidi overrides and zero-width
    characters removed.

    Newlines and tabs are kept; callers that need one line use :func:`one_line`.
    """
    if value is None:
        return ""
    text = str(value)
    if text.isprintable():  # every hostile character, ESC included, is a Cc or Cf one
        return text
    text = _ANSI.sub("", text)
    return _HOSTILE.sub("", text)


def one_line(value: object) -> str:
    """Return ``value`` cleaned and folded onto one line."""
    text = clean(value)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # already one line with single spaces: nothing to fold
    return " ".join(text.split())


def escape_json(text: str) -> str:
    """JSON text with every hostile character written as a ``\\uXXXX`` escape.

    Lossless (a JSON reader gets the same strings back) and safe to print: outside strings
    JSON is ASCII, so only string contents change. ``json.dumps`` already escapes C0.
    """
    return _HOSTILE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


def csv_cell(value: object) -> str:
    """One CSV cell, cleaned and made inert for spreadsheets (OWASP "CSV injection").

    A cell starting with ``= + - @`` or a tab gets a leading ``'``, so a spreadsheet shows it
    as text instead of running it as a formula (a carriage return, like every control
    character, is removed first, and what it hid is then checked). A plain decimal number
    (``-5``, ``+3.2``) is left as it is: a spreadsheet reads it as a number, which cannot
    hold a formula, and prefixing it would turn figures into text.
    """
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = clean(value)  # a carriage return is stripped here; a tab is kept, then prefixed
    if text.startswith(_FORMULA) and not _NUMBER.match(text):
        return "'" + text
    return text


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 proposal``, ``2 proposals``, ``0 entries`` (with ``plural`` for irregular forms)."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


NOTE_WIDTH = 80
"""How many terminal columns a note gets beside a change before it is cut with an ellipsis."""


def shorten(value: object, width: int = NOTE_WIDTH) -> str:
    """``value`` on one line, cut to ``width`` terminal columns with an ellipsis if longer.

    Widths are terminal cells (wide characters count double), measured by Rich.
    """
    text = one_line(value)
    if len(text) <= width and text.isascii():
        return text  # no wide characters: the length is the width
    from rich.cells import cell_len
    from rich.text import Text

    if cell_len(text) <= width:
        return text
    cut = Text(text)
    cut.truncate(width, overflow="ellipsis")
    return cut.plain
