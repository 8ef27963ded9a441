"""One HTTP policy for every fetcher: polite, bounded, conditional, and suspicious of 200s.

- a descriptive User-Agent with the version; connect and read timeouts;
- bodies are streamed and abandoned beyond a size cap, counted in decoded bytes as they are
  decoded (`decode`);
- redirects are followed only to http(s) URLs on the same site or on hosts the source
  declares;
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
import string
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import BinaryIO

import httpx

from tracker import __version__
from tracker.fetchers.decode import ACCEPT_ENCODING, DecodeError, Decoder

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


_PLAIN = set(string.ascii_letters + string.digits + " !#$%&'*+,-./:;<=>?@[]^_`{|}~")
"""Characters a contact keeps as they are in the User-Agent; others are percent-encoded."""


def contact() -> str:
    """The contact (``TRACKER_CONTACT``, else the config file's) as a header may carry it:
    non-ASCII, control characters and parentheses percent-encoded as UTF-8
    (``José`` -> ``Jos%C3%A9``)."""
    from tracker.config import contact as configured

    raw = " ".join(configured().split())
    return "".join(c if c in _PLAIN else "".join(f"%{b:02X}" for b in c.encode("utf-8",
                                                                              "replace"))
                   for c in raw)


def user_agent() -> str:
    """``tracker/0.1.0 (international AI coordination tracker; bot; contact) httpx/0.28``."""
    who = contact()
    about = "international AI coordination tracker; bot" + (f"; {who}" if who else "")
    return f"tracker/{__version__} ({about}) httpx/{httpx.__version__}"


def make_client(transport: httpx.AsyncBaseTransport | None = None,
                timeout: httpx.Timeout = TIMEOUT) -> httpx.AsyncClient:
    """The one AsyncClient a refresh uses (tests pass a MockTransport or a short timeout).

    Redirects are followed by :func:`get`, one hop at a time, under the redirect policy.
    """
    return httpx.AsyncClient(
        headers={"User-Agent": user_agent(), "Accept-Encoding": ACCEPT_ENCODING},
        timeout=timeout, follow_redirects=False,
        # A refused or reset connection is tried again (after 0, 0.5 and 1 s) before the
        # source fails; HTTP-level retries (429, 503) are get()'s.
        transport=transport or httpx.AsyncHTTPTransport(retries=CONNECT_RETRIES),
    )


def same_site(origin: str, host: str) -> bool:
    """``host`` is ``origin``, its ``www.`` twin, or a subdomain of it."""
    origin, host = origin.lower().rstrip("."), host.lower().rstrip(".")
    bare = origin.removeprefix("www.")
    return host in (origin, bare, f"www.{bare}") or host.endswith(f".{bare}")


def check_redirect(origin: httpx.URL, target: httpx.URL, hosts: tuple[str, ...]) -> None:
    """Refuse a redirect the policy does not allow.

    Raises:
        FetchError: the target is not http(s), downgrades https to http, or is on
            another site that the source does not declare.
    """
    if target.scheme not in ("http", "https"):
        raise FetchError(f"redirect to a {target.scheme}: URL refused (only http and https)")
    if origin.scheme == "https" and target.scheme == "http":
        raise FetchError(f"redirect from https to plain http refused ({target.host})")
    if not same_site(origin.host, target.host) and \
            target.host.lower() not in {h.lower() for h in hosts}:
        raise FetchError(f"redirect to another site refused: {target.host} "
                         f"(not {origin.host}; declare it in the source's redirect_hosts)")


def accepts(ctype: str, accept: tuple[str, ...]) -> bool:
    """``ctype`` is one of ``accept`` (a ``+json``-style entry matches any type with that
    structured suffix, RFC 6839)."""
    return any(ctype.endswith(a) if a.startswith("+") else ctype == a for a in accept)


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
              sleep: Sleep = asyncio.sleep, redirect_hosts: tuple[str, ...] = ()) -> Response:
    """GET ``url`` under the policy.

    Args:
        accept: media types the caller can read (``+json`` for any type with that suffix).
        validators: from the last success: conditional headers and the body hash.
        redirect_hosts: other hosts a redirect may lead to (beyond the same site).

    Raises:
        FetchError: timeouts, HTTP errors, a wrong content type, a body over the cap,
            a redirect the policy refuses, too many redirects or retries.
    """
    send = dict(headers or {})
    send.setdefault("Accept", ", ".join(a for a in accept if not a.startswith("+")) or "*/*")
    if validators.etag:
        send["If-None-Match"] = validators.etag
    if validators.last_modified:
        send["If-Modified-Since"] = validators.last_modified
    try:
        origin = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL {url!r} ({exc})") from None
    target, query, hops, attempt = origin, params, 0, 1
    resent = False
    while True:
        answered = False
        try:
            async with client.stream("GET", target, params=query, headers=send,
                                     follow_redirects=False) as resp:
                answered = True
                if resp.is_redirect and resp.headers.get("Location"):
                    hops += 1
                    if hops > MAX_REDIRECTS:
                        raise FetchError(f"more than {MAX_REDIRECTS} redirects")
                    try:
                        target = resp.url.join(resp.headers["Location"])
                    except httpx.InvalidURL as exc:
                        raise FetchError(f"redirect to an invalid URL ({exc})") from None
                    check_redirect(origin, target, redirect_hosts)
                    query = None
                    continue
                if resp.status_code in (429, 503) and attempt < MAX_TRIES:
                    wait = retry_after(resp.headers.get("Retry-After"),
                                       dt.datetime.now(dt.timezone.utc))
                    wait = 2.0 ** attempt if wait is None else wait
                    if wait > MAX_WAIT:
                        raise FetchError(f"HTTP {resp.status_code}: asked to wait {wait:.0f}s "
                                         f"(more than {MAX_WAIT:.0f}s); will try next run")
                    attempt += 1
                    await sleep(wait)
                    continue
                if resp.status_code in (429, 503):
                    raise FetchError(f"still refused after {MAX_TRIES} tries "
                                     f"(HTTP {resp.status_code})")
                if resp.status_code == 304:
                    return Response(str(resp.url), io.BytesIO(), "", validators.etag,
                                    validators.last_modified, validators.body_hash or "", True)
                if resp.status_code >= 300:
                    raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
                ctype = ctype_of(resp)
                if accept and not accepts(ctype, accept):
                    raise FetchError(f"unexpected content type {ctype or 'none'!r} "
                                     f"(expected {', '.join(accept)})")
                return await _read(resp, validators, max_bytes)
        except httpx.InvalidURL as exc:  # httpx parses a Location before handing it over
            raise FetchError(f"redirect to a URL that is not http(s) or not valid refused "
                             f"(only http and https; {exc})") from None
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({type(exc).__name__})") from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            if not answered and not resent:
                # no answer at all: most often a kept-alive connection the server closed
                # while it sat in the pool; a GET is safe to send once more
                resent = True
                continue
            raise FetchError(_broke_off(exc)) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {str(exc) or 'no detail given'}") from None


def _broke_off(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the connection broke off: {exc}"
    return (f"{type(exc).__name__}: "
            f"{str(exc) or 'the server closed or reset the connection'}")


async def _read(resp: httpx.Response, validators: Validators, max_bytes: int) -> Response:
    """The body, decoded in bounded steps and counted as it is decoded, spooled to disk
    past :data:`SPOOL`; abandoned as soon as it passes ``max_bytes``."""
    declared = resp.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"body of {int(declared)} bytes is over the cap of {max_bytes}")
    try:
        decoder = Decoder(resp.headers.get("Content-Encoding"))
    except DecodeError as exc:
        raise FetchError(str(exc)) from None
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL)
    hasher, size = hashlib.sha256(), 0

    def take(pieces) -> None:
        nonlocal size
        for piece in pieces:
            size += len(piece)
            if size > max_bytes:
                raise FetchError(f"body over the cap of {max_bytes} bytes (decoded); "
                                 "abandoned")
            hasher.update(piece)
            spool.write(piece)

    try:
        if resp.is_stream_consumed:  # built in memory (a mock transport): already decoded
            take([resp.content])
            decoder = Decoder(None)
        raw = 0
        async for chunk in _raw(resp):
            raw += len(chunk)
            if raw > max_bytes:
                raise FetchError(f"body over the cap of {max_bytes} bytes; abandoned")
            take(decoder.feed(chunk))
        take(decoder.finish())
    except DecodeError as exc:
        spool.close()
        raise FetchError(str(exc)) from None
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    digest = hasher.hexdigest()
    return Response(str(resp.url), spool, ctype_of(resp), resp.headers.get("ETag"),
                    resp.headers.get("Last-Modified"), digest,
                    not_modified=digest == validators.body_hash)


async def _raw(resp: httpx.Response):
    if resp.is_stream_consumed:
        return
    async for chunk in resp.aiter_raw():
        yield chunk


def ctype_of(resp: httpx.Response) -> str:
    """The response's media type, lower case, without parameters."""
    return resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
