"""Generic JSON and CSV sources: a path or a column, a filter and an aggregate, in YAML."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from tracker import values as checked
from tracker.fetchers.base import (CSV, JSON, Context, Fetched, NoData, ParseError, Value,
                                   get, unchanged)
from tracker.fetchers.jsonbody import loads, unambiguous
from tracker.fetchers.params import CsvParams, JsonParams

_STEP = re.compile(r"([^.\[\]]+)|\[(\*|\d+)\]")


def walk(data: object, path: str, missing: list[str] | None = None) -> list[object]:
    """Every value at ``path`` (dotted keys, ``[n]`` and ``[*]``) in ``data``.

    A step that finds nothing in any of the nodes it is given (a key absent or ``null``,
    ``[*]`` over something that is not a list) means the path does not exist: the step
    is appended to ``missing``. ``[*]`` over an existing empty list is not missing: it is
    an empty answer.
    """
    current = [data]
    for key, index in _STEP.findall(path):
        nxt = []
        found = False
        for node in current:
            if key:
                unambiguous(node, key)
                if isinstance(node, dict) and node.get(key) is not None:
                    nxt.append(node[key])
                    found = True
            elif index == "*":
                if isinstance(node, list):
                    nxt.extend(node)
                    found = True
            elif isinstance(node, list) and int(index) < len(node):
                nxt.append(node[int(index)])
                found = True
        if current and not found and missing is not None and not missing:
            missing.append(key or f"[{index}]")
        current = nxt
    return current


def aggregate(values: list[object], how: str) -> float:
    """Reduce values to one number (each a finite number, or the source fails)."""
    if how == "count":
        return float(len(values))
    try:
        numbers = [checked.number(v) for v in values]
    except ValueError as exc:
        raise ParseError(str(exc)) from None
    if not numbers:
        raise NoData("nothing matched")
    if how in ("value", "last"):
        return numbers[-1] if how == "last" else numbers[0]
    return checked.number({"sum": sum, "max": max, "min": min}[how](numbers))


def _matches(item: object, where: dict[str, str]) -> bool:
    for key in where:
        unambiguous(item, key)
    return all(isinstance(item, dict) and str(item.get(k)) == v for k, v in where.items())


async def fetch_json(ctx: Context, source) -> Fetched:
    params = JsonParams.model_validate(source.params)
    resp = await get(ctx, source.url, JSON)
    if resp.not_modified:
        return unchanged(resp)
    data = loads(resp.body)
    missing: list[str] = []
    if params.where:
        head, _, tail = params.path.partition("[*]")
        items = [i for i in walk(data, head + "[*]", missing) if _matches(i, params.where)]
        values = [v for i in items for v in (walk(i, tail.lstrip(".")) if tail else [i])]
    else:
        values = walk(data, params.path, missing)
    if missing:
        raise NoData(f"{params.path!r} is not in the answer (nothing at {missing[0]!r})"
                     + _errors(data))
    if not values and params.aggregate != "count":
        raise NoData(f"nothing at {params.path!r}")
    number = aggregate(values, params.aggregate)
    return Fetched([Value(source.feeds.indicator, source.feeds.field, number,
                          ctx.today.isoformat())], resp.body_hash, resp.etag,
                   resp.last_modified)


def _errors(data: object) -> str:
    """An API's own error message, when the answer carries one (``errors[0].message``)."""
    errors = data.get("errors") if isinstance(data, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return f"; the answer says: {str(errors[0].get('message', ''))[:120]}"
    return ""


class CsvRows:
    """Rows of a UTF-8 CSV file (bytes or a binary file) as dicts, read lazily; fields may
    hold newlines, and memory stays flat however large the file. ``header`` is the first
    line's names, or None for an empty file.

    Raises:
        ParseError: on bytes that are not UTF-8 or on broken quoting.
    """

    def __init__(self, body: bytes | BinaryIO) -> None:
        raw = io.BytesIO(body) if isinstance(body, (bytes, bytearray)) else body
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        self._reader = csv.reader(stream, strict=True)
        self.header: list[str] | None = next(self._guard(self._reader), None)

    def _guard(self, rows):
        try:
            yield from rows
        except UnicodeDecodeError as exc:
            raise ParseError(f"not UTF-8 text (byte {exc.start})") from None
        except csv.Error as exc:
            raise ParseError(f"malformed CSV at line {self._reader.line_num}: {exc}") from None

    def __iter__(self) -> Iterator[dict[str, str]]:
        names = self.header or []
        for cells in self._guard(self._reader):
            if cells:
                yield dict(zip(names, cells))


def csv_rows(body: bytes | BinaryIO) -> CsvRows:
    """The header and rows of a CSV file (see :class:`CsvRows`)."""
    return CsvRows(body)


def iter_csv(body: bytes | BinaryIO) -> Iterator[dict[str, str]]:
    """Rows of a UTF-8 CSV file as dicts (see :class:`CsvRows`)."""
    yield from CsvRows(body)


def require(header: list[str], names: list[str]) -> None:
    """Every column in ``names`` is in ``header`` exactly once.

    Raises:
        ParseError: a column is missing, or repeated (which of the two is meant is unknown).
    """
    for name in names:
        times = header.count(name)
        if times == 0:
            raise ParseError(f"no column {name!r} (columns: {', '.join(header[:8])})")
        if times > 1:
            raise ParseError(f"column {name!r} appears {times} times in the header; "
                             "which one is meant is ambiguous")


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
            number = checked.number(raw)
        except ValueError as exc:
            raise ParseError(str(exc)) from None
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
        try:
            return checked.number(self.value)
        except ValueError as exc:  # a sum past a float's range
            raise ParseError(f"the {self.how} is out of range: {exc}") from None


async def fetch_csv(ctx: Context, source) -> Fetched:
    params = CsvParams.model_validate(source.params)
    resp = await get(ctx, source.url, CSV)
    if resp.not_modified:
        return unchanged(resp)
    rows = csv_rows(resp.file)
    if rows.header is None:
        raise NoData("an empty CSV file")
    require(rows.header, ([params.column] if params.column else []) + list(params.where))
    running = Running(params.aggregate)
    for row in rows:
        if any(row.get(k) != v for k, v in params.where.items()):
            continue
        if params.column:
            if row.get(params.column):
                running.add(row[params.column])
        else:
            running.add(None)
    return Fetched([Value(source.feeds.indicator, source.feeds.field, running.result(),
                          ctx.today.isoformat())], resp.body_hash, resp.etag,
                   resp.last_modified)
