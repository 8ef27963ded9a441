"""One category as a wide table, as the screen shows it: a row per indicator, a column per
field, current values (`tracker export --category ID`), in Markdown, JSON or CSV."""

from __future__ import annotations

import json
from typing import Any

from typing import TYPE_CHECKING

from tracker import queries
from tracker.errors import TrackerError
from tracker.render import csv_text
from tracker.text import escape_json

if TYPE_CHECKING:
    from sqlite_utils import Database

EXTENSIONS = {"md": "md", "json": "json", "csv": "csv"}


def wide(db: Database, category: str) -> dict[str, Any]:
    """The category's title, fields and rows (id, name, a value per field, as of).

    Raises:
        TrackerError: no such category (the message lists those there are).
    """
    from tracker.reports import _cell, _label_row

    cats = {c["id"]: c for c in queries.categories(db)}
    if category not in cats:
        raise TrackerError(f"--category: unknown category {category!r} "
                           f"(allowed: {', '.join(cats)})")
    cat = cats[category]
    fields = [(f["field"], f["label"]) for f in cat["fields"]]
    fits = None
    if category == "mechanisms":  # the essay's fit, a column as on the screen
        from tracker import criteria

        fits = {m: c.fit.shown for m, c in criteria.load(db).items() if c.fit}
    rows = [{"id": r.id, "name": _label_row(r),
             **({"fit": fits.get(r.id, "")} if fits is not None else {}),
             "values": {f: _cell(r.values.get(f)) for f, _ in fields}, "as_of": r.as_of}
            for r in queries.rows(db, category)]
    return {"category": category, "title": cat["title"], "fields": fields, "rows": rows,
            "fit": fits is not None}


def text(db: Database, category: str, fmt: str) -> str:
    """The category table in ``fmt`` (md, json or csv); the same store gives the same bytes."""
    table = wide(db, category)
    as_of = max((r["as_of"] for r in table["rows"]), default="") or "no record"
    fit = ["Fit"] if table["fit"] else []
    columns = ["ID", "Name", *fit, *[label for _, label in table["fields"]], "As of"]
    body = [[r["id"], r["name"], *([r["fit"]] if fit else []),
             *[r["values"][f] for f, _ in table["fields"]], r["as_of"]]
            for r in table["rows"]]
    if fmt == "csv":
        return csv_text(columns, body)
    if fmt == "json":
        data = {"category": table["category"], "title": table["title"], "as_of": as_of,
                "fields": [{"field": f, "label": label} for f, label in table["fields"]],
                "rows": table["rows"]}
        return escape_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    from tracker.export.markdown import _table, cell

    lines = [f"# {cell(table['title'])}", "", f"Current values; the latest is as of {as_of}.", ""]
    lines += _table(columns, [[cell(c) for c in row] for row in body])
    return "\n".join(lines) + "\n"
