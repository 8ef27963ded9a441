"""Snapshots for briefings: Markdown, JSON and CSV, byte-identical for the same store.

Exporting to a folder writes a dated file and ``latest.*`` and records the snapshot, so the
next export says what changed since. Files are written whole (temp file, then rename), all
of them or none (see :mod:`tracker.export.files`).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from tracker import headline, queries, trends
from tracker.errors import TrackerError
from tracker.export import files, markdown, records, state
from tracker.ledger_changes import window_changes
from tracker.store import Store

__all__ = ["Snapshot", "build", "write"]

DEFAULT_WINDOW = "1y"


@dataclass(frozen=True)
class Snapshot:
    """One export's content and identity."""

    id: str
    as_of: str
    fmt: str
    text: str | None
    """The Markdown or JSON text; None for CSV, whose tables are in ``tables``."""
    tables: dict[str, str]
    state: dict


def build(store: Store, fmt: str = "md", since: str | None = None) -> Snapshot:
    """Build a snapshot of ``store`` (nothing is written).

    Args:
        fmt: ``md``, ``json`` or ``csv``.
        since: a window (``30d``, ``1y``, a date, ``all``); the default is one year before
            the data's as-of date, and "what changed" is then since the last snapshot.
    """
    db = store.db
    rows = queries.rows(db) if fmt == "md" else None  # its tables; the state is read from them
    current = state.current_state(db, rows)
    snap_id = state.snapshot_id(current)
    as_of = state.as_of(current)
    reference = dt.date.fromisoformat(trends.pad(as_of)) if as_of else store.clock().date()
    start = trends.window_start(since or DEFAULT_WINDOW, reference)
    since_text = start or "the first record"
    window = window_changes(db, start)
    reads = headline.Reads(db)  # the figures and the Markdown's charts read the store once
    figures = headline.figures(db, start, reads)
    prev = state.previous(db)
    diff = state.diff(db, prev.state, current) if prev else None
    if fmt == "md":
        text = markdown.build(db, snap_id=snap_id, as_of=as_of, since=start or "the start",
                              since_text=since_text, figures=figures, window=window,
                              previous=prev, diff=diff, explicit_since=since is not None,
                              today=store.clock().date(), rows=rows, reads=reads)
        return Snapshot(snap_id, as_of, fmt, text, {}, current)
    if fmt == "json":
        text = records.json_text(db, snap_id=snap_id, as_of=as_of, since=start,
                                 figures=figures, window=window, previous=prev, diff=diff)
        return Snapshot(snap_id, as_of, fmt, text, {}, current)
    if fmt == "csv":
        return Snapshot(snap_id, as_of, fmt, None, records.csv_tables(db), current)
    raise TrackerError(f"--format: {fmt!r} (allowed: md, json, csv)")


def write(store: Store, snapshot: Snapshot, target: str | None,
          option: str = "-o") -> list[Path]:
    """Write a snapshot to stdout (``target`` None), a file, or a folder, all or nothing.

    A folder (an existing one, or a path ending in ``/``) gets a file dated by the clock
    (``-2``, ``-3``... when that day has one already) and ``latest.<ext>`` (for CSV: a dated
    folder with one file per table), and the snapshot is recorded in the same step, unless
    the store is read-only. No output may be the store or one of its files.

    Returns:
        The files written.
    """
    if target is None:
        return []
    path = Path(target)
    is_dir = path.is_dir() or target.endswith(os.sep)
    ext = {"md": "md", "json": "json", "csv": "csv"}[snapshot.fmt]
    if not is_dir:
        files.guard_outputs([path], store.path, option, store.catalog_path)
        if snapshot.fmt == "csv":
            raise TrackerError(f"{option} {target}: CSV export writes one file per table; "
                               "give a folder (ending in /)")
        if not path.parent.is_dir():
            raise TrackerError(f"{option} {target}: folder {path.parent} does not exist")
        return files.publish({path: snapshot.text or ""}, option)
    files.guard_outputs([path], store.path, option, store.catalog_path)
    created = files.make_folder(path, option)
    try:
        return _write_dated(store, snapshot, path, ext, option)
    except TrackerError:
        files.remove_folders(created)  # a failed export leaves no folder behind either
        raise


def _write_dated(store: Store, snapshot: Snapshot, path: Path, ext: str,
                 option: str) -> list[Path]:
    """Write the dated file (or CSV folder) and ``latest.<ext>`` into ``path``."""
    day = store.clock().date().isoformat()

    def commit(place) -> None:
        if store.read_only:
            place()
            return
        with store.transaction() as db:
            state.record(db, snapshot.id, snapshot.state, store.now(), snapshot.fmt, str(first))
            place()

    while True:  # another export of the same day may take the dated name meanwhile
        try:
            if snapshot.fmt == "csv":
                first = files.dated_name(path, day, "")
                outputs = [first / f"{name}.csv" for name in snapshot.tables]
                files.guard_outputs([first, *outputs], store.path, option,
                                    store.catalog_path)
                return files.publish_folder(first, snapshot.tables, option, commit)
            first = files.dated_name(path, day, ext)
            latest = path / f"latest.{ext}"
            files.guard_outputs([first, latest], store.path, option,
                                store.catalog_path)
            return files.publish({first: snapshot.text or "", latest: snapshot.text or ""},
                                 option, commit, keep=first)
        except files.Taken:
            continue
