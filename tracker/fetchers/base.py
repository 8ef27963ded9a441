"""What fetchers return, and what they are given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import httpx

from tracker.fetchers.http import Sleep, Validators


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


@dataclass
class Fetched:
    """A fetcher's answer."""

    results: list[Value | Member | Item]
    body_hash: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    new_items: list[Item] = field(default_factory=list)
