"""The same-answer floor of the Tables screen: its category list and first table, read with
``sqlite3`` as plainly as the standard library allows.

The screen shows, for the first category (by position), each live indicator's name, each
field's current value with the arrow of its latest move in the window, the latest as-of
date among its values and the weakest confidence, sorted by name. The floor reads each
field's claims newest first on the history index, once: the first claim is the current
value, the walk down to the first different value gives the arrow. Like the other floors
it assumes the benchmark store's data (ASCII text, no mechanisms table first); the suite
checks its rows equal to the screen's before it times them.
"""

from __future__ import annotations

import json
import sqlite3

from floors import ARROWS, _direction, pad

_DOWN = ("SELECT as_of, value, confidence FROM observations WHERE indicator_id = ? AND "
         "field = ? AND withdrawn_at IS NULL ORDER BY as_of DESC, recorded_at DESC, id DESC")
_NEXT_FIELD = ("SELECT field FROM observations WHERE indicator_id = ? AND field > ? "
               "ORDER BY field LIMIT 1")
CONFIDENCE = ("high", "medium", "low")


def categories(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(id, title) of each category, in the catalog's order."""
    return conn.execute("SELECT id, title FROM categories WHERE position IS NOT NULL ORDER BY position").fetchall()


def _walk(conn: sqlite3.Connection, ind: str, field: str, since: str, scale):
    """A field's current claim (as_of, value, confidence) and its latest move since
    ``since`` (a direction or None), from one walk down its history."""
    kind, levels, better, syn = scale
    current = newer = None
    date = None
    for as_of, value, confidence in conn.execute(_DOWN, [ind, field]):
        if as_of == date:
            continue  # the latest claim of each date only
        date = as_of
        if current is None:
            current = (as_of, value, confidence)
        if newer is not None and newer[1] != value and not (
                kind == "ordinal" and syn.get(newer[1], newer[1]) == syn.get(value, value)):
            return current, _direction(kind, levels, better, syn, value, newer[1])
        if pad(as_of) < since:
            break
        newer = (as_of, value)
    return current, None


def first_table(conn: sqlite3.Connection, since: str) -> list[list[str]]:
    """The first category's rows as the Tables screen shows them, as plain text."""
    category = categories(conn)[0][0]
    if category == "mechanisms":
        raise ValueError("the floor does not compute the mechanisms' fit column")
    fields = [(f, kind, json.loads(levels or "[]"), better, json.loads(syn or "{}"))
              for f, kind, levels, better, syn in conn.execute(
                  "SELECT f.field, s.kind, s.levels, s.better, s.synonyms FROM fields f "
                  "JOIN scales s ON s.id = f.scale_id WHERE f.category_id = ? "
                  "ORDER BY f.position", [category])]
    shown = {f[0] for f in fields}
    rows = []
    for ind, name in conn.execute(
            "SELECT id, name FROM indicators WHERE category_id = ? AND retired_at IS NULL "
            "ORDER BY position, id", [category]).fetchall():
        values, dates, confidences = {}, [], []
        field = ""
        while (row := conn.execute(_NEXT_FIELD, [ind, field]).fetchone()) is not None:
            field = row[0]
            scale = next((f[1:] for f in fields if f[0] == field), ("text", [], "none", {}))
            current, move = _walk(conn, ind, field, since, scale)
            if current is None:
                continue
            dates.append(current[0])
            confidences.append(current[2])
            if field in shown:
                values[field] = current[1] + (f" {ARROWS[move]}" if move else "")
        rows.append([name, *(values.get(f[0], "") for f in fields), max(dates, default=""),
                     max(confidences, key=CONFIDENCE.index, default="")])
    rows.sort(key=lambda r: r[0].casefold())
    return rows
