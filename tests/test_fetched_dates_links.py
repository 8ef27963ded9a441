"""Fetched dates, feed links and feed bodies: a date is checked by the catalog's own rule at
the precision the source gives; a link is an absolute web link; a feed body is parsed,
never opened as a path or a URL."""

from __future__ import annotations

import json
import time

import pytest
from werkzeug import Response

from tracker.dates import parse_partial
from tracker.fetchers.feeds import parse, web_link

from test_fetched_values import CASES, case_server, one, refresh_case

ENTITY = "http://www.wikidata.org/entity/"


def ledger(store):
    return store.db.execute("SELECT party, role, date FROM memberships WHERE origin = "
                            "'fetcher' ORDER BY party, role").fetchall()


def sparql(*rows: dict) -> str:
    return json.dumps({"head": {"vars": []}, "results": {"bindings": list(rows)}})


def row(qid: str, iso3: str, relation: str, date: dict | None, precision: str | None = None):
    out = {"party": {"type": "uri", "value": ENTITY + qid},
           "iso3": {"type": "literal", "value": iso3},
           "partyLabel": {"type": "literal", "value": iso3},
           "relation": {"type": "literal", "value": relation}}
    if date is not None:
        out["date"] = date
    if precision is not None:
        out["precision"] = {"type": "literal", "value": precision}
    return out


def lit(value: str) -> dict:
    return {"type": "literal", "value": value,
            "datatype": "http://www.w3.org/2001/XMLSchema#dateTime"}


WIKIDATA = dict(kind="wikidata-sparql", params="{qid: Q123, relation: treaty}",
                ctype="application/sparql-results+json", feeds="{mechanism: test-treaty}")


# 18. Dates


def test_h26_wikidata_dates_keep_their_precision(store, tmp_path, httpserver):
    queries = []
    case_server(httpserver, "H26")
    httpserver.clear_all_handlers()

    def handler(request):
        queries.append(request.args.get("query", ""))
        return Response((CASES / "H26" / "sparql.json").read_bytes(),
                        content_type="application/sparql-results+json")

    httpserver.expect_request("/H26/sparql.json").respond_with_handler(handler)
    out = refresh_case(store, tmp_path, httpserver, "H26")["wikidata"]
    assert out.status == "ok", out
    assert "wikibase:timePrecision" in queries[0]
    assert ledger(store) == [("FIN", "ratified", "2025"), ("POL", "signed", "2025-03")]


@pytest.mark.parametrize("date, precision, kept", [
    ("2025-03-14T00:00:00Z", "11", "2025-03-14"),
    ("2025-03-14T00:00:00Z", None, "2025-03-14"),
    ("+2025-03-01T00:00:00Z", "10", "2025-03"),
    ("2025-01-01T00:00:00Z", "9", "2025"),
    ("2025-03-14T10:00:00Z", "14", "2025-03-14"),
])
def test_wikidata_precision(store, tmp_path, date, precision, kept):
    out = one(store, tmp_path, body=sparql(row("Q20", "NOR", "signature", lit(date),
                                               precision)), **WIKIDATA)
    assert out.status == "ok", out
    assert ledger(store) == [("NOR", "signed", kept)]


UNUSABLE = {
    "blank node": {"type": "bnode", "value": "t1234"},
    "genid IRI": {"type": "uri",
                  "value": "http://www.wikidata.org/.well-known/genid/0f1e2d3c4b5a"},
    "9999-99-99": lit("9999-99-99"),
    "/x000000": lit("/x000000"),
    "x000000": lit("x000000"),
    "2025-00-00": lit("2025-00-00T00:00:00Z"),
    "2025-02-30": lit("2025-02-30T00:00:00Z"),
    "no date": None,
}


def test_wikidata_values_that_are_not_dates_are_skipped_and_counted(store, tmp_path):
    rows = [row(f"Q{i}", code, "signature", date) for i, (code, date) in
            enumerate(zip(["FRA", "DEU", "ITA", "ESP", "PRT", "NLD", "BEL", "AUT"],
                          UNUSABLE.values()))]
    rows.append(row("Q9", "CAN", "ratification", lit("2000-01-01T00:00:00Z"), "7"))
    rows.append(row("Q20", "NOR", "signature", lit("2024-09-05T00:00:00Z"), "11"))
    out = one(store, tmp_path, body=sparql(*rows), **WIKIDATA)
    assert out.status == "ok", out
    assert ledger(store) == [("NOR", "signed", "2024-09-05")]
    assert len(out.skipped) == len(UNUSABLE) + 1
    health = store.db["source_health"].get("src")
    assert health["skipped"] == len(UNUSABLE) + 1
    assert "9 skipped: " in health["skipped_detail"]
    assert any("unknown value" in s for s in out.skipped)
    from tracker.source_health import health as shown

    [line] = shown(store)  # what `tracker sources` and the Sources screen show
    assert line["state"] == "ok" and line["last_error"].startswith("9 skipped: ")
    assert any("coarser than a year" in s for s in out.skipped)


def test_wikidata_with_no_usable_date_at_all_is_no_data(store, tmp_path):
    out = one(store, tmp_path, body=sparql(row("Q1", "FRA", "signature", UNUSABLE["blank node"]),
                                           row("Q2", "DEU", "signature", lit("9999-99-99"))),
              **WIKIDATA)
    assert out.status == "failed" and out.error.startswith("no data: 2 rows"), out
    assert ledger(store) == []


def test_epoch_rows_whose_dates_are_not_dates_are_skipped_and_counted(store, tmp_path):
    body = ("Model,Publication date,Country (of organization)\n"
            "A,2025-03-01,United Kingdom\nB,9999-99-99,France\nC,2025-00-00,Germany\n"
            "D,,Italy\nE,2025-05-02,United States\n")
    out = one(store, tmp_path, "epoch-csv", "{since_year: 2020}", body, "text/csv",
              feeds="{indicator: pace-mismatch, field: countries}")
    assert out.status == "ok", out
    assert store.db.execute("SELECT as_of, value FROM observations WHERE field = 'countries' "
                            "AND origin = 'fetcher'").fetchall() == [("2025", "2")]
    assert len(out.skipped) == 3
    assert store.db["source_health"].get("src")["skipped"] == 3


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Dated</title><guid>a</guid><pubDate>Wed, 10 Jun 2026 09:00:00 +0000</pubDate>
<link>https://ex.test/a</link></item>
<item><title>Undated</title><guid>b</guid><link>https://ex.test/b</link></item>
<item><title>Nonsense date</title><guid>c</guid><pubDate>99 Foo 9999</pubDate></item>
</channel></rss>"""


def test_feed_entries_without_a_usable_date_are_skipped_and_counted(store, tmp_path):
    out = one(store, tmp_path, "feed", "{mode: events}", FEED, "application/rss+xml",
              feeds="{events: true}")
    assert out.status == "ok", out
    titles = [r[0] for r in store.db.execute("SELECT title FROM events WHERE origin = "
                                             "'fetcher'")]
    assert titles == ["Dated"]
    assert out.skipped == ["no date", "no date"]


@pytest.mark.parametrize("text", ["2025", "2025-03", "2025-03-14"])
def test_the_one_date_rule_keeps_partial_dates(text):
    assert parse_partial(text) == text


@pytest.mark.parametrize("text", ["9999-99-99", "2025-00-00", "2025-13", "0000", "2025-3",
                                  "2025\n", "٢٠٢٥", "2025-03-14T00:00:00Z", "", " 2025"])
def test_the_one_date_rule_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_partial(text)


# 22. Links


def test_h4_a_relative_link_is_resolved_against_the_feed_url(store, tmp_path, httpserver):
    out = refresh_case(store, tmp_path, httpserver, "H4")["ministry-feed"]
    assert out.status == "ok", out
    expected = httpserver.url_for("/news/2026/06/ai-safety-dialogue").replace(
        "localhost", "127.0.0.1")
    assert store.db.execute("SELECT source FROM events WHERE origin = 'fetcher'"
                            ).fetchall() == [(expected,)]
    assert store.db.execute("SELECT link FROM feed_items").fetchall() == [(expected,)]


LINKS = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>One</title><guid>1</guid><link>javascript:alert(1)</link>
<pubDate>Wed, 10 Jun 2026 09:00:00 +0000</pubDate></item>
<item><title>Two</title><guid>2</guid><link>data:text/html,&lt;b&gt;x&lt;/b&gt;</link>
<pubDate>Wed, 10 Jun 2026 09:00:00 +0000</pubDate></item>
<item><title>Three</title><guid>3</guid><link>file:///etc/passwd</link>
<pubDate>Wed, 10 Jun 2026 09:00:00 +0000</pubDate></item>
<item><title>Four</title><guid>4</guid><link>../up/four.html</link>
<pubDate>Wed, 10 Jun 2026 09:00:00 +0000</pubDate></item>
<item><title>Five</title><guid>5</guid><link>//cdn.example.org/five</link>
<pubDate>Wed, 10 Jun 2026 09:00:00 +0000</pubDate></item>
</channel></rss>"""


def test_only_web_links_are_kept_and_relative_ones_are_resolved(store, tmp_path):
    out = one(store, tmp_path, "feed", "{mode: events}", LINKS, "application/rss+xml",
              feeds="{events: true}", url="https://news.example.org/feeds/all.xml")
    assert out.status == "ok", out
    got = dict(store.db.execute("SELECT title, source FROM events WHERE origin = 'fetcher'"))
    feed = "https://news.example.org/feeds/all.xml"
    assert got == {"One": feed, "Two": feed, "Three": feed,
                   "Four": "https://news.example.org/up/four.html",
                   "Five": "https://cdn.example.org/five"}


def test_xml_base_in_the_feed_takes_precedence():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"
      xml:base="https://other.example.org/base/"><title>t</title>
      <entry><id>1</id><title>x</title><link href="item/1"/>
      <updated>2026-06-10T00:00:00Z</updated></entry></feed>"""
    [item] = parse(atom, base="https://news.example.org/feed.xml")
    assert item.link == "https://other.example.org/base/item/1"


@pytest.mark.parametrize("link, expected", [
    ("javascript:alert(1)", ""), ("JaVaScRiPt:alert(1)", ""), ("data:x", ""),
    ("mailto:a@b.c", ""), ("/a", "https://h.test/a"), ("https://x.test/", "https://x.test/"),
    ("http://[::1", ""), ("", "https://h.test/f.xml"),
])
def test_web_link(link, expected):
    assert web_link("https://h.test/f.xml", link) == expected


def test_the_markdown_export_links_only_web_urls(store, tmp_path):
    from tracker.export.markdown import Footnotes

    notes = Footnotes()
    for url in ("https://ok.test/a", "javascript:alert(1)", "data:text/html,x", "analyst"):
        notes.ref(url)
    lines = notes.lines()
    assert lines[0] == "[^1]: <https://ok.test/a>"
    assert all("<" not in ln for ln in lines[1:]), lines


def test_a_stored_javascript_link_is_not_a_link_in_the_export(store, tmp_path, catalog):
    from tracker import export
    from tracker.sync import sync

    sync(store, catalog)
    with store.transaction() as db:
        db["events"].insert({"id": "evil", "date": "2099-11-01", "title": "Evil",
                             "kind": "other", "source": "javascript:alert(1)",
                             "confidence": "low", "origin": "fetcher",
                             "recorded_at": "2026-11-01T00:00:00Z"})
    text = export.build(store, "md").text
    assert "| 2099-11-01 | Evil |" in text
    assert "javascript:alert(1)" in text  # shown as text, never as a link
    assert "<javascript:" not in text and "](javascript:" not in text


# 23. Keywords


def test_h7_keywords_match_the_title_or_the_summary(store, tmp_path, httpserver):
    out = refresh_case(store, tmp_path, httpserver, "H7")["un-news-ai"]
    assert out.status == "ok", out
    assert store.db.execute("SELECT date, title FROM events WHERE origin = 'fetcher' "
                            "ORDER BY date").fetchall() == [
        ("2026-06-10", "Guterres calls for global guardrails on emerging technology"),
        ("2026-06-11", "AI panel names its first co-chairs")]


def test_keywords_in_an_html_summary_or_an_atom_summary(store, tmp_path):
    atom = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>1</id><title>Plain title</title><updated>2026-06-10T00:00:00Z</updated>
        <summary type="html">&lt;p&gt;AI&lt;/p&gt; rules agreed</summary></entry>
      <entry><id>2</id><title>Other</title><updated>2026-06-10T00:00:00Z</updated>
        <summary>Nothing about it; SAID and AIR do not count</summary></entry>
      <entry><id>3</id><title>Artificial Intelligence pact</title>
        <updated>2026-06-10T00:00:00Z</updated></entry></feed>"""
    out = one(store, tmp_path, "feed",
              '{mode: count, keywords: [" AI ", artificial intelligence]}', atom,
              "application/atom+xml", feeds="{indicator: pace-mismatch, field: reports}")
    assert out.status == "ok", out
    assert store.db.execute("SELECT value FROM observations WHERE field = 'reports' AND "
                            "origin = 'fetcher'").fetchall() == [("2",)]


# 15. A feed body is never opened as a path or a URL


@pytest.mark.parametrize("body", ["/etc/passwd", "/dev/zero", "/proc/self/environ",
                                  "file:///etc/passwd", "HTTP_URL", "LOCAL_FEED"])
def test_a_feed_body_that_looks_like_a_path_or_url_is_only_parsed(store, tmp_path, httpserver,
                                                                   body):
    hits = []
    httpserver.expect_request("/x").respond_with_handler(
        lambda r: hits.append(r) or Response("<rss version='2.0'><channel><item><title>"
                                             "Fetched!</title><guid>z</guid></item>"
                                             "</channel></rss>",
                                             content_type="application/rss+xml"))
    local = tmp_path / "local-feed.xml"  # a feed on this machine, never to be read
    local.write_text("<rss version='2.0'><channel><item><title>Local file read!</title>"
                     "<guid>y</guid><pubDate>Wed, 10 Jun 2026 09:00:00 +0000</pubDate>"
                     "</item></channel></rss>")
    body = body.replace("HTTP_URL", httpserver.url_for("/x")).replace("LOCAL_FEED", str(local))
    start = time.monotonic()
    out = one(store, tmp_path, "feed", "{mode: events}", body, "application/rss+xml",
              feeds="{events: true}")
    assert time.monotonic() - start < 5
    assert out.status == "failed", out
    assert "not an Atom or RSS feed" in out.error or "malformed feed" in out.error
    assert hits == []
    assert not store.db.execute("SELECT 1 FROM events WHERE origin = 'fetcher'").fetchone()


def test_feedparser_is_handed_a_file_object():
    import io
    from unittest import mock

    import feedparser

    with mock.patch.object(feedparser, "parse", wraps=feedparser.parse) as spy:
        parse(b"<rss version='2.0'><channel></channel></rss>")
    assert isinstance(spy.call_args.args[0], io.BytesIO)
