"""The catalog's schema as typed objects; pydantic checks shapes, types and allowed words."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

from tracker.dates import parse_partial


def _date(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        return parse_partial(value)
    return value


def _scalar(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        shown = str(value).lower() if isinstance(value, bool) else type(value).__name__
        raise ValueError(f"expected text or a number, got {shown} (quote it to make it text)")
    return value


ScalarValue = Annotated[StrictStr | StrictInt | StrictFloat, BeforeValidator(_scalar)]
"""A field's value: text, or a number for numeric scales."""

PartialDate = Annotated[str, BeforeValidator(_date)]
"""A date at the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD."""

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]
"""A stable identifier: lowercase letters and digits joined by hyphens or underscores."""

PartyCode = Annotated[str, Field(pattern=r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")]
"""An ISO 3166-1 alpha-3 code or a declared organisation code."""

Confidence = Literal["high", "medium", "low"]
Role = Literal["signed", "ratified", "endorsed", "member", "observer", "declined", "withdrew"]
MechanismKind = Literal[
    "treaty", "declaration", "commitments", "code-of-conduct", "institution", "network",
    "partnership", "forum", "resolution", "report", "dialogue", "framework",
]
EventKind = Literal[
    "summit", "signature", "ratification", "entry-into-force", "report", "resolution",
    "meeting", "launch", "policy", "deadline", "incident", "other",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(_Strict):
    """Where a value came from and how sure it is."""

    source: StrictStr = Field(min_length=1)
    """A reference id from ``references`` or an http(s) URL."""
    confidence: Confidence
    note: StrictStr | None = None


class Value(Provenance):
    """One dated value of one field."""

    value: ScalarValue
    as_of: PartialDate


class Reference(_Strict):
    """A named source that values cite by id."""

    title: StrictStr
    url: StrictStr
    publisher: StrictStr | None = None
    date: PartialDate | None = None
    note: StrictStr | None = None


class Scale(_Strict):
    """The levels a field may take and which way is better."""

    kind: Literal["text", "ordinal", "numeric"]
    levels: list[StrictStr] = []
    unranked: list[StrictStr] = []
    better: Literal["higher", "lower", "none"] = "none"
    unit: StrictStr | None = None
    synonyms: dict[StrictStr, StrictStr] = {}
    """The research page's own wording for a level, e.g. ``None on AI: None``: a value may be
    written either way and ranks as the level it names."""


class FieldDef(_Strict):
    """A named field of a category's rows."""

    label: StrictStr
    scale: StrictStr
    description: StrictStr | None = None
    freshness: Annotated[str, Field(pattern=r"^\d+[dwmy]$")] | None = None
    """How old a value may get before it is due for review, e.g. ``180d`` or ``1y``."""


class Category(_Strict):
    """A table of indicators that share fields."""

    id: Slug
    title: StrictStr
    description: StrictStr | None = None
    fields: dict[str, FieldDef]


class Organisation(_Strict):
    """A party that is not a country."""

    name: StrictStr
    kind: Literal["intergovernmental", "company", "territory", "other"]
    note: StrictStr | None = None


class Group(Provenance):
    """A named set of parties, such as the G7."""

    name: StrictStr
    members: list[PartyCode]
    as_of: PartialDate


def _yes_no(value: object) -> object:
    # YAML reads an unquoted yes/no as true/false: take it as the word that was written.
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


CriterionValue = Annotated[Literal["yes", "partly", "no"], BeforeValidator(_yes_no)]


class Criterion(Provenance):
    """One of the essay's criteria for one mechanism: a reading with its reason and source.

    ``source`` is where the facts come from (the mechanism's own documents); the rule itself
    is the essay's. For the criteria computed from the ledger (multipolar, not dependent,
    among states) ``value`` is optional: it is used only where the ledger cannot answer.
    """

    value: CriterionValue | None = None
    rationale: StrictStr = Field(min_length=1)


class Criteria(_Strict):
    """The six criteria of a special purpose international collaboration (Letwin, 2023)."""

    outside_structures: Criterion
    """Formed outside the UN and outside the constraints of existing structures."""
    multipolar: Criterion | None = None
    """Radically multipolar (computed from the ledger)."""
    not_dependent: Criterion | None = None
    """Not dependent on any one power or small set (computed from the ledger)."""
    single_purpose: Criterion
    """Single purpose, without mission creep."""
    no_shared_values: Criterion
    """No shared domestic values required."""
    among_states: Criterion | None = None
    """Cooperation among states (computed from the ledger)."""


class EntryIntoForce(Provenance):
    """When a treaty enters into force: enough ratifications, some from one group."""

    ratifications: Annotated[int, Field(ge=1)]
    group: StrictStr | None = None
    """A group id from ``groups`` whose members' ratifications are counted separately."""
    group_minimum: Annotated[int, Field(ge=1)] | None = None
    period_months: Annotated[int, Field(ge=0)] | None = None
    """In force on the first day of the month following this many months after the
    ratification that meets the rule (and, for a later ratifier, after its own)."""


class Indicator(_Strict):
    """One tracked row, with dated values per field."""

    id: Slug
    category: StrictStr
    name: StrictStr
    description: StrictStr | None = None
    aliases: list[StrictStr] = []
    tier: Literal[1, 2, 3] | None = None
    table: Literal[1, 2] | None = None
    kind: MechanismKind | None = None
    criteria: Criteria | None = None
    entry_into_force: EntryIntoForce | None = None
    values: dict[str, list[Value]] = {}


class Membership(Provenance):
    """One dated act of one party towards a mechanism."""

    party: PartyCode
    role: Role
    date: PartialDate


class Ledger(_Strict):
    """The membership ledger of one mechanism."""

    complete: bool = False
    note: StrictStr | None = None
    entries: list[Membership] = []


class Event(Provenance):
    """A dated happening, past or announced."""

    id: Slug
    date: PartialDate
    end: PartialDate | None = None
    title: StrictStr
    kind: EventKind
    links: list[StrictStr] = []
    outcome: Annotated[str, Field(min_length=1)] | None = None
    """What came of it, once past; ``outcome not recorded`` when no source says. An event
    with an outcome is never shown as coming."""


SourceKind = Literal["wikidata-sparql", "epoch-csv", "federal-register", "feed",
                     "govuk-search", "json", "csv"]


class SourceTarget(_Strict):
    """What a source feeds: a field of an indicator, a mechanism's ledger, or the timeline."""

    indicator: StrictStr | None = None
    field: StrictStr | None = None
    mechanism: StrictStr | None = None
    events: bool = False


HostName = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$")]
"""A host name alone: no scheme, port or path."""


class SourceDef(_Strict):
    """A declared fetch: where, how to read it, what it feeds, and who reviews it."""

    id: Slug
    kind: SourceKind
    url: StrictStr
    params: dict[str, object] = {}
    """Kind-specific settings (a query, a column, a path, a filter, an aggregate)."""
    feeds: SourceTarget
    review: Literal["auto", "manual"] = "auto"
    """``manual``: every fetched value waits in the review queue for an analyst."""
    freshness: Annotated[str, Field(pattern=r"^\d+[dwmy]$")] | None = None
    confidence: Confidence = "medium"
    """How far the source's values are trusted."""
    max_bytes: Annotated[int, Field(ge=1024)] | None = None
    deadline: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    """Seconds this source may take in all (requests, waits, body); the run's default
    otherwise."""
    redirect_hosts: list[HostName] = []
    """Hosts on other sites that the source's redirects may lead to."""
    note: StrictStr | None = None


class CatalogModel(_Strict):
    """The whole catalog file."""

    version: Literal[1]
    references: dict[str, Reference] = {}
    scales: dict[str, Scale]
    categories: list[Category]
    organisations: dict[PartyCode, Organisation] = {}
    groups: dict[StrictStr, Group] = {}
    indicators: list[Indicator]
    memberships: dict[StrictStr, Ledger] = {}
    events: list[Event] = []
    sources: list[SourceDef] = []
