"""The JSON and CSV snapshots: the whole current state with provenance, for scripts."""

from __future__ import annotations

import json


from tracker import __version__, criteria, queries, trends
from tracker.export.state import Diff, Previous
from tracker.headline import Figure
from tracker.render import csv_text
from tracker.text import escape_json

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

JSON_SHAPE = 1
"""The version of the JSON shape documented in docs/export.md."""


def json_text(db: Database, *, snap_id: str, as_of: str, since: str | None,
              figures: list[Figure], window: list[trends.Change], previous: Previous | None,
              diff: Diff | None) -> str:
    """The snapshot as indented JSON with a stable key order."""
    rows = queries.rows(db)
    data = {
        "shape": JSON_SHAPE,
        "tracker": __version__,
        "snapshot": snap_id,
        "as_of": as_of,
        "window_start": since,
        "previous_snapshot": previous.id if previous else None,
        "headline": [f.as_dict() for f in figures],
        "changes": [c.as_dict() for c in window],
        "since_previous": None if diff is None else {
            "values": [c.as_dict() for c in diff.values], "joined": diff.joined,
            "added": diff.added, "retired": diff.retired},
        "categories": [
            {"id": c["id"], "title": c["title"],
             "fields": [{"id": f["field"], "label": f["label"], "scale": f["scale_id"]}
                        for f in c["fields"]],
             "rows": [{"id": r.id, "name": r.name, "tier": r.tier, "table": r.table_no,
                       "values": {k: v._asdict() for k, v in sorted(r.values.items())}}
                      for r in rows if r.category == c["id"]]}
            for c in queries.categories(db)],
        "criteria": {m: c.as_dict() for m, c in criteria.load(db).items() if c.fit},
        "memberships": _memberships(db),
        "events": [{k: e[k] for k in ("id", "date", "end_date", "title", "kind", "source",
                                      "confidence", "note", "outcome")}
                   for e in db.query("SELECT * FROM events WHERE retired_at IS NULL "
                                     "ORDER BY date, id")],
    }
    return escape_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _memberships(db: Database) -> dict:
    out = {}
    for r in queries.rows(db, "mechanisms"):
        head, entries = queries.ledger(db, r.id)
        if head is None and not entries:
            continue
        out[r.id] = {
            "complete": bool(head and head["complete"]), "note": head and head["note"],
            "entries": [{k: e[k] for k in ("party", "role", "date", "source", "confidence",
                                            "note")} for e in entries]}
    return out


def _csv(columns: list[str], rows) -> str:
    return csv_text(columns, rows)


def observations_csv(db: Database) -> str:
    """Every observation, one per line, with its provenance."""
    cols = ["indicator_id", "field", "value", "as_of", "origin", "source", "confidence",
            "note", "author", "recorded_at", "withdrawn_at"]
    return _csv(cols, db.execute(f"SELECT {', '.join(cols)} FROM observations "
                                 "ORDER BY indicator_id, field, as_of, recorded_at, id"))


def csv_tables(db: Database) -> dict[str, str]:
    """One CSV per category of current values, plus observations, memberships and events."""
    tables = {}
    rows = queries.rows(db)
    for c in queries.categories(db):
        fields = [f["field"] for f in c["fields"]]
        cols = ["id", "name"]
        for f in fields:
            cols += [f, f"{f}_as_of", f"{f}_source", f"{f}_confidence"]
        body = []
        for r in rows:
            if r.category != c["id"]:
                continue
            line = [r.id, r.name]
            for f in fields:
                v = r.values.get(f)
                line += [v.value, v.as_of, v.source, v.confidence] if v else ["", "", "", ""]
            body.append(line)
        tables[c["id"]] = _csv(cols, body)
    tables["observations"] = observations_csv(db)
    ccols = ["mechanism_id", "criterion", "value", "shown", "basis", "confidence", "rationale",
             "source", "fit"]
    tables["criteria"] = _csv(ccols, [
        [m, c.key, c.value, c.shown, c.basis, c.confidence, c.rationale, c.source,
         found.fit.shown] for m, found in criteria.load(db).items() if found.fit
        for c in found.criteria])
    mcols = ["mechanism_id", "party", "role", "date", "source", "confidence", "note"]
    tables["memberships"] = _csv(mcols, db.execute(
        f"SELECT {', '.join(mcols)} FROM memberships ORDER BY mechanism_id, date, party, role"))
    ecols = ["id", "date", "end_date", "title", "kind", "source", "confidence", "note"]
    tables["events"] = _csv(ecols, db.execute(
        f"SELECT {', '.join(ecols)} FROM events WHERE retired_at IS NULL ORDER BY date, id"))
    return tables
