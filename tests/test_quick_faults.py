"""Faults around the short commands: what the short path must decline or say exactly as
click does, and the kinds of fault found in both paths (locks, encodings, closed standard
error, symlinked stores, oversized or racing catalogs, odd arguments)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.test_quick import _click, _quick, shipped_store, synced  # noqa: F401  (fixtures)
from tracker import quick
from tracker.cli_main import main
from tracker.store import files


def _argv(db, catalog, *args):
    return ["--db", str(db), "--catalog", str(catalog), *args]


@pytest.mark.parametrize("args", [["list", "-c=mechanisms"], ["list", "-c="],
                                  ["list", "-c", "=mechanisms"]])
def test_a_short_option_with_equals_is_clicks_to_read(synced, args):
    """click reads `-c=x` as the value "=x" (an unknown category): the short path leaves
    every such form to it."""
    db, catalog = synced
    assert _quick(_argv(db, catalog, *args)) is None
    assert _click(_argv(db, catalog, *args))[0] == 2


@pytest.mark.parametrize("var", ["TRACKER_DB", "TRACKER_CATALOG", "TRACKER_CONFIG"])
@pytest.mark.parametrize("blank", ["", " ", "\t"])
def test_a_blank_path_in_the_environment_goes_to_click(synced, monkeypatch, var, blank):
    db, catalog = synced
    monkeypatch.setenv(var, blank)
    assert _quick(_argv(db, catalog, "list")) is None


def test_a_catalog_this_user_cannot_read_goes_to_click(synced, monkeypatch):
    db, catalog = synced
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == str(catalog)
                        and mode & os.R_OK else real(p, mode, **kw))
    assert _quick(_argv(db, catalog, "list")) is None


def test_an_oversized_catalog_is_never_read_to_be_hashed(synced, tmp_path):
    from tracker.paths import CATALOG_MAX_BYTES, catalog_digest

    db, _ = synced
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(CATALOG_MAX_BYTES + 1)  # sparse: costs no disk
    assert catalog_digest(big) is None
    assert _quick(_argv(db, big, "list")) is None
    code, _ = _click(_argv(db, big, "list"))
    assert code == 2


def test_a_stamp_is_recorded_only_once_the_file_has_settled():
    stamp = "1:2:3:10000000000:10000000000"  # changed at 10 s
    assert not files.settled(stamp, now_ns=10_500_000_000)
    assert not files.settled(stamp, now_ns=12_000_000_000)
    assert files.settled(stamp, now_ns=12_000_000_001)
    assert not files.settled(stamp, now_ns=9_000_000_000)  # a time ahead of the clock


def test_a_catalog_synced_just_after_an_edit_keeps_no_stamp(synced):
    """On a filesystem with 1 s timestamps, a second same-size edit within that second
    keeps every time: the stamp of a fresh edit is not recorded, so the next run hashes."""
    db, catalog = synced
    catalog.write_text(catalog.read_text() + "\n# edited just now\n")
    assert _click(_argv(db, catalog, "list"))[0] == 0
    stored = sqlite3.connect(db).execute(
        "SELECT value FROM meta WHERE key = 'catalog_stamp'").fetchone()[0]
    assert stored == ""
    assert _quick(_argv(db, catalog, "list")) is not None  # hashed: the digest matches


def test_the_digest_is_of_the_bytes_parsed(tmp_path, monkeypatch):
    """A catalog replaced while it is validated: the digest recorded is the one of the
    content synced, so the replacement is seen (and synced) on the next run."""
    from tracker import catalog as catalog_pkg
    from tracker.catalog import source

    path = tmp_path / "c.yaml"
    from tests.conftest import DATA

    original = (DATA / "catalog-small.yaml").read_bytes()
    path.write_bytes(original)
    parse = source.read_document

    def replaced_after_reading(p, text=None):
        doc = parse(p, text)
        path.write_bytes(original + b"\n# replaced meanwhile\n")
        return doc

    monkeypatch.setattr(catalog_pkg, "read_document", replaced_after_reading)
    loaded, problems = catalog_pkg.check_catalog(path)
    assert not problems
    assert loaded.digest == hashlib.sha256(original).hexdigest()


def test_a_locked_store_is_one_line_after_one_wait(synced, monkeypatch, capsys):
    import tracker.store as store_module

    db, catalog = synced
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        calls = []
        real = quick._answer
        monkeypatch.setattr(quick, "_answer", lambda call: calls.append(1) or real(call))
        with pytest.raises(SystemExit) as exc:
            main(_argv(db, catalog, "list"))
        assert calls == [1]
        short = capsys.readouterr()
        code, _ = _click(_argv(db, catalog, "list", "--at", "2026-01"))  # click, locked too
    finally:
        holder.rollback()
        holder.close()
    assert exc.value.code == 1 and short.out == ""
    assert short.err.startswith("Error: --db ") and "locked" in short.err
    assert short.err.count("\n") == 1
    assert code == 1


def _run(*args: str, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=None):
    return subprocess.run([sys.executable, "-m", "tracker", *args], stdout=stdout,
                          stderr=stderr, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("extra", [[], ["--at", "2026-11"]], ids=["short", "click"])
def test_an_output_encoding_without_the_characters_is_one_line_and_74(synced, extra):
    db, catalog = synced
    done = _run(*_argv(db, catalog, "list", *extra), env={"PYTHONIOENCODING": "ascii"})
    err = done.stderr.decode()
    assert done.returncode == 74, err
    assert "Traceback" not in err and err.count("\n") == 1
    assert err.startswith("Error: cannot write the output in its encoding (ascii)")


def test_a_closed_standard_error_never_lands_in_the_output(synced):
    db, catalog = synced
    done = subprocess.run([sys.executable, "-m", "tracker", *_argv(db, catalog, "show",
                                                                     "no-such-thing")],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          preexec_fn=lambda: os.close(2))
    assert done.returncode == 2 and done.stdout == b""
    if os.path.exists("/dev/full"):
        with open("/dev/full", "w") as full:
            done = subprocess.run([sys.executable, "-m", "tracker",
                                   *_argv(db, catalog, "list")], stdout=full,
                                  preexec_fn=lambda: os.close(2))
        assert done.returncode == 74


def test_an_argument_that_is_not_utf8_is_one_line(synced):
    db, catalog = synced
    for args in (["show", "gpai\udcff"], ["history", "gpai\udcff"], ["members", "x\udcff"],
                 ["search", "a\udcff"]):
        code, _ = _click(_argv(db, catalog, *args))
        assert code == 2, args


def test_an_argument_that_is_not_utf8_is_named_as_typed(synced):
    db, catalog = synced
    done = subprocess.run([sys.executable, "-m", "tracker", *_argv(db, catalog, "show")]
                          + [os.fsdecode(b"gpai\xff")], capture_output=True)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode() == ("Error: an argument is not UTF-8 text ('gpai\\xff'); "
                                    "give it as UTF-8\n")


def test_an_empty_category_is_unknown(synced):
    db, catalog = synced
    for args in (["list", "--category", ""], ["list", "-c", ""]):
        assert _click(_argv(db, catalog, *args))[0] == 2


def test_a_symlinked_store_is_writable_as_its_target_is(tmp_path, monkeypatch):
    """SQLite keeps the WAL beside the link's target: the target's folder decides."""
    target_dir, link_dir = tmp_path / "target", tmp_path / "links"
    target_dir.mkdir()
    link_dir.mkdir()
    (target_dir / "s.db").write_bytes(b"")
    (link_dir / "s.db").symlink_to(target_dir / "s.db")
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if os.path.samefile(
        str(p), target_dir) and mode & os.W_OK else real(p, mode, **kw))
    assert not files.writable(link_dir / "s.db")
    assert files.writable(target_dir / "s.db") is False  # named directly: the same verdict


def test_an_ambiguous_name_starting_with_a_dash_is_suggested_after_dashes(synced):
    from tracker.errors import TrackerError
    from tracker.search import find_indicator
    from tracker.store import Store

    db, _ = synced
    store = Store.open(db)
    try:
        with pytest.raises(TrackerError) as exc:
            find_indicator(store.reader, "-summit")
        assert "`tracker search -- -summit` lists them" in exc.value.message
        with pytest.raises(TrackerError) as exc:
            find_indicator(store.reader, "g\u200bpai-nonesuch")
        assert "\\u200b" in exc.value.message
    finally:
        store.close()


def test_a_stamp_missed_at_sync_is_noted_by_a_later_run(synced, monkeypatch):
    """A sync right after an edit records no stamp; the next short run that hashes the
    catalog and finds it unchanged records it, once the file has settled, so the runs
    after it skip the hash."""
    db, catalog = synced
    catalog.write_text(catalog.read_text() + "\n# edited just now\n")
    assert _click(_argv(db, catalog, "list"))[0] == 0
    stored = lambda: sqlite3.connect(db).execute(  # noqa: E731
        "SELECT value FROM meta WHERE key = 'catalog_stamp'").fetchone()[0]
    assert stored() == ""
    assert _quick(_argv(db, catalog, "list"))  # not settled yet: hashed, nothing noted
    assert stored() == ""
    monkeypatch.setattr(files, "SETTLE_NS", -1)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")  # a refresh writing: the note is skipped, not awaited
    try:
        assert _quick(_argv(db, catalog, "list"))
    finally:
        holder.rollback()
        holder.close()
    assert stored() == ""
    assert _quick(_argv(db, catalog, "list"))
    assert stored() == files.file_stamp(catalog)
    import tracker.paths

    monkeypatch.setattr(tracker.paths, "catalog_digest", lambda path: 1 / 0)
    assert _quick(_argv(db, catalog, "list"))  # no hash now


def test_a_slow_read_does_not_make_a_fresh_catalog_look_settled(tmp_path, monkeypatch):
    """The catalog's age is taken when it is read: a parse that takes longer than the
    settling time (a slow, loaded machine) must not let a fresh edit's stamp be kept."""
    import time

    from tests.conftest import DATA
    from tracker import catalog as catalog_pkg

    monkeypatch.setattr(files, "SETTLE_NS", 300_000_000)  # 0.3 s
    path = tmp_path / "c.yaml"
    path.write_bytes((DATA / "catalog-small.yaml").read_bytes())
    parse = catalog_pkg.read_document

    def slow(p, text=None):
        time.sleep(0.6)
        return parse(p, text)

    monkeypatch.setattr(catalog_pkg, "read_document", slow)
    loaded, problems = catalog_pkg.check_catalog(path)
    assert not problems
    assert loaded.stamp is None


@pytest.mark.parametrize("typed", ["\u202egpai", "gpai\x7f", "GPAI\u00ad", "g\u200bpai",
                                   "\u2066cets-225\u2069"])
def test_an_id_pasted_with_an_invisible_character_names_that_indicator(synced, typed):
    """What cleaning leaves is what the user sees; an id that reads as one is that one,
    never 'matches several indicators' naming a text the user did not type."""
    from tracker.search import find_indicator
    from tracker.store import Store

    db, _ = synced
    store = Store.open(db)
    try:
        assert find_indicator(store.reader, typed) == \
            "".join(c for c in typed if c.isprintable() and c not in "\u00ad").lower()
    finally:
        store.close()
