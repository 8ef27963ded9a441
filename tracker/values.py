"""The checks every value passes before it is written, whoever brings it: the catalog, an
analyst (`tracker set`) or a fetcher.

Dates are checked by the catalog's own function (:func:`tracker.dates.parse_partial`), so a
fetched date is held to exactly the rule a curated one is; numbers must be finite.
"""

from __future__ import annotations

import math

from tracker.dates import parse_partial


def number(raw: object) -> float:
    """``raw`` (text or a number) as a finite float.

    Raises:
        ValueError: not a number, or NaN, an infinity, or too large for a float
            (``1e400``), with a message naming the value.
    """
    shown = repr(str(raw)[:40])
    if isinstance(raw, bool):
        raise ValueError(f"{shown} is not a number")
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{shown} is not a number") from None
    except OverflowError:  # an integer beyond a float's range
        raise ValueError(f"{shown} is not a finite number") from None
    if not math.isfinite(value):
        raise ValueError(f"{shown} is not a finite number")
    return value


def date(text: object) -> str:
    """``text`` if it is a date the catalog would accept (YYYY, YYYY-MM or YYYY-MM-DD).

    Raises:
        ValueError: anything else (``9999-99-99``, ``2025-00-00``, a blank node, a URI).
    """
    if not isinstance(text, str):
        raise ValueError(f"{str(text)[:40]!r} is not a date")
    if not text.strip():
        raise ValueError("no date")
    return parse_partial(text)


def problem(result: object) -> str | None:
    """Why a fetcher's result (a value, a ledger entry, a feed item) may not be written,
    or None when it may."""
    from tracker.fetchers.base import Item, Member, Value

    try:
        if isinstance(result, Value):
            date(result.as_of)
            if not isinstance(result.value, str):
                number(result.value)
        elif isinstance(result, Member):
            date(result.date)
        elif isinstance(result, Item):
            date(result.date)
    except ValueError as exc:
        return str(exc)
    return None
