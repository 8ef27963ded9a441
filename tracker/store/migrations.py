"""The store's schema as forward migrations; ``PRAGMA user_version`` is the schema version.

A migration is never edited once released: a store made by an older release upgrades by
running the migrations it has not seen, in order, each in its own transaction.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

import sqlite_utils

from tracker.store import LATEST as _DECLARED
from tracker.store.views import (CURRENT_VALUES_V1, CURRENT_VALUES_V5, CURRENT_VALUES_V6,
                                  CURRENT_VALUES_V11, CURRENT_VALUES_WITHOUT_WITHDRAWN)

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
    db.create_view("current_values", CURRENT_VALUES_V1)


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


def _v5_fast_current_values(db: sqlite_utils.Database) -> None:
    """Current values by index seeks per field instead of ranking every observation."""
    db["observations"].create_index(["indicator_id", "field", "as_of", "recorded_at", "id"],
                                    index_name="idx_observations_history")
    db.execute("DROP VIEW current_values")
    db.create_view("current_values", CURRENT_VALUES_V5)


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


def _withdrawn_values(db: sqlite_utils.Database) -> None:
    """An analyst's value can be withdrawn: kept in the history, marked, never current."""
    for column in ("withdrawn_at", "withdrawn_by", "withdrawn_note"):
        db["observations"].add_column(column, str)
    db.execute("DROP VIEW current_values")
    db.create_view("current_values", CURRENT_VALUES_WITHOUT_WITHDRAWN)


def _event_outcomes_level_synonyms_withdrawn_values(db: sqlite_utils.Database) -> None:
    """What came of a past event; the page's own words for a scale's levels; and catalog
    values the catalog no longer lists, kept as history but no longer current."""
    db["events"].add_column("outcome", str)
    db["scales"].add_column("synonyms", str)
    if "withdrawn_at" not in db["observations"].columns_dict:  # an analyst's withdrawal added it
        db["observations"].add_column("withdrawn_at", str)
    db.execute("DROP VIEW current_values")
    db.create_view("current_values", CURRENT_VALUES_V6)


SEARCH_KINDS = {
    # kind: (table, key column, title, aliases, keys, body)
    "indicator": ("indicators", "id", "new.name",
                  "CASE WHEN json_valid(new.aliases) THEN (SELECT group_concat(value, '; ') "
                  "FROM json_each(new.aliases)) ELSE new.aliases END",
                  "new.id", "new.description"),
    "value": ("observations", "id", "NULL", "NULL", "NULL",
              "new.value || coalesce(' — ' || new.note, '')"),
    "party": ("parties", "code", "new.name", "new.code", "NULL", "NULL"),
    "event": ("events", "id", "new.title", "NULL", "new.id", "new.note"),
    "source": ("sources", "id", "NULL", "NULL", "new.id", "new.kind || ' ' || new.url"),
}
"""What the search index holds of each table (``new`` is the row): a title (name), aliases
(an indicator's aliases, a party's code), ids (``keys``) and a body (description, value and
note, URL). An observation's id is not searchable: nobody types it."""


def _search_index(db: sqlite_utils.Database) -> None:
    """Full-text search over indicators, values and their notes, parties, events, sources.

    ``search_docs`` holds one document per searchable row, kept in step by triggers on
    each table; ``search_docs_fts`` is an FTS5 index over it (external content, Porter
    stemming over Unicode words without diacritics) kept in step by triggers named as
    sqlite-utils and Datasette expect. Plain SQL, no ``executescript``, so the migration
    stays one transaction. Existing rows are indexed here. Running it on a store that
    already has the index (one made while migrations were being numbered) adds only what
    is missing.
    """
    cols = ("title", "aliases", "keys", "body")
    db.execute("CREATE TABLE IF NOT EXISTS search_docs (id INTEGER PRIMARY KEY, "
               "kind TEXT NOT NULL, ref TEXT NOT NULL, title TEXT, aliases TEXT, keys TEXT, "
               "body TEXT, UNIQUE (kind, ref))")
    db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS search_docs_fts USING FTS5 "
               f"({', '.join(cols)}, content=\"search_docs\", content_rowid=id, "
               "tokenize='porter unicode61 remove_diacritics 2')")
    names = ", ".join(cols)
    old, new = (", ".join(f"{row}.{c}" for c in cols) for row in ("old", "new"))
    db.execute(f"CREATE TRIGGER IF NOT EXISTS search_docs_ai AFTER INSERT ON search_docs BEGIN "
               f"INSERT INTO search_docs_fts (rowid, {names}) VALUES (new.id, {new}); END")
    db.execute(f"CREATE TRIGGER IF NOT EXISTS search_docs_ad AFTER DELETE ON search_docs BEGIN "
               f"INSERT INTO search_docs_fts (search_docs_fts, rowid, {names}) "
               f"VALUES ('delete', old.id, {old}); END")
    db.execute(f"CREATE TRIGGER IF NOT EXISTS search_docs_au AFTER UPDATE ON search_docs BEGIN "
               f"INSERT INTO search_docs_fts (search_docs_fts, rowid, {names}) "
               f"VALUES ('delete', old.id, {old}); "
               f"INSERT INTO search_docs_fts (rowid, {names}) VALUES (new.id, {new}); END")
    for kind, (table, key, title, aliases, keys, body) in SEARCH_KINDS.items():
        doc = f"'{kind}', CAST(new.{key} AS TEXT), {title}, {aliases}, {keys}, {body}"
        upsert = (f"INSERT INTO search_docs (kind, ref, {names}) VALUES ({doc}) "
                  "ON CONFLICT (kind, ref) DO UPDATE SET "
                  + ", ".join(f"{c} = excluded.{c}" for c in cols))
        # Existing rows: the same expressions, with the table's row as `new`.
        db.execute(f"INSERT OR IGNORE INTO search_docs (kind, ref, {names}) SELECT {doc} "
                   f"FROM [{table}] AS new")
        db.execute(f"CREATE TRIGGER IF NOT EXISTS search_{table}_ai AFTER INSERT ON [{table}] "
                   f"BEGIN {upsert}; END")
        # An upsert that leaves the indexed columns as they were costs no re-indexing.
        read = dict.fromkeys(
            [key, *re.findall(r"new\.(\w+)", " ".join((title, aliases, keys, body)))])
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in read)
        db.execute(f"CREATE TRIGGER IF NOT EXISTS search_{table}_au AFTER UPDATE ON [{table}] "
                   f"WHEN {changed} BEGIN "
                   f"DELETE FROM search_docs WHERE kind = '{kind}' "
                   f"AND ref = CAST(old.{key} AS TEXT) AND old.{key} IS NOT new.{key}; "
                   f"{upsert}; END")
        db.execute(f"CREATE TRIGGER IF NOT EXISTS search_{table}_ad AFTER DELETE ON [{table}] "
                   f"BEGIN DELETE FROM search_docs WHERE kind = '{kind}' "
                   f"AND ref = CAST(old.{key} AS TEXT); END")


def _current_values_by_indicator_for_reading(conn: sqlite3.Connection) -> None:
    """The same view in the connection's private temporary schema, which SQLite searches
    before the file's: a store at schema 10 that this user may not write is read as one at
    schema 11, and the file is left as it is."""
    conn.execute(f"CREATE TEMP VIEW IF NOT EXISTS current_values AS {CURRENT_VALUES_V11}")


def _current_values_by_indicator(db: sqlite_utils.Database) -> None:
    """The same current values, with the indicator and field taken from the list of pairs:
    a read of some indicators' values (``WHERE indicator_id IN (...)``) then reaches into
    that list (SQLite pushes the condition down into it) and seeks their rows on the
    history index, where it used to walk every observation's pair first."""
    db.execute("DROP VIEW current_values")
    db.create_view("current_values", CURRENT_VALUES_V11)


MIGRATIONS: list[Migration] = [_v1_content, _v2_runs_and_sources, _v3_entry_into_force,
                               _v4_review_queue, _v5_fast_current_values,
                               _skipped_values_in_source_health, _essay_criteria,
                               _withdrawn_values, _event_outcomes_level_synonyms_withdrawn_values,
                               _search_index, _current_values_by_indicator]
"""Migration ``i`` brings a store from version ``i`` to ``i + 1``."""

LATEST = len(MIGRATIONS)
assert LATEST == _DECLARED, "update tracker.store.LATEST with the migrations"

FOR_READING: dict[Migration, Callable[[sqlite3.Connection], None]] = {
    _current_values_by_indicator: _current_values_by_indicator_for_reading,
}
"""Migrations that only redefine views, each with the same views made for one read-only
connection (in its temporary schema): a store this user may not write, and older only by
these, can still be read."""


def upgrade_for_reading(conn: sqlite3.Connection, version: int) -> bool:
    """Make a read-only connection to a store at schema ``version`` read as the latest,
    when every migration it lacks has a :data:`FOR_READING` form; return whether it did
    (nothing is done otherwise, and the file is never written)."""
    steps = [FOR_READING.get(m) for m in MIGRATIONS[version:]]
    if version > LATEST or not all(steps):
        return False
    for step in steps:
        step(conn)
    return True


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
