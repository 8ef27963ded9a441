"""The dashboard's stylesheet: Textual's, parsed again only when something in it changed."""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet


class KeptStylesheet(Stylesheet):
    """Textual's :class:`~textual.css.stylesheet.Stylesheet`, whose :meth:`reparse` keeps
    the rules it has when the sources and the variables are those it last parsed.

    Textual parses the whole stylesheet again (every widget's default CSS and ours, about
    15 ms) each time a screen is first shown, twice for a screen that opens a mode (keys
    2-7), whether or not anything changed. A theme, a new source or an edited one still
    parses again.
    """

    _parsed: tuple | None = None
    _variables_set: dict[str, str] = {}

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._variables_set = dict(variables)

    def _stamp(self) -> tuple:
        return tuple(self.source.items()), tuple(sorted(self._variables_set.items()))

    def parse(self) -> None:
        stamp = self._stamp()
        super().parse()
        self._parsed = stamp

    def reparse(self) -> None:
        stamp = self._stamp()
        if stamp == self._parsed:
            return
        super().reparse()
        self._parsed = stamp
