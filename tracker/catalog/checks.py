"""Checks that span the catalog: ids, references, scales, parties and dates."""

from __future__ import annotations

import os
from collections.abc import Iterable

import pycountry

from tracker.catalog.model import CatalogModel
from tracker.catalog.source import Document, Problem
from tracker.dates import not_after, utcnow
from tracker.values import count, web_url

MECHANISMS = "mechanisms"
CRITERIA = ("outside_structures", "multipolar", "not_dependent", "single_purpose",
            "no_shared_values", "among_states")
"""The essay's six criteria, in its order."""
TYPED_CRITERIA = ("outside_structures", "single_purpose", "no_shared_values")
"""The criteria an analyst reads from the mechanism's texts (the others are computed)."""


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-3 country code."""
    return len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None


def check(model: CatalogModel, doc: Document) -> list[Problem]:
    """Every cross-reference and scale problem in ``model``, located in ``doc``."""
    out: list[Problem] = []

    def bad(loc: tuple, message: str) -> None:
        out.append(doc.problem(loc, message))

    today = utcnow().date()
    clock = " (today from TRACKER_NOW)" if os.environ.get("TRACKER_NOW") else ""

    def future(loc: tuple, date: str) -> None:
        try:
            not_after(date, today)
        except ValueError as exc:
            bad(loc, f"{exc}{clock}")

    _check_scales(model, bad)
    _unique(((("categories", i, "id"), c.id) for i, c in enumerate(model.categories)),
            "category", bad)
    _unique(((("indicators", i, "id"), ind.id) for i, ind in enumerate(model.indicators)),
            "indicator", bad)
    _unique(((("events", i, "id"), e.id) for i, e in enumerate(model.events)), "event", bad)

    categories = {c.id: c for c in model.categories}
    for ci, category in enumerate(model.categories):
        for name, field in category.fields.items():
            if field.scale not in model.scales:
                bad(("categories", ci, "fields", name, "scale"),
                    f"unknown scale {field.scale!r} (declared: {_list(model.scales)})")

    for code in model.organisations:
        if is_country(code):
            bad(("organisations", code),
                f"{code!r} is already an ISO 3166-1 country code; pick another code")

    sources = _SourceCheck(model, bad)
    parties = _PartyCheck(model, bad)
    indicator_ids = {ind.id for ind in model.indicators}

    for i, ind in enumerate(model.indicators):
        here = ("indicators", i)
        category = categories.get(ind.category)
        if category is None:
            bad(here + ("category",),
                f"unknown category {ind.category!r} (declared: {_list(categories)})")
            continue
        if ind.category == MECHANISMS and ind.criteria is None:
            bad(here, f"mechanism {ind.id!r} has no 'criteria' (the six criteria: "
                f"{', '.join(CRITERIA)})")
        if ind.category != MECHANISMS:
            for key in ("criteria", "kind", "entry_into_force"):
                if getattr(ind, key) is not None:
                    bad(here + (key,), f"{key!r} is only for the {MECHANISMS!r} category")
        if ind.criteria is not None:
            for key in CRITERIA:
                crit = getattr(ind.criteria, key)
                if crit is None:
                    continue
                sources.check(here + ("criteria", key, "source"), crit.source)
                if crit.value is None and key in TYPED_CRITERIA:
                    bad(here + ("criteria", key), f"criteria.{key}: missing 'value' (allowed: "
                        "yes, partly, no); only multipolar, not_dependent and among_states "
                        "are computed from the ledger")
        eif = ind.entry_into_force
        if eif is not None:
            sources.check(here + ("entry_into_force", "source"), eif.source)
            if eif.group is not None and eif.group not in model.groups:
                bad(here + ("entry_into_force", "group"),
                    f"unknown group {eif.group!r} (declared: {_list(model.groups)})")
            if (eif.group is None) != (eif.group_minimum is None):
                bad(here + ("entry_into_force",), "'group' and 'group_minimum' go together")
        for field_name, values in ind.values.items():
            field = category.fields.get(field_name)
            if field is None:
                bad(here + ("values", field_name),
                    f"unknown field {field_name!r} for category {ind.category!r} "
                    f"(allowed: {_list(category.fields)})")
                continue
            scale = model.scales.get(field.scale)
            for vi, value in enumerate(values):
                loc = here + ("values", field_name, vi)
                sources.check(loc + ("source",), value.source)
                future(loc + ("as_of",), value.as_of)
                if scale is not None:
                    problem = scale_problem(scale, value.value)
                    if problem:
                        bad(loc + ("value",), f"{field_name}: {problem}")

    for rid, ref in model.references.items():
        sources.check(("references", rid, "url"), ref.url)
    for gid, group in model.groups.items():
        sources.check(("groups", gid, "source"), group.source)
        future(("groups", gid, "as_of"), group.as_of)
        for mi, member in enumerate(group.members):
            parties.check(("groups", gid, "members", mi), member)

    by_id = {ind.id: ind for ind in model.indicators}
    for mid, ledger in model.memberships.items():
        target = by_id.get(mid)
        if target is None or target.category != MECHANISMS:
            bad(("memberships", mid), f"membership ledger for {mid!r}, which is not a "
                "mechanism indicator")
        for ei, entry in enumerate(ledger.entries):
            loc = ("memberships", mid, "entries", ei)
            parties.check(loc + ("party",), entry.party)
            sources.check(loc + ("source",), entry.source)
            future(loc + ("date",), entry.date)

    _check_sources(model, bad, sources, categories)

    for i, event in enumerate(model.events):
        loc = ("events", i)
        sources.check(loc + ("source",), event.source)
        if event.end is not None and event.end < event.date:
            bad(loc + ("end",), f"end {event.end!r} is before the date {event.date!r}")
        for li, link in enumerate(event.links):
            if link not in indicator_ids:
                bad(loc + ("links", li), f"link to unknown indicator {link!r}")
    return out


def scale_problem(scale, value) -> str | None:
    """Why ``value`` does not fit ``scale``, or None when it does."""
    if scale.kind == "numeric":
        if isinstance(value, str):
            return f"{value!r} is not a number (this field takes a number in {scale.unit})"
        try:
            count(value)
        except ValueError as exc:
            return f"{exc} (unit: {scale.unit})"
        return None
    if not isinstance(value, str):
        return f"{value!r} is a number; this field takes text (quote it)"
    allowed = scale.levels + scale.unranked
    if scale.kind == "ordinal" and value not in allowed and value not in scale.synonyms:
        shown = allowed + [f"{k} (= {v})" for k, v in scale.synonyms.items()]
        return f"{value!r} is not on the scale (allowed: {_list(shown, 20)})"
    return None


def _check_scales(model: CatalogModel, bad) -> None:
    for sid, scale in model.scales.items():
        loc = ("scales", sid)
        if scale.kind == "ordinal" and not scale.levels:
            bad(loc, f"ordinal scale {sid!r} needs 'levels'")
        if scale.kind != "ordinal" and (scale.levels or scale.unranked):
            bad(loc, f"only ordinal scales have levels; {sid!r} is {scale.kind}")
        if scale.kind == "numeric" and not scale.unit:
            bad(loc, f"numeric scale {sid!r} needs a 'unit'")
        if scale.synonyms and scale.kind != "ordinal":
            bad(loc + ("synonyms",), f"only ordinal scales have synonyms; {sid!r} is {scale.kind}")
        for word, level in scale.synonyms.items():
            if level not in scale.levels + scale.unranked:
                bad(loc + ("synonyms", word), f"synonym {word!r} names {level!r}, which is not "
                    f"a level of {sid!r} (levels: {_list(scale.levels + scale.unranked)})")
            if word in scale.levels + scale.unranked:
                bad(loc + ("synonyms", word), f"{word!r} is already a level of {sid!r}")
        seen: set[str] = set()
        for level in scale.levels + scale.unranked:
            if level in seen:
                bad(loc, f"level {level!r} is listed twice")
            seen.add(level)


def _unique(items: Iterable[tuple[tuple, str]], what: str, bad) -> None:
    first: dict[str, tuple] = {}
    for loc, ident in items:
        if ident in first:
            bad(loc, f"duplicate {what} id {ident!r}")
        else:
            first[ident] = loc


def _list(names: Iterable[str], limit: int = 12) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


class _SourceCheck:
    def __init__(self, model: CatalogModel, bad) -> None:
        self.refs = model.references
        self.bad = bad

    def check(self, loc: tuple, source: str) -> None:
        if source.startswith(("http://", "https://")):
            try:
                web_url(source)
            except ValueError as exc:
                self.bad(loc, str(exc))
            return
        if source not in self.refs:
            self.bad(loc, f"source {source!r} is neither an http(s) URL nor a reference id "
                     f"(declared: {_list(self.refs)})")


class _PartyCheck:
    def __init__(self, model: CatalogModel, bad) -> None:
        self.orgs = model.organisations
        self.bad = bad

    def check(self, loc: tuple, code: str) -> None:
        if not (is_country(code) or code in self.orgs):
            self.bad(loc, f"unknown party {code!r} (allowed: an ISO 3166-1 alpha-3 country "
                     "code such as USA, or a code declared under 'organisations')")


def _check_sources(model: CatalogModel, bad, sources: _SourceCheck, categories) -> None:
    from pydantic import ValidationError

    from tracker.fetchers.params import PARAMS, TARGETS

    _unique(((("sources", i, "id"), src.id) for i, src in enumerate(model.sources)), "source",
            bad)
    by_id = {ind.id: ind for ind in model.indicators}
    for i, src in enumerate(model.sources):
        loc = ("sources", i)
        try:
            web_url(src.url)
        except ValueError as exc:
            bad(loc + ("url",), str(exc))
        try:
            PARAMS[src.kind].model_validate(src.params)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                where = ".".join(str(p) for p in err["loc"]) or "params"
                bad(loc + ("params",), f"params.{where}: {err['msg']} (see the '{src.kind}' "
                    "kind in docs/sources.md)")
        feeds = src.feeds
        want = TARGETS[src.kind]
        if want == "mechanism":
            target = by_id.get(feeds.mechanism or "")
            if target is None or target.category != MECHANISMS:
                bad(loc + ("feeds",), f"a {src.kind} source feeds a mechanism's ledger: "
                    f"'mechanism' must name a mechanism indicator, not {feeds.mechanism!r}")
            continue
        if feeds.events and src.kind == "feed":
            continue
        target = by_id.get(feeds.indicator or "")
        if target is None:
            bad(loc + ("feeds",), f"unknown indicator {feeds.indicator!r} in feeds "
                f"(a {src.kind} source feeds {want})")
            continue
        fields = categories[target.category].fields
        if feeds.field not in fields:
            bad(loc + ("feeds",), f"unknown field {feeds.field!r} for {target.id!r} "
                f"(allowed: {_list(fields)})")
        elif model.scales[fields[feeds.field].scale].kind != "numeric":
            bad(loc + ("feeds",), f"field {feeds.field!r} must be numeric: a {src.kind} "
                "source produces numbers")
