"""One HTTP policy for every fetcher: polite, bounded, conditional, and suspicious of 200s.

- a descriptive User-Agent with the version; connect and read timeouts;
- bodies are streamed and abandoned beyond a size cap;
- conditional requests (ETag / Last-Modified) and a body hash, so an unchanged source
  costs one round trip and no parsing;
- 429 and 503 honour Retry-After (seconds or an HTTP date) with bounded backoff;
- the content type must be one the fetcher reads: a 200 carrying an HTML error page fails.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import hashlib
import io
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import BinaryIO

import httpx

from tracker import __version__

TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=10.0, pool=10.0)
MAX_BYTES = 50 * 1024 * 1024
"""The default cap on a response body."""
MAX_TRIES = 3
MAX_WAIT = 120.0
"""The longest a Retry-After is honoured for, in seconds; longer means "try next run"."""
MAX_REDIRECTS = 5
CONNECT_RETRIES = 3
"""Connection attempts retried by the transport (refused, reset, DNS) before a source fails."""

Sleep = Callable[[float], Awaitable[None]]


class FetchError(Exception):
    """A source could not be read; the message says why, in one line."""


def user_agent() -> str:
    """``tracker/0.1.0 (international AI coordination tracker; bot; contact) httpx/0.28``."""
    from tracker.config import contact as configured

    contact = configured()  # TRACKER_CONTACT, else the config file's contact
    about = "international AI coordination tracker; bot" + (f"; {contact}" if contact else "")
    return f"tracker/{__version__} ({about}) httpx/{httpx.__version__}"


def make_client(transport: httpx.AsyncBaseTransport | None = None,
                timeout: httpx.Timeout = TIMEOUT) -> httpx.AsyncClient:
    """The one AsyncClient a refresh uses (tests pass a MockTransport or a short timeout)."""
    return httpx.AsyncClient(
        headers={"User-Agent": user_agent()}, timeout=timeout, follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        # A refused or reset connection is tried again (after 0, 0.5 and 1 s) before the
        # source fails; HTTP-level retries (429, 503) are get()'s.
        transport=transport or httpx.AsyncHTTPTransport(retries=CONNECT_RETRIES),
    )


@dataclass(frozen=True)
class Validators:
    """What the last successful fetch of a source left behind."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None


SPOOL = 1024 * 1024
"""Bodies larger than this wait on disk, not in memory, until they are parsed."""


@dataclass(frozen=True)
class Response:
    """A body that passed the policy, or word that nothing changed."""

    url: str
    file: BinaryIO
    """The body, rewound: in memory when small, spooled to a temporary file when large."""
    content_type: str
    etag: str | None
    last_modified: str | None
    body_hash: str
    not_modified: bool = False

    @property
    def body(self) -> bytes:
        """The whole body (for formats that are read at once, such as JSON)."""
        self.file.seek(0)
        data = self.file.read()
        self.file.seek(0)
        return data


def retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


async def get(client: httpx.AsyncClient, url: str, *, accept: tuple[str, ...],
              params: list[tuple[str, str]] | None = None, headers: dict | None = None,
              validators: Validators = Validators(), max_bytes: int = MAX_BYTES,
              sleep: Sleep = asyncio.sleep) -> Response:
    """GET ``url`` under the policy.

    Args:
        accept: content types the caller can read (prefixes, e.g. ``application/json``).
        validators: from the last success: conditional headers and the body hash.

    Raises:
        FetchError: timeouts, HTTP errors, a wrong content type, a body over the cap,
            too many redirects or retries.
    """
    send = dict(headers or {})
    send.setdefault("Accept", ", ".join(accept))
    if validators.etag:
        send["If-None-Match"] = validators.etag
    if validators.last_modified:
        send["If-Modified-Since"] = validators.last_modified
    for attempt in range(1, MAX_TRIES + 1):
        try:
            async with client.stream("GET", url, params=params, headers=send) as resp:
                if resp.status_code in (429, 503) and attempt < MAX_TRIES:
                    wait = retry_after(resp.headers.get("Retry-After"),
                                       dt.datetime.now(dt.timezone.utc))
                    wait = 2.0 ** attempt if wait is None else wait
                    if wait > MAX_WAIT:
                        raise FetchError(f"HTTP {resp.status_code}: asked to wait {wait:.0f}s "
                                         f"(more than {MAX_WAIT:.0f}s); will try next run")
                    await sleep(wait)
                    continue
                if resp.status_code == 304:
                    return Response(str(resp.url), io.BytesIO(), "", validators.etag,
                                    validators.last_modified, validators.body_hash or "", True)
                if resp.status_code >= 400:
                    raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
                ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if accept and not any(ctype.startswith(a) for a in accept):
                    raise FetchError(f"unexpected content type {ctype or 'none'!r} "
                                     f"(expected {', '.join(accept)})")
                declared = resp.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"body of {int(declared)} bytes is over the cap of "
                                     f"{max_bytes}")
                spool = tempfile.SpooledTemporaryFile(max_size=SPOOL)
                hasher, size = hashlib.sha256(), 0
                async for chunk in resp.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        spool.close()
                        raise FetchError(f"body over the cap of {max_bytes} bytes; abandoned")
                    hasher.update(chunk)
                    spool.write(chunk)
                spool.seek(0)
                digest = hasher.hexdigest()
                return Response(str(resp.url), spool, ctype, resp.headers.get("ETag"),
                                resp.headers.get("Last-Modified"), digest,
                                not_modified=digest == validators.body_hash)
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects") from None
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({type(exc).__name__})") from None
        except httpx.RemoteProtocolError as exc:
            raise FetchError(f"the connection broke off: {exc}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from None
    raise FetchError(f"still refused after {MAX_TRIES} tries (HTTP 429/503)")
