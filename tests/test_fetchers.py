"""Every fetcher offline against the sample responses, through the refresh that runs them."""

from __future__ import annotations

import asyncio
import shutil
from urllib.parse import parse_qs

import httpx
import pytest

from tracker.catalog import load_catalog
from tracker.fetchers import make_client
from tracker.fetchers.epoch import count_countries
from tracker.refresh import refresh
from tracker.review import decide, pending
from tracker.sync import sync

from conftest import DATA
from fakes import Sources, sample


async def _nosleep(_seconds: float) -> None:
    return None


@pytest.fixture
def sources_catalog(tmp_path):
    path = tmp_path / "catalog.yaml"
    shutil.copy(DATA / "catalog-sources.yaml", path)
    return load_catalog(path)


@pytest.fixture
def fake():
    return Sources()


def run(store, catalog, fake, **kw):
    async def go():
        async with make_client(httpx.MockTransport(fake)) as client:
            return await refresh(store, catalog, client, sleep=_nosleep, host_delay=0, **kw)
    return asyncio.run(go())


def refresh_wikidata_with(store, catalog, fake, body: bytes):
    """Refresh the Wikidata source with ``body`` as the answer to the treaty query."""
    def handler(request):
        query = parse_qs(request.url.query.decode())["query"][0]
        if "schema:about" not in query:
            return httpx.Response(200, content=body,
                                  headers={"Content-Type": "application/sparql-results+json"})
        return fake(request)

    async def go():
        async with make_client(httpx.MockTransport(handler)) as client:
            return await refresh(store, catalog, client, only=["wikidata"], sleep=_nosleep,
                                 host_delay=0)
    return asyncio.run(go())


def current(store, field):
    row = store.db.execute("SELECT value, as_of, origin, source FROM current_values WHERE "
                           "indicator_id = 'pace-mismatch' AND field = ?", [field]).fetchone()
    return row


def test_every_source_kind_refreshes(store, sources_catalog, fake):
    sync(store, sources_catalog)
    report = run(store, sources_catalog, fake)
    assert [o.status for o in report.outcomes] == ["ok"] * 8, report.outcomes
    # Federal Register: 2025 answered with the zero-match body (no `results` key) -> 0, not an
    # error; 2026 with the capped count.
    docs = store.db.execute("SELECT as_of, value FROM observations WHERE field = 'documents' "
                            "ORDER BY as_of").fetchall()
    assert docs == [("2025", "0"), ("2026", "10000")]
    assert current(store, "countries")[0] == "2"  # China and the US in 2026's rows
    assert current(store, "publications")[0] == "2"
    assert current(store, "rules")[0] == "2"
    assert current(store, "signatories")[0] == "21"
    assert current(store, "reports")[0] == "2"
    events = store.db.execute("SELECT title FROM events WHERE origin = 'fetcher'").fetchall()
    assert len(events) == 2
    # Wikidata feeds a ledger: EU ratification and signatures with ISO codes.
    added = store.db.execute("SELECT party, role, date FROM memberships WHERE origin = "
                             "'fetcher' ORDER BY party, role").fetchall()
    assert ("EU", "ratified", "2026-05-15") in added
    run_id = report.run_id
    assert store.db["runs"].get(run_id)["status"] == "ok"
    obs = store.db.execute("SELECT run_id, response_hash FROM observations WHERE origin = "
                           "'fetcher' LIMIT 1").fetchone()
    assert obs[0] == run_id and len(obs[1]) == 64


def test_a_second_refresh_writes_nothing_new(store, sources_catalog, fake):
    sync(store, sources_catalog)
    run(store, sources_catalog, fake)
    counts = (store.db["observations"].count, store.db["memberships"].count,
              store.db["events"].count)
    report = run(store, sources_catalog, fake)
    assert (store.db["observations"].count, store.db["memberships"].count,
            store.db["events"].count) == counts
    assert all(not o.changes for o in report.outcomes)
    epoch = next(o for o in report.outcomes if o.source_id == "epoch")
    assert epoch.status == "unchanged"  # conditional request answered 304
    assert fake.requests[-1].headers.get("User-Agent", "").startswith("tracker/")
    assert store.db.execute("SELECT count(*) FROM source_health WHERE status = 'ok'"
                            ).fetchone()[0] == 8


def test_wikidata_qid_is_resolved_once_and_pinned(store, sources_catalog, fake):
    sync(store, sources_catalog)
    run(store, sources_catalog, fake, only=["wikidata"])
    assert store.db.execute("SELECT value FROM source_pins WHERE source_id = 'wikidata'"
                            ).fetchone()[0] == "Q999999225"
    before = len(fake.requests)
    run(store, sources_catalog, fake, only=["wikidata"])
    assert len(fake.requests) - before == 1  # no resolution the second time


def test_an_empty_sparql_answer_is_no_data_not_zero(store, sources_catalog, fake):
    sync(store, sources_catalog)
    fake.overrides["wd.test"] = httpx.Response(
        200, json={"head": {"vars": []}, "results": {"bindings": []}},
        headers={"Content-Type": "application/sparql-results+json"})
    report = run(store, sources_catalog, fake, only=["wikidata"])
    assert report.outcomes[0].status == "failed"
    assert "no data" in report.outcomes[0].error
    assert store.db["memberships"].count == 4  # the curated ledger, untouched


def test_contradicting_a_curated_ledger_goes_to_review(store, sources_catalog, fake):
    # The catalog dates GBR's signature 2024-09-05; make Wikidata say otherwise.
    sync(store, sources_catalog)
    body = sample("wikidata-sparql-treaty-parties.json").replace(b"2024-09-05T", b"2024-09-06T")
    refresh_wikidata_with(store, sources_catalog, fake, body)
    waiting = pending(store)
    gbr = [p for p in waiting if p["party"] == "GBR"]
    assert gbr and "curated ledger dates this signed 2024-09-05" in gbr[0]["reason"]
    accepted = decide(store, gbr[0]["id"], True, "ana")
    assert accepted["status"] == "accepted" and accepted["decided_by"] == "ana"
    assert store.db.execute("SELECT count(*) FROM memberships WHERE party = 'GBR' AND "
                            "date = '2024-09-06'").fetchone()[0] == 1
    other = [p for p in pending(store)][0]
    assert decide(store, other["id"], False, "ana")["status"] == "rejected"


def test_manual_sources_only_propose(store, sources_catalog, fake, tmp_path):
    text = (DATA / "catalog-sources.yaml").read_text().replace(
        "    feeds: {indicator: pace-mismatch, field: documents}\n",
        "    feeds: {indicator: pace-mismatch, field: documents}\n    review: manual\n")
    path = tmp_path / "manual.yaml"
    path.write_text(text)
    catalog = load_catalog(path)
    sync(store, catalog)
    run(store, catalog, fake, only=["fr"])
    assert current(store, "documents") is None
    assert [p["value"] for p in pending(store)] == ["0", "10000"]
    run(store, catalog, fake, only=["fr"])
    assert len(pending(store)) == 2  # not proposed twice


def test_dry_run_writes_nothing(store, sources_catalog, fake):
    sync(store, sources_catalog)
    before = store.db["observations"].count
    report = run(store, sources_catalog, fake, dry_run=True)
    assert any(o.changes for o in report.outcomes)
    assert store.db["observations"].count == before
    assert store.db["source_health"].count == 0
    assert report.run_id is None


def test_epoch_reads_both_header_versions():
    current_file = sample("epoch-large-scale.csv")
    by_year, unknown = count_countries(current_file, 2020, None, 2026)
    assert by_year[2026] == {"CHN", "USA"}
    # The 2024 file named its columns System and Country (from Organization); a row in
    # that shape, made here for the test, is read through the aliases.
    header = sample("epoch-large-scale-2024-header.csv").decode().strip()
    cols = header.split(",")
    row = {c: "" for c in cols}
    row.update({"System": "Old model", "Publication date": "2023-05-01",
                "Country (from Organization)": "United Kingdom of Great Britain and Northern "
                                               "Ireland,Korea (Republic of)"})
    import csv
    import io
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=cols)
    writer.writeheader()
    writer.writerow(row)
    by_year, _ = count_countries(buf.getvalue().encode(), 2020, None, 2026)
    assert by_year == {2023: {"GBR", "KOR"}}


def test_epoch_without_a_country_column_fails_loudly():
    from tracker.fetchers import ParseError

    with pytest.raises(ParseError, match="no country column"):
        count_countries(b"Model,Publication date\nX,2025-01-01\n", 2020, None, 2026)


def test_federal_register_zero_match_answer_is_zero():
    from tracker.fetchers.federal_register import parse

    assert parse(sample("federal-register-empty.json")) == 0
    assert parse(sample("federal-register-documents.json")) == 10000


def test_feed_entries_keep_stable_ids_and_literal_titles():
    from tracker.fetchers.feeds import parse

    items = parse(sample("un-news-rss.xml"))
    assert items and all(i.item_id and i.date for i in items)
    hostile = sample("aiid-rss.xml").replace(
        b"Example report headline about an AI system failure", b"[bold red]Boom[/] <b>x</b>")
    assert parse(hostile)[0].title == "[bold red]Boom[/] <b>x</b>"


def test_escape_sequences_in_fetched_text_are_removed(store, sources_catalog, fake):
    sync(store, sources_catalog)
    body = sample("wikidata-sparql-treaty-parties.json").replace(
        b'"value" : "Norway"', b'"value" : "\\u001b[31mNorway\\u001b[0m [bold]x[/bold]"')
    assert b"u001b" in body
    refresh_wikidata_with(store, sources_catalog, fake, body)
    note = store.db.execute("SELECT note FROM memberships WHERE party = 'NOR'").fetchone()[0]
    assert "\x1b" not in note and "Norway" in note and "[bold]x[/bold]" in note


def test_a_refresh_stopped_before_it_ended_is_marked_interrupted_by_the_next(store,
                                                                          sources_catalog,
                                                                          fake):
    """q during a refresh, or a kill, leaves its run 'running'; the next refresh (the one
    holding the lock) marks it interrupted, so no run stays 'running' forever."""
    sync(store, sources_catalog)
    with store.transaction():
        stopped = store.start_run("refresh", sources_catalog.digest)
        store.start_run("set")  # another kind, still open in this test: left alone
    run(store, sources_catalog, fake)
    statuses = dict(store.db.execute("SELECT id, status FROM runs").fetchall())
    assert statuses[stopped] == "interrupted"
    assert statuses[stopped + 1] == "running"
    assert max(statuses) > stopped + 1 and statuses[max(statuses)] != "running"
