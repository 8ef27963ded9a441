"""The command palette (ctrl+p) finds indicators, parties and events by name and opens them.

An indicator opens its detail screen, a party its profile (the Party screen, where there
is one; else the Participation screen with its row highlighted), an event the Calendar
with its row highlighted. The search is the store's
full-text index (:mod:`tracker.search`), read in a thread with its own connection, every
word matched as the start of a word, so "cets" offers CETS 225 as it is typed.
"""

from __future__ import annotations

import asyncio
import re
from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from tracker.errors import TrackerError
from tracker.search import Hit as Found
from tracker.store import Store
from tracker.text import one_line

KINDS = ("indicator", "party", "event")
LIMIT = 12
OPENS = {"indicator": "open its detail", "party": "show it in Participation",
         "event": "show it in the Calendar"}


def find(path: str, query: str) -> list[Found]:
    """Indicators, parties and events whose names start with the query's words."""
    store = Store.open(path, create=False)
    try:
        return search_names(store, query)
    finally:
        store.close()


def search_names(store: Store, query: str) -> list[Found]:
    from tracker.search import search

    try:
        return search(store.db, query, kinds=KINDS, limit=LIMIT, prefix=True, names=True)
    except TrackerError:  # nothing to search for yet (a lone quote, a dash)
        return []


class SearchProvider(Provider):
    """Indicators, parties and events, by name, alias, code or id."""

    async def search(self, query: str) -> Hits:
        found = await asyncio.to_thread(find, self.app.store_path, query)
        words = re.findall(r"[^\W_]+", query)
        for rank, hit in enumerate(found):
            label = f"{hit.title} ({hit.date if hit.kind == 'event' else hit.id})"
            yield Hit(max(0.5, 1.0 - rank * 0.02), self._display(label, words),
                      partial(open_hit, self.app, hit), text=label,
                      help=escape(f"{hit.kind} {one_line(hit.id)}: {opens(hit)}"))

    def _display(self, label: str, words: list[str]) -> Content:
        """The label as plain text (never markup) with the typed words' matches marked."""
        content = Content(label)
        style = self.match_style or "bold"
        for word in words:
            for m in re.finditer(r"(?<![^\W_])" + re.escape(word), label, re.IGNORECASE):
                content = content.stylize(style, m.start(), m.end())
        return content


def opens(hit: Found) -> str:
    """What choosing the hit does, as its help line says."""
    return "open its profile" if hit.kind == "party" and party_screen() else OPENS[hit.kind]


def party_screen():
    """The Party screen (a party's profile), where this dashboard has one; else None, and a
    party opens on its row in Participation."""
    import importlib.util

    if importlib.util.find_spec("screens.party") is None:
        return None
    from screens.party import PartyScreen

    return PartyScreen


def open_hit(app, hit: Found) -> None:
    """Show what the palette found."""
    if hit.kind == "indicator":
        from screens.detail import DetailScreen

        app.push_screen(DetailScreen(hit.id))
        return
    if hit.kind == "party" and party_screen() is not None:
        app.push_screen(party_screen()(hit.id))
        return
    mode, tables = ("participation", ("#matrix",)) if hit.kind == "party" else \
        ("calendar", ("#coming", "#past"))
    app.run_worker(reveal(app, mode, tables, hit), group="palette", exclusive=True)


async def reveal(app, mode: str, tables: tuple[str, ...], hit: Found,
                 wait: float = 5.0) -> None:
    """Switch to ``mode`` and move the cursor to ``hit``'s row once the screen has loaded."""
    from textual.widgets import DataTable
    from textual.widgets.data_table import RowDoesNotExist

    await app.switch_mode(mode)
    screen = app.screen
    if getattr(screen, "group", "all") != "all":  # Participation filtered to a group
        screen.group = "all"
        if getattr(screen, "data", None) is not None:
            screen.draw()
    for _ in range(int(wait / 0.05)):
        for selector in tables:
            table = screen.query_one(selector, DataTable)
            try:
                row = table.get_row_index(hit.id)
            except RowDoesNotExist:
                continue
            table.focus()
            table.move_cursor(row=row, scroll=False)
            table.call_after_refresh(center, table, row)
            return
        if getattr(screen, "loaded", None) is not None:
            break
        await asyncio.sleep(0.05)
    where = "Participation (no role recorded)" if hit.kind == "party" else "the Calendar"
    app.notify(f"{hit.title} ({hit.id}) is not shown in {where}.", timeout=4, markup=False)


def center(table, row: int) -> None:
    """Scroll ``table`` so that ``row`` is in the middle of it (moving the cursor only brings
    it to an edge, where a horizontal scrollbar may cover it)."""
    y = sum(r.height for r in table.ordered_rows[:row])
    table.scroll_to(y=max(0, y - table.scrollable_content_region.height // 2), animate=False)
