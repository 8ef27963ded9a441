"""Full-text search over the store, and finding an indicator by id, name or alias.

The index (``search_docs`` and its FTS5 table ``search_docs_fts``, made by a store
migration and kept in step by triggers) holds one document per indicator (name, aliases,
id, description), observation (value and note), party (name, code), event (title, id,
note) and source (id, kind, URL). Results are ranked by bm25 with a name or alias weighing
ten times the body, so a name match ranks above a mention in a note.

Every observation stays searchable, since history is kept: a value found in an earlier
observation is a hit marked ``current=False`` (superseded by a later one), so a search for
what a mechanism was called or rated last year still finds it.

What a user types is never FTS syntax: each word is matched as a quoted phrase (``AND``,
``*``, ``NEAR(`` and stray quotes are words like any other), all words must match, and a
query with no letters or digits is one clear error.
"""

from __future__ import annotations

import json
import re

from typing import TYPE_CHECKING, NamedTuple

from tracker.errors import TrackerError
from tracker.text import clean

if TYPE_CHECKING:
    from sqlite_utils import Database

KINDS = ("indicator", "value", "party", "event", "source")
"""What a hit can be, in the order equal ranks are listed."""

WEIGHTS = (10.0, 10.0, 2.0, 1.0)
"""bm25 weights of the index's columns: title (name), aliases (and a party's code), keys
(the row's id), body (description, value and note, URL)."""

NAMES = "{title aliases keys}"
"""An FTS5 column filter: the index's names, aliases, codes and ids."""

MAX_WORDS = 32
"""The most words a query may have."""

_OPEN, _CLOSE = "\x02", "\x03"  # snippet markers: control characters, never shown raw
_WORD = re.compile(r"[^\W_]")


class Hit(NamedTuple):
    """One search result (a named tuple: loading dataclasses costs the short commands more
    than their work)."""

    kind: str
    """indicator, value, party, event or source."""
    id: str
    """What to type back: an indicator's id (for a value too), a party's code, an event's or
    a source's id."""
    title: str
    snippet: str
    """The matching text, cleaned and on one line."""
    highlights: tuple[tuple[int, int], ...]
    """The matched words, as ``(start, end)`` offsets into ``snippet``."""
    rank: float
    """bm25: lower is a better match."""
    field: str | None = None
    """For a value: the field it is a value of."""
    date: str | None = None
    """A value's as-of date, an event's date."""
    current: bool | None = None
    """For a value: whether it is the field's current value (False: superseded or
    withdrawn)."""
    withdrawn: bool = False
    """For a value: withdrawn by an analyst (kept in the history, never current)."""
    retired: bool = False
    """Dropped from the catalog (its history is kept)."""

    def as_dict(self) -> dict:
        data = self._asdict()
        data["highlights"] = [list(h) for h in self.highlights]
        data["rank"] = round(self.rank, 6)
        return data


def match_expression(query: str, prefix: bool = False) -> str:
    """The FTS5 MATCH text for what a user typed: every word a quoted phrase, all required.

    ``prefix``: match words that start with each word too (``cet`` finds CETS).

    Raises:
        TrackerError: the query has no letters or digits, or too many words.
    """
    words = [w for w in query.split() if _WORD.search(w)]
    if not words:
        raise TrackerError(f"search: {clean(query)!r} has no letters or digits to search for")
    if len(words) > MAX_WORDS:
        raise TrackerError(f"search: {len(words)} words; at most {MAX_WORDS} are allowed")
    star = "*" if prefix else ""
    return " ".join('"' + w.replace('"', '""') + '"' + star for w in words)


def search(db: Database, query: str, *, kinds: tuple[str, ...] | list[str] | None = None,
           limit: int = 20, prefix: bool | None = None, names: bool = False) -> list[Hit]:
    """The best ``limit`` hits for ``query``, best first.

    Args:
        kinds: only these kinds of hit (default: all of :data:`KINDS`).
        prefix: True: words match as prefixes; False: as whole (stemmed) words; None: whole
            words, then prefixes when whole words find nothing.
        names: match only names, aliases, codes and ids (not descriptions, values, notes).

    Raises:
        TrackerError: the query has nothing to search for (see :func:`match_expression`).
    """
    kinds = tuple(kinds or KINDS)
    for attempt in ((False, True) if prefix is None else (prefix,)):
        expression = match_expression(query, attempt)
        rows = _matches(db, f"{NAMES} : ({expression})" if names else expression, kinds, limit)
        if rows:
            break
    return [hit for hit in (_hit(db, *row) for row in rows) if hit is not None]


def _matches(db: Database, expression: str, kinds: tuple[str, ...], limit: int) -> list:
    marks = ", ".join("?" for _ in kinds)
    weights = ", ".join(str(w) for w in WEIGHTS)
    order = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KINDS))
    return db.execute(
        f"SELECT d.kind, d.ref, snippet(search_docs_fts, -1, ?, ?, '…', 12), "
        f"bm25(search_docs_fts, {weights}) AS score FROM search_docs_fts "
        f"JOIN search_docs AS d ON d.id = search_docs_fts.rowid "
        f"WHERE search_docs_fts MATCH ? AND d.kind IN ({marks}) "
        f"ORDER BY score, CASE d.kind {order} END, d.ref LIMIT ?",
        [_OPEN, _CLOSE, expression, *kinds, limit]).fetchall()


def _hit(db: Database, kind: str, ref: str, raw: str, rank: float) -> Hit | None:
    """The hit, or None when its row is gone (an index out of step: never shown)."""
    snippet, highlights = split_snippet(raw or "")
    extra: dict = {}
    if kind == "indicator":
        row = db.execute("SELECT name, retired_at FROM indicators WHERE id = ?", [ref]).fetchone()
        if row is None:
            return None
        title, extra["retired"] = row[0], row[1] is not None
    elif kind == "value":
        observation = int(ref)
        row = db.execute(
            "SELECT o.indicator_id, o.field, o.as_of, i.name, f.label, i.retired_at, "
            "o.withdrawn_at FROM observations o LEFT JOIN indicators i ON i.id = o.indicator_id "
            "LEFT JOIN fields f ON f.category_id = i.category_id AND f.field = o.field "
            "WHERE o.id = ?", [observation]).fetchone()
        if row is None:
            return None
        ref, field, date, name, label, retired, withdrawn = row
        latest = db.execute("SELECT id FROM current_values WHERE indicator_id = ? AND field = ?",
                            [ref, field]).fetchone()
        title = f"{name or ref} · {label or field}"
        extra = {"field": field, "date": date, "withdrawn": withdrawn is not None,
                 "current": bool(latest and latest[0] == observation),
                 "retired": retired is not None}
    elif kind == "party":
        row = db.execute("SELECT name FROM parties WHERE code = ?", [ref]).fetchone()
        if row is None:
            return None
        title = row[0] or ref
    elif kind == "event":
        row = db.execute("SELECT title, date, retired_at FROM events WHERE id = ?",
                         [ref]).fetchone()
        if row is None:
            return None
        title, extra["date"], extra["retired"] = row[0], row[1], row[2] is not None
    else:
        row = db.execute("SELECT kind, url, retired_at FROM sources WHERE id = ?",
                         [ref]).fetchone()
        if row is None:
            return None
        title, extra["retired"] = f"{row[0]} {row[1]}", row[2] is not None
    return Hit(kind, ref, " ".join(clean(title).split()), snippet, highlights, rank, **extra)


def split_snippet(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """An FTS snippet as clean one-line text, and the offsets of its marked words."""
    text, spans, marked = "", [], False
    for part in re.split(f"([{_OPEN}{_CLOSE}])", raw):
        if part in (_OPEN, _CLOSE):
            marked = part == _OPEN
            continue
        piece = re.sub(r"\s+", " ", clean(part))
        if piece.startswith(" ") and (not text or text.endswith(" ")):
            piece = piece[1:]
        if marked and piece:
            spans.append((len(text), len(text) + len(piece)))
        text += piece
    return text.rstrip(), tuple((a, min(b, len(text.rstrip()))) for a, b in spans)


def find_indicator(db: Database, text: str) -> str:
    """The id of the indicator ``text`` names: its id, else its name or an alias (exactly,
    ignoring case), else the one indicator whose name, aliases or id (then description)
    hold every word of ``text`` as a word or a word's start.

    Raises:
        TrackerError: nothing matches (the message suggests the nearest ids), or several do.
    """
    if db.execute("SELECT 1 FROM indicators WHERE id = ?", [text]).fetchone():
        return text  # an id as typed: one lookup, no names or aliases read
    typed, text = text, clean(text)  # an invisible character pasted with it names nothing
    if text != typed and db.execute("SELECT 1 FROM indicators WHERE id = ?",
                                    [text]).fetchone():
        return text
    rows = [(i, n or "", json.loads(a or "[]")) for i, n, a in
            db.execute("SELECT id, name, aliases FROM indicators ORDER BY position, id")]
    key = " ".join(text.split()).casefold()
    exact = [i for i, n, aliases in rows
             if key in {i.casefold(), n.casefold(), *(str(a).casefold() for a in aliases)}]
    if len(exact) == 1:
        return exact[0]
    found = exact
    if not found and _WORD.search(text) and len(text.split()) <= MAX_WORDS:
        expression = match_expression(text, prefix=True)
        for scope in (f"{NAMES} : ", ""):
            found = [r[0] for r in db.execute(
                "SELECT d.ref FROM search_docs_fts JOIN search_docs AS d "
                "ON d.id = search_docs_fts.rowid WHERE search_docs_fts MATCH ? "
                "AND d.kind = 'indicator' ORDER BY rank, d.ref LIMIT 6",
                [f"{scope}({expression})"])]
            if found:
                break
        if len(found) == 1:
            return found[0]
    typed = " ".join(typed.split())
    shown = clean(typed)
    if found:
        import shlex

        listed = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
        words = ("-- " if shown.startswith("-") else "") + shlex.quote(shown)
        raise TrackerError(f"{shown!r} matches several indicators: {listed} "
                           f"(give an id; `tracker search {words}` lists them)")
    if shown != typed:
        shown = typed  # invisible or control characters: repr below shows them escaped
    near = nearest(rows, key)
    hint = f"did you mean {', '.join(near)}? " if near else ""
    raise TrackerError(f"unknown indicator {shown!r} ({hint}see `tracker list` or "
                       "`tracker search TEXT`)")


def nearest(rows: list[tuple[str, str, list]], key: str, n: int = 3) -> list[str]:
    """The ids of the indicators whose id, name or an alias is closest to ``key``."""
    import difflib

    names: dict[str, str] = {}
    for i, name, aliases in rows:
        for label in (i, name, *map(str, aliases)):
            names.setdefault(label.casefold(), i)
    close = difflib.get_close_matches(key, list(names), n=n * 3, cutoff=0.6)
    return list(dict.fromkeys(names[c] for c in close))[:n]
