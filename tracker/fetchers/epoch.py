"""Epoch AI's large-scale models CSV: how many countries had a model in each year."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from tracker import values
from tracker.fetchers.base import (CSV, Context, Fetched, NoData, ParseError, Value, get,
                                   unchanged)
from tracker.fetchers.generic import csv_rows, require
from tracker.fetchers.params import EpochParams
from tracker.text import one_line

ACCEPT = CSV
ALIASES = {
    "model": ("Model", "System"),
    "date": ("Publication date",),
    "country": ("Country (of organization)", "Country (from Organization)"),
    "compute": ("Training compute (FLOP)",),
}
"""Column names across the file's versions (the 2024 file said System, Country (from ...))."""
NAMES = {"korea (republic of)": "KOR", "south korea": "KOR", "russia": "RUS", "iran": "IRN",
         "taiwan": "TWN", "vietnam": "VNM", "turkey": "TUR", "czech republic": "CZE",
         "hong kong": "HKG", "multinational": ""}


@lru_cache(maxsize=512)
def iso3(name: str) -> str | None:
    """A country name as written in the file, as an ISO 3166-1 alpha-3 code."""
    key = name.strip().casefold()
    if key in NAMES:
        return NAMES[key] or None
    try:
        return pycountry.countries.lookup(name.strip()).alpha_3
    except LookupError:
        return None


def columns(header: list[str]) -> dict[str, str]:
    """The file's column for each role; a missing or repeated column fails loudly."""
    found = {}
    for role, names in ALIASES.items():
        match = next((n for n in names if n in header), None)
        if match is None and role != "compute":
            raise ParseError(f"no {role} column (looked for {', '.join(names)})")
        if match:
            found[role] = match
    require(header, list(found.values()))
    return found


def count_countries(body, since_year: int, min_compute: float | None, this_year: int,
                    skipped: list[str] | None = None) -> tuple[dict[int, set[str]], set[str]]:
    """Distinct countries with at least one model per year, and the names not understood.

    Rows whose publication date is not a date (checked like a catalog date) are left
    out, each with its reason added to ``skipped``.
    """
    by_year: dict[int, set[str]] = {}
    unknown: set[str] = set()
    cols: dict[str, str] | None = None
    reader = csv_rows(body)
    if reader.header is None:
        raise NoData("an empty CSV file")
    cols = columns(reader.header)
    for row in reader:
        raw = (row.get(cols["date"]) or "").strip()
        try:
            year = int(values.date(raw[:10])[:4])
        except ValueError as exc:
            if skipped is not None:
                skipped.append(f"{one_line(row.get(cols['model']))[:40]!r}: {exc}")
            continue
        if not since_year <= year <= this_year:
            continue
        if min_compute is not None:
            raw = (row.get(cols.get("compute", "")) or "").strip()
            try:
                if not raw or float(raw) < min_compute:
                    continue
            except ValueError:
                continue
        for name in {n.strip() for n in (row.get(cols["country"]) or "").split(",") if n.strip()}:
            code = iso3(name)
            if code:
                by_year.setdefault(year, set()).add(code)
            else:
                unknown.add(name)
    return by_year, unknown


async def fetch(ctx: Context, source) -> Fetched:
    params = EpochParams.model_validate(source.params)
    resp = await get(ctx, source.url, ACCEPT)
    if resp.not_modified:
        return unchanged(resp)
    skipped: list[str] = []
    by_year, unknown = count_countries(resp.file, params.since_year, params.min_compute,
                                       ctx.today.year, skipped)
    results = []
    for year in sorted(by_year):
        note = f"Countries with at least one large-scale model published in {year}: " \
               + ", ".join(sorted(by_year[year]))
        if year == ctx.today.year:
            note += f" (year to date, {ctx.today.isoformat()})"
        if unknown:
            note += f"; names not mapped: {', '.join(sorted(unknown)[:5])}"
        results.append(Value(source.feeds.indicator, source.feeds.field,
                             float(len(by_year[year])), str(year), note))
    return Fetched(results, resp.body_hash, resp.etag, resp.last_modified, skipped=skipped)
