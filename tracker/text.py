"""Make untrusted text inert before it reaches a terminal or a table."""

from __future__ import annotations

import re

# C0 and C1 control characters except tab and newline, plus DEL. Removing the ESC byte
# (and the rest of an ANSI sequence's introducer) is enough to make it print as text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def clean(value: object) -> str:
    """Return ``value`` as text with terminal control sequences removed.

    Newlines and tabs are kept; callers that need one line use :func:`one_line`.
    """
    if value is None:
        return ""
    text = str(value)
    text = _ANSI.sub("", text)
    return _CONTROL.sub("", text)


def one_line(value: object) -> str:
    """Return ``value`` cleaned and folded onto one line."""
    return " ".join(clean(value).split())


NOTE_WIDTH = 80
"""How many terminal columns a note gets beside a change before it is cut with an ellipsis."""


def shorten(value: object, width: int = NOTE_WIDTH) -> str:
    """``value`` on one line, cut to ``width`` terminal columns with an ellipsis if longer.

    Widths are terminal cells (wide characters count double), measured by Rich.
    """
    from rich.cells import cell_len
    from rich.text import Text

    text = one_line(value)
    if cell_len(text) <= width:
        return text
    cut = Text(text)
    cut.truncate(width, overflow="ellipsis")
    return cut.plain
