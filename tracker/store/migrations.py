"""The store's schema as forward migrations; ``PRAGMA user_version`` is the schema version.

A migration is never edited once released: a store made by an older release upgrades by
running the migrations it has not seen, in order, each in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from tracker.store import LATEST as _DECLARED

Migration = Callable[[sqlite_utils.Database], None]


def _v1_content(db: sqlite_utils.Database) -> None:
    """The catalog's content and its dated history."""
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["references"].create(
        {"id": str, "title": str, "publisher": str, "date": str, "url": str, "note": str},
        pk="id",
    )
    db["scales"].create(
        {"id": str, "kind": str, "levels": str, "unranked": str, "better": str, "unit": str},
        pk="id",
    )
    db["categories"].create(
        {"id": str, "title": str, "description": str, "position": int}, pk="id"
    )
    db["fields"].create(
        {"category_id": str, "field": str, "label": str, "scale_id": str, "position": int,
         "freshness": str, "description": str},
        pk=("category_id", "field"),
        foreign_keys=[("category_id", "categories", "id"), ("scale_id", "scales", "id")],
    )
    db["indicators"].create(
        {"id": str, "category_id": str, "name": str, "description": str, "aliases": str,
         "tier": int, "table_no": int, "kind": str, "position": int,
         "criteria_un": str, "criteria_purpose": str, "criteria_binding": str,
         "criteria_source": str, "criteria_confidence": str, "criteria_note": str,
         "added_at": str, "retired_at": str},
        pk="id",
        foreign_keys=[("category_id", "categories", "id")],
    )
    db["observations"].create(
        {"id": int, "indicator_id": str, "field": str, "value": str, "value_num": float,
         "as_of": str, "recorded_at": str, "origin": str, "source": str, "confidence": str,
         "note": str, "author": str},
        pk="id",
        not_null={"indicator_id", "field", "value", "as_of", "recorded_at", "origin",
                  "source", "confidence"},
        foreign_keys=[("indicator_id", "indicators", "id")],
    )
    db["observations"].create_index(["indicator_id", "field", "as_of"])
    db["parties"].create({"code": str, "name": str, "kind": str}, pk="code")
    db["groups"].create(
        {"id": str, "name": str, "source": str, "as_of": str, "confidence": str, "note": str},
        pk="id",
    )
    db["group_members"].create(
        {"group_id": str, "party": str},
        pk=("group_id", "party"),
        foreign_keys=[("group_id", "groups", "id"), ("party", "parties", "code")],
    )
    db["ledgers"].create(
        {"mechanism_id": str, "complete": int, "note": str},
        pk="mechanism_id",
        foreign_keys=[("mechanism_id", "indicators", "id")],
    )
    db["memberships"].create(
        {"id": int, "mechanism_id": str, "party": str, "role": str, "date": str,
         "source": str, "confidence": str, "note": str, "origin": str, "recorded_at": str},
        pk="id",
        not_null={"mechanism_id", "party", "role", "date", "source", "confidence"},
        foreign_keys=[("mechanism_id", "indicators", "id"), ("party", "parties", "code")],
    )
    db["memberships"].create_index(["mechanism_id", "party", "role", "date"], unique=True)
    db["memberships"].create_index(["party"])
    db["events"].create(
        {"id": str, "date": str, "end_date": str, "title": str, "kind": str, "source": str,
         "confidence": str, "note": str, "origin": str, "recorded_at": str,
         "retired_at": str},
        pk="id",
    )
    db["events"].create_index(["date"])
    db["event_links"].create(
        {"event_id": str, "indicator_id": str},
        pk=("event_id", "indicator_id"),
        foreign_keys=[("event_id", "events", "id"), ("indicator_id", "indicators", "id")],
    )
    db.create_view("current_values", _CURRENT_VALUES_V1)


_CURRENT_VALUES_V1 = """
SELECT o.* FROM (
  SELECT observations.*, ROW_NUMBER() OVER (
    PARTITION BY indicator_id, field ORDER BY as_of DESC, recorded_at DESC, id DESC
  ) AS rank
  FROM observations
) AS o
WHERE o.rank = 1
"""


def _v2_runs_and_sources(db: sqlite_utils.Database) -> None:
    """Runs, declared sources with their health, snapshots; every write names its run."""
    db["runs"].create(
        {"id": int, "kind": str, "started_at": str, "finished_at": str, "status": str,
         "detail": str, "catalog_digest": str},
        pk="id",
    )
    db["sources"].create(
        {"id": str, "kind": str, "url": str, "params": str, "feeds": str, "review": str,
         "freshness": str, "added_at": str, "retired_at": str},
        pk="id",
    )
    db["source_health"].create(
        {"source_id": str, "last_attempt": str, "last_success": str, "status": str,
         "consecutive_failures": int, "last_error": str, "etag": str, "last_modified": str,
         "body_hash": str},
        pk="source_id",
        foreign_keys=[("source_id", "sources", "id")],
    )
    db["snapshots"].create(
        {"id": str, "created_at": str, "as_of": str, "format": str, "path": str,
         "state": str},
        pk="id",
    )
    db["snapshots"].create_index(["created_at"])
    for table in ("observations", "memberships"):
        db[table].add_column("run_id", int, fk="runs", fk_col="id")
    db["observations"].add_column("response_hash", str)
    db["observations"].create_index(["as_of"])
    db["observations"].create_index(["recorded_at"])
    db["observations"].create_index(["run_id"])


def _v3_entry_into_force(db: sqlite_utils.Database) -> None:
    """A treaty's entry-into-force rule, so its progress is computed from the ledger."""
    db["indicators"].add_column("entry_into_force", str)
    db["fields"].create_index(["scale_id"])


def _v4_review_queue(db: sqlite_utils.Database) -> None:
    """Proposals waiting for an analyst, pinned identifiers, and feed items already seen."""
    db["proposals"].create(
        {"id": int, "source_id": str, "run_id": int, "kind": str, "indicator_id": str,
         "field": str, "value": str, "value_num": float, "as_of": str, "party": str,
         "role": str, "date": str, "source_url": str, "confidence": str, "note": str,
         "reason": str, "response_hash": str, "status": str, "created_at": str,
         "decided_at": str, "decided_by": str},
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["proposals"].create_index(["status"])
    db["source_pins"].create(
        {"source_id": str, "key": str, "value": str, "pinned_at": str},
        pk=("source_id", "key"),
    )
    db["feed_items"].create(
        {"source_id": str, "item_id": str, "first_seen": str, "published": str, "title": str,
         "link": str},
        pk=("source_id", "item_id"),
    )
    db["sources"].add_column("confidence", str)


_CURRENT_VALUES_V5 = """
SELECT o.* FROM (SELECT DISTINCT indicator_id, field FROM observations) AS p
JOIN observations AS o ON o.id = (
  SELECT latest.id FROM observations AS latest
  WHERE latest.indicator_id = p.indicator_id AND latest.field = p.field
  ORDER BY latest.as_of DESC, latest.recorded_at DESC, latest.id DESC LIMIT 1
)
"""


def _v5_fast_current_values(db: sqlite_utils.Database) -> None:
    """Current values by index seeks per field instead of ranking every observation."""
    db["observations"].create_index(["indicator_id", "field", "as_of", "recorded_at", "id"],
                                    index_name="idx_observations_history")
    db.execute("DROP VIEW current_values")
    db.create_view("current_values", _CURRENT_VALUES_V5)


def _skipped_values_in_source_health(db: sqlite_utils.Database) -> None:
    """How many values the last success of a source gave that were not written, and why."""
    db["source_health"].add_column("skipped", int)
    db["source_health"].add_column("skipped_detail", str)


def _essay_criteria(db: sqlite_utils.Database) -> None:
    """The essay's six criteria per mechanism, each with a value, rationale and source.

    The earlier ``criteria_un/purpose/binding`` columns of ``indicators`` stay as they were
    (nothing is lost); their reading seeds the two criteria it bears on (inside the UN:
    not outside existing structures; single or general purpose) until the next sync of a
    catalog with the six criteria replaces them. Binding or voluntary is not a criterion:
    it stays in the ``enforcement`` field.
    """
    db["criteria"].create(
        {"mechanism_id": str, "criterion": str, "position": int, "value": str,
         "rationale": str, "source": str, "confidence": str, "note": str},
        pk=("mechanism_id", "criterion"),
        foreign_keys=[("mechanism_id", "indicators", "id")],
    )
    rows = []
    for ind, un, purpose, source, confidence in db.execute(
        "SELECT id, criteria_un, criteria_purpose, criteria_source, criteria_confidence "
        "FROM indicators WHERE criteria_un IS NOT NULL"
    ).fetchall():
        earlier = f"From the earlier reading (un: {un}, purpose: {purpose})"
        rows.append({"mechanism_id": ind, "criterion": "outside_structures", "position": 0,
                     "value": "no" if un == "inside" else None,
                     "rationale": f"{earlier}; outside existing structures not assessed"
                     if un != "inside" else f"{earlier}: inside the UN",
                     "source": source, "confidence": confidence or "low", "note": None})
        if purpose in ("single", "general"):
            rows.append({"mechanism_id": ind, "criterion": "single_purpose", "position": 3,
                         "value": "yes" if purpose == "single" else "no",
                         "rationale": f"{earlier}; mission creep not assessed",
                         "source": source, "confidence": confidence or "low", "note": None})
    db["criteria"].insert_all(rows)


_CURRENT_VALUES_WITHOUT_WITHDRAWN = """
SELECT o.* FROM (SELECT DISTINCT indicator_id, field FROM observations) AS p
JOIN observations AS o ON o.id = (
  SELECT latest.id FROM observations AS latest
  WHERE latest.indicator_id = p.indicator_id AND latest.field = p.field
    AND latest.withdrawn_at IS NULL
  ORDER BY latest.as_of DESC, latest.recorded_at DESC, latest.id DESC LIMIT 1
)
"""


def _withdrawn_values(db: sqlite_utils.Database) -> None:
    """An analyst's value can be withdrawn: kept in the history, marked, never current."""
    for column in ("withdrawn_at", "withdrawn_by", "withdrawn_note"):
        db["observations"].add_column(column, str)
    db.execute("DROP VIEW current_values")
    db.create_view("current_values", _CURRENT_VALUES_WITHOUT_WITHDRAWN)


_CURRENT_VALUES_V6 = """
SELECT o.* FROM (SELECT DISTINCT indicator_id, field FROM observations
                 WHERE withdrawn_at IS NULL) AS p
JOIN observations AS o ON o.id = (
  SELECT latest.id FROM observations AS latest
  WHERE latest.indicator_id = p.indicator_id AND latest.field = p.field
    AND latest.withdrawn_at IS NULL
  ORDER BY latest.as_of DESC, latest.recorded_at DESC, latest.id DESC LIMIT 1
)
"""


def _event_outcomes_level_synonyms_withdrawn_values(db: sqlite_utils.Database) -> None:
    """What came of a past event; the page's own words for a scale's levels; and catalog
    values the catalog no longer lists, kept as history but no longer current."""
    db["events"].add_column("outcome", str)
    db["scales"].add_column("synonyms", str)
    if "withdrawn_at" not in db["observations"].columns_dict:  # an analyst's withdrawal added it
        db["observations"].add_column("withdrawn_at", str)
    db.execute("DROP VIEW current_values")
    db.create_view("current_values", _CURRENT_VALUES_V6)


MIGRATIONS: list[Migration] = [_v1_content, _v2_runs_and_sources, _v3_entry_into_force,
                               _v4_review_queue, _v5_fast_current_values,
                               _skipped_values_in_source_health, _essay_criteria,
                               _withdrawn_values, _event_outcomes_level_synonyms_withdrawn_values]
"""Migration ``i`` brings a store from version ``i`` to ``i + 1``."""

LATEST = len(MIGRATIONS)
assert LATEST == _DECLARED, "update tracker.store.LATEST with the migrations"


def migrate(db: sqlite_utils.Database, target: int = LATEST) -> int:
    """Upgrade ``db`` to schema ``target``; return the version it had before.

    Raises:
        ValueError: the store was made by a newer tracker than this one.
    """
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > LATEST:
        raise ValueError(
            f"the store has schema version {current}, newer than this tracker's {LATEST}; "
            "upgrade tracker"
        )
    for version in range(current, target):
        with db.atomic():
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
    return current
