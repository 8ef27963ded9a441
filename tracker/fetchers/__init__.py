"""Fetchers, one module per source kind, all under one HTTP policy (`http`)."""

from __future__ import annotations

from tracker.fetchers import epoch, federal_register, feeds, generic, govuk, wikidata
from tracker.fetchers.base import (Context, Fetched, Item, Member, NoData, ParseError,
                                   Value)
from tracker.fetchers.http import FetchError, Validators, make_client

KINDS = {
    "wikidata-sparql": wikidata.fetch,
    "epoch-csv": epoch.fetch,
    "federal-register": federal_register.fetch,
    "feed": feeds.fetch,
    "govuk-search": govuk.fetch,
    "json": generic.fetch_json,
    "csv": generic.fetch_csv,
}
"""The fetch coroutine of each source kind."""

__all__ = ["Context", "FetchError", "Fetched", "Item", "KINDS", "Member", "NoData",
           "ParseError", "Validators", "Value", "make_client"]
