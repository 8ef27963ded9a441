"""Reading a JSON answer: malformed or too deeply nested is a parse error, and a key the
source reads must not be given twice in one object (JSON leaves that to the reader, and
Python's reader silently keeps the last one, as a CSV reader would a repeated column)."""

from __future__ import annotations

import json

from tracker.fetchers.base import ParseError


class JsonObject(dict):
    """A JSON object that remembers the keys it was given more than once."""

    repeated: frozenset[str] = frozenset()


def _object(pairs: list[tuple[str, object]]) -> JsonObject:
    obj = JsonObject(pairs)
    if len(obj) < len(pairs):
        names = [name for name, _ in pairs]
        obj.repeated = frozenset(name for name in obj if names.count(name) > 1)
    return obj


def loads(body: bytes | str) -> object:
    """The parsed answer.

    Raises:
        ParseError: not JSON, or nested too deeply to read.
    """
    try:
        return json.loads(body, object_pairs_hook=_object)
    except RecursionError:
        raise ParseError("malformed JSON: nested too deeply") from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python's guard on huge integers
            raise ParseError("a number in the answer has thousands of digits: it is not a "
                             "finite number") from None
        raise ParseError(f"malformed JSON: {exc}") from None


def unambiguous(node: object, key: str) -> None:
    """Fail when ``node`` is an object that gives ``key`` more than once.

    Raises:
        ParseError: which of the values is meant is ambiguous.
    """
    if isinstance(node, JsonObject) and key in node.repeated:
        raise ParseError(f"key {key!r} appears more than once in one object of the answer; "
                         "which one is meant is ambiguous")
