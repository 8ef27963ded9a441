"""Atom and RSS feeds (GOV.UK, the AI Incident Database, UN News), read with feedparser."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import xml.sax
from urllib.parse import urljoin, urlsplit

import feedparser

from tracker.fetchers.base import (Context, Fetched, Item, ParseError, Value, get,
                                   unchanged)
from tracker.fetchers.params import FeedParams
from tracker.text import count, one_line

ACCEPT = ("application/atom+xml", "application/rss+xml", "application/xml", "text/xml",
          "+xml")
_TAG = re.compile(r"<[^>]*>")


def web_link(base: str, link: str) -> str:
    """``link`` resolved against ``base``, if the result is an http(s) URL; else ``""``
    (``javascript:``, ``data:``, ``file:`` and the like are dropped)."""
    try:
        url = urljoin(base, link.strip()) if base else link.strip()
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def parse(body: bytes, event_kind: str = "other", base: str = "") -> list[Item]:
    """The entries of a feed, each with a stable id; a feed that is not XML fails.

    Args:
        base: the URL the feed came from; relative links are resolved against it (an
            ``xml:base`` in the feed takes precedence).
    """
    # A file object, never bytes or text: feedparser opens a string or bytes that looks
    # like a path or a URL (``/etc/passwd``, ``http://...``) instead of parsing it.
    feed = feedparser.parse(io.BytesIO(body),
                            response_headers={"content-location": base} if base else None)
    problem = feed.get("bozo_exception")
    if feed.get("bozo") and isinstance(problem, xml.sax.SAXException):
        raise ParseError(f"malformed feed: {problem}")
    if not feed.get("version") and not feed.entries:
        raise ParseError("not an Atom or RSS feed")
    items = []
    for entry in feed.entries:
        title = one_line(entry.get("title", ""))
        link = web_link(base, one_line(entry.get("link", "")))
        ident = entry.get("id") or link or title
        if not ident:
            continue
        keys = set(entry.keys())
        when = entry.get("published_parsed") if "published" in keys else \
            entry.get("updated_parsed") if "updated" in keys else None
        try:
            date = dt.date(*when[:3]).isoformat() if when else ""
        except (TypeError, ValueError):
            date = ""
        summary = one_line(_TAG.sub(" ", entry.get("summary", "")))
        items.append(Item(one_line(ident), date, title, link, event_kind, summary))
    return items


def matches(item: Item, keywords: list[str]) -> bool:
    """The item's title or summary holds one of ``keywords`` (any case; the text is padded
    with spaces, so a keyword such as ``" AI "`` also matches at either end)."""
    text = f" {item.title} {item.summary} ".casefold()
    return any(k.casefold() in text for k in keywords)


def event_id(source_id: str, item_id: str) -> str:
    """A stable event id for a feed entry."""
    return f"{source_id}-{hashlib.sha256(item_id.encode()).hexdigest()[:12]}"


async def fetch(ctx: Context, source) -> Fetched:
    params = FeedParams.model_validate(source.params)
    resp = await get(ctx, source.url, ACCEPT)
    if resp.not_modified:
        return unchanged(resp)
    items = parse(resp.body, params.event_kind, resp.url)
    if params.keywords:
        items = [i for i in items if matches(i, params.keywords)]
    new = [i for i in items if i.item_id not in ctx.seen]
    results: list = []
    if params.mode == "events":
        results = new  # an entry without a usable date is skipped, and counted, on writing
    else:
        results = [Value(source.feeds.indicator, source.feeds.field, float(len(new)),
                         ctx.today.isoformat(),
                         f"{count(len(new), 'new entry', 'new entries')} since the last refresh "
                         f"({len(items)} in the feed)")]
    return Fetched(results, resp.body_hash, resp.etag, resp.last_modified, new_items=new)
