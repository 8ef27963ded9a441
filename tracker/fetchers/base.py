"""What fetchers return, and what they are given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import httpx

from tracker.fetchers import http
from tracker.fetchers.http import Response, Sleep, Validators


JSON = ("application/json", "+json")
"""What a JSON source may be served as: any ``+json`` type is JSON (RFC 6839)."""
CSV = ("text/csv", "application/csv", "text/comma-separated-values", "text/x-csv",
       "application/x-csv", "text/plain", "application/octet-stream",
       "application/vnd.ms-excel")
"""What a CSV source may be served as, the generic labels servers give .csv files
included; the body must still be UTF-8 CSV with the declared columns."""


class ParseError(Exception):
    """A response arrived but is not what the source's format promises."""


class NoData(Exception):
    """A well-formed but empty answer: "no data", never "zero"."""


@dataclass(frozen=True)
class Value:
    """A dated value for one field of one indicator."""

    indicator: str
    field: str
    value: float | str
    as_of: str
    note: str | None = None


@dataclass(frozen=True)
class Member:
    """A dated act of a party towards a mechanism."""

    mechanism: str
    party: str
    role: str
    date: str
    note: str | None = None


@dataclass(frozen=True)
class Item:
    """A feed entry, for the timeline."""

    item_id: str
    date: str
    title: str
    link: str
    kind: str = "other"
    summary: str = ""
    """What keywords are matched against besides the title; not stored."""


@dataclass
class Context:
    """Everything a fetcher may use: the client, the clock, pins and validators."""

    client: httpx.AsyncClient
    today: dt.date
    sleep: Sleep
    validators: Validators = Validators()
    pins: dict[str, str] = field(default_factory=dict)
    """Identifiers resolved once and kept (a Wikidata Q-id); fetchers may add to it."""
    seen: set[str] = field(default_factory=set)
    """Feed item ids already recorded for this source."""
    max_bytes: int | None = None
    redirect_hosts: tuple[str, ...] = ()
    """Hosts beyond the source's own site that a redirect may lead to."""


@dataclass
class Fetched:
    """A fetcher's answer."""

    results: list[Value | Member | Item]
    body_hash: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    new_items: list[Item] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Why each value the source gave could not be used (a date that is not a date, a
    number that is not finite...); counted in the source's health."""


async def get(ctx: Context, url: str, accept: tuple[str, ...], *,
              params: list[tuple[str, str]] | None = None, conditional: bool = True) -> Response:
    """GET under the HTTP policy with the source's validators, cap and sleep.

    ``conditional=False`` for sources that make several requests per run (their
    validators belong to no single one of them).
    """
    return await http.get(ctx.client, url, accept=accept, params=params,
                          validators=ctx.validators if conditional else Validators(),
                          max_bytes=ctx.max_bytes or http.MAX_BYTES, sleep=ctx.sleep,
                          redirect_hosts=ctx.redirect_hosts)


def unchanged(resp: Response) -> Fetched:
    """What a fetcher returns when the source has not changed since the last success."""
    return Fetched([], resp.body_hash, resp.etag, resp.last_modified, True)
