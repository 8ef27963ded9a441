"""Full-text search: ranking, the index kept in step with every write, hostile queries,
finding an indicator by name or alias, and the index made for stores that existed before."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tracker.errors import TrackerError
from tracker.search import find_indicator, match_expression, search, split_snippet
from tracker.store import LATEST, Store
from tracker.store.migrations import MIGRATIONS, migrate
from tracker.sync import sync

from conftest import DATA, FROZEN


def hits(run, *args: str) -> list[dict]:
    result = run("search", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def index_matches_tables(db) -> None:
    """The index holds one document per searchable row, and FTS5 finds it consistent."""
    db.execute("INSERT INTO search_docs_fts (search_docs_fts, rank) VALUES ('integrity-check', 1)")
    expected = sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                   for t in ("indicators", "observations", "parties", "events", "sources"))
    assert db.execute("SELECT count(*) FROM search_docs").fetchone()[0] == expected


def test_a_name_match_ranks_above_a_note_match(run):
    assert run("set", "strategic-competition", "mechanism", "Chip controls", "--as-of",
               "2025-03", "--note", "Harder than the pace mismatch").exit_code == 0
    found = hits(run, "pace", "mismatch")
    assert [(h["kind"], h["id"]) for h in found[:2]] == [
        ("indicator", "pace-mismatch"), ("value", "strategic-competition")]
    note = found[1]
    assert note["field"] == "mechanism" and note["date"] == "2025-03" and note["current"]
    assert [note["snippet"][a:b] for a, b in note["highlights"]] == ["pace", "mismatch"]
    assert found[0]["rank"] < found[1]["rank"]


def test_a_set_value_is_found_and_the_one_it_replaced_still_is(run):
    assert run("set", "strategic-competition", "mechanism", "Quantum race",
               "--as-of", "2025-01").exit_code == 0
    [first] = hits(run, "quantum")
    assert (first["kind"], first["id"], first["current"]) == \
        ("value", "strategic-competition", True)
    assert run("set", "strategic-competition", "mechanism", "Chip rivalry",
               "--as-of", "2025-06").exit_code == 0
    [old] = hits(run, "quantum")
    assert (old["date"], old["current"]) == ("2025-01", False)  # history is kept, and found
    [new] = hits(run, "chip", "rivalry")
    assert (new["date"], new["current"]) == ("2025-06", True)
    assert [h["current"] for h in hits(run, "rivalry")] == [True, False]  # the catalog's too
    table = run("search", "quantum").output
    assert "superseded" in table and "as of 2025-01" in table
    assert run("withdraw", "strategic-competition", "mechanism").exit_code == 0
    [taken_back] = hits(run, "chip", "rivalry")  # still found: kept in the history
    assert (taken_back["withdrawn"], taken_back["current"]) == (True, False)
    assert [h["current"] for h in hits(run, "quantum")] == [True]  # current again
    assert "(withdrawn)" in run("search", "chip", "rivalry").output


def test_the_index_follows_sync_retirement_and_raw_writes(tmp_path, catalog_path, catalog):
    store = Store.open(tmp_path / "s.db", clock=lambda: FROZEN)
    sync(store, catalog)
    db = store.db
    index_matches_tables(db)
    assert [h.id for h in search(db, "pace")] == ["pace-mismatch"]
    text = catalog_path.read_text().replace("name: Pace mismatch", "name: Tempo gap")
    text = text.replace("title: Next summit", "title: Geneva summit")
    catalog_path.write_text(text)
    from tracker.catalog import load_catalog

    sync(store, load_catalog(catalog_path))
    assert [h.id for h in search(db, "tempo")] == ["pace-mismatch"]
    assert [(h.title, h.snippet) for h in search(db, "pace")] == [("Tempo gap", "pace-mismatch")]
    assert [(h.kind, h.id) for h in search(db, "geneva")] == [("event", "next-summit")]
    catalog_path.write_text(text.replace("  - id: next-summit", "  - id: later-summit"))
    sync(store, load_catalog(catalog_path))
    found = search(db, "geneva", kinds=["event"])
    assert sorted((h.id, h.retired) for h in found) == [("later-summit", False),
                                                        ("next-summit", True)]  # kept, marked
    # Writes by any path (a fetcher, a review, sqlite-utils) reach the index through triggers.
    with store.transaction():
        db["parties"].insert({"code": "XKX", "name": "Kosovo", "kind": "country"})
        db["events"]. update("treaty-opens", {"note": "Opened in Reykjavik"})
    assert [h.id for h in search(db, "kosovo")] == ["XKX"]
    assert [h.id for h in search(db, "reykjavik")] == ["treaty-opens"]
    with store.transaction():
        db.execute("DELETE FROM parties WHERE code = 'XKX'")
    assert search(db, "kosovo") == []
    index_matches_tables(db)
    store.close()


def test_an_unchanged_upsert_does_not_reindex(store, catalog):
    sync(store, catalog)
    segments = "SELECT id, block FROM search_docs_fts_data ORDER BY id"
    before = store.db.execute(segments).fetchall()
    sync(store, catalog, force=True)  # upserts every indicator, event and source again
    assert store.db.execute(segments).fetchall() == before  # the FTS index was not written


HOSTILE = ['cets "225', "AND", "OR", "NOT", "*", "-", "NEAR(", '"', "'", "(", ")", "^",
           "title:x", "{title body}: x", "x AND", "AND OR NOT", '""""', "NEAR(a b", "a*b",
           "\x1b[31mred", "🙂", "Zürich", "'; DROP TABLE parties; --", "%", "_", "x" * 300]


@pytest.mark.parametrize("query", HOSTILE)
def test_no_query_is_an_fts_syntax_error(run, query):
    result = run("search", "--", query)
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        [line] = result.output.splitlines()
        assert line.startswith("Error: search: ") and "letters or digits" in line
    assert "fts5" not in result.output and "Traceback" not in result.output


def test_a_query_without_words_or_with_too_many_is_one_line():
    with pytest.raises(TrackerError, match="no letters or digits"):
        match_expression(" * - ( ")
    with pytest.raises(TrackerError, match="at most"):
        match_expression(" ".join(["word"] * 100))
    assert match_expression('cets "225') == '"cets" """225"'
    assert match_expression("cet", prefix=True) == '"cet"*'


def test_words_are_stemmed_and_fall_back_to_prefixes(store, catalog):
    sync(store, catalog)
    assert [h.id for h in search(store.db, "treaties")] == ["test-treaty", "treaty-opens"]
    assert [h.id for h in search(store.db, "tre")] == ["test-treaty", "treaty-opens"]
    assert search(store.db, "tre", prefix=False) == []


def test_kind_limit_and_csv(run):
    parties = hits(run, "united", "--kind", "party", "--limit", "2")
    assert len(parties) == 2 and {h["kind"] for h in parties} == {"party"}
    result = run("search", "treaty", "--format", "csv")
    lines = result.output.splitlines()
    assert lines[0] == "kind,id,field,date,current,title,snippet,rank"
    assert lines[1].startswith("indicator,test-treaty,,,,Test Treaty,Test Treaty,")
    assert run("search", "x", "--limit", "0").exit_code == 2
    assert run("search", "x", "--kind", "nope").exit_code == 2


def test_untrusted_text_prints_inert(run):
    note = "[bold red]boom[/] \x1b[2J\u202eevil"
    assert run("set", "pace-mismatch", "severity", "High", "--as-of", "2026-01",
               "--note", note).exit_code == 0
    out = run("search", "boom").output
    assert "[bold red]boom[/]" in out and "\x1b" not in out and "\u202e" not in out
    [hit] = hits(run, "boom")
    assert "\x1b" not in hit["snippet"] and hit["snippet"].startswith("High — [bold red]boom")


def test_snippet_markers_become_offsets():
    text, spans = split_snippet("  A \x02cets\x03  \n\x02225\x03\x1b[31m x")
    assert text == "A cets 225 x" and [text[a:b] for a, b in spans] == ["cets", "225"]


def test_show_and_history_take_a_name_or_an_alias(run):
    assert "Test Treaty (test-treaty)" in run("show", "TEST treaty").output
    assert "Pace mismatch (pace-mismatch)" in run("show", "pace").output  # a unique prefix
    assert "History of pace-mismatch.severity" in run("history", "Pace Mismatch",
                                                      "severity").output
    result = run("show", "test-treety")
    assert result.exit_code == 2
    assert result.output == ("Error: unknown indicator 'test-treety' (did you mean "
                             "test-treaty? see `tracker list` or `tracker search TEXT`)\n")
    result = run("history", "nothing-like-it")
    assert result.exit_code == 2 and "did you mean" not in result.output


def test_names_aliases_and_ambiguity_on_the_shipped_catalog(tmp_path):
    from conftest import Cli
    from tracker.paths import shipped_catalog_path

    run = Cli(tmp_path / "shipped.db", shipped_catalog_path())
    assert "(cets-225) in Mechanisms" in run("show", "CETS 225").output
    alias = "Paris AI Action Summit statement"  # an alias, not the name
    assert "History of paris-statement" in run("history", alias.upper()).output
    result = run("show", "treaty")
    assert result.exit_code == 2
    assert result.output.startswith("Error: 'treaty' matches several indicators: ")
    assert "`tracker search treaty` lists them" in result.output
    assert "did you mean cets-225?" in run("show", "cets-252").output
    db = Store.open(tmp_path / "shipped.db").db
    assert [h.id for h in search(db, "cets")][0] == "cets-225"
    assert find_indicator(db, "Hiroshima AI Process Friends Group") == "haip-friends-group"


def test_a_store_from_before_the_index_is_indexed_on_upgrade(tmp_path):
    from tracker.store.migrations import _search_index

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((DATA / "store-v1.sql").read_text())
    conn.close()
    store = Store.open(path, clock=lambda: FROZEN)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert [h.id for h in search(store.db, "no catalog")] == ["old-row"]
    index_matches_tables(store.db)
    store.close()

    # A store at the schema just before the index, with a row of every kind.
    path = tmp_path / "before.db"
    conn = sqlite3.connect(path)
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    migrate(db, MIGRATIONS.index(_search_index))
    db["categories"].insert({"id": "c", "title": "C", "position": 0})
    db["indicators"].insert({"id": "hot-lines", "category_id": "c", "name": "Hot lines",
                             "aliases": '["Crisis channels"]', "description": "Red phones"})
    db["observations"].insert({"indicator_id": "hot-lines", "field": "f", "value": "Possible",
                               "as_of": "2025", "recorded_at": "x", "origin": "catalog",
                               "source": "s", "confidence": "low", "note": "Talks announced"})
    db["parties"].insert({"code": "NZL", "name": "New Zealand", "kind": "country"})
    db["events"].insert({"id": "summit", "date": "2027", "title": "Kigali summit"})
    db["sources"].insert({"id": "un-news", "kind": "rss", "url": "https://news.un.org/feed"})
    conn.close()
    store = Store.open(path, clock=lambda: FROZEN)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    found = {q: [(h.kind, h.id) for h in search(store.db, q)] for q in
             ["crisis channels", "talks", "new zealand", "kigali", "news.un.org"]}
    assert found == {"crisis channels": [("indicator", "hot-lines")],
                     "talks": [("value", "hot-lines")], "new zealand": [("party", "NZL")],
                     "kigali": [("event", "summit")], "news.un.org": [("source", "un-news")]}
    index_matches_tables(store.db)
    assert store.db["search_docs"].detect_fts() == "search_docs_fts"  # Datasette finds it
    store.close()


def test_a_result_marks_the_matched_words_in_its_title_or_its_snippet():
    from tracker.cli_search import _result
    from tracker.search import Hit

    long = Hit("indicator", "cets-225", "Council of Europe Convention (CETS 225)",
               "…Europe Convention (CETS 225)", ((20, 24), (25, 28)), -1.0)
    text = _result(long, terminal=True)
    assert text.plain == long.title
    assert [text.plain[s.start:s.end] for s in text.spans] == ["CETS", "225"]
    note = Hit("value", "hot-lines", "Hot lines · Feasibility", "Talks in Vilnius",
               ((9, 16),), -1.0, field="feasibility", date="2024-06", current=False)
    text = _result(note, terminal=True)
    assert text.plain == ("Hot lines · Feasibility, as of 2024-06 (superseded)\n"
                          "Talks in Vilnius")
    assert [text.plain[s.start:s.end] for s in text.spans] == ["Vilnius"]
    assert _result(note, terminal=False).plain.endswith("(superseded) — Talks in Vilnius")
    by_id = Hit("event", "cets-225-adopted", "Convention adopted", "cets-225-adopted",
                ((0, 4),), -1.0, date="2024-05-17")
    assert _result(by_id, terminal=True).plain == "Convention adopted (2024-05-17)"


def test_datasette_searches_the_index(tmp_path, run):
    import asyncio

    import yaml
    from datasette.app import Datasette

    from conftest import DATA

    assert run("list").exit_code == 0
    metadata = yaml.safe_load((DATA.parent.parent / "metadata.yml").read_text("utf-8"))

    async def ask():
        ds = Datasette([str(run.db)], metadata=metadata)
        await ds.invoke_startup()
        name = run.db.stem
        found = (await ds.client.get(
            f"/{name}/search_docs.json?_search=treaty&_shape=array")).json()
        tables = (await ds.client.get(f"/{name}.json")).json()["tables"]
        return found, tables

    found, tables = asyncio.run(ask())
    assert {(r["kind"], r["ref"]) for r in found} == {("indicator", "test-treaty"),
                                                     ("event", "treaty-opens")}
    hidden = {t["name"] for t in tables if t["hidden"]}
    assert "search_docs_fts" in hidden and "search_docs" not in hidden


def test_refresh_and_review_reach_the_index(tmp_path, monkeypatch):
    import shutil

    import httpx

    import tracker.fetchers as fetchers
    from conftest import Cli
    from fakes import Sources

    real = fetchers.make_client
    monkeypatch.setattr(fetchers, "make_client", lambda: real(httpx.MockTransport(Sources())))
    monkeypatch.setattr("tracker.refresh.HOST_DELAY", 0)
    shutil.copy(DATA / "catalog-sources.yaml", tmp_path / "catalog.yaml")
    run = Cli(tmp_path / "store.db", tmp_path / "catalog.yaml")
    assert run("refresh").exit_code == 0
    found = [(h["kind"], h["id"], h["field"]) for h in hits(run, "10000", "--kind", "value")]
    assert ("value", "pace-mismatch", "documents") in found
    store = Store.open(run.db)
    with store.transaction() as db:
        proposals = db["proposals"]
        proposals.insert({
            "kind": "observation", "indicator_id": "pace-mismatch", "field": "severity",
            "value": "Low", "as_of": "2026-10", "source_id": "s", "source_url":
            "https://example.org/s", "confidence": "low", "reason": "manual",
            "note": "Seen in a Tallinn readout", "status": "pending",
            "created_at": "2026-10-02T00:00:00Z"})
        proposal = proposals.last_pk
    store.close()
    assert hits(run, "tallinn") == []  # waiting for review: not a value yet
    assert run("review", "accept", str(proposal), "--author", "ana").exit_code == 0
    [accepted] = hits(run, "tallinn")
    assert (accepted["id"], accepted["field"], accepted["current"]) == \
        ("pace-mismatch", "severity", True)
    store = Store.open(run.db)
    index_matches_tables(store.db)
    store.close()


def test_every_searchable_table_keeps_its_triggers(store):
    """A later migration that rebuilds a table (sqlite-utils' transform drops triggers)
    must make the index's triggers again, or the index silently stops following it."""
    from tracker.store.migrations import SEARCH_KINDS

    names = {t.name for t in store.db.triggers}
    for table, *_ in SEARCH_KINDS.values():
        assert {f"search_{table}_{op}" for op in ("ai", "au", "ad")} <= names, table
    assert {"search_docs_ai", "search_docs_au", "search_docs_ad"} <= names


def test_the_index_migration_run_again_adds_only_what_is_missing(store, catalog):
    """A store made while migrations were being renumbered may meet it twice."""
    sync(store, catalog)
    store.db.execute("DELETE FROM search_docs WHERE kind = 'party'")  # lost in between
    store.db.execute("DROP TRIGGER search_parties_ai")
    from tracker.store.migrations import MIGRATIONS, _search_index

    store.db.execute(f"PRAGMA user_version = {MIGRATIONS.index(_search_index)}")
    store.conn.commit()
    path = store.path
    store.close()
    again = Store.open(path, clock=lambda: FROZEN)
    assert again.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    index_matches_tables(again.db)
    assert [h.id for h in search(again.db, "pace")] == ["pace-mismatch"]
    with again.transaction() as db:
        db["parties"].insert({"code": "XKX", "name": "Kosovo", "kind": "country"})
    assert [h.id for h in search(again.db, "kosovo")] == ["XKX"]
    again.close()
