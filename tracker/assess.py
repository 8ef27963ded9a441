"""An analyst's assessment: one new observation, checked against the field's scale."""

from __future__ import annotations

from typing import Any

from tracker.catalog import Catalog
from tracker.dates import not_after, parse_partial
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.values import count, web_url

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
            number = count(text)
        except ValueError as exc:
            raise TrackerError(f"{field}: {exc} (unit: {scale.unit})") from None
        return str(number), float(number)
    if scale.kind == "ordinal":
        levels = scale.levels + scale.unranked + list(scale.synonyms)
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
    when = _as_of(store, as_of)
    if source and source not in catalog.model.references:
        try:
            web_url(source)
        except ValueError as exc:
            raise TrackerError(f"--source: {exc}, or a reference id (declared: "
                               f"{', '.join(catalog.model.references)})") from None
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


def _as_of(store: Store, as_of: str | None) -> str:
    """The date an analyst's value was true: a real partial date, not after today."""
    today = store.clock().date()
    when = as_of or today.isoformat()
    try:
        return not_after(parse_partial(when), today)
    except ValueError as exc:
        raise TrackerError(f"--as-of: {exc}") from None


def withdraw(store: Store, indicator_id: str, field: str, *, as_of: str | None = None,
             author: str | None = None, note: str | None = None) -> dict[str, Any]:
    """Withdraw an analyst's value: it stays in the history, marked, and is no longer current.

    Without ``as_of`` the latest analyst value of the field still standing is withdrawn;
    with it, the latest one dated ``as_of``.

    Returns:
        The withdrawn observation.

    Raises:
        TrackerError: no analyst value of the field (dated ``as_of``) stands.
    """
    if as_of is not None:
        try:
            parse_partial(as_of)
        except ValueError as exc:
            raise TrackerError(f"--as-of: {exc}") from None
    dated = " AND as_of = ?" if as_of else ""
    with store.transaction() as db:
        rows = list(db.query(
            "SELECT * FROM observations WHERE indicator_id = ? AND field = ? AND origin = ? "
            f"AND withdrawn_at IS NULL{dated} ORDER BY as_of DESC, recorded_at DESC, id DESC "
            "LIMIT 1", [indicator_id, field, ANALYST] + ([as_of] if as_of else [])))
        if not rows:
            raise TrackerError(f"no analyst value of {indicator_id}.{field}"
                               + (f" dated {as_of}" if as_of else "") + " to withdraw "
                               "(see `tracker history`; catalog values are changed in the "
                               "catalog)")
        row = rows[0]
        run_id = store.start_run("withdraw")
        change = {"withdrawn_at": store.now(), "withdrawn_by": author or ANALYST,
                  "withdrawn_note": note}
        db["observations"].update(row["id"], change)
        store.finish_run(run_id, "ok", f"withdrew {indicator_id}.{field} = {row['value']} "
                         f"(as of {row['as_of']}, observation {row['id']})")
        row.update(change)
    return row
