"""Make untrusted text inert before it reaches a terminal, a table or a file.

One rule, :data:`HOSTILE`, says which characters never reach a reader raw: C0 controls
(except tab and newline), DEL and the C1 controls (U+0080-U+009F; U+009B alone is a CSI that
terminals obey), the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) that
make text read in another order than it is stored, and every other invisible character that
hides text or makes two ids look equal: all of Unicode's format characters (category Cf, as of
Unicode 15: zero-width space and joiners, the direction marks U+200E/U+200F and U+061C, the
soft hyphen, invisible operators, tags, BOM), the combining grapheme joiner, the Mongolian
variation selectors and the Hangul fillers. :func:`clean` strips them (tables, Markdown,
CSV, notifications); :func:`escape_json` writes them as ``\\uXXXX`` escapes, so JSON keeps
the data whole and still prints inert.
"""

from __future__ import annotations

import re

HOSTILE = (r"\x00-\x08\x0b-\x1f\x7f-\x9f"   # C0 (but tab, newline), DEL, C1
           r"\u202a-\u202e\u2066-\u2069"      # bidi embeddings, overrides, isolates
           r"\u200b-\u200f\u061c"              # zero-width space, joiners, direction marks
           # the rest of category Cf (Unicode 15): soft hyphen, prepended marks, word joiner
           # and invisible operators, deprecated format controls, BOM, annotations, tags...
           r"\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u2060-\u2064"
           r"\u206a-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
           r"\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
           # invisible but printable: combining grapheme joiner, Mongolian variation
           # selectors, Hangul fillers
           r"\u034f\u180b-\u180d\u180f\u115f\u1160\u3164\uffa0")
"""The characters no output shows raw (a regex character-class body)."""

_HOSTILE = re.compile(f"[{HOSTILE}]")
# An ANSI escape sequence: removing its text (not only the ESC) keeps `[31m` out of tables.
# The one-byte C1 forms (U+009B CSI, U+009D OSC) count as a sequence only with parameters
# (`\x9b31m`, `\x9d2;title`); alone they are removed as the single hostile character.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]+[ -/]*[@-~]"
                   r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
                   r"|\x9d\d+;[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?")


def clean(value: object) -> str:
    """Return ``value`` as text with terminal controls, bidi overrides and zero-width
    characters removed.

    Newlines and tabs are kept; callers that need one line use :func:`one_line`.
    """
    if value is None:
        return ""
    text = str(value)
    if text.isascii() and text.isprintable():  # no hostile character is printable ASCII
        return text
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ANSI.sub("", text)
    return _HOSTILE.sub("", text)


def is_plain(text: str) -> bool:
    """Whether cleaning would leave ``text`` as it is: printable, no hostile character
    (some are printable: the combining grapheme joiner, the Hangul fillers)."""
    return text.isprintable() and (text.isascii() or not _HOSTILE.search(text))


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
    if text.isascii() and "\x7f" not in text:  # the one hostile character json.dumps keeps
        return text
    return _HOSTILE.sub(_json_escape, text)


def escaped(text: str) -> str:
    """``text`` with every hostile character written as a Python escape (``\\x1b``,
    ``\\u202e``), newlines and tabs kept: for messages that quote a catalog's or a
    server's text, so the reader sees what is there and the terminal obeys none of it."""
    if text.isascii() and text.isprintable():
        return text
    return _HOSTILE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _json_escape(match: re.Match) -> str:
    """``\\uXXXX``, or the surrogate pair JSON writes for a character beyond U+FFFF."""
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


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
