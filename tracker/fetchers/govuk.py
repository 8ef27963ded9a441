"""GOV.UK Search API: the total number of documents a search finds."""

from __future__ import annotations


from tracker.fetchers.base import JSON, Context, Fetched, ParseError, Value, get, unchanged
from tracker.fetchers.jsonbody import loads, unambiguous
from tracker.fetchers.params import GovukSearchParams


def parse(body: bytes) -> int:
    """The ``total`` of a search.json answer."""
    data = loads(body)
    unambiguous(data, "total")
    total = data.get("total") if isinstance(data, dict) else None
    if not isinstance(total, int) or isinstance(total, bool):
        raise ParseError("no integer 'total' in the answer")
    return total


async def fetch(ctx: Context, source) -> Fetched:
    params = GovukSearchParams.model_validate(source.params)
    query: list[tuple[str, str]] = [("count", "0")]
    for key, value in params.query.items():
        for v in value if isinstance(value, list) else [value]:
            query.append((key, v))
    resp = await get(ctx, source.url, JSON, params=query)
    if resp.not_modified:
        return unchanged(resp)
    total = parse(resp.body)
    return Fetched([Value(source.feeds.indicator, source.feeds.field, float(total),
                          ctx.today.isoformat())], resp.body_hash, resp.etag,
                   resp.last_modified)
