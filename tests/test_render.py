"""Terminal output: Rich tables that fit, records when they cannot, text kept inert."""

from __future__ import annotations

import io

import pytest

from rich.text import Text

from tracker import render
from tracker.text import clean


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _draw(columns, rows, **kw) -> str:
    out = Tty()
    render.table(out, "T", columns, rows, **kw)
    return clean(out.getvalue())  # drop the styles, keep the layout


def test_terminal_table_fits_80_columns():
    text = _draw(["Name / ID", "Note", "As of"],
                 [[render.labelled("Pace mismatch", "pace-mismatch"), "word " * 40, "2025-06"]],
                 keep=(), wrap=(0, 1))
    assert "┃ Name / ID" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_too_many_columns_become_records():
    cols = ["Name / ID", *[f"Field {i}" for i in range(8)]]
    text = _draw(cols, [[render.labelled("Row", "row-id"), *["a fairly long value"] * 8]],
                 keep=(), wrap=(0,))
    assert text.splitlines()[1] == "Row  row-id"
    assert "  Field 3: a fairly long value" in text


def test_markup_and_escapes_in_cells_print_literally():
    for out in (Tty(), io.StringIO()):
        render.table(out, None, ["A"], [["[bold]x[/bold] \x1b[31mred\x1b]0;title\x07"]])
        raw = out.getvalue()
        assert "[bold]x[/bold] red" in raw
        assert "\x1b[31m" not in raw and "title" not in raw and "\x07" not in raw


def test_links_show_a_short_label():
    label = render.link("https://www.example.org/a/very/long/path/that/goes/on/and/on")
    assert isinstance(label, Text) and label.plain.endswith("…") and len(label.plain) == 30
    assert render.link("https://x.org/p", "research-page").plain == "research-page"


def test_clean_removes_controls_but_keeps_text():
    assert clean("a\x00b\x1b[2Jc\x9bd\te\nf") == "abcd\te\nf"  # a lone C1 CSI goes alone
    assert clean("c\x9b2Jd") == "cd"  # with parameters, the sequence goes whole
    assert clean(None) == ""


@pytest.mark.parametrize("data", [
    {"a": [1, {"b": "\u202e x\x1b[31m"}], "c": {}, "d": [], "e": None},
    [], {}, [[1, 2], [3]], {"x": [{"y": [1, "é"]}]}, "s", None, {1: 2}, [{"k": "\u200b"}]])
def test_piped_json_is_written_in_pieces_with_the_same_bytes(data):
    import io
    import json

    from tracker import render
    from tracker.text import escape_json

    out = io.StringIO()
    render.as_json(out, data)
    assert out.getvalue() == escape_json(json.dumps(data, ensure_ascii=False,
                                                    separators=(",", ":"))) + "\n"
