"""What reaches a reader: hostile text made inert on every output path, CSV that a
spreadsheet cannot run, piped tables aligned by display width."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tracker import render
from tracker.text import HOSTILE, clean, csv_cell, escape_json

DATA = Path(__file__).parent / "data"
RAW = re.compile(f"[{HOSTILE}]")

# Hostile characters: C1 CSI and NEL, bidi overrides and isolates, zero-width characters,
# direction marks, the soft hyphen, invisible operators, annotations and tags (the rest of
# category Cf), and the printable invisibles: the combining grapheme joiner, a Hangul filler.
HOSTILE_CHARS = ["\u009b", "\u0085", "\u202e", "\u202a", "\u2066", "\u2069", "\u200b",
                 "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u061c", "\u00ad",
                 "\u2062", "\ufff9", "\U000e0041", "\u034f", "\u3164", "\u180e"]
EVIL = ("Evil\u009b31m\u202egnp.exe\u2066x\u2069\u200b\ufeffna\u200fm\u034fe\u00ad"
        "\U000e0041\u3164")


def _hostile_catalog(catalog_path: Path) -> None:
    """Hostile text in a value, a note, a ledger note and an event title, plus a later
    value so that trends have a change to print."""
    text = catalog_path.read_text()
    esc = EVIL.encode("unicode_escape").decode().replace("\\x", "\\u00")
    text = text.replace("value: US-China rivalry", f'value: "{esc}"')
    text = text.replace('note: "Inference: slower frontier releases."',
                        f'note: "{esc}"')
    text = text.replace("note: Four parties reported; three known.", f'note: "{esc}"')
    text = text.replace("title: Next summit", f'title: "{esc}"')
    text = text.replace("name: Pace mismatch", f'name: "Pace {esc}"')
    text = text.replace("source: https://example.org/b, confidence: low}",
                        f'source: https://example.org/b, confidence: low, note: "{esc}"}}')
    catalog_path.write_text(text)


@pytest.mark.parametrize("args", [
    ["list"], ["list", "--format", "json"], ["list", "--format", "csv"],
    ["show", "strategic-competition"], ["show", "strategic-competition", "--format", "json"],
    ["show", "test-treaty"],
    ["history", "pace-mismatch"], ["history", "pace-mismatch", "--format", "csv"],
    ["history", "pace-mismatch", "--format", "json"],
    ["members", "test-treaty"], ["members", "test-treaty", "--format", "json"],
    ["members", "test-treaty", "--format", "csv"],
    ["trends", "--since", "all"], ["trends", "--since", "all", "--format", "json"],
    ["trends", "--since", "all", "--format", "csv"],
    ["export"], ["export", "--format", "json"], ["export", "--format", "csv"],
])
def test_hostile_characters_never_reach_the_output_raw(run, catalog_path, args):
    _hostile_catalog(catalog_path)
    result = run(*args)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Evil" in out, out[:300]
    assert not RAW.search(out), [c for c in HOSTILE_CHARS if c in out]


def test_json_keeps_hostile_text_whole_but_escaped(run, catalog_path):
    _hostile_catalog(catalog_path)
    out = run("show", "strategic-competition", "--format", "json").stdout
    assert "\\u009b" in out and "\\u202e" in out and "\\u200b" in out
    assert json.loads(out)["values"]["mechanism"]["value"] == EVIL  # lossless


def test_markdown_and_csv_exports_written_to_files_are_clean(run, catalog_path, tmp_path):
    _hostile_catalog(catalog_path)
    for fmt in ("md", "json", "csv"):
        assert run("export", "--format", fmt, "-o", str(tmp_path / f"out-{fmt}") + "/").exit_code == 0
    files = [p for p in tmp_path.glob("out-*/**/*") if p.is_file()]
    assert len(files) >= 5
    for path in files:
        assert not RAW.search(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("char", HOSTILE_CHARS + ["\x1b", "\x07", "\x7f", "\r"])
def test_one_rule_strips_each_hostile_character(char):
    assert clean(f"a{char}b") == "ab"
    assert json.loads(escape_json(json.dumps(f"a{char}b", ensure_ascii=False))) == f"a{char}b"
    assert not RAW.search(escape_json(json.dumps(f"a{char}b", ensure_ascii=False)))


def test_plain_text_tabs_newlines_and_scripts_are_kept():
    assert clean("a\tb\nc 中文 عربي é") == "a\tb\nc 中文 عربي é"


# --- CSV injection (OWASP) -------------------------------------------------------------

@pytest.mark.parametrize("value, written", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'=1+1"),            # the carriage return goes, what it hid is checked
    ("\u200b=1+1", "'=1+1"),        # so does a zero-width space
    ("-5", "-5"), ("+3.5", "+3.5"), ("-0.25", "-0.25"),   # plain numbers stay numbers
    ("-", "'-"), ("- a list item", "'- a list item"),
    ("Moderate", "Moderate"), ("a=b", "a=b"), ("", ""),
])
def test_csv_cells_cannot_run_as_formulas(value, written):
    assert csv_cell(value) == written


def test_csv_numbers_from_the_store_are_numbers():
    assert csv_cell(-5) == "-5" and csv_cell(3) == "3" and csv_cell(None) == ""


FORMULAS = ["=1+1", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)"]


def _formula_catalog(catalog_path: Path) -> None:
    text = catalog_path.read_text()
    text = text.replace("value: US-China rivalry", f'value: "{FORMULAS[0]}"')
    text = text.replace("name: Strategic competition", f'name: "{FORMULAS[1]}"')
    text = text.replace('note: "Inference: slower frontier releases."',
                        f'note: "{FORMULAS[2]}"')
    text = text.replace("note: Four parties reported; three known.", f'note: "{FORMULAS[3]}"')
    text = text.replace("title: Next summit", f'title: "{FORMULAS[0]}"')
    text = text.replace("- {party: CHN, role: declined, date: 2025-02-11, source: "
                        "https://example.org/b, confidence: low}",
                        "- {party: CHN, role: declined, date: 2025-02-11, source: "
                        "https://example.org/b, confidence: low, note: \"=cmd\"}")
    catalog_path.write_text(text)


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


@pytest.mark.parametrize("args", [
    ["list", "--format", "csv"], ["history", "pace-mismatch", "--format", "csv"],
    ["history", "strategic-competition", "--format", "csv"],
    ["members", "test-treaty", "--format", "csv"], ["trends", "--since", "all", "--format",
                                                    "csv"],
    ["export", "--format", "csv"],
])
def test_every_csv_command_neutralises_formulas(run, catalog_path, args):
    _formula_catalog(catalog_path)
    result = run(*args)
    assert result.exit_code == 0, result.output
    cells = _cells(result.stdout)
    assert cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t")
                or (c[:1] == "-" and not re.fullmatch(r"-\d+(\.\d+)?", c))]
    assert any(c.startswith("'") for c in cells), "the hostile cells were not in this output"


def test_csv_export_files_neutralise_formulas(run, catalog_path, tmp_path):
    _formula_catalog(catalog_path)
    assert run("export", "--format", "csv", "-o", str(tmp_path / "t") + "/").exit_code == 0
    files = list((tmp_path / "t").rglob("*.csv"))
    assert {p.stem for p in files} >= {"obstacles", "observations", "memberships", "events"}
    seen = 0
    for path in files:
        for c in _cells(path.read_text(encoding="utf-8")):
            assert c[:1] not in ("=", "+", "@") and not re.match(r"-[^\d]", c), (path, c)
            seen += c.startswith("'")
    assert seen >= 4


# --- display width (../shared/cases/H8) ------------------------------------------------

def test_h8_piped_table_aligns_cjk_by_display_width(tmp_path):
    case = DATA / "cases" / "H8"
    from click.testing import CliRunner

    from tracker.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "h8.db"), "--catalog",
                                      str(case / "catalog.yaml"), "list", "--category",
                                      "obstacles"], env={"TRACKER_NOW": "2026-06-15T12:00:00Z"})
    assert result.exit_code == 0, result.output
    out = tmp_path / "H8.txt"
    out.write_text(result.stdout, encoding="utf-8")
    measured = subprocess.run([sys.executable, str(case / "measure.py"), str(out)],
                              capture_output=True, text=True)
    assert measured.returncode == 0, measured.stdout


def _starts(line: str, cells: list[str]) -> list[int]:
    """The display column where each cell of a plain line starts."""
    cols, pos = [], 0
    for c in cells:
        pos = line.index(c, pos)
        cols.append(cell_len(line[:pos]))
        pos += len(c)
    return cols


@pytest.mark.parametrize("wide", ["中美在人工智能领域的竞争", "한국어 이름", "日本語テキスト",
                                  "emoji 🤖🤖 wide", "ＦＵＬＬＷＩＤＴＨ", "plain ascii"])
def test_every_plain_column_starts_where_its_header_does(wide):
    out = io.StringIO()
    rows = [["a-id", wide, "High", "2024-06"], ["longer-identifier", "x", "Low", "2025"]]
    render.table(out, None, ["ID", "Name", "Severity", "As of"], rows)
    lines = out.getvalue().splitlines()
    head = _starts(lines[0], ["ID", "Name", "Severity", "As of"])
    for line, row in zip(lines[1:], rows):
        assert _starts(line, row) == head, (line, lines[0])


def test_ascii_plain_tables_are_unchanged():
    out = io.StringIO()
    render.table(out, "T", ["A", "Bee"], [["xx", "y"], ["z", "long value"]])
    assert out.getvalue() == "T\nA   Bee\nxx  y\nz   long value\n\n"


@pytest.mark.parametrize("args", [["members", EVIL], ["show", EVIL], ["history", EVIL],
                                  ["list", "-c", EVIL], ["trends", "--since", EVIL],
                                  ["set", EVIL, "x", "y"]])
def test_hostile_arguments_echoed_in_errors_are_inert(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert not RAW.search(result.stderr), result.stderr


async def test_the_dashboard_shows_hostile_text_without_its_hostile_characters(catalog_path,
                                                                               store, tmp_path):
    from textual.widgets import DataTable

    from screens.app import TrackerApp
    from tracker.catalog import load_catalog
    from tracker.sync import sync

    from conftest import FROZEN

    _hostile_catalog(catalog_path)
    catalog = load_catalog(catalog_path)
    sync(store, catalog)
    app = TrackerApp(store, catalog, export_dir=tmp_path / "s", clock=lambda: FROZEN)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = app.screen.query_one("#rows", DataTable)
        texts = [c.plain for r in range(rows.row_count) for c in rows.get_row_at(r)]
        assert any("Evil" in t for t in texts)
        assert not any(RAW.search(t) for t in texts)


PRINTABLE_INVISIBLE = "Rivals\u034fhip\u3164x"  # printable, yet shown as nothing


@pytest.mark.parametrize("args", [
    ["list"], ["list", "--format", "csv"], ["history", "strategic-competition"],
    ["history", "strategic-competition", "--format", "csv"], ["show", "strategic-competition"],
    ["trends", "--since", "all"], ["trends", "--since", "all", "--format", "csv"],
    ["export"],
])
def test_printable_invisible_characters_alone_in_a_cell_are_stripped(run, args):
    """A cell whose only hostile characters are printable ones (the combining grapheme
    joiner, a Hangul filler) still goes through the rule: the fast paths that keep a
    printable column as it is must not keep these."""
    assert run("set", "strategic-competition", "mechanism", PRINTABLE_INVISIBLE,
               "--as-of", "2026-01", "--note", PRINTABLE_INVISIBLE).exit_code == 0
    out = run(*args).stdout
    assert "Rivalship" in out or "Rivals" in out, out[:300]
    assert not RAW.search(out)
