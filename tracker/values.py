"""Checks shared by every way a value gets in: the catalog, `tracker set`, the fetchers.

Each function returns the value in its stored form or raises ``ValueError`` with a message
that says what is allowed, so a caller only adds where the value came from.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

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
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError(f"{value!r} is not a count (allowed: a whole number, 0 or more)")
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not _WHOLE.match(text):
            raise ValueError(f"{value!r} is not a count (allowed: a whole number, 0 or more)")
        number = int(text)
    if number < 0:
        raise ValueError(f"{value!r} is not a count (allowed: a whole number, 0 or more)")
    if number > MAX_COUNT:
        raise ValueError(f"{value!r} is not a plausible count (at most {MAX_COUNT:,})")
    return number


def web_url(text: str) -> str:
    """An http(s) URL that parses: a scheme, a host name, a valid port, no blanks.

    Raises:
        ValueError: anything else (``https://x y``, ``javascript:...``, ``https://``).
    """
    allowed = "allowed: an http:// or https:// URL with a host name and no spaces"
    if not isinstance(text, str) or any(c.isspace() or ord(c) < 32 or ord(c) == 127
                                        for c in text):
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
