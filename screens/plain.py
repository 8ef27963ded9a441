"""The widget for text from the store, the catalog or a source: literal and inert."""

from __future__ import annotations

import re

from rich.text import Text
from textual.widgets import Static

from tracker.text import _ANSI, HOSTILE, clean, is_plain

_REMOVED = re.compile(f"{_ANSI.pattern}|[{HOSTILE}]")
"""What :func:`tracker.text.clean` removes: escape sequences whole, then hostile characters."""


def inert(content: object) -> object:
    """``content`` with every hostile character removed (:data:`tracker.text.HOSTILE`, the
    one rule): a string cleaned; a Rich ``Text`` rebuilt from its clean runs, so its styles
    stay on the characters they were on. Anything else is returned as it is."""
    if isinstance(content, str):
        return clean(content)
    if isinstance(content, Text) and not is_plain(content.plain.replace("\n", "")):
        kept, start = Text(end=content.end, justify=content.justify,
                           overflow=content.overflow, no_wrap=content.no_wrap,
                           style=content.style), 0
        plain = content.plain
        for bad in _REMOVED.finditer(plain):
            kept.append_text(content[start:bad.start()])
            start = bad.end()
        kept.append_text(content[start:])
        return kept
    return content


class Plain(Static):
    """A :class:`~textual.widgets.Static` that never shows markup or a hostile character,
    whatever it is given: every screen shows text from the store, the catalog and the
    sources through it (a title, a status line, a preview)."""

    def __init__(self, content: object = "", **kwargs) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(inert(content), **kwargs)

    def update(self, content: object = "", *, layout: bool = True) -> None:
        super().update(inert(content), layout=layout)
