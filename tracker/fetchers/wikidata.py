"""Wikidata (SPARQL): a treaty's signatures and ratifications with dates, or a body's members.

The item's Q-id is resolved once from its English Wikipedia article and pinned in the
store; an empty answer means "no data", never "no members".
"""

from __future__ import annotations

import hashlib
import json

from tracker.fetchers import http
from tracker.fetchers.base import Context, Fetched, Member, NoData, ParseError, get
from tracker.fetchers.params import WikidataParams
from tracker.text import one_line

ACCEPT = ("application/sparql-results+json", "application/json", "+json")
ENTITY = "http://www.wikidata.org/entity/"
ORGANISATIONS = {"Q458": "EU"}
"""Parties without an ISO 3166-1 alpha-3 code, by Q-id."""

RESOLVE = """SELECT ?article ?item WHERE {{
  VALUES ?article {{ <{article}> }}
  ?article schema:about ?item .
}}"""
TREATY = """SELECT ?party ?partyLabel ?iso3 ?relation ?date WHERE {{
  VALUES ?treaty {{ wd:{qid} }}
  {{ ?treaty p:P1891 ?st . ?st ps:P1891 ?party . BIND("signature" AS ?relation) }}
  UNION {{ ?treaty p:P6193 ?st . ?st ps:P6193 ?party . BIND("ratification" AS ?relation) }}
  ?st wikibase:rank ?rank . FILTER(?rank != wikibase:DeprecatedRank)
  OPTIONAL {{ ?st pq:P585 ?date }}
  OPTIONAL {{ ?party wdt:P298 ?iso3 }}
  SERVICE wikibase:label {{ bd:serviceParam wikibase:language "en". }}
}} ORDER BY ?relation ?partyLabel"""
MEMBERS = """SELECT ?party ?partyLabel ?iso3 ?date WHERE {{
  VALUES ?org {{ wd:{qid} }}
  ?party p:P463 ?st . ?st ps:P463 ?org .
  ?st wikibase:rank ?rank . FILTER(?rank != wikibase:DeprecatedRank)
  OPTIONAL {{ ?st pq:P580 ?date }}
  OPTIONAL {{ ?party wdt:P298 ?iso3 }}
  SERVICE wikibase:label {{ bd:serviceParam wikibase:language "en". }}
}}"""
ROLES = {"signature": "signed", "ratification": "ratified", None: "member"}


def bindings(body: bytes) -> list[dict]:
    """The result rows of a SPARQL JSON answer."""
    try:
        data = json.loads(body)
        rows = data["results"]["bindings"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"not a SPARQL JSON result ({type(exc).__name__})") from None
    if not isinstance(rows, list):
        raise ParseError("'results.bindings' is not a list")
    return rows


def members(rows: list[dict], mechanism: str) -> tuple[list[Member], int]:
    """Ledger entries from result rows, and how many rows could not be used."""
    out, skipped = [], 0
    for row in rows:
        qid = row.get("party", {}).get("value", "").removeprefix(ENTITY)
        party = row.get("iso3", {}).get("value") or ORGANISATIONS.get(qid)
        date = row.get("date", {}).get("value", "")[:10]
        role = ROLES.get(row.get("relation", {}).get("value"))
        if not party or not date or not role or len(date) != 10:
            skipped += 1
            continue
        label = one_line(row.get("partyLabel", {}).get("value", ""))
        out.append(Member(mechanism, party.upper(), role, date, f"Wikidata {qid} ({label})"))
    return out, skipped


async def _query(ctx: Context, url: str, sparql: str) -> http.Response:
    return await get(ctx, url, ACCEPT, params=[("query", sparql), ("format", "json")],
                     conditional=False)


async def fetch(ctx: Context, source) -> Fetched:
    params = WikidataParams.model_validate(source.params)
    qid = params.qid or ctx.pins.get("qid")
    if qid is None:
        if not params.article:
            raise ParseError("neither 'qid' nor 'article' is set")
        found = bindings((await _query(ctx, source.url,
                                       RESOLVE.format(article=params.article))).body)
        items = {r.get("item", {}).get("value", "").removeprefix(ENTITY) for r in found
                 if r.get("article", {}).get("value", params.article) == params.article}
        items.discard("")
        if len(items) != 1:
            raise NoData(f"the article resolves to {len(items)} items, not one")
        qid = items.pop()
        ctx.pins["qid"] = qid
    query = TREATY if params.relation == "treaty" else MEMBERS
    resp = await _query(ctx, source.url, query.format(qid=qid))
    rows = bindings(resp.body)
    if not rows:
        raise NoData(f"no statements for {qid}: no data (not zero members)")
    found, skipped = members(rows, source.feeds.mechanism)
    if not found:
        raise NoData(f"{len(rows)} rows for {qid}, none with a party code and a date")
    digest = hashlib.sha256(resp.body).hexdigest()
    return Fetched(found, digest)
