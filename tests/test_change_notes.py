"""Each change shows its note beside it: cut at 80 columns in the table, whole elsewhere."""

from __future__ import annotations

import json

import pytest

from tracker.text import shorten

LONG = ("Catalog assessment: " + "a long reason with many words " * 6).strip()


def test_trends_table_shows_why_beside_each_change(run):
    out = run("trends", "--since", "2024-06").output
    header = next(line for line in out.splitlines() if line.startswith("As of"))
    assert "Why" in header and header.index("Trend") < header.index("Why")
    row = next(line for line in out.splitlines() if "Pace mismatch" in line)
    assert "Inference: slower frontier releases." in row


def test_a_long_note_is_cut_with_an_ellipsis_and_whole_in_json(run):
    run("set", "pace-mismatch", "severity", "Low", "--as-of", "2026-10",
        "--source", "https://example.org/mine", "--note", LONG)
    out = run("trends", "--since", "2024-06").output
    row = next(line for line in out.splitlines() if line.startswith("2026-10"))
    assert shorten(LONG) in row and shorten(LONG).endswith("…")
    assert LONG not in row
    data = json.loads(run("trends", "--since", "2024-06", "--format", "json").output)
    [change] = [c for c in data["changes"] if c["as_of"] == "2026-10"]
    assert change["note"] == LONG and change["direction"] == "better"
    md = run("export", "--since", "2024-06").output
    assert LONG in md  # the Markdown briefing gives the note whole


@pytest.mark.parametrize("text,width,expected", [
    ("short", 80, "short"),
    ("x" * 81, 80, "x" * 79 + "…"),
    ("line\nbreaks  folded", 80, "line breaks folded"),
    ("字" * 50, 80, "字" * 39 + " …"),
])
def test_shorten_counts_terminal_columns(text, width, expected):
    assert shorten(text, width) == expected
