"""What the listing commands print: tables, JSON and CSV built from the store's reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO


from tracker import queries, render
from tracker.queries import IN_ROLES
from tracker.text import count

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

    from tracker import criteria

MAJOR_PARTIES = ("USA", "CHN")


def _cell(current: queries.Current | None) -> str:
    if current is None:
        return ""
    text = current.value
    if current.disputed_by:
        text += f" (also reported: {'; '.join(current.disputed_by)})"
    return text


def _sources(db: Database, out: TextIO):
    """How a source URL is shown: a short linked label on a terminal, the URL otherwise."""
    if not render.is_terminal(out):
        return lambda url: url or ""
    names = {r[0]: r[1] for r in db.execute('SELECT url, id FROM "references"')}
    return lambda url: render.link(url, names.get(url)) if url else ""


def _label_row(row: queries.Row) -> str:
    if row.tier:
        return f"{row.name} (tier {row.tier})"
    if row.table_no:
        return f"{row.name} (table {row.table_no})"
    return row.name


def list_rows(db: Database, out: TextIO, fmt: str, category: str | None = None,
              watch: Sequence[str] = ()) -> int:
    """Print every category's table (or one) with current values and as-of dates; the
    indicators on the ``watch`` list come first in their tables, in the list's order."""
    from tracker import criteria

    cats = [c for c in queries.categories(db) if category in (None, c["id"])]
    all_rows = queries.rows(db, category)
    if watch:
        rank = {ident: i for i, ident in enumerate(watch)}
        all_rows.sort(key=lambda r: rank.get(r.id, len(rank)))  # stable: the rest keep order
    fits = {m: c.fit.shown for m, c in criteria.load(db).items() if c.fit} \
        if any(c["id"] == "mechanisms" for c in cats) else {}

    def fit(c: dict[str, Any], r: queries.Row | None = None) -> list[str]:
        """The mechanisms' Fit column (after the name, as on the screen), else nothing."""
        if c["id"] != "mechanisms":
            return []
        return ["Fit"] if r is None else [fits.get(r.id, "")]

    if fmt == "json":
        render.as_json(out, {"categories": [
            {"id": c["id"], "title": c["title"],
             "fields": [f["field"] for f in c["fields"]],
             "rows": [{"id": r.id, "name": r.name, "tier": r.tier, "table": r.table_no,
                       **({"fit": fits.get(r.id, "")} if c["id"] == "mechanisms" else {}),
                       "values": {k: v._asdict() for k, v in r.values.items()}}
                      for r in all_rows if r.category == c["id"]]}
            for c in cats]})
        return len(all_rows)
    if fmt == "csv":
        render.as_csv(out, ["category", "id", "name", "field", "value", "as_of", "confidence",
                            "origin", "source", "note"],
                      [[r.category, r.id, r.name, f, v.value, v.as_of, v.confidence, v.origin,
                        v.source, v.note] for r in all_rows for f, v in r.values.items()])
        return len(all_rows)
    for c in cats:
        members = [r for r in all_rows if r.category == c["id"]]
        if not members:
            continue
        fields = c["fields"]
        if render.is_terminal(out):
            # Columns no row fills are left out; long text wraps, short values do not.
            fields = [f for f in fields if any(f["field"] in r.values for r in members)]
            values = [[_cell(r.values.get(f["field"])) for f in fields] for r in members]
            columns = ["Name / ID", *fit(c), *[f["label"] for f in fields], "As of"]
            body = [[render.labelled(_label_row(r), r.id), *fit(c, r), *v, r.as_of]
                    for r, v in zip(members, values)]
            skip = 1 + len(fit(c))
            wrap = [0] + [i + skip for i, f in enumerate(fields) if f["scale_kind"] == "text"]
            render.table(out, c["title"], columns, body, keep=(0,), wrap=wrap)
        else:
            values = [[_cell(r.values.get(f["field"])) for f in fields] for r in members]
            columns = ["ID", "Name", *fit(c), *[f["label"] for f in fields], "As of"]
            body = [[r.id, _label_row(r), *fit(c, r), *v, r.as_of]
                    for r, v in zip(members, values)]
            render.table(out, c["title"], columns, body)
    return len(all_rows)


def categories(db: Database, out: TextIO, fmt: str) -> None:
    """Print the categories `list --category` accepts, with their titles and live rows."""
    counts = dict(db.execute("SELECT category_id, count(*) FROM indicators "
                             "WHERE retired_at IS NULL GROUP BY category_id").fetchall())
    rows = [[c["id"], c["title"], counts.get(c["id"], 0)] for c in queries.categories(db)]
    if fmt == "json":
        render.as_json(out, [{"id": i, "title": t, "rows": n} for i, t, n in rows])
    elif fmt == "csv":
        render.as_csv(out, ["id", "title", "rows"], rows)
    else:
        render.table(out, "Categories (tracker list --category ID)", ["ID", "Title", "Rows"],
                     [[i, t, str(n)] for i, t, n in rows], wrap=(1,))


def show(db: Database, out: TextIO, indicator_id: str, fmt: str) -> None:
    """Print one indicator: every field's current value with provenance, and its ledger."""
    ind = queries.indicator(db, indicator_id)
    assert ind is not None
    [row] = queries.rows(db, ids=[indicator_id], retired=True)
    cats = {c["id"]: c for c in queries.categories(db, dropped=True)}
    fields = cats[ind["category_id"]]["fields"]
    events = queries.events_for(db, indicator_id)
    head, entries = queries.ledger(db, indicator_id)
    if fmt == "json":
        render.as_json(out, {
            "id": ind["id"], "name": ind["name"], "category": ind["category_id"],
            "description": ind["description"], "aliases": ind["aliases"], "kind": ind["kind"],
            "tier": ind["tier"], "table": ind["table_no"], "retired_at": ind["retired_at"],
            "criteria": _criteria(db, ind), "values": {k: v._asdict() for k, v in row.values.items()},
            "members": _summary(db, head, entries) if head or entries else None,
            "events": [{"date": e["date"], "title": e["title"], "source": e["source"],
                        "outcome": e.get("outcome")} for e in events],
        })
        return
    title = f"{ind['name']} ({ind['id']}) in {cats[ind['category_id']]['title']}"
    render.paragraph(out, title + (f" [retired {ind['retired_at']}]" if ind["retired_at"]
                                   else ""))
    for text in filter(None, [ind["description"],
                              ind["aliases"] and "Also known as: " + "; ".join(ind["aliases"])]):
        render.paragraph(out, text)
    out.write("\n")
    body = []
    src = _sources(db, out)
    for f in fields:
        cur = row.values.get(f["field"])
        if cur:
            body.append([f["label"], _cell(cur), cur.as_of, cur.confidence, src(cur.source),
                         cur.note or ""])
    render.table(out, "Current values", ["Field", "Value", "As of", "Confidence", "Source",
                                         "Note"], body, wrap=(1, 4, 5))
    crit = None
    if ind["category_id"] == "mechanisms":  # the criteria's rules: loaded for a mechanism
        from tracker import criteria

        crit = criteria.load(db).get(indicator_id)
    if crit is not None and crit.fit is not None:
        _criteria_table(out, crit, src)
        render.paragraph(out, f"Fit {crit.fit.shown}: {crit.fit.rationale}. Rules: "
                         f"docs/catalog.md, after {criteria.RULE_URL}")
        out.write("\n")
    elif ind["category_id"] == "mechanisms":
        render.line(out, "Essay criteria: none recorded.\n")
    if head or entries:
        s = _summary(db, head, entries)
        render.paragraph(out, _summary_line(s))
        out.write("\n")
    if events:
        render.table(out, "Events", ["Date", "Title", "Outcome", "Source"],
                     [[e["date"], e["title"], e.get("outcome") or "", src(e["source"])]
                      for e in events], wrap=(1, 2, 3))


def _criteria_table(out: TextIO, crit: criteria.MechanismCriteria, src) -> None:
    from tracker import criteria

    title = f"Essay criteria: fit {crit.fit.shown}" if crit.fit else "Essay criteria"
    if not render.is_terminal(out):
        render.table(out, title, ["Criterion", "Value", "Conf.", "Rationale", "Source"],
                     [[criteria.SHORT[c.key], c.shown, c.confidence, c.rationale,
                       src(c.source)] for c in crit.criteria])
        return
    from rich.text import Text

    rows = []
    for c in crit.criteria:
        why = Text(render.clean(c.rationale) + "\n")
        why.append_text(src(c.source))
        rows.append([criteria.SHORT[c.key], c.shown, c.confidence, why])
    render.table(out, title, ["Criterion", "Value", "Conf.", "Rationale and source"], rows,
                 wrap=(3,))


def _criteria(db: Database, ind: dict[str, Any]) -> dict[str, Any] | None:
    from tracker import criteria

    if ind["category_id"] != "mechanisms":
        return None
    found = criteria.load(db).get(ind["id"])
    return found.as_dict() if found is not None and found.fit is not None else None


def _summary(db: Database, head: dict[str, Any] | None,
             entries: list[dict[str, Any]]) -> dict[str, Any]:
    latest = queries.current_parties(entries)
    participants = sorted(p for p, role in latest.items() if role in IN_ROLES)
    coverage = {}
    for gid, group in queries.groups(db).items():
        inside = [p for p in group["members"] if p in participants]
        coverage[gid] = {"in": len(inside), "of": len(group["members"])}
    return {
        "complete": bool(head and head["complete"]), "note": head and head["note"],
        "participants": len(participants), "entries": len(entries),
        "includes": {p: latest.get(p, "absent") for p in MAJOR_PARTIES},
        "groups": coverage,
    }


def _summary_line(s: dict[str, Any]) -> str:
    ledger = "complete ledger" if s["complete"] else "incomplete ledger"
    majors = ", ".join(f"{p}: {role}" for p, role in s["includes"].items())
    groups = ", ".join(f"{g} {c['in']}/{c['of']}" for g, c in s["groups"].items())
    text = f"{count(s['participants'], 'participant')} in the {ledger} ({majors})"
    if groups:
        text += f"; groups: {groups}"
    if s["note"]:
        text += f". {s['note']}"
    return text


def history(db: Database, out: TextIO, indicator_id: str, field: str | None, fmt: str) -> int:
    """Print every observation of an indicator (or one field) with its provenance."""
    if fmt not in ("json", "csv"):
        return _history_table(db, out, indicator_id, field)
    obs = queries.history(db, indicator_id, field)
    columns = ["field", "as_of", "value", "origin", "confidence", "source", "note", "author",
               "recorded_at", "withdrawn_at", "withdrawn_by", "withdrawn_note"]
    if fmt == "json":
        render.as_json(out, obs)
    else:
        render.as_csv(out, columns, [[o[k] for k in columns] for o in obs])
    return len(obs)


_HISTORY_SHOWN = ("as_of", "field", "value", "origin", "confidence", "source",
                  "coalesce(note, '')", "withdrawn_at", "withdrawn_by", "withdrawn_note")
"""What a history table shows of each observation: its seven columns as they are, unless
it was withdrawn (then :func:`history_value` and :func:`history_note` say so)."""


def _history_table(db: Database, out: TextIO, indicator_id: str, field: str | None) -> int:
    rows = queries.history_rows(db, indicator_id, field, _HISTORY_SHOWN)
    terminal = render.is_terminal(out)
    src = _sources(db, out)
    shown = []
    for r in rows:
        if r[7] is not None:  # withdrawn
            o = dict(zip(("as_of", "field", "value", "origin", "confidence", "source", "note",
                          "withdrawn_at", "withdrawn_by", "withdrawn_note"), r))
            shown.append((*r[:2], history_value(o), *r[3:5], src(r[5]), history_note(o)))
        elif terminal:
            shown.append((*r[:5], src(r[5]), r[6]))
        else:  # piped: every column as stored (a source is its URL)
            shown.append(r[:7])
    render.table(out, f"History of {indicator_id}" + (f".{field}" if field else ""),
                 ["As of", "Field", "Value", "Origin", "Confidence", "Source", "Note"],
                 shown, wrap=(2, 5, 6))
    return len(rows)


def history_value(o: dict) -> str:
    """An observation's value as a history shows it: a withdrawn one says so."""
    return f"{o['value']} (withdrawn)" if o.get("withdrawn_at") else o["value"]


def history_note(o: dict) -> str:
    """An observation's note as a history shows it: who withdrew it, when and why. A
    catalog value the catalog no longer lists is withdrawn by the sync, which records no
    name: the catalog withdrew it."""
    if not o.get("withdrawn_at"):
        return o["note"] or ""
    why = f": {o['withdrawn_note']}" if o.get("withdrawn_note") else ""
    who = o.get("withdrawn_by") or ("the catalog" if o.get("origin") == "catalog" else "")
    return (f"withdrawn {o['withdrawn_at'][:10]}{f' by {who}' if who else ''}{why}"
            + (f" ({o['note']})" if o["note"] else ""))


def members(db: Database, out: TextIO, mechanism_id: str, fmt: str, role: str | None) -> int:
    """Print a mechanism's dated membership ledger and what follows from it."""
    head, entries = queries.ledger(db, mechanism_id)
    shown = [e for e in entries if role in (None, e["role"])]
    columns = ["party", "party_name", "role", "date", "confidence", "source", "note"]
    if fmt == "json":
        render.as_json(out, {"mechanism": mechanism_id, **_summary(db, head, entries),
                             "entries": [{k: e[k] for k in columns} for e in shown]})
    elif fmt == "csv":
        render.as_csv(out, columns, [[e[k] for k in columns] for e in shown])
    else:
        render.table(out, f"Members of {mechanism_id}",
                     ["Party", "Name", "Role", "Date", "Confidence", "Source", "Note"],
                     [[*(e[k] or "" for k in columns[:5]), _sources(db, out)(e["source"]),
                       e["note"] or ""] for e in shown],
                     caption=_summary_line(_summary(db, head, entries)), wrap=(1, 5, 6))
    return len(shown)
