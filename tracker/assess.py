"""An analyst's assessment: one new observation, checked against the field's scale."""

from __future__ import annotations

from typing import Any

from tracker import values
from tracker.catalog import Catalog
from tracker.dates import parse_partial
from tracker.errors import TrackerError
from tracker.store import Store

ANALYST = "analyst"


def normalise(catalog: Catalog, indicator_id: str, field: str, raw: str) -> tuple[str, float | None]:
    """The stored text and number for ``raw`` on the field's scale.

    Raises:
        TrackerError: the indicator or field is unknown, or the value is not on the scale.
    """
    ind = catalog.indicators_by_id.get(indicator_id)
    if ind is None:
        raise TrackerError(f"unknown indicator {indicator_id!r} (see `tracker list`)")
    category = catalog.categories[ind.category]
    definition = category.fields.get(field)
    if definition is None:
        raise TrackerError(
            f"unknown field {field!r} for {indicator_id!r} "
            f"(allowed: {', '.join(category.fields)})"
        )
    scale = catalog.scale(definition.scale)
    text = " ".join(raw.split())
    if not text:
        raise TrackerError(f"{field}: the value is empty")
    if scale.kind == "numeric":
        try:
            number = values.number(text)
        except ValueError as exc:
            raise TrackerError(f"{field}: {exc} (unit: {scale.unit})") from None
        return (str(int(number)) if number.is_integer() else str(number)), number
    if scale.kind == "ordinal":
        levels = scale.levels + scale.unranked
        match = next((lv for lv in levels if lv.casefold() == text.casefold()), None)
        if match is None:
            raise TrackerError(f"{field}: {raw!r} is not on the scale "
                               f"(allowed: {', '.join(levels)})")
        return match, None
    return text, None


def record(store: Store, catalog: Catalog, indicator_id: str, field: str, raw: str, *,
           as_of: str | None = None, source: str | None = None, confidence: str = "medium",
           note: str | None = None, author: str | None = None) -> dict[str, Any]:
    """Record an analyst's value as a new observation in one transaction.

    Returns:
        The observation as written.
    """
    value, number = normalise(catalog, indicator_id, field, raw)
    when = as_of or store.clock().date().isoformat()
    try:
        parse_partial(when)
    except ValueError as exc:
        raise TrackerError(f"--as-of: {exc}") from None
    if source and not source.startswith(("http://", "https://")) \
            and source not in catalog.model.references:
        raise TrackerError(f"--source: {source!r} is neither an http(s) URL nor a reference id "
                           f"(declared: {', '.join(catalog.model.references)})")
    if confidence not in ("high", "medium", "low"):
        raise TrackerError(f"--confidence: {confidence!r} (allowed: high, medium, low)")
    with store.transaction() as db:
        run_id = store.start_run("set", catalog.digest)
        row = {
            "indicator_id": indicator_id, "field": field, "value": value, "value_num": number,
            "as_of": when, "recorded_at": store.now(), "origin": ANALYST,
            "source": catalog.source_url(source) if source else ANALYST,
            "confidence": confidence, "note": note, "author": author or ANALYST,
            "run_id": run_id,
        }
        db["observations"].insert(row)
        row["id"] = db["observations"].last_pk
        store.finish_run(run_id, "ok", f"{indicator_id}.{field} = {value}")
    return row
