"""The checks every value passes before it is written, whoever brings it: the catalog, an
analyst (`tracker set`) or a fetcher.

Each function returns the value in its stored form or raises ``ValueError`` with a message
that says what is allowed, so a caller only adds where the value came from. Dates are
checked by the catalog's own function (:func:`tracker.dates.parse_partial`), so a fetched
date is held to exactly the rule a curated one is; numbers must be finite; counts whole.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from urllib.parse import urlsplit

from tracker.dates import not_after, parse_partial
from tracker.text import is_plain

MAX_COUNT = 10**12
"""A count above this is a typing slip, not a number of parties or documents."""

_WHOLE = re.compile(r"^\+?\d+$")
_HOST = re.compile(r"^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)*"
                   r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$")


def count(value: str | int | float) -> int:
    """A count: a whole number, 0 or more (numeric scales count parties, documents...).

    Raises:
        ValueError: a negative, fractional, non-finite or non-numeric value.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a count (allowed: a whole number, 0 or more)")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number "
                             "(allowed: a whole number, 0 or more)")
        if not value.is_integer():
            raise ValueError(f"{value!r} is not a count (allowed: a whole number, 0 or more)")
        value = int(value)
    if isinstance(value, int):
        whole = value
    else:
        text = str(value).strip()
        if not _WHOLE.match(text):
            try:
                number(text)
            except ValueError as exc:
                if "finite" in str(exc):
                    raise ValueError(f"{exc} (allowed: a whole number, 0 or more)") from None
            raise ValueError(f"{value!r} is not a count (allowed: a whole number, 0 or more)")
        whole = int(text)
    if whole < 0:
        raise ValueError(f"{value!r} is not a count (allowed: a whole number, 0 or more)")
    if whole > MAX_COUNT:
        raise ValueError(f"{value!r} is not a plausible count (at most {MAX_COUNT:,})")
    return whole


def web_url(text: str) -> str:
    """An http(s) URL that parses: a scheme, a host name, a valid port, no blanks.

    Raises:
        ValueError: anything else (``https://x y``, ``javascript:...``, ``https://``).
    """
    allowed = ("allowed: an http:// or https:// URL with a host name, no spaces and no "
               "invisible or control characters")
    # A bidi override or a zero-width character would make the link shown, copied and
    # opened differ from the one read (tracker.text.HOSTILE, the one rule).
    if not isinstance(text, str) or any(c.isspace() for c in text) or not is_plain(text):
        raise ValueError(f"{text!r} is not a URL ({allowed})")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError(f"{text!r} is not a URL ({allowed})") from None
    host = parts.hostname or ""
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise ValueError(f"{text!r} is not a URL ({allowed})")
    if not host.startswith("[") and ":" not in host:
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"{text!r} is not a URL (bad host name {host!r})") from None
        if not _HOST.match(ascii_host):
            raise ValueError(f"{text!r} is not a URL (bad host name {host!r})")
    return text



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


def problem(result: object, today: dt.date | None = None) -> str | None:
    """Why a fetcher's result (a value, a ledger entry, a feed item) may not be written,
    or None when it may. A value or a ledger entry dated after ``today`` is refused as a
    curated one is (a feed item may announce an event)."""
    from tracker.fetchers.base import Item, Member, Value

    try:
        if isinstance(result, Value):
            when = date(result.as_of)
            count(result.value)  # a fetcher feeds numeric fields, and every one counts
            if today:
                not_after(when, today)
        elif isinstance(result, Member):
            when = date(result.date)
            if today:
                not_after(when, today)
        elif isinstance(result, Item):
            date(result.date)
    except ValueError as exc:
        return str(exc)
    return None
