"""Fetchers, one module per source kind, all under one HTTP policy (`http`).

Importing this package is cheap; each kind's module (and httpx, feedparser) loads when a
refresh needs it.
"""

from __future__ import annotations

import importlib
from typing import Any

_KINDS = {
    "wikidata-sparql": ("wikidata", "fetch"),
    "epoch-csv": ("epoch", "fetch"),
    "federal-register": ("federal_register", "fetch"),
    "feed": ("feeds", "fetch"),
    "govuk-search": ("govuk", "fetch"),
    "json": ("generic", "fetch_json"),
    "csv": ("generic", "fetch_csv"),
}


class _Kinds(dict):
    """The fetch coroutine of each source kind, imported on first use."""

    def __missing__(self, kind: str):
        module, name = _KINDS[kind]
        found = getattr(importlib.import_module(f"tracker.fetchers.{module}"), name)
        self[kind] = found
        return found


KINDS = _Kinds()

_EXPORTS = {
    "Context": "base", "Fetched": "base", "Item": "base", "Member": "base", "NoData": "base",
    "ParseError": "base", "Value": "base", "FetchError": "http", "Validators": "http",
    "make_client": "http",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"tracker.fetchers.{_EXPORTS[name]}"), name)
    raise AttributeError(name)


__all__ = ["KINDS", *_EXPORTS]
