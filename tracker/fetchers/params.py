"""The settings each kind of source takes in the catalog, checked by `tracker validate`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WikidataParams(_Params):
    """Signatures (P1891) and ratifications (P6193) of a treaty, or members (P463) of a body."""

    article: str | None = None
    """The English Wikipedia article of the item, resolved to a Q-id once, then pinned."""
    qid: str | None = Field(default=None, pattern=r"^Q\d+$")
    """A Q-id confirmed by a person; skips resolution."""
    relation: Literal["treaty", "membership"] = "treaty"


class EpochParams(_Params):
    """Large-scale models per year: how many countries had at least one."""

    since_year: int = 2018
    min_compute: float | None = None
    """Only models trained with at least this many FLOP (blank compute is left out)."""


class FederalRegisterParams(_Params):
    """The number of documents matching a term, one request per year."""

    term: str
    years: list[int] = Field(min_length=1)


class FeedParams(_Params):
    """An Atom or RSS feed: new entries become events, or a count of new entries."""

    mode: Literal["events", "count"] = "events"
    keywords: list[str] = []
    """Keep only entries whose title or summary contains one of these (any case)."""
    event_kind: str = "other"


class GovukSearchParams(_Params):
    """The total of a GOV.UK search (``count=0``)."""

    query: dict[str, str | list[str]] = {}


class JsonParams(_Params):
    """A value taken from a JSON document by a path, optionally filtered and aggregated."""

    path: str
    """Dotted keys and ``[*]`` for every item of a list: ``results[*].type``."""
    where: dict[str, str] = {}
    """Keep only list items whose fields equal these values (for ``[*]`` paths)."""
    aggregate: Literal["value", "count", "sum", "max", "min"] = "value"


class CsvParams(_Params):
    """A value computed from one column of a CSV file."""

    column: str | None = None
    where: dict[str, str] = {}
    aggregate: Literal["count", "sum", "max", "min", "last"] = "count"


PARAMS: dict[str, type[_Params]] = {
    "wikidata-sparql": WikidataParams, "epoch-csv": EpochParams,
    "federal-register": FederalRegisterParams, "feed": FeedParams,
    "govuk-search": GovukSearchParams, "json": JsonParams, "csv": CsvParams,
}
"""The settings model of each source kind."""

TARGETS = {
    "wikidata-sparql": "mechanism", "epoch-csv": "field", "federal-register": "field",
    "feed": "events or field", "govuk-search": "field", "json": "field", "csv": "field",
}
"""What each kind feeds."""
