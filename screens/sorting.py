"""Sorting table rows: ranked values in order, unranked values and blanks always after them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

RANKED, UNRANKED, BLANK = 0, 1, 2
"""The three groups a value falls in; the groups keep this order in both directions."""


def rank(value: str | None, field: dict | None) -> tuple[int, Any]:
    """Where a value sorts on its field's scale: ``(group, key)``.

    Levels of an ordinal scale sort by their position, numbers as numbers, other text by
    its casefolded form; a level that is not on the scale (e.g. ``Uncertain``) or a number
    that does not parse is *unranked*; an empty value is *blank*. Keys within one group are
    always of one type, so comparing them never fails.
    """
    if value is None or not str(value).strip():
        return (BLANK, "")
    value = str(value)
    kind = (field or {}).get("scale_kind")
    if kind == "ordinal":
        levels = field.get("levels") or []
        if value in levels:
            return (RANKED, levels.index(value))
        return (UNRANKED, value.casefold())
    if kind == "numeric":
        try:
            return (RANKED, float(value))
        except ValueError:
            return (UNRANKED, value.casefold())
    return (RANKED, value.casefold())


def ordered(items: Iterable[T], key: Callable[[T], tuple[int, Any]],
            reverse: bool = False) -> list[T]:
    """``items`` sorted by ``key`` (a :func:`rank` pair): ``reverse`` flips the order inside
    each group, never the groups, so unranked values and blanks stay at the end."""
    groups: dict[int, list[tuple[Any, T]]] = {}
    for item in items:
        group, value = key(item)
        groups.setdefault(group, []).append((value, item))
    out: list[T] = []
    for group in sorted(groups):
        members = groups[group]
        members.sort(key=lambda pair: pair[0], reverse=reverse and group != BLANK)
        out.extend(item for _, item in members)
    return out
