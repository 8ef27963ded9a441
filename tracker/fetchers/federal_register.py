"""US Federal Register API: how many documents match a term, per year."""

from __future__ import annotations

import hashlib

from tracker.fetchers.base import JSON, Context, Fetched, ParseError, Value, get
from tracker.fetchers.jsonbody import loads, unambiguous
from tracker.fetchers.params import FederalRegisterParams

ACCEPT = JSON
CAP = 10_000
"""The API caps `count`: a count at the cap is a floor, not a total."""


def parse(body: bytes) -> int:
    """The ``count`` of a documents.json answer (a zero-match answer has no ``results``)."""
    data = loads(body)
    unambiguous(data, "count")
    if not isinstance(data, dict) or not isinstance(data.get("count"), int) \
            or isinstance(data.get("count"), bool):
        raise ParseError("no integer 'count' in the answer")
    return data["count"]


async def fetch(ctx: Context, source) -> Fetched:
    params = FederalRegisterParams.model_validate(source.params)
    results, hashes = [], []
    for year in params.years:
        if year > ctx.today.year:
            continue
        query = [("conditions[term]", params.term),
                 ("conditions[publication_date][year]", str(year)),
                 ("per_page", "1"), ("fields[]", "document_number")]
        resp = await get(ctx, source.url, ACCEPT, params=query, conditional=False)
        count = parse(resp.body)
        hashes.append(resp.body_hash)
        note = f"Documents matching {params.term} published in {year}"
        if count >= CAP:
            note += f"; the API caps counts at {CAP}, so this is a floor"
        if year == ctx.today.year:
            note += f"; year to date ({ctx.today.isoformat()})"
        results.append(Value(source.feeds.indicator, source.feeds.field, count, str(year), note))
    digest = hashlib.sha256("".join(hashes).encode()).hexdigest()
    return Fetched(results, digest)
