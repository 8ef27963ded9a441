"""Wikidata (SPARQL): a treaty's signatures and ratifications with dates, or a body's members.

The item's Q-id is resolved once from its English Wikipedia article and pinned in the
store; an empty answer means "no data", never "no members".
"""

from __future__ import annotations

import hashlib
import json

from tracker import values
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
TREATY = """SELECT ?party ?partyLabel ?iso3 ?relation ?date ?precision WHERE {{
  VALUES ?treaty {{ wd:{qid} }}
  {{ ?treaty p:P1891 ?st . ?st ps:P1891 ?party . BIND("signature" AS ?relation) }}
  UNION {{ ?treaty p:P6193 ?st . ?st ps:P6193 ?party . BIND("ratification" AS ?relation) }}
  ?st wikibase:rank ?rank . FILTER(?rank != wikibase:DeprecatedRank)
  OPTIONAL {{ ?st pqv:P585 ?when . ?when wikibase:timeValue ?date ;
                                      wikibase:timePrecision ?precision }}
  OPTIONAL {{ ?party wdt:P298 ?iso3 }}
  SERVICE wikibase:label {{ bd:serviceParam wikibase:language "en". }}
}} ORDER BY ?relation ?partyLabel"""
MEMBERS = """SELECT ?party ?partyLabel ?iso3 ?date ?precision WHERE {{
  VALUES ?org {{ wd:{qid} }}
  ?party p:P463 ?st . ?st ps:P463 ?org .
  ?st wikibase:rank ?rank . FILTER(?rank != wikibase:DeprecatedRank)
  OPTIONAL {{ ?st pqv:P580 ?when . ?when wikibase:timeValue ?date ;
                                      wikibase:timePrecision ?precision }}
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


PRECISION = {9: 4, 10: 7, 11: 10}
"""Wikidata's time precision (9 year, 10 month, 11 day) as the length of the date kept."""


def when(row: dict) -> str:
    """The row's date at the precision Wikidata states (``2025``, ``2025-03``,
    ``2025-03-14``), checked like a catalog date.

    Raises:
        ValueError: no date, an unknown value (a blank node or a genid IRI), a value that
            is not a real date, or a precision coarser than a year.
    """
    binding = row.get("date")
    if not binding:
        raise ValueError("no date")
    text = str(binding.get("value", ""))
    if binding.get("type") != "literal":
        raise ValueError(f"{text[:60]!r} is not a date (an unknown value)")
    day = values.date(text.removeprefix("+").split("T")[0])
    if len(day) != 10:
        raise ValueError(f"{text[:40]!r} is not a date of Wikidata's form")
    raw = row.get("precision", {}).get("value", "11")
    try:
        keep = PRECISION.get(min(int(raw), 11))
    except ValueError:
        keep = None
    if keep is None:
        raise ValueError(f"{text[:40]!r} has precision {str(raw)[:10]!r}, coarser than a year")
    return day[:keep]


def members(rows: list[dict], mechanism: str) -> tuple[list[Member], list[str]]:
    """Ledger entries from result rows, and why each other row could not be used."""
    out, skipped = [], []
    for row in rows:
        qid = row.get("party", {}).get("value", "").removeprefix(ENTITY)
        party = row.get("iso3", {}).get("value") or ORGANISATIONS.get(qid)
        role = ROLES.get(row.get("relation", {}).get("value"))
        if not party or not role:
            skipped.append(f"{qid or 'a row'}: no party code" if not party else
                           f"{qid}: unknown relation")
            continue
        try:
            date = when(row)
        except ValueError as exc:
            skipped.append(f"{qid}: {exc}")
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
        raise NoData(f"{len(rows)} rows for {qid}, none with a party code and a date"
                     + (f" ({skipped[0]})" if skipped else ""))
    digest = hashlib.sha256(resp.body).hexdigest()
    return Fetched(found, digest, skipped=skipped)
