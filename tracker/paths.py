"""Where the shipped catalog is, and its digest, without loading the catalog machinery."""

from __future__ import annotations

import os
from pathlib import Path

CATALOG_MAX_BYTES = 8_000_000
"""The largest catalog read: the shipped one is under 0.4 MB; anything far larger is not
one (and would be read whole into memory to be parsed)."""


def catalog_digest(path: str | Path) -> str | None:
    """SHA-256 of the catalog file's bytes, read in chunks; None when it is not a regular
    file, is over :data:`CATALOG_MAX_BYTES`, or cannot be read (loading it says why)."""
    import hashlib

    try:
        if not os.path.isfile(path) or os.path.getsize(path) > CATALOG_MAX_BYTES:
            return None
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def shipped_catalog_path() -> Path:
    """The catalog that ships with tracker, after a regular or an editable install."""
    here = Path(__file__).resolve().parent
    installed = here / "_data" / "indicators.yaml"
    if installed.is_file():
        return installed
    return here.parent / "data" / "indicators.yaml"
