"""Terminal tables at 80 and 200 columns: ids whole, long text wrapped or ended with an
ellipsis, spare width given to the columns that need it, `show` wrapped at the width."""

from __future__ import annotations

import io
import shutil

import pytest
from rich.cells import cell_len
from rich.text import Text

from tracker import render
from tracker.text import clean
from tracker.store import Store

from conftest import DATA, FROZEN

LONG_ID = "council-of-europe-framework-convention-on-artificial-intelligence"
LONG_SOURCE = "federal-register-artificial-intelligence-documents"
DESCRIPTION = ("The first legally binding international treaty on artificial intelligence, "
               "human rights, democracy and the rule of law, opened for signature in Vilnius "
               "on 5 September 2024 and not yet in force. " * 2).strip()


@pytest.fixture
def wide(monkeypatch):
    """Every command's output treated as a terminal of a given width (COLUMNS)."""
    monkeypatch.setattr(render, "is_terminal", lambda out: True)

    def at(width: int) -> None:
        monkeypatch.setenv("COLUMNS", str(width))
    return at


@pytest.fixture
def long_ids(catalog_path):
    text = catalog_path.read_text().replace("test-treaty", LONG_ID)
    text = text.replace("    kind: treaty\n", f"    kind: treaty\n    description: {DESCRIPTION}\n",
                        1)
    catalog_path.write_text(text)
    return catalog_path


def _lines(out: str) -> list[str]:
    return out.splitlines()


def _whole(out: str, ident: str) -> bool:
    """``ident`` appears on one line, uncut (not folded onto the next line)."""
    return any(ident in line for line in _lines(out))


def _fits(out: str, width: int) -> bool:
    return max(cell_len(line) for line in _lines(clean(out))) <= width


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("args, ids", [
    (["list"], ["strategic-competition", "pace-mismatch", LONG_ID]),
    (["list", "-c", "mechanisms"], [LONG_ID]),
    (["list", "--categories"], ["obstacles", "mechanisms"]),
    (["trends", "--since", "all"], []),
    (["members", LONG_ID], ["GBR", "USA", "EU", "CHN"]),
    (["history", LONG_ID], ["participant_count"]),
    (["show", LONG_ID], []),
])
def test_tables_fit_and_never_cut_ids(run, long_ids, wide, width, args, ids):
    wide(width)
    result = run(*args)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert _fits(out, width), max(_lines(out), key=cell_len)
    for ident in ids:
        assert _whole(out, ident), (ident, out)


def _sources_catalog(tmp_path):
    path = tmp_path / "sources.yaml"
    shutil.copy(DATA / "catalog-sources.yaml", path)
    path.write_text(path.read_text().replace("  - id: fr\n", f"  - id: {LONG_SOURCE}\n"))
    return path


@pytest.mark.parametrize("width", [80, 200])
def test_sources_and_review_keep_source_ids_whole(run, tmp_path, wide, width):
    catalog = _sources_catalog(tmp_path)
    assert run("list", catalog=catalog).exit_code == 0
    store = Store.open(run.db, clock=lambda: FROZEN)
    try:
        store.db["proposals"].insert({
            "kind": "observation", "indicator_id": "pace-mismatch", "field": "severity",
            "value": "Low", "as_of": "2026-10", "source_id": LONG_SOURCE, "source_url":
            "https://fr.test/api/v1/documents.json", "confidence": "low",
            "reason": "the source is reviewed by hand; " * 4, "status": "pending",
            "created_at": "2026-10-02T00:00:00Z"})
    finally:
        store.close()
    wide(width)
    for args in (["sources"], ["review"]):
        out = run(*args, catalog=catalog).stdout
        assert _fits(out, width), out
        assert _whole(out, LONG_SOURCE), out
        assert _whole(out, "federal-register"), out  # a source kind is an id too


def test_spare_width_goes_to_long_text_at_200(run, long_ids, wide):
    wide(200)
    out = run("list", "-c", "obstacles").stdout
    # "Strategic competition" and its value are short: nothing wraps at 200 columns.
    row = next(line for line in _lines(out) if "Strategic competition" in line)
    assert "US-China rivalry" in row and "High" in row and "2024-06" in row
    wide(80)
    out80 = run("history", LONG_ID).stdout
    assert _fits(out80, 80)


def test_show_wraps_paragraphs_at_the_terminal_width(run, long_ids, wide):
    for width in (80, 200):
        wide(width)
        out = run("show", LONG_ID).stdout
        assert _fits(out, width)
        words = " ".join(out.split())
        assert " ".join(DESCRIPTION.split()) in words  # wrapped between words, nothing lost
    wide(80)
    assert len([line for line in _lines(run("show", LONG_ID).stdout)
                if "Vilnius" in line or "treaty" in line]) >= 2


def test_show_piped_keeps_each_paragraph_on_one_line(run, long_ids):
    out = run("show", LONG_ID).stdout
    assert " ".join(DESCRIPTION.split()) in _lines(out)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("width", [80, 120, 200])
def test_an_id_column_that_wraps_names_keeps_ids_whole(monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = Tty()
    rows = [[render.labelled("A name long enough to wrap over several lines of a column", LONG_ID),
             "word " * 60, "2025"]]
    render.table(out, "T", ["Name / ID", "Text", "As of"], rows, keep=(0,), wrap=(0, 1))
    text = out.getvalue()
    assert LONG_ID in text and _fits(text, width)


def test_long_text_ends_in_an_ellipsis_or_wraps_never_silently_cut(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = Tty()
    url = "https://www.example.org/" + "a/" * 40
    render.table(out, None, ["ID", "Source", "Note"],
                 [["x-1", render.link(url), "word " * 30]], wrap=(1, 2))
    text = out.getvalue()
    assert "…" in text  # the link label is shortened with an ellipsis
    assert text.count("word") == 30  # the note wrapped, every word is there


def test_widths_share_spare_width_by_need():
    cells = [[Text("id-1"), Text("short"), Text("x " * 100)]]
    widths = render._widths(200, ["ID", "A", "B"], cells, keep=(0,), wrap=(1, 2))
    assert widths[0] == 4 and widths[1] == 5  # at their content
    assert widths[2] == 200 - 10 - 4 - 5  # the rest to the long text
    assert render._widths(30, ["ID", "Text"], [[Text("x" * 40), Text("y")]], keep=(0,),
                          wrap=(1,)) is None  # an id that cannot fit: records, never a cut
