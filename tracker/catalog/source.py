"""Read YAML into plain data while remembering the line of every key and item."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tracker.paths import CATALOG_MAX_BYTES

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog, at a place a person can open."""

    file: str
    line: int
    """1-based; 0 when the problem is the whole file (missing, unreadable)."""
    message: str

    def __str__(self) -> str:
        from tracker.text import escaped  # a level or a name quoted from the file: inert

        if not self.line:  # the whole file (it is missing or unreadable): no line to open
            return escaped(f"{self.file}: {self.message}")
        return escaped(f"{self.file}:{self.line}: {self.message}")


@dataclass
class Document:
    """A parsed YAML file: its data, the line of each location, and any problems."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    digest: str | None = None
    """SHA-256 of the bytes parsed (when read from the file): what a sync records."""

    def line_of(self, loc: Loc) -> int:
        """The line of ``loc``, or of the nearest enclosing location that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def problem(self, loc: Loc, message: str) -> Problem:
        """Make a problem located at ``loc``."""
        return Problem(self.path, self.line_of(loc), message)


_SCALARS = {
    "tag:yaml.org,2002:null": lambda text: None,
    "tag:yaml.org,2002:bool": lambda text: text.lower() in ("true", "yes", "on"),
    "tag:yaml.org,2002:int": lambda text: int(text.replace("_", ""), 0),
    "tag:yaml.org,2002:float": lambda text: float(text.replace("_", "")),
}


def read_document(path: Path, text: str | None = None) -> Document:
    """Parse ``path`` (or ``text``, reported as ``path``) into a :class:`Document`.

    Dates and timestamps stay as the text written, so partial dates keep their precision.
    YAML syntax errors and duplicate keys become problems, not exceptions.
    """
    name = str(path)
    raw = None
    if text is None:
        unfit = _unfit_file(Path(path))
        if unfit:
            doc = Document(name, None)
            doc.problems.append(Problem(name, 0, unfit))  # about the file: no line
            return doc
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            doc = Document(name, None)
            what = "the catalog file does not exist" if isinstance(exc, FileNotFoundError) \
                else f"cannot read the catalog: {exc.strerror}"
            doc.problems.append(Problem(name, 0, what))
            return doc
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            doc = Document(name, None)
            doc.problems.append(Problem(name, line, "the catalog is not UTF-8 text"))
            return doc
    doc = Document(name, None)
    if raw is not None:
        import hashlib

        doc.digest = hashlib.sha256(raw).hexdigest()
    hostile = _expansion_problem(text, name)
    if hostile is not None:
        doc.problems.append(hostile)
        return doc
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem_mark", None)
        context = getattr(exc, "context_mark", None)
        what = getattr(exc, "problem", None) or str(exc)
        if context is not None and problem is not None and context.line != problem.line:
            # An unclosed bracket or quote: point at where it opened.
            line = context.line + 1
            what = f"{getattr(exc, 'context', '')}: {what} at line {problem.line + 1}"
        else:
            mark = problem or context
            line = mark.line + 1 if mark else 1
        doc.problems.append(Problem(name, line, f"invalid YAML: {what}"))
        return doc
    if node is None:
        doc.problems.append(Problem(name, 1, "the catalog is empty"))
        return doc
    doc.data = _convert(node, (), doc)
    return doc


MAX_BYTES = CATALOG_MAX_BYTES
"""The largest catalog read (:data:`tracker.paths.CATALOG_MAX_BYTES`)."""

MAX_ALIAS_NODES = 10_000
"""How many values aliases may add in all when expanded (a few ordinary aliases add tens)."""

MAX_DEPTH = 100
"""How deeply lists and mappings may nest (the catalog's format needs fewer than 10)."""


def _unfit_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a catalog before reading it (a FIFO would block)."""
    try:
        if not path.is_file():
            return ("cannot read the catalog: not a regular file" if path.exists()
                    else "the catalog file does not exist")
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot read the catalog: {exc.strerror}"
    if size > MAX_BYTES:
        return f"the catalog is {size:,} bytes; the limit is {MAX_BYTES:,}"
    return None


def _expansion_problem(text: str, name: str) -> Problem | None:
    """Refuse a document that would expand beyond bounds, before any object is built.

    One streaming pass over the parser's events counts what every anchor stands for and
    how much each alias adds, so an alias bomb ("billion laughs") is refused in
    milliseconds with the line of the alias that crosses the limit.
    """
    if len(text) > MAX_BYTES:
        return Problem(name, 1, f"the catalog is {len(text):,} characters; the limit is "
                                f"{MAX_BYTES:,}")
    sizes: dict[str, int] = {}
    stack: list[list] = []
    added = 0
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                size = sizes.get(event.anchor, 1)
                added += size
                if added > MAX_ALIAS_NODES:
                    return Problem(name, line, f"alias *{event.anchor} stands for {size:,} "
                                   f"values; aliases may add at most {MAX_ALIAS_NODES:,} "
                                   "in all (write the values out instead)")
                if stack:
                    stack[-1][1] += size
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                if stack:
                    stack[-1][1] += 1
            elif isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
                if len(stack) > MAX_DEPTH:
                    return Problem(name, line, f"lists and mappings nest more than "
                                   f"{MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, count = stack.pop()
                if anchor:
                    sizes[anchor] = count
                if stack:
                    stack[-1][1] += count
    except yaml.YAMLError:
        return None  # composing reports it with its line
    return None


def _convert(node: yaml.Node, loc: Loc, doc: Document) -> Any:
    doc.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if not isinstance(key, str) or key == "<<":
                doc.problems.append(
                    Problem(doc.path, line, "keys must be plain text (no merge keys or lists)")
                )
                continue
            if key in result:
                first = doc.lines.get(loc + (key,), line)
                doc.problems.append(
                    Problem(doc.path, line, f"duplicate key {key!r} (first at line {first})")
                )
                continue
            doc.lines[loc + (key,)] = line
            result[key] = _convert(value_node, loc + (key,), doc)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            doc.lines[loc + (index,)] = item.start_mark.line + 1
            items.append(_convert(item, loc + (index,), doc))
        return items
    convert = _SCALARS.get(node.tag) if not node.style else None  # plain, not quoted
    if convert is None:
        return node.value
    try:
        return convert(node.value)
    except ValueError:
        return node.value
