"""Where the shipped catalog is, without loading the catalog machinery."""

from __future__ import annotations

from pathlib import Path


def shipped_catalog_path() -> Path:
    """The catalog that ships with tracker, after a regular or an editable install."""
    here = Path(__file__).resolve().parent
    installed = here / "_data" / "indicators.yaml"
    if installed.is_file():
        return installed
    return here.parent / "data" / "indicators.yaml"
