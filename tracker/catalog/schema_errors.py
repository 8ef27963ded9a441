"""Turn pydantic's validation errors into catalog problems that say what is allowed."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from tracker.catalog.source import Document, Loc, Problem

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
}


def dotted(loc: Loc) -> str:
    """``('indicators', 3, 'values')`` -> ``indicators[3].values``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def problems_from(error: ValidationError, doc: Document, root: type[BaseModel]) -> list[Problem]:
    """One problem per pydantic error, located by the document's line map."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(p for p in item["loc"] if p != "[key]")
        problems.append(doc.problem(loc, f"{dotted(loc)}: {_describe(item, loc, root)}"))
    return problems


def _describe(item: dict[str, Any], loc: Loc, root: type[BaseModel]) -> str:
    kind = item["type"]
    got = item.get("input")
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = ", ".join(model.model_fields) if model else "see docs/catalog.md"
        return f"unknown key {loc[-1]!r} (allowed: {allowed})"
    if kind == "missing":
        return f"missing required key {loc[-1]!r}"
    if kind in ("literal_error", "enum"):
        expected = item.get("ctx", {}).get("expected", "")
        return f"{got!r} is not allowed (allowed: {expected})"
    if kind == "string_pattern_mismatch":
        return f"{got!r} is not a valid {_pattern_word(loc)}"
    if kind == "value_error":
        return str(item["ctx"]["error"])
    if kind == "string_too_short":
        return "must not be empty"
    if kind in _TYPE_WORDS:
        return f"expected {_TYPE_WORDS[kind]}, got {_show(got)}"
    if kind in ("float_type", "int_from_float") or "union" in kind:
        return f"expected text or a number, got {_show(got)}"
    return item["msg"]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (quote it to make it text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _pattern_word(loc: Loc) -> str:
    last = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if last in ("id", "links") or last == "category":
        return "id (lowercase letters and digits joined by '-' or '_')"
    if last == "freshness":
        return "freshness (a number and d, w, m or y, e.g. 180d)"
    return "party code (an ISO 3166-1 alpha-3 code such as USA, or a declared organisation code)"


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that the mapping at ``loc`` is validated as."""
    annotation: Any = root
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return None
            annotation = field.annotation
        else:
            args = typing.get_args(annotation)
            if not args:
                return None
            annotation = args[-1]
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] around a model type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType")):
            models = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(models) != 1:
                return annotation
            annotation = models[0]
        else:
            return annotation
