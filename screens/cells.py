"""Table cells from untrusted text: always Rich Text, never parsed as markup."""

from __future__ import annotations

from rich.text import Text

from tracker.text import one_line
from tracker.trends import ARROWS

DIRECTION_STYLES = {"better": "green", "worse": "red", "neutral": "yellow", "changed": "cyan"}
ROLE_GLYPHS = {"ratified": "R", "signed": "S", "endorsed": "E", "member": "M",
               "observer": "o", "declined": "✗", "withdrew": "W"}
ROLE_STYLES = {"ratified": "bold green", "signed": "green", "endorsed": "green",
               "member": "green", "observer": "yellow", "declined": "red", "withdrew": "red"}


def cell(value: object, style: str = "") -> Text:
    """One line of literal text; cut with "…" where its column is narrower."""
    return Text(one_line(value), style=style, no_wrap=True, overflow="ellipsis")


def trend(direction: str | None, flip: bool = False) -> Text:
    """An arrow and a word for a direction, coloured."""
    if not direction:
        return Text("")
    label = f"{ARROWS[direction]} {direction}" + (" flip" if flip else "")
    return Text(label, style=DIRECTION_STYLES.get(direction, ""))


def level_style(levels: list[str], better: str, value: str) -> str:
    """A colour for an ordinal value: red at the worse end, green at the better end."""
    if value not in levels or better == "none" or len(levels) < 2:
        return ""
    rank = levels.index(value) / (len(levels) - 1)
    if better == "lower":
        rank = 1 - rank
    if rank >= 0.75:
        return "green"
    if rank >= 0.4:
        return "yellow"
    return "red"


def valued(value: str, field: dict, direction: str | None = None) -> Text:
    """A current value coloured by its scale, with the arrow of its last move."""
    style = ""
    if field.get("scale_kind") == "ordinal":
        level = field.get("synonyms", {}).get(value, value)
        style = level_style(field["levels"], field["better"], level)
    text = Text(one_line(value), style=style, no_wrap=True, overflow="ellipsis")
    if direction:
        text.append(" " + ARROWS[direction], style=DIRECTION_STYLES.get(direction, ""))
    return text


def add_columns(table, width: int, specs: list[tuple]) -> list[int]:
    """Add columns sized to ``width``: fixed ones as given, flexible ones (0) share the rest.

    Args:
        table: the DataTable.
        width: the width the table has on screen.
        specs: (label, key, width) or (label, key, 0, most) per column; width 0 means
            "share what is left", and ``most`` caps a flexible column at the width its
            longest value needs, so the spare width goes to the columns that can use it.
    """
    padding = 2 * len(specs) + 2
    fixed = sum(spec[2] for spec in specs if spec[2])
    caps = {i: spec[3] if len(spec) > 3 and spec[3] else None
            for i, spec in enumerate(specs) if not spec[2]}
    widths = share_width(width - padding - fixed, caps)
    for i, spec in enumerate(specs):
        label, key, w = spec[:3]
        table.add_column(Text(one_line(label), no_wrap=True, overflow="ellipsis"), key=key,
                         width=w or widths[i])
    return [spec[2] or widths[i] for i, spec in enumerate(specs)]


def share_width(free: int, caps: dict[int, int | None], least: int = 12) -> dict[int, int]:
    """Share ``free`` columns among flexible columns, none wider than its cap: a column
    that needs less than an equal share gets what it needs, the others split the rest.
    Every column gets at least ``least`` (or its cap, when smaller)."""
    out: dict[int, int] = {}
    left = dict(caps)
    while left:
        share = free // len(left)
        small = {i: c for i, c in left.items() if c is not None and c <= share}
        if not small:
            break
        for i, c in small.items():
            out[i] = c
            free -= c
            del left[i]
    if left:
        share = free // len(left)
        for i, cap in left.items():
            out[i] = max(min(least, cap or least), min(share, cap or share))
    return out


def lines(*pairs: tuple[str, object]) -> Text:
    """``Label: value`` lines for a preview pane, values literal and wrapped."""
    text = Text()
    for i, (label, value) in enumerate(pairs):
        if value in (None, ""):
            continue
        if text.plain:
            text.append("\n")
        if label:
            text.append(f"{label}: ", style="bold")
        text.append(value if isinstance(value, Text) else one_line(value))
    return text
