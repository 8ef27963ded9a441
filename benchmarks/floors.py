"""Same-answer floors: the standard library (sqlite3, json) printing what a command prints.

Each floor reads the store with the ``sqlite3`` module on an open connection and writes the
same text the product writes when piped (its default output), so the suite can check the
two are equal before it times them. A floor that disagrees is a failure, not a figure.

They assume the benchmark store's data (ASCII text, no withdrawn values, no hostile
characters): the equality check is what proves that assumption on the store measured.
"""

from __future__ import annotations

import json
import re
import sqlite3
from itertools import groupby

ARROWS = {"better": "▲", "worse": "▼", "neutral": "•", "changed": "~"}
IN_ROLES = ("signed", "ratified", "endorsed", "member")
OUT_ROLES = ("withdrew", "declined")
CAPTION = ("Why: the note recorded with the new value, cut at 80 columns; "
           "`tracker history ID` and --format json give it whole.")


def pad(d: str) -> str:
    return (d + "-01-01")[:10] if len(d) == 4 else (d + "-01")[:10]


def aligned(rows: list[list[str]]) -> str:
    """Columns two spaces apart, padded to the widest cell, no trailing spaces."""
    widths = [max(map(len, col)) for col in zip(*rows)]
    return "".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n"
                   for row in rows)


def _direction(kind, levels, better, syn, old, new):
    if kind == "text":
        return "changed"
    if better == "none":
        return "neutral"
    old, new = syn.get(old, old), syn.get(new, new)
    if kind == "numeric":
        try:
            up = float(new) > float(old)
        except ValueError:
            return "changed"
    else:
        if old not in levels or new not in levels:
            return "neutral"
        up = levels.index(new) > levels.index(old)
    return "better" if up == (better == "higher") else "worse"


def field_changes(conn: sqlite3.Connection, since: str) -> list[tuple]:
    """(key, row, flip-id) per change of a field, by range seeks per field."""
    return list(field_steps(conn, since))


def field_steps(conn: sqlite3.Connection, since: str, whole: bool = False):
    """:func:`field_changes` one at a time; ``whole``: each change's every field (for JSON)
    as a fourth item."""
    scales = {}
    for cat, field, label, kind, levels, better, syn in conn.execute(
            "SELECT f.category_id, f.field, f.label, s.kind, s.levels, s.better, s.synonyms "
            "FROM fields f JOIN scales s ON s.id = f.scale_id"):
        scales[(cat, field)] = (label, kind, json.loads(levels or "[]"), better,
                                json.loads(syn or "{}"))
    for ind, name, cat in conn.execute("SELECT id, name, category_id FROM indicators "
                                       "WHERE retired_at IS NULL ORDER BY id").fetchall():
        field = ""
        while True:  # the indicator's fields, one index seek each
            row = conn.execute("SELECT field FROM observations WHERE indicator_id = ? AND "
                               "field > ? ORDER BY field LIMIT 1", [ind, field]).fetchone()
            if row is None:
                break
            field = row[0]
            label, kind, levels, better, syn = scales.get((cat, field),
                                                          (field, "text", [], "none", {}))
            start = ""
            for (as_of,) in conn.execute(
                    "SELECT as_of FROM observations WHERE indicator_id = ? AND field = ? "
                    "AND as_of < ? AND withdrawn_at IS NULL "
                    "ORDER BY as_of DESC, recorded_at DESC, id DESC", [ind, field, since]):
                if pad(as_of) < since:
                    start = as_of
                    break
            claims = {}
            for row in conn.execute(
                    "SELECT as_of, value, source, note, confidence, origin FROM observations "
                    "WHERE indicator_id = ? AND field = ? AND as_of >= ? AND withdrawn_at IS NULL "
                    "ORDER BY as_of, recorded_at, id", [ind, field, start]):
                claims[row[0]] = row  # the latest claim per date
            prev, steps = None, []
            for as_of, value, source, note, conf, origin in claims.values():
                if prev is not None and pad(as_of) >= since and prev[1] != value and not (
                        kind == "ordinal" and syn.get(prev[1], prev[1]) == syn.get(value, value)):
                    steps.append((as_of, prev[1], value, source, note,
                                  _direction(kind, levels, better, syn, prev[1], value),
                                  prev[0], conf, origin))
                prev = (as_of, value)
            moves = {s[5] for s in steps}
            flip = "better" in moves and "worse" in moves
            for as_of, old, new, source, note, move, old_as_of, conf, origin in steps:
                step = ((pad(as_of), cat, ind, field, ""),
                        [as_of, name, label, old, new, _trend(move, flip), note or "",
                         source], (ind, field) if flip else None)
                yield (*step, [ind, name, cat, field, label, old, new, old_as_of, as_of, move,
                               source, conf, origin, note, flip, None, None]) if whole else step


def ledger_changes(conn: sqlite3.Connection, since: str) -> list[tuple]:
    return list(ledger_steps(conn, since))


def ledger_steps(conn: sqlite3.Connection, since: str, whole: bool = False):
    """:func:`ledger_changes` one at a time (``whole``: as :func:`field_steps`)."""
    rows = conn.execute(
        "SELECT m.mechanism_id, m.party, m.role, m.date, m.source, m.note, "
        "m.confidence, coalesce(m.origin, 'catalog'), "
        "coalesce(p.name, m.party), i.name, i.category_id FROM memberships m "
        "JOIN indicators i ON i.id = m.mechanism_id LEFT JOIN parties p ON p.code = m.party "
        "WHERE i.retired_at IS NULL ORDER BY m.mechanism_id, m.party, m.date, m.id")
    for _, entries in groupby(rows, key=lambda r: (r[0], r[1])):
        role, role_date, steps = "", "", []
        for date, day in groupby(entries, key=lambda r: pad(r[3])):
            last = list(day)[-1]
            if last[2] != role and date >= since:
                steps.append((last, role, role_date))
            role, role_date = last[2], last[3]
        moves = {_role(e[2]) for e, _, _ in steps}
        flip = "better" in moves and "worse" in moves
        for (mech, party, new, date, source, note, conf, origin, pname, name, cat), old, \
                old_date in steps:
            label = f"{pname} (membership)"
            step = ((pad(date), cat, mech, "membership", party),
                    [date, name, label, old, new, _trend(_role(new), flip), note or "", source],
                    (mech, "membership") if flip else None)
            yield (*step, [mech, name, cat, "membership", label, old, new, old_date, date,
                           _role(new), source, conf, origin, note, flip, party, new]) \
                if whole else step


def _role(role: str) -> str:
    return "better" if role in IN_ROLES else "worse" if role in OUT_ROLES else "neutral"


def _trend(move: str, flip: bool) -> str:
    return f"{ARROWS[move]} {move}" + (" (flip)" if flip else "")


def _note(note: str | None) -> str:
    note = " ".join((note or "").split())
    return note if len(note) <= 80 else note[:79] + "…"


def window(conn: sqlite3.Connection, since: str) -> list[tuple]:
    """Every change since ``since``, newest first."""
    found = field_changes(conn, since)
    found.sort(key=lambda c: c[0], reverse=True)
    ledger = ledger_changes(conn, since)
    ledger.sort(key=lambda c: c[0], reverse=True)
    return sorted(found + ledger, key=lambda c: c[0], reverse=True)


def trends_table(conn: sqlite3.Connection, since: str) -> str:
    """The changes table and the flips line of `tracker trends --since` (piped)."""
    found = window(conn, since)
    n = len(found)
    text = (f"{n} change{'' if n == 1 else 's'} since {since or 'the first record'}\n"
            + aligned([["As of", "Indicator", "Field", "From", "To", "Trend", "Why", "Source"],
                       *(c[1][:6] + [_note(c[1][6]), c[1][7]] for c in found)]) + CAPTION + "\n\n")
    flips = sorted({c[2] for c in found if c[2]})
    if flips:
        text += "Flips (moved both ways in the window): " + ", ".join(
            f"{i}.{f}" for i, f in flips) + "\n"
    return text


CHANGE_FIELDS = ("indicator_id", "name", "category", "field", "label", "old", "new",
                 "old_as_of", "as_of", "direction", "source", "confidence", "origin", "note",
                 "flip", "party", "role")


def _spooled(conn: sqlite3.Connection, since: str, cells, n: int, whole: bool = False):
    """Every change since ``since`` through a temporary database on disk (bounded memory):
    each written as ``cells(step)`` (``n`` cells) while it is computed, then read back
    newest first. Returns the rows (a cursor) and the spool."""
    spool = sqlite3.connect("")
    spool.execute("PRAGMA cache_size = -512")  # as the product's spool
    spool.execute(f"CREATE TABLE t (k0, k1, k2, k3, k4, {', '.join(f'c{i}' for i in range(n))})")

    def rows():
        for steps in (field_steps(conn, since, whole), ledger_steps(conn, since, whole)):
            for step in steps:
                yield (*step[0], *cells(step))
    spool.executemany(f"INSERT INTO t VALUES ({', '.join('?' * (5 + n))})", rows())
    return spool.execute(f"SELECT {', '.join(f'c{i}' for i in range(n))} FROM t ORDER BY k0 DESC, "
                         "k1 DESC, k2 DESC, k3 DESC, k4 DESC, rowid"), spool


def trends_stream(conn: sqlite3.Connection, since: str, out) -> None:
    """What :func:`trends_table` prints, in bounded memory: the column widths and flips are
    gathered while the changes are spooled, then the rows are written as they are read."""
    head = ["As of", "Indicator", "Field", "From", "To", "Trend", "Why", "Source"]
    widths, flips = list(map(len, head)), set()

    def cells(step):
        _, row, flip = step[:3]
        row = row[:6] + [_note(row[6]), row[7]]
        widths[:] = map(max, widths, map(len, row))
        if flip:
            flips.add(flip)
        return row
    rows, spool = _spooled(conn, since, cells, len(head))
    n = spool.execute("SELECT count(*) FROM t").fetchone()[0]
    line = "  ".join(f"{{:<{w}}}" for w in widths).format
    out.write(f"{n} change{'' if n == 1 else 's'} since {since or 'the first record'}\n")
    out.write(line(*head).rstrip() + "\n")
    out.writelines(line(*row).rstrip() + "\n" for row in rows)
    out.write(CAPTION + "\n\n")
    if flips:
        out.write("Flips (moved both ways in the window): " + ", ".join(
            f"{i}.{f}" for i, f in sorted(flips)) + "\n")


def trends_json(conn: sqlite3.Connection, since: str, out) -> None:
    """The ``changes`` list of `tracker trends --format json` (piped), in bounded memory."""
    rows, _ = _spooled(conn, since, lambda step: (json.dumps(
        dict(zip(CHANGE_FIELDS, step[3])), ensure_ascii=False, separators=(",", ":")),), 1, True)
    out.write('"changes":[')
    for i, (text,) in enumerate(rows):
        out.write("," + text if i else text)
    out.write("]")


def history_table(conn: sqlite3.Connection, indicator_id: str) -> str:
    """`tracker history ID` (piped)."""
    rows = conn.execute(
        "SELECT o.as_of, o.field, o.value, o.origin, o.confidence, o.source, "
        "coalesce(o.note, '') FROM observations o JOIN indicators i ON i.id = o.indicator_id "
        "LEFT JOIN fields f ON f.category_id = i.category_id AND f.field = o.field "
        "WHERE o.indicator_id = ? ORDER BY f.position, o.field, o.as_of, o.recorded_at, o.id",
        [indicator_id]).fetchall()
    return (f"History of {indicator_id}\n"
            + aligned([["As of", "Field", "Value", "Origin", "Confidence", "Source", "Note"],
                       *rows]) + "\n")


def export_changes(conn: sqlite3.Connection, since: str) -> str:
    """The "What changed" table of `tracker export` (Markdown), footnotes numbered in order
    of first use."""
    refs: dict[str, int] = {}
    lines = ["| " + " | ".join(["As of", "Indicator", "Field", "From", "To", "Trend", "Why",
                                "Source"]) + " |", "|" + "|".join([" --- "] * 8) + "|"]
    for _, row, _ in window(conn, since):
        ref = f"[^{refs.setdefault(row[7], len(refs) + 1)}]" if row[7] else ""
        lines.append("| " + " | ".join([row[0], *map(_md, row[1:5]), row[5], _md(row[6]), ref])
                     + " |")
    return "\n".join(lines) + "\n"


_MD = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    """A Markdown table cell: one line, ``&`` and Markdown syntax escaped."""
    return _MD.sub(r"\\\1", " ".join(text.split()).replace("&", "&amp;"))


ALSO_REPORTED = """
SELECT o.indicator_id, o.field, o.value FROM observations o
JOIN current_values c
  ON c.indicator_id = o.indicator_id AND c.field = o.field AND c.as_of = o.as_of
WHERE o.value != c.value AND o.withdrawn_at IS NULL
  AND o.origin || ':' || coalesce(o.author, o.source) != c.origin || ':' || coalesce(c.author, c.source)
  AND NOT EXISTS (
    SELECT 1 FROM observations n
    WHERE n.indicator_id = o.indicator_id AND n.field = o.field AND n.as_of = o.as_of
      AND n.origin || ':' || coalesce(n.author, n.source) = o.origin || ':' || coalesce(o.author, o.source)
      AND n.withdrawn_at IS NULL
      AND (n.recorded_at > o.recorded_at OR (n.recorded_at = o.recorded_at AND n.id > o.id)))
ORDER BY o.id
"""


def _fits(conn: sqlite3.Connection) -> dict[str, str]:
    """The mechanisms' essay fit: the one column the floor takes from the product, because
    it is derived by the essay's rules (tracker.criteria), not read by a query. The rules
    read the store through the product's stdlib reader, not sqlite-utils."""
    from tracker import criteria
    from tracker.store.reader import Reader

    return {m: c.fit.shown for m, c in criteria.load(Reader(conn)).items() if c.fit}


def list_text(conn: sqlite3.Connection) -> str:
    """`tracker list` (piped): a table per category of current values."""
    values: dict[tuple[str, str], list] = {}
    for ind, field, value, as_of in conn.execute(
            "SELECT indicator_id, field, value, as_of FROM current_values"):
        values[(ind, field)] = [value, as_of, []]
    for ind, field, value in conn.execute(ALSO_REPORTED):
        also = values[(ind, field)][2]
        if value not in also:
            also.append(value)
    out = []
    fits = _fits(conn)
    for cat, title in conn.execute("SELECT id, title FROM categories WHERE position IS NOT NULL ORDER BY position")\
            .fetchall():
        fields = conn.execute("SELECT field, label FROM fields WHERE category_id = ? "
                              "ORDER BY position", [cat]).fetchall()
        rows = []
        for ind, name, tier, table_no in conn.execute(
                "SELECT id, name, tier, table_no FROM indicators WHERE category_id = ? AND "
                "retired_at IS NULL ORDER BY position, id", [cat]):
            label = f"{name} (tier {tier})" if tier else f"{name} (table {table_no})" \
                if table_no else name
            cells, dates = [], []
            for field, _ in fields:
                v = values.get((ind, field))
                if v is None:
                    cells.append("")
                    continue
                dates.append(v[1])
                cells.append(v[0] + (f" (also reported: {'; '.join(v[2])})" if v[2] else ""))
            fit = [fits.get(ind, "")] if cat == "mechanisms" else []
            rows.append([ind, label, *fit, *cells, max(dates, default="")])
        if rows:
            rows = [[" ".join(c.split()) for c in r] for r in rows]
            head = ["ID", "Name", *(["Fit"] if cat == "mechanisms" else []),
                    *(f[1] for f in fields), "As of"]
            out.append(f"{title}\n" + aligned([head, *rows]) + "\n")
    return "".join(out)


_NEWEST = ("SELECT indicator_id, field, as_of FROM observations WHERE as_of >= ? "
           "AND withdrawn_at IS NULL ORDER BY as_of DESC")
_DOWN = ("SELECT as_of, value FROM observations WHERE indicator_id = ? AND field = ? "
         "AND as_of <= ? AND withdrawn_at IS NULL ORDER BY as_of DESC, recorded_at DESC, id DESC")


def overview_rows(conn: sqlite3.Connection, since: str, limit: int) -> list[list[str]]:
    """The Overview's latest changes as it shows them (as of, indicator, field, now, trend):
    field changes found by walking the observations newest first and stopping once
    ``limit`` are known, merged with the window's membership changes."""
    from heapq import merge

    scales = {(cat, field): (label, kind, json.loads(levels or "[]"), better,
                             json.loads(syn or "{}"))
              for cat, field, label, kind, levels, better, syn in conn.execute(
                  "SELECT f.category_id, f.field, f.label, s.kind, s.levels, s.better, "
                  "s.synonyms FROM fields f JOIN scales s ON s.id = f.scale_id")}
    known = {i: (n, c) for i, n, c in conn.execute(
        "SELECT id, name, category_id FROM indicators WHERE retired_at IS NULL")}
    seen, found, cutoff = set(), [], None
    for ind, field, as_of in conn.execute(_NEWEST, [since[:4]]):
        padded = pad(as_of)
        if padded < since or (cutoff is not None and padded < cutoff):
            break
        if ind not in known or (ind, field, as_of) in seen:
            continue
        seen.add((ind, field, as_of))
        claim = prev = None
        for row in conn.execute(_DOWN, [ind, field, as_of]):  # the latest claim per date
            if claim is None:
                claim = row
            elif row[0] != claim[0]:
                prev = row
                break
        if claim is None or prev is None or claim[0] != as_of or claim[1] == prev[1]:
            continue
        name, cat = known[ind]
        label, kind, levels, better, syn = scales.get((cat, field),
                                                      (field, "text", [], "none", {}))
        if kind == "ordinal" and syn.get(prev[1], prev[1]) == syn.get(claim[1], claim[1]):
            continue
        move = _direction(kind, levels, better, syn, prev[1], claim[1])
        found.append(((padded, cat, ind, field, ""),
                      [as_of, name, label, claim[1], f"{ARROWS[move]} {move}"]))
        if len(found) == limit:
            cutoff = padded
    found.reverse()
    found.sort(key=lambda f: f[0][:4], reverse=True)
    ledger = sorted(((key, [r[0], r[1], r[2], r[4], r[5].replace(" (flip)", " flip")])
                     for key, r, _ in ledger_steps(conn, since)),
                    key=lambda f: f[0], reverse=True)
    rows = merge(found[:limit], ledger, key=lambda f: f[0], reverse=True)
    return [row for _, row in list(rows)[:limit]]


def main(argv: list[str]) -> None:
    """python floors.py list|trends|trends-stream|trends-json|history|show DB [ARG]: print
    what the product prints."""
    import sys

    what, conn = argv[0], sqlite3.connect(argv[1])
    if what in ("trends-stream", "trends-json"):
        (trends_stream if what == "trends-stream" else trends_json)(conn, argv[2], sys.stdout)
        return
    if what == "show":
        from show_floor import show_text

        sys.stdout.write(show_text(conn, argv[2]))
        return
    sys.stdout.write({"list": lambda: list_text(conn),
                      "trends": lambda: trends_table(conn, argv[2]),
                      "history": lambda: history_table(conn, argv[2])}[what]())


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
