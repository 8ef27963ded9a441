"""Generic JSON and CSV sources: a path or a column, a filter and an aggregate, in YAML."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from tracker.fetchers.base import (CSV, JSON, Context, Fetched, NoData, ParseError, Value,
                                   get, unchanged)
from tracker.fetchers.params import CsvParams, JsonParams

_STEP = re.compile(r"([^.\[\]]+)|\[(\*|\d+)\]")


def walk(data: object, path: str) -> list[object]:
    """Every value at ``path`` (dotted keys, ``[n]`` and ``[*]``) in ``data``."""
    current = [data]
    for key, index in _STEP.findall(path):
        nxt = []
        for node in current:
            if key:
                if isinstance(node, dict) and key in node:
                    nxt.append(node[key])
            elif index == "*":
                if isinstance(node, list):
                    nxt.extend(node)
            elif isinstance(node, list) and int(index) < len(node):
                nxt.append(node[int(index)])
        current = nxt
    return current


def aggregate(values: list[object], how: str) -> float:
    """Reduce values to one number."""
    if how == "count":
        return float(len(values))
    numbers = []
    for v in values:
        if isinstance(v, bool):
            raise ParseError(f"{v!r} is not a number")
        try:
            numbers.append(float(v))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ParseError(f"{str(v)[:40]!r} is not a number") from None
    if not numbers:
        raise NoData("nothing matched")
    if how in ("value", "last"):
        return numbers[-1] if how == "last" else numbers[0]
    return {"sum": sum, "max": max, "min": min}[how](numbers)


def _matches(item: object, where: dict[str, str]) -> bool:
    return all(isinstance(item, dict) and str(item.get(k)) == v for k, v in where.items())


async def fetch_json(ctx: Context, source) -> Fetched:
    params = JsonParams.model_validate(source.params)
    resp = await get(ctx, source.url, JSON)
    if resp.not_modified:
        return unchanged(resp)
    try:
        data = json.loads(resp.body)
    except ValueError as exc:
        raise ParseError(f"malformed JSON: {exc}") from None
    if params.where:
        head, _, tail = params.path.partition("[*]")
        items = [i for i in walk(data, head + "[*]") if _matches(i, params.where)]
        values = [v for i in items for v in (walk(i, tail.lstrip(".")) if tail else [i])]
    else:
        values = walk(data, params.path)
    if not values and params.aggregate != "count":
        raise NoData(f"nothing at {params.path!r}")
    number = aggregate(values, params.aggregate)
    return Fetched([Value(source.feeds.indicator, source.feeds.field, number,
                          ctx.today.isoformat())], resp.body_hash, resp.etag,
                   resp.last_modified)


def iter_csv(body: bytes | BinaryIO) -> Iterator[dict[str, str]]:
    """Rows of a UTF-8 CSV file (bytes or a binary file), read lazily; fields may hold
    newlines, and memory stays flat however large the file.

    Raises:
        ParseError: while iterating, on bytes that are not UTF-8 or on broken quoting.
    """
    raw = io.BytesIO(body) if isinstance(body, (bytes, bytearray)) else body
    stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.DictReader(stream, strict=True)
    try:
        yield from reader
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text (byte {exc.start})") from None
    except csv.Error as exc:
        raise ParseError(f"malformed CSV at line {reader.line_num}: {exc}") from None


class Running:
    """A count, sum, max, min or last value kept while rows stream past."""

    def __init__(self, how: str) -> None:
        self.how = how
        self.count = 0
        self.value: float | None = None

    def add(self, raw: object) -> None:
        self.count += 1
        if self.how == "count":
            return
        try:
            number = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ParseError(f"{str(raw)[:40]!r} is not a number") from None
        if self.value is None or self.how == "last":
            self.value = number
        elif self.how == "sum":
            self.value += number
        elif self.how == "max":
            self.value = max(self.value, number)
        elif self.how == "min":
            self.value = min(self.value, number)

    def result(self) -> float:
        if self.how == "count":
            return float(self.count)
        if self.value is None:
            raise NoData("no numbers matched")
        return self.value


async def fetch_csv(ctx: Context, source) -> Fetched:
    params = CsvParams.model_validate(source.params)
    resp = await get(ctx, source.url, CSV)
    if resp.not_modified:
        return unchanged(resp)
    running = Running(params.aggregate)
    seen_header = False
    for row in iter_csv(resp.file):
        if not seen_header:
            seen_header = True
            if params.column and params.column not in row:
                raise ParseError(f"no column {params.column!r} "
                                 f"(columns: {', '.join(list(row)[:8])})")
        if any(row.get(k) != v for k, v in params.where.items()):
            continue
        if params.column:
            if row.get(params.column):
                running.add(row[params.column])
        else:
            running.add(None)
    if not seen_header and params.aggregate != "count":
        raise NoData("an empty CSV file")
    return Fetched([Value(source.feeds.indicator, source.feeds.field, running.result(),
                          ctx.today.isoformat())], resp.body_hash, resp.etag,
                   resp.last_modified)
