"""The store: pragmas, schema version, forward migrations, the current-values view."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.store import LATEST, Store
from tracker.store.files import APPLICATION_ID
from tracker.sync import sync

from conftest import DATA, FROZEN


def _v1_store(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript((DATA / "store-v1.sql").read_text())
    conn.close()
    return path


def test_new_store_has_latest_schema_wal_and_busy_timeout(store):
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    for table in ("indicators", "observations", "memberships", "events", "sources",
                  "source_health", "runs", "snapshots", "ledgers", "groups"):
        assert store.db[table].exists(), table
    assert "current_values" in store.db.view_names()


def test_store_made_by_schema_1_upgrades_with_nothing_lost(tmp_path):
    path = _v1_store(tmp_path / "old.db")
    before = sqlite3.connect(path).execute(
        "SELECT indicator_id, field, value, as_of, origin, source, note, author "
        "FROM observations ORDER BY id").fetchall()
    store = Store.open(path, clock=lambda: FROZEN)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    after = store.db.execute(
        "SELECT indicator_id, field, value, as_of, origin, source, note, author "
        "FROM observations ORDER BY id").fetchall()
    assert after == before
    assert "run_id" in store.db["observations"].columns_dict
    assert store.db["memberships"].count == 1
    assert store.db["events"].count == 1
    current = store.db.execute(
        "SELECT value FROM current_values WHERE indicator_id = 'pace-mismatch'").fetchone()
    assert current[0] == "Moderate"
    store.close()


def test_upgraded_store_syncs_and_keeps_old_history(tmp_path, catalog):
    store = Store.open(_v1_store(tmp_path / "old.db"), clock=lambda: FROZEN)
    result = sync(store, catalog)
    assert result.indicators_retired == 1  # old-row is not in the catalog
    retired = store.db["indicators"].get("old-row")
    assert retired["retired_at"] == "2026-11-22T09:30:00Z"
    assert store.db.execute(
        "SELECT count(*) FROM observations WHERE indicator_id = 'old-row'").fetchone()[0] == 1
    analyst = store.db.execute(
        "SELECT author FROM observations WHERE origin = 'analyst'").fetchall()
    assert analyst == [("ana",)]
    store.close()


def test_store_from_a_newer_tracker_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # a newer tracker marks it too
    conn.close()
    with pytest.raises(TrackerError, match="newer than this tracker"):
        Store.open(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(TrackerError, match="not a usable tracker store"):
        Store.open(path)
    assert path.read_text().startswith("these are my notes")


def test_missing_folder_is_an_error_unless_asked_to_create(tmp_path):
    with pytest.raises(TrackerError, match="does not exist"):
        Store.open(tmp_path / "no" / "such" / "store.db")
    store = Store.open(tmp_path / "made" / "store.db", create_dirs=True)
    store.close()
    assert (tmp_path / "made" / "store.db").exists()


def test_indexes_serve_the_screens_queries(store):
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM observations WHERE indicator_id = ? AND field = ? "
        "ORDER BY as_of", ["x", "y"]).fetchall()
    assert "USING INDEX" in " ".join(str(row) for row in plan)
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM memberships WHERE party = ?", ["USA"]).fetchall()
    assert "USING INDEX" in " ".join(str(row) for row in plan)


def test_a_failed_write_leaves_nothing(store, catalog):
    sync(store, catalog)
    count = store.db["observations"].count
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db["observations"].insert({
                "indicator_id": "pace-mismatch", "field": "severity", "value": "Low",
                "as_of": "2026-01", "recorded_at": store.now(), "origin": "analyst",
                "source": "analyst", "confidence": "low"})
            raise RuntimeError("crash half-way")
    assert store.db["observations"].count == count


def test_two_writers_at_once_wait_for_each_other(tmp_path, catalog):
    """A refresh and an export writing at the same moment: neither fails as locked."""
    import threading

    from tracker.export import build, write

    path = tmp_path / "shared.db"
    first = Store.open(path, clock=lambda: FROZEN)
    sync(first, catalog)
    first.close()
    errors: list[BaseException] = []

    def syncing() -> None:
        store = Store.open(path, clock=lambda: FROZEN)
        try:
            for _ in range(15):
                sync(store, catalog, force=True)
        except BaseException as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)
        finally:
            store.close()

    def exporting() -> None:
        store = Store.open(path, clock=lambda: FROZEN)
        try:
            for _ in range(15):
                write(store, build(store, "md"), f"{tmp_path}/out/")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=syncing), threading.Thread(target=exporting)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _with_old_criteria(conn) -> None:
    conn.execute("INSERT OR IGNORE INTO categories (id, title, position) "
                 "VALUES ('mechanisms', 'Mechanisms', 9)")
    conn.execute(
        "INSERT INTO indicators (id, category_id, name, aliases, kind, position, criteria_un, "
        "criteria_purpose, criteria_binding, criteria_source, criteria_confidence, "
        "criteria_note) VALUES ('old-treaty', 'mechanisms', 'Old treaty', '[]', 'treaty', 7, "
        "'inside', 'single', 'binding', 'https://example.org/old', 'medium', 'A reading')")
    conn.execute(
        "INSERT INTO indicators (id, category_id, name, aliases, kind, position, criteria_un, "
        "criteria_purpose, criteria_binding, criteria_source, criteria_confidence) VALUES "
        "('old-forum', 'mechanisms', 'Old forum', '[]', 'forum', 8, 'outside', 'general', "
        "'voluntary', 'https://example.org/forum', 'low')")
    conn.commit()


def _check_criteria_moved(store: Store) -> None:
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    rows = {(r["mechanism_id"], r["criterion"]): r for r in store.db["criteria"].rows}
    assert rows[("old-treaty", "outside_structures")]["value"] == "no"
    assert rows[("old-treaty", "single_purpose")]["value"] == "yes"
    assert rows[("old-forum", "outside_structures")]["value"] is None  # not assessed
    assert rows[("old-forum", "single_purpose")]["value"] == "no"
    assert rows[("old-treaty", "outside_structures")]["source"] == "https://example.org/old"
    # The earlier columns are kept as they were: nothing is lost.
    old = store.db["indicators"].get("old-treaty")
    assert (old["criteria_un"], old["criteria_purpose"], old["criteria_binding"],
            old["criteria_note"]) == ("inside", "single", "binding", "A reading")


def test_v1_store_moves_its_criteria_to_the_six(tmp_path):
    path = _v1_store(tmp_path / "old.db")
    conn = sqlite3.connect(path)
    _with_old_criteria(conn)
    conn.close()
    store = Store.open(path, clock=lambda: FROZEN)
    _check_criteria_moved(store)
    store.close()


def test_store_of_the_previous_schema_moves_its_criteria(tmp_path):
    import sqlite_utils

    from tracker.store.migrations import MIGRATIONS, _essay_criteria, migrate

    path = tmp_path / "previous.db"
    db = sqlite_utils.Database(path)
    migrate(db, MIGRATIONS.index(_essay_criteria))  # the schema before the six criteria
    _with_old_criteria(db.conn)
    db.conn.close()
    store = Store.open(path, clock=lambda: FROZEN)
    _check_criteria_moved(store)
    store.close()


def test_upgraded_store_takes_the_catalogs_six_criteria(tmp_path, catalog):
    path = _v1_store(tmp_path / "old.db")
    store = Store.open(path, clock=lambda: FROZEN)
    sync(store, catalog)
    rows = [r["criterion"] for r in store.db.query(
        "SELECT criterion FROM criteria WHERE mechanism_id = 'test-treaty' ORDER BY position")]
    assert rows == ["outside_structures", "single_purpose", "no_shared_values"]
    store.close()


def test_current_values_by_indicator_give_what_the_old_view_gave(tmp_path, catalog):
    """Schema 11 redefines `current_values` so a read of some indicators seeks only
    theirs. The answer is the old view's, whole and read per indicator: ties on a date go
    to the latest recorded claim, a withdrawn value is never current, and a store at
    schema 10 upgrades to it with nothing lost."""
    from tracker import assess
    from tracker.store.views import CURRENT_VALUES_V6 as _CURRENT_VALUES_V6

    store = Store.open(tmp_path / "s.db", clock=lambda: FROZEN)
    sync(store, catalog)
    for value, note in (("Chip controls", "a"), ("Export rules", "b"), ("Summits", "c")):
        assess.record(store, catalog, "pace-mismatch", "mechanism", value, as_of="2026-11",
                      source="https://example.org/a", confidence="medium", note=note,
                      author=f"analyst-{note}")
    assess.withdraw(store, "pace-mismatch", "mechanism", as_of="2026-11")
    columns = ("id, indicator_id, field, value, value_num, as_of, recorded_at, origin, source, "
               "confidence, note, author, run_id, response_hash, withdrawn_at, withdrawn_by, "
               "withdrawn_note")
    old = sorted(store.db.execute(f"SELECT {columns} FROM ({_CURRENT_VALUES_V6})").fetchall())
    new = sorted(store.db.execute(f"SELECT {columns} FROM current_values").fetchall())
    assert new == old and len(new) > 5
    ids = [r[0] for r in store.db.execute("SELECT DISTINCT indicator_id FROM observations")]
    for some in (ids[:1], ids[1:4], ids):
        marks = ", ".join("?" for _ in some)
        assert sorted(store.db.execute(
            f"SELECT {columns} FROM current_values WHERE indicator_id IN ({marks})", some)
        ) == [r for r in old if r[1] in some]
    # A store at schema 10 upgrades to the new view, its values unchanged.
    store.db.execute("DROP VIEW current_values")
    store.db.execute(f"CREATE VIEW current_values AS {_CURRENT_VALUES_V6}")
    store.db.execute("PRAGMA user_version = 10")
    store.conn.commit()
    store.close()
    again = Store.open(tmp_path / "s.db", clock=lambda: FROZEN)
    assert again.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert "p.indicator_id AS indicator_id" in again.db.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'current_values'").fetchone()[0]
    assert sorted(again.db.execute(f"SELECT {columns} FROM current_values")) == old
    again.close()


def test_a_read_only_store_one_view_behind_is_read_as_the_latest(tmp_path, catalog,
                                                                 monkeypatch):
    """A store at schema 10 that this user may not write: schema 11 only redefines a view,
    so a read-only connection makes it in its own temporary schema; the file is untouched."""
    from tracker import queries
    from tracker.store import files
    from tracker.store.views import CURRENT_VALUES_V6 as _CURRENT_VALUES_V6

    path = tmp_path / "old.db"
    store = Store.open(path, clock=lambda: FROZEN)
    sync(store, catalog)
    expected = queries.rows(store.reader)
    store.db.execute("DROP VIEW current_values")
    store.db.execute(f"CREATE VIEW current_values AS {_CURRENT_VALUES_V6}")
    store.db.execute("PRAGMA user_version = 10")
    store.conn.commit()
    store.close()
    before = path.read_bytes()
    monkeypatch.setattr(files, "writable", lambda name: False)
    old = Store.open(path, clock=lambda: FROZEN)
    assert old.read_only
    assert queries.rows(old.reader) == expected
    assert "p.indicator_id AS indicator_id" in old.conn.execute(
        "SELECT sql FROM sqlite_temp_master WHERE name = 'current_values'").fetchone()[0]
    old.close()
    assert path.read_bytes() == before
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 10


@pytest.mark.parametrize("version, said", [
    (9, "needs an upgrade to schema"), (LATEST + 1, "newer than this tracker's")])
def test_a_read_only_store_that_cannot_be_read_says_what_to_do(tmp_path, catalog, monkeypatch,
                                                               version, said):
    from tracker.store import files

    path = tmp_path / "old.db"
    store = Store.open(path, clock=lambda: FROZEN)
    sync(store, catalog)
    store.db.execute(f"PRAGMA user_version = {version}")
    store.conn.commit()
    store.close()
    monkeypatch.setattr(files, "writable", lambda name: False)
    with pytest.raises(TrackerError) as error:
        Store.open(path, clock=lambda: FROZEN)
    assert said in str(error.value) and "reads work" not in str(error.value)
    assert "\n" not in str(error.value)


def test_a_catalog_value_the_catalog_dropped_reads_as_withdrawn_by_the_catalog(tmp_path, catalog):
    """The sync withdraws a catalog value the catalog no longer lists and records no name:
    the history says the catalog withdrew it, never 'by None'."""
    import io

    from tracker import reports

    store = Store.open(_v1_store(tmp_path / "old.db"), clock=lambda: FROZEN)
    sync(store, catalog)
    out = io.StringIO()
    reports.history(store.reader, out, "pace-mismatch", "severity", "table")
    withdrawn = [line for line in out.getvalue().splitlines() if "(withdrawn)" in line]
    assert withdrawn and all("by the catalog" in line for line in withdrawn), out.getvalue()
    assert "None" not in out.getvalue()
    store.close()
