"""The Markdown snapshot: deterministic, GitHub-friendly, every cell escaped and sourced."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any


from tracker import criteria, queries, trends
from tracker.dates import is_coming
from tracker.export.mermaid import charts_section
from tracker.export.state import Diff, Previous
from tracker.headline import Figure, Reads
from tracker.text import one_line

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

ROLE_GLYPHS = {"ratified": "R", "signed": "S", "endorsed": "E", "member": "M",
               "observer": "o", "declined": "✗", "withdrew": "W"}
_SYNTAX = re.compile(r"[\\`*_\[\]<>|#&]")
_ESCAPES = {ord(c): "\\" + c for c in "\\`*_[]<>|#"} | {ord("&"): "&amp;"}
"""Markdown syntax gets a backslash before it, ``&`` becomes ``&amp;``."""


def cell(value: Any) -> str:
    """Text made safe for a table cell: one line, Markdown and HTML syntax escaped."""
    text = one_line(value)
    # Most cells hold none of it: one search, then one translate pass for those that do.
    return text if _SYNTAX.search(text) is None else text.translate(_ESCAPES)


class Footnotes:
    """Numbered source footnotes, in order of first use."""

    def __init__(self) -> None:
        self.urls: dict[str, int] = {}

    def ref(self, url: str | None) -> str:
        """``[^n]`` for ``url`` (numbering it on first use), or nothing."""
        if not url:
            return ""
        if url not in self.urls:
            self.urls[url] = len(self.urls) + 1
        return f"[^{self.urls[url]}]"

    def lines(self) -> list[str]:
        """The footnote definitions."""
        return [f"[^{n}]: <{_url(u)}>" if _is_web(u) else f"[^{n}]: {cell(u)}"
                for u, n in self.urls.items()]


def _is_web(url: str) -> bool:
    """Only http(s) URLs become links (never ``javascript:`` or ``data:``)."""
    return one_line(url).lower().startswith(("http://", "https://"))


def _url(url: str) -> str:
    return one_line(url).replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(columns) + " |", "|" + "|".join(" --- " for _ in columns) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def _change_rows(changes: list[trends.Change], notes: Footnotes) -> list[list[str]]:
    # A window's thousands of changes repeat a few thousand texts (names, labels, levels):
    # each is made safe once.
    done: dict[str, str] = {}

    def safe(text: str) -> str:
        found = done.get(text)
        if found is None:
            found = done[text] = cell(text)
        return found

    return [[c.as_of, safe(c.name), safe(c.label), safe(c.old), safe(c.new),
             trends.ARROWS[c.direction] + " " + c.direction + (" (flip)" if c.flip else ""),
             safe(c.note or ""), notes.ref(c.source)] for c in changes]


CHANGE_COLUMNS = ["As of", "Indicator", "Field", "From", "To", "Trend", "Why", "Source"]


def build(db: Database, *, snap_id: str, as_of: str, since: str, since_text: str,
          figures: list[Figure], window: list[trends.Change], previous: Previous | None,
          diff: Diff | None, explicit_since: bool, today: dt.date,
          rows: list[queries.Row] | None = None, reads: Reads | None = None) -> str:
    """The whole snapshot as Markdown text (``rows``: :func:`tracker.queries.rows`, and
    ``reads``: what the headline figures read, when read already)."""
    notes = Footnotes()
    rows = queries.rows(db) if rows is None else rows
    cats = queries.categories(db)
    out = [f"# International AI coordination: snapshot of {as_of}", "",
           f"Snapshot `{snap_id}` · data as of {as_of} · {len(rows)} indicators in "
           f"{len([c for c in cats if any(r.category == c['id'] for r in rows)])} tables · "
           f"trends since {since_text}", ""]
    out += ["## What changed", ""]
    if explicit_since or previous is None:
        if previous is None and not explicit_since:
            out += ["No earlier snapshot is recorded; these are the changes since "
                    f"{since_text}.", ""]
        out += _table(CHANGE_COLUMNS, _change_rows(window, notes)) if window else \
            [f"No changes dated since {since_text}.", ""]
    elif diff is None or diff.empty:
        out += [f"Nothing changed since snapshot `{previous.id}` (data as of "
                f"{previous.as_of}).", ""]
    else:
        out += [f"Since snapshot `{previous.id}` (data as of {previous.as_of}):", ""]
        if diff.values:
            out += _table(CHANGE_COLUMNS, _change_rows(diff.values, notes))
        for title, items in (("New indicators", diff.added), ("Retired indicators",
                                                              diff.retired)):
            if items:
                out += [f"{title}: " + ", ".join(f"`{cell(i)}`" for i in items), ""]
        if diff.joined:
            out += _table(["Mechanism", "Party", "Role", "Date"],
                          [[cell(m), cell(p), cell(r), cell(d)] for m, p, r, d in diff.joined])
    out += ["## Headline figures", ""]
    out += _table(["Figure", "Now", f"On {since}", "Trend"],
                  [[cell(f.label), cell(f.text), "" if f.before is None else str(f.before),
                    trends.ARROWS[f.direction] + " " + f.direction] for f in figures])
    caveats = [f for f in figures if f.kind == "floor" or f.low_confidence]
    if caveats:
        out += ["A *floor* counts only what the ledgers hold: incomplete or missing ledgers "
                "could add more. `tracker trends --explain ID` lists what a figure counts.", ""]
        out += [f"- {cell(f.label)} (`{cell(f.id)}`): {cell(f.note)}" for f in caveats] + [""]
    out += charts_section(db, as_of, cell, reads)
    # Each field's latest change in the window (the latest date; on a tie, the last listed):
    # one pass, no sort.
    latest: dict[tuple[str, str], tuple[str, str]] = {}
    for c in window:
        key, date = (c.indicator_id, c.field), trends.pad(c.as_of)
        if key not in latest or date >= latest[key][0]:
            latest[key] = (date, c.direction)
    last_move = {key: move for key, (_, move) in latest.items()}
    crits = criteria.load(db)
    for c in cats:
        members = [r for r in rows if r.category == c["id"]]
        if not members:
            continue
        fields = [f for f in c["fields"] if any(f["field"] in r.values for r in members)]
        fit = c["id"] == "mechanisms"
        out += [f"## {cell(c['title'])}", ""]
        body = []
        for r in members:
            cells = [cell(r.name)]
            for f in fields:
                cur = r.values.get(f["field"])
                if cur is None:
                    cells.append("")
                    continue
                arrow = last_move.get((r.id, f["field"]))
                text = cell(cur.value) + (f" {trends.ARROWS[arrow]}" if arrow else "")
                if cur.disputed_by:
                    text += " (also reported: " + "; ".join(cell(d) for d in cur.disputed_by) + ")"
                cells.append(text + notes.ref(cur.source))
            if fit:
                found = crits.get(r.id)
                cells.append(cell(found.fit.shown) if found and found.fit else "")
            cells.append(r.as_of)
            body.append(cells)
        out += _table(["Name", *[cell(f["label"]) for f in fields],
                       *(["Fit"] if fit else []), "As of"], body)
        if fit:
            out += _criteria(rows, crits)
    out += _participation(db, [r for r in rows if r.category == "mechanisms"])
    out += _events(db, today, notes)
    out += ["## Sources", "", *notes.lines(), ""]
    out += ["Trend arrows: ▲ better, ▼ worse, • neutral, ~ changed (text), over the window. "
            "Roles: " + ", ".join(f"{g} {r}" for r, g in ROLE_GLYPHS.items()) + ".", ""]
    return "\n".join(out)


CRITERION_GLYPHS = {"yes": "✓", "partly": "½", "no": "✗", "unknown": "?"}


def _criteria(rows, crits: dict[str, criteria.MechanismCriteria]) -> list[str]:
    """The six criteria per mechanism, one glyph each, and the fit."""
    body = []
    for r in rows:
        found = crits.get(r.id)
        if r.category != "mechanisms" or found is None or found.fit is None:
            continue
        body.append([cell(r.name), *[CRITERION_GLYPHS[c.value] + ("+" if c.basis == "floor"
                                                                   and c.value != "yes" else "")
                                      for c in found.criteria], cell(found.fit.shown)])
    if not body:
        return []
    return ["### The essay's criteria", "",
            "Letwin's six criteria of a special purpose international collaboration "
            f"(<{criteria.RULE_URL}>): ✓ yes, ½ partly, ✗ no, ? unknown; + a floor from an "
            "incomplete ledger. `tracker show ID` gives each rationale and source.", "",
            *_table(["Mechanism", *[cell(v) for v in criteria.SHORT.values()], "Fit"], body)]


def _participation(db: Database, mechanisms: list[queries.Row]) -> list[str]:
    """The mechanisms (their rows, read once for the whole snapshot) against the major
    parties."""
    groups = queries.groups(db)
    parties = groups["MAJOR"]["members"] if "MAJOR" in groups else ["USA", "CHN"]
    names = dict(db.execute("SELECT code, name FROM parties").fetchall())
    body = []
    for r in mechanisms:
        _, entries = queries.ledger(db, r.id)
        if not entries:
            continue
        latest = queries.current_parties(entries)
        body.append([cell(r.name), *[ROLE_GLYPHS.get(latest.get(p, ""), "") for p in parties]])
    if not body:
        return []
    return ["## Participation", "",
            "Mechanisms against the major parties, from the recorded ledgers (latest role).", "",
            *_table(["Mechanism", *[cell(names.get(p, p)) for p in parties]], body)]


def _events(db: Database, today: dt.date, notes: Footnotes) -> list[str]:
    """Coming events from the clock's today (never a past one), then past events' outcomes."""
    events = list(db.query("SELECT * FROM events WHERE retired_at IS NULL ORDER BY date, id"))
    coming = [e for e in events if is_coming(e, today)]
    settled = [e for e in events if e.get("outcome")]
    out: list[str] = []
    if coming:
        out += [f"## Coming events (from {today.isoformat()})", "",
                *_table(["Date", "Event", "Kind", "Source"],
                        [[cell(e["date"]), cell(e["title"]), cell(e["kind"]),
                          notes.ref(e["source"])] for e in coming])]
    if settled:
        out += ["## Outcomes of scheduled events", "",
                *_table(["Date", "Event", "Outcome", "Source"],
                        [[cell(e["date"]), cell(e["title"]), cell(e["outcome"]),
                          notes.ref(e["source"])] for e in settled])]
    return out
