"""`tracker trends` writes its changes through a spool on disk (tracker.change_spool): the
output is the same, byte for byte, as when every change was held in a list first
(tests/reference_print_trends.py), in every format, window and option; and the memory it
holds does not grow with the window."""

from __future__ import annotations

import io
import re
import sys
import tracemalloc
from pathlib import Path

import pytest

import reference_print_trends as reference
from tracker import change_spool
from tracker.catalog import load_catalog, shipped_catalog_path
from tracker.cli_snapshots import print_trends
from tracker.store import Store
from tracker.sync import sync

from conftest import FROZEN
from test_change_engine import _generated

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"

HOSTILE = ["中文的值", "a  b", " leading", "trailing ", "zero\u200bwidth", "\x1b[31mred\x1b[0m",
           "e\u0301", "tab\there", "line\nbreak", "ﾊﾝｶｸ", "emoji 🙂", "=SUM(A1)", "\u202eevil"]


def _hostile(tmp_path) -> Store:
    """A generated store whose values and notes hold wide, zero-width, control and
    bidirectional characters, double spaces and newlines: the cells the fast paths skip."""
    store = _generated(tmp_path, 7)
    rows = store.db.execute("SELECT id FROM observations ORDER BY id").fetchall()
    for i, (ident,) in enumerate(rows):
        if i % 3 == 0:
            store.db.execute("UPDATE observations SET value = ?, note = ? WHERE id = ?",
                             [HOSTILE[i % len(HOSTILE)], HOSTILE[(i + 5) % len(HOSTILE)] * 9,
                              ident])
    store.db.conn.commit()
    return store


@pytest.fixture(params=["shipped", 1, 2, "hostile"])
def any_store(request, tmp_path):
    if request.param == "shipped":
        s = Store.open(tmp_path / "shipped.db", clock=lambda: FROZEN)
        sync(s, load_catalog(shipped_catalog_path()))
    elif request.param == "hostile":
        s = _hostile(tmp_path)
    else:
        s = _generated(tmp_path, request.param)
    yield s
    s.close()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _both(store, out_type, *args, **kwargs) -> tuple[str, str]:
    ours, before = out_type(), out_type()
    print_trends(store, ours, *args, **kwargs)
    reference.print_trends(store, before, *args, **kwargs)
    return ours.getvalue(), before.getvalue()


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
@pytest.mark.parametrize("window", ["all", "1y", "2024", "30d"])
def test_streamed_output_is_byte_identical(any_store, fmt, window):
    ours, before = _both(any_store, io.StringIO, window, fmt, due=True)
    assert ours == before
    if window == "all":
        assert ours.count("\n") > 5 if fmt != "json" else len(ours) > 500


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_options_give_the_same_bytes(any_store, fmt):
    """A watch list (its indicators first), an end date named in JSON, values due."""
    ids = [r[0] for r in any_store.db.execute("SELECT id FROM indicators ORDER BY id DESC")]
    for kwargs in ({"watch": ids[1:3]}, {"watch": ["nobody", ids[-1]], "due": True},
                   {"end": "2025-12-31", "end_in_json": True}, {"end": "2026-06-30"}):
        ours, before = _both(any_store, io.StringIO, "all", fmt, **kwargs)
        assert ours == before, kwargs


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_terminal_gets_the_same_bytes(any_store, fmt, monkeypatch):
    """On a terminal tables are Rich tables and JSON is indented, as before."""
    monkeypatch.setenv("COLUMNS", "120")
    ours, before = _both(any_store, _Terminal, "all", fmt, watch=["x"])
    link_ids = re.compile(r"\x1b]8;id=\d+;")  # Rich numbers each hyperlink anew
    assert link_ids.sub("", ours) == link_ids.sub("", before)


def test_an_empty_window_says_so(any_store):
    for fmt in ("table", "json", "csv"):
        ours, before = _both(any_store, io.StringIO, "2026-11-22", fmt)
        assert ours == before
    assert "No changes dated since 2026-11-22." in ours or "0 changes" not in ours


# --------------------------------------------------------------------------- memory

def _bench_store(tmp_path, n: int) -> Store:
    sys.path.insert(0, str(BENCH))
    from generate import build

    db, _ = build(tmp_path / f"bench-{n}", n)
    return Store.open(db, clock=lambda: FROZEN)


def _peak(printer, store, fmt: str) -> int:
    """The most Python memory held while printing every change (the output discarded)."""
    class Sink(io.TextIOBase):
        def write(self, text):
            return len(text)

    printer(store, Sink(), "all", "table" if fmt == "table" else fmt)  # warm: imports, caches
    tracemalloc.start()
    try:
        printer(store, Sink(), "all", fmt)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_memory_does_not_grow_with_the_window(tmp_path, monkeypatch, fmt):
    """Four times the changes: the list-holding printer holds about four times the memory,
    the spooled one about the same (a batch of rows, one field's steps)."""
    monkeypatch.setattr(change_spool, "_BATCH", 50)
    small, large = _bench_store(tmp_path, 3_000), _bench_store(tmp_path, 12_000)
    try:
        ours = _peak(print_trends, large, fmt) / _peak(print_trends, small, fmt)
        before = _peak(reference.print_trends, large, fmt) / _peak(reference.print_trends,
                                                                  small, fmt)
    finally:
        small.close()
        large.close()
    assert before > 2.0, "the store is large enough for a list of changes to show"
    assert ours < 1.4, f"peak grew {ours:.2f}x for 4x the changes (a list: {before:.2f}x)"


def test_characters_taken_as_one_cell_are_one_cell_for_rich():
    """The widths the streamed table pads by are Rich's, as the table held in a list."""
    from rich.cells import cell_len

    from tracker import streamed
    from tracker.trends import ARROWS

    assert all(cell_len(ch) == 1 for ch in streamed._ONE_CELL)
    assert streamed.one_cell_each("".join(ARROWS.values()) + "abc é ж ▲")
    assert not streamed.one_cell_each("中") and not streamed.one_cell_each("e\u0301")
    row, widths, one_cell = streamed.measured_row(["中文", "a  b", "x"])
    assert (list(row), widths, one_cell) == (["中文", "a b", "x"], [4, 3, 1], False)


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
@pytest.mark.parametrize("where", ["open", "sort"])
def test_a_spool_that_cannot_be_written_fails_before_any_output(run, monkeypatch, fmt, where):
    """A full or unwritable temporary folder: one line saying what to do, exit 1, and
    nothing on standard output (not a headline table followed by a traceback)."""
    import sqlite3

    assert run("trends", "--since", "all", "--format", fmt).exit_code == 0

    def full(*args):
        raise sqlite3.OperationalError("database or disk is full")

    if where == "open":
        monkeypatch.setattr(change_spool.Spool, "_open", staticmethod(full))
    else:  # the sort fails as the rows are first asked for
        monkeypatch.setattr(change_spool, "ORDER", "no_such_column")
    result = run("trends", "--since", "all", "--format", fmt)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "temporary file" in lines[0] and "SQLITE_TMPDIR" in lines[0]
    assert "Traceback" not in result.stderr
