"""Content-Encoding undone in bounded steps, so a body's cap holds for its decoded bytes.

httpx decodes each network chunk whole: a few kilobytes of nested gzip (``gzip, gzip``)
become gigabytes in one call, before any cap can look at them. Here every layer yields at
most :data:`STEP` bytes at a time and the caller counts them as they come, so memory stays
at a few steps per layer whatever the ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

STEP = 64 * 1024
"""The most one layer hands on per step."""
MAX_LAYERS = 3
"""More codings than this on one body is refused: no server needs them."""
ACCEPT_ENCODING = "gzip, deflate"
"""What a refresh asks for: the codings decoded here."""
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS,
          "deflate": 32 + zlib.MAX_WBITS}
"""zlib window bits per coding (``32 +`` detects a zlib or gzip header by itself)."""


class DecodeError(Exception):
    """A coding that is not supported, or bytes that are not what the coding says."""


class Decoder:
    """Undo a ``Content-Encoding`` header's codings (applied in the order listed)."""

    def __init__(self, header: str | None) -> None:
        codings = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        unknown = [c for c in codings if c not in _WBITS]
        if unknown:
            raise DecodeError(f"unsupported Content-Encoding {unknown[0]!r} "
                              f"(accepted: {ACCEPT_ENCODING})")
        if len(codings) > MAX_LAYERS:
            raise DecodeError(f"{len(codings)} nested content codings "
                              f"(at most {MAX_LAYERS} are accepted)")
        # The last coding listed was applied last, so it is undone first.
        self._layers = [zlib.decompressobj(_WBITS[c]) for c in reversed(codings)]

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces of ``data``, each at most :data:`STEP` bytes."""
        yield from self._through(0, data)

    def finish(self) -> Iterator[bytes]:
        """What the layers still hold once the body has ended."""
        yield from self._flush(0)

    def _through(self, level: int, data: bytes) -> Iterator[bytes]:
        if level == len(self._layers):
            if data:
                yield data
            return
        layer = self._layers[level]
        while data:
            try:
                out = layer.decompress(data, STEP)
            except zlib.error as exc:
                raise DecodeError(f"the body is not valid compressed data ({exc})") from None
            yield from self._through(level + 1, out)
            data = layer.unconsumed_tail

    def _flush(self, level: int) -> Iterator[bytes]:
        if level == len(self._layers):
            return
        layer = self._layers[level]
        try:
            rest = layer.flush(STEP)
        except zlib.error as exc:
            raise DecodeError(f"the body is not valid compressed data ({exc})") from None
        yield from self._through(level + 1, rest)
        yield from self._flush(level + 1)
