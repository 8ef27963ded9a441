"""The same-answer floor of `tracker show ID` (piped): the standard library printing what it
prints.

One rule is the product's own and is taken from it, as the list floor takes the fit: the
essay's criteria and fit of a mechanism (``tracker.criteria``, read through the product's
stdlib reader). The rest (the indicator, its current values with what else was reported,
the ledger's summary line, the events) is read here with ``sqlite3`` and printed as plain
aligned columns. Like the other floors it assumes clean text (no characters to escape, no
text beyond ASCII in a column); the suite checks its output equal to the product's before
it times it.
"""

from __future__ import annotations

import json
import sqlite3

from floors import IN_ROLES, aligned

MAJOR_PARTIES = ("USA", "CHN")

_ALSO = """
SELECT o.field, o.value FROM observations o
JOIN current_values c ON c.indicator_id = o.indicator_id AND c.field = o.field
  AND c.as_of = o.as_of
WHERE c.indicator_id = ? AND o.value != c.value AND o.withdrawn_at IS NULL
  AND o.origin || ':' || coalesce(o.author, o.source)
      != c.origin || ':' || coalesce(c.author, c.source)
  AND NOT EXISTS (
    SELECT 1 FROM observations n
    WHERE n.indicator_id = o.indicator_id AND n.field = o.field AND n.as_of = o.as_of
      AND n.origin || ':' || coalesce(n.author, n.source)
          = o.origin || ':' || coalesce(o.author, o.source) AND n.withdrawn_at IS NULL
      AND (n.recorded_at > o.recorded_at OR (n.recorded_at = o.recorded_at AND n.id > o.id)))
ORDER BY o.id
"""
"""Values reported beside the current one for its date by another reporter (each
reporter's latest reading)."""


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _table(title: str, head: list[str], rows: list[list[str]]) -> str:
    return f"{title}\n" + aligned([head, *([_one_line(c) for c in r] for r in rows)]) + "\n"


def _summary(conn: sqlite3.Connection, ind: str, head) -> str:
    latest: dict[str, str] = {}
    for party, role in conn.execute("SELECT party, role FROM memberships WHERE mechanism_id = ? "
                                    "ORDER BY date, id", [ind]):
        latest[party] = role
    inside = {p for p, role in latest.items() if role in IN_ROLES}
    members: dict[str, list[str]] = {g: [] for (g,) in conn.execute(
        "SELECT id FROM groups ORDER BY id")}
    for group, party in conn.execute("SELECT group_id, party FROM group_members"):
        members[group].append(party)
    n = len(inside)
    text = (f"{n} participant{'' if n == 1 else 's'} in the "
            f"{'complete' if head and head[0] else 'incomplete'} ledger ("
            + ", ".join(f"{p}: {latest.get(p, 'absent')}" for p in MAJOR_PARTIES) + ")")
    if members:
        text += "; groups: " + ", ".join(
            f"{g} {sum(p in inside for p in ps)}/{len(ps)}" for g, ps in members.items())
    if head and head[1]:
        text += f". {head[1]}"
    return _one_line(text) + "\n\n"


def show_text(conn: sqlite3.Connection, ind: str) -> str:
    """What `tracker show IND` prints when piped."""
    name, cat, description, aliases, retired = conn.execute(
        "SELECT name, category_id, description, aliases, retired_at FROM indicators "
        "WHERE id = ?", [ind]).fetchone()
    title = conn.execute("SELECT title FROM categories WHERE id = ?", [cat]).fetchone()[0]
    out = [_one_line(f"{name} ({ind}) in {title}" + (f" [retired {retired}]" if retired
                                                       else "")) + "\n"]
    aliases = json.loads(aliases or "[]")
    out += [_one_line(t) + "\n" for t in (description, aliases and
                                          "Also known as: " + "; ".join(aliases)) if t]
    out.append("\n")
    current = {f: [v, a, c, s, n, []] for f, v, a, c, s, n in conn.execute(
        "SELECT field, value, as_of, confidence, source, note FROM current_values "
        "WHERE indicator_id = ?", [ind])}
    for field, value in conn.execute(_ALSO, [ind]):
        if value not in current[field][5]:
            current[field][5].append(value)
    rows = []
    for field, label in conn.execute("SELECT field, label FROM fields WHERE category_id = ? "
                                     "ORDER BY position", [cat]):
        if field in current:
            v, a, c, s, n, also = current[field]
            rows.append([label, v + (f" (also reported: {'; '.join(also)})" if also else ""),
                         a, c, s or "", n or ""])
    out.append(_table("Current values", ["Field", "Value", "As of", "Confidence", "Source",
                                         "Note"], rows))
    if cat == "mechanisms":
        from tracker import criteria
        from tracker.store.reader import Reader

        crit = criteria.load(Reader(conn)).get(ind)
        if crit is not None and crit.fit is not None:
            out.append(_table(f"Essay criteria: fit {crit.fit.shown}",
                              ["Criterion", "Value", "Conf.", "Rationale", "Source"],
                              [[criteria.SHORT[c.key], c.shown, c.confidence, c.rationale,
                                c.source or ""] for c in crit.criteria]))
            out.append(_one_line(f"Fit {crit.fit.shown}: {crit.fit.rationale}. Rules: "
                                 f"docs/catalog.md, after {criteria.RULE_URL}") + "\n\n")
        else:
            out.append("Essay criteria: none recorded.\n\n")
    head = conn.execute("SELECT complete, note FROM ledgers WHERE mechanism_id = ?",
                        [ind]).fetchone()
    if head or conn.execute("SELECT 1 FROM memberships m JOIN parties p ON p.code = m.party "
                            "WHERE m.mechanism_id = ?", [ind]).fetchone():
        out.append(_summary(conn, ind, head))
    events = conn.execute(
        "SELECT e.date, e.title, coalesce(e.outcome, ''), coalesce(e.source, '') FROM events e "
        "JOIN event_links l ON l.event_id = e.id WHERE l.indicator_id = ? AND "
        "e.retired_at IS NULL ORDER BY e.date, e.id", [ind]).fetchall()
    if events:
        out.append(_table("Events", ["Date", "Title", "Outcome", "Source"],
                          [list(e) for e in events]))
    return "".join(out)
