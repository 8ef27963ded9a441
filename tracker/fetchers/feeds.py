"""Atom and RSS feeds (GOV.UK, the AI Incident Database, UN News), read with feedparser."""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.sax

import feedparser

from tracker.fetchers.base import (Context, Fetched, Item, ParseError, Value, get,
                                   unchanged)
from tracker.fetchers.params import FeedParams
from tracker.text import count, one_line

ACCEPT = ("application/atom+xml", "application/rss+xml", "application/xml", "text/xml")


def parse(body: bytes, event_kind: str = "other") -> list[Item]:
    """The entries of a feed, each with a stable id; a feed that is not XML fails."""
    feed = feedparser.parse(body)
    problem = feed.get("bozo_exception")
    if feed.get("bozo") and isinstance(problem, xml.sax.SAXException):
        raise ParseError(f"malformed feed: {problem}")
    if not feed.get("version") and not feed.entries:
        raise ParseError("not an Atom or RSS feed")
    items = []
    for entry in feed.entries:
        title = one_line(entry.get("title", ""))
        link = one_line(entry.get("link", ""))
        ident = entry.get("id") or link or title
        if not ident:
            continue
        keys = set(entry.keys())
        when = entry.get("published_parsed") if "published" in keys else \
            entry.get("updated_parsed") if "updated" in keys else None
        date = dt.date(*when[:3]).isoformat() if when else ""
        items.append(Item(one_line(ident), date, title, link, event_kind))
    return items


def event_id(source_id: str, item_id: str) -> str:
    """A stable event id for a feed entry."""
    return f"{source_id}-{hashlib.sha256(item_id.encode()).hexdigest()[:12]}"


async def fetch(ctx: Context, source) -> Fetched:
    params = FeedParams.model_validate(source.params)
    resp = await get(ctx, source.url, ACCEPT)
    if resp.not_modified:
        return unchanged(resp)
    items = parse(resp.body, params.event_kind)
    if params.keywords:
        words = [k.casefold() for k in params.keywords]
        items = [i for i in items if any(w in i.title.casefold() for w in words)]
    new = [i for i in items if i.item_id not in ctx.seen]
    results: list = []
    if params.mode == "events":
        results = [i for i in new if i.date]
    else:
        results = [Value(source.feeds.indicator, source.feeds.field, float(len(new)),
                         ctx.today.isoformat(),
                         f"{count(len(new), 'new entry', 'new entries')} since the last refresh "
                         f"({len(items)} in the feed)")]
    return Fetched(results, resp.body_hash, resp.etag, resp.last_modified, new_items=new)
