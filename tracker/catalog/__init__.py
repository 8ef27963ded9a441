"""Load and validate the catalog (data/indicators.yaml) into typed objects.

Errors are :class:`Problem` values that say ``file:line: what is wrong (what is allowed)``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from tracker.catalog.checks import MECHANISMS, is_country, scale_problem
from tracker.catalog.model import (
    CatalogModel, Category, Event, FieldDef, Group, Indicator, Ledger, Membership,
    Organisation, Reference, Scale, Value,
)
from tracker.catalog.schema_errors import problems_from
from tracker.catalog.source import Problem, read_document
from tracker.catalog import checks
from tracker.paths import shipped_catalog_path

__all__ = [
    "Catalog", "CatalogError", "Category", "Event", "FieldDef", "Group", "Indicator", "Ledger",
    "MECHANISMS", "Membership", "Organisation", "Problem", "Reference", "Scale", "Value",
    "check_catalog", "is_country", "load_catalog", "scale_problem", "shipped_catalog_path",
]


class CatalogError(Exception):
    """The catalog has problems; nothing may be written from it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Catalog:
    """A valid catalog, with lookups the rest of the core needs."""

    model: CatalogModel
    path: str
    digest: str
    """SHA-256 of the file's bytes: an unchanged catalog syncs for free."""
    stamp: str | None = None
    """The file's stamp (:func:`tracker.store.files.file_stamp`) taken before it was read:
    while it holds, the file is the one digested, and the short commands skip hashing it."""

    indicators_by_id: dict[str, Indicator] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "indicators_by_id", {ind.id: ind for ind in self.model.indicators}
        )

    @cached_property
    def categories(self) -> dict[str, Category]:
        """Categories by id, in catalog order."""
        return {c.id: c for c in self.model.categories}

    def field(self, indicator_id: str, name: str) -> FieldDef | None:
        """The definition of field ``name`` of an indicator, or None."""
        ind = self.indicators_by_id.get(indicator_id)
        if ind is None:
            return None
        return self.categories[ind.category].fields.get(name)

    def scale(self, scale_id: str) -> Scale:
        """The scale ``scale_id`` (it exists: the catalog is valid)."""
        return self.model.scales[scale_id]

    def source_url(self, source: str) -> str:
        """A value's source as a URL: reference ids resolve to their URL."""
        ref = self.model.references.get(source)
        return ref.url if ref else source


def check_catalog(path: str | Path) -> tuple[Catalog | None, list[Problem]]:
    """Read and validate the catalog at ``path``.

    Returns:
        The catalog (None when there are problems) and the list of problems.
    """
    path = Path(path)
    from tracker.store.files import file_stamp, settled

    import time

    read_at = time.time_ns()  # what matters is the file's age when it is read, not parsed
    try:
        stamp: str | None = file_stamp(path)
    except OSError:
        stamp = None  # read_document says why the file cannot be read
    doc = read_document(path)
    if stamp is not None and not settled(stamp, read_at):
        stamp = None  # changed too recently for its times to tell a later change apart
    if doc.problems:
        return None, doc.problems
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "the catalog must be a mapping of top-level keys")]
    try:
        model = CatalogModel.model_validate(doc.data)
    except ValidationError as exc:
        return None, sorted(problems_from(exc, doc, CatalogModel), key=lambda p: p.line)
    problems = checks.check(model, doc)
    if problems:
        return None, sorted(problems, key=lambda p: p.line)
    digest = doc.digest or hashlib.sha256(path.read_bytes()).hexdigest()
    return Catalog(model=model, path=str(path), digest=digest, stamp=stamp), []


def load_catalog(path: str | Path) -> Catalog:
    """Like :func:`check_catalog`, but raise :class:`CatalogError` on problems."""
    catalog, problems = check_catalog(path)
    if problems:
        raise CatalogError(problems)
    assert catalog is not None
    return catalog


