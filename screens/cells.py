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
    """One line of literal text."""
    return Text(one_line(value), style=style)


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
    text = Text(one_line(value), style=style)
    if direction:
        text.append(" " + ARROWS[direction], style=DIRECTION_STYLES.get(direction, ""))
    return text


def add_columns(table, width: int, specs: list[tuple[str, str | None, int]]) -> list[int]:
    """Add columns sized to ``width``: fixed ones as given, flexible ones (0) share the rest.

    Args:
        table: the DataTable.
        width: the width the table has on screen.
        specs: (label, key, width) per column; width 0 means "share what is left".
    """
    padding = 2 * len(specs) + 2
    fixed = sum(w for _, _, w in specs if w)
    flex = [i for i, (_, _, w) in enumerate(specs) if not w]
    share = max(12, (width - padding - fixed) // len(flex)) if flex else 0
    for label, key, w in specs:
        table.add_column(label, key=key, width=w or share)
    return [w or share for _, _, w in specs]


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
