"""JSON and CSV of the `sources` and `review` listings, for scripts.

Every CSV goes through :func:`tracker.render.csv_text` (formulas neutralised, hostile
characters removed); JSON through :func:`tracker.render.as_json` (hostile characters escaped).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from tracker import render

SOURCE_COLUMNS = ("id", "kind", "state", "url", "freshness", "review", "last_attempt",
                  "last_success", "status", "consecutive_failures", "last_error")
PROPOSAL_COLUMNS = ("id", "kind", "indicator_id", "field", "value", "as_of", "party", "role",
                    "date", "source_id", "source_url", "confidence", "note", "reason",
                    "created_at", "run_id")


def source_rows(out: TextIO, fmt: str, rows: list[dict[str, Any]]) -> None:
    """Each declared source with its health, as JSON or CSV."""
    records = [{k: r.get(k) for k in SOURCE_COLUMNS} for r in rows]
    for rec in records:
        rec["consecutive_failures"] = rec["consecutive_failures"] or 0
    _write(out, fmt, SOURCE_COLUMNS, records)


def proposals(out: TextIO, fmt: str, rows: list[dict[str, Any]],
              describe: Callable[[dict[str, Any]], str]) -> None:
    """The proposals waiting for review, each with a one-line description, as JSON or CSV."""
    records = [{**{k: r.get(k) for k in PROPOSAL_COLUMNS}, "describe": describe(r)}
               for r in rows]
    _write(out, fmt, (*PROPOSAL_COLUMNS, "describe"), records)


def _write(out: TextIO, fmt: str, columns: tuple[str, ...], records: list[dict]) -> None:
    if fmt == "json":
        render.as_json(out, records)
    else:
        render.as_csv(out, columns, [[rec[k] for k in columns] for rec in records])
