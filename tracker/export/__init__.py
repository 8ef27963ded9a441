"""Snapshots for briefings: Markdown, JSON and CSV, byte-identical for the same store.

Exporting to a folder writes a dated file and ``latest.*`` and records the snapshot, so the
next export says what changed since. Files are written whole (temp file, then rename).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tracker import headline, trends
from tracker.errors import TrackerError
from tracker.export import markdown, records, state
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
    current = state.current_state(db)
    snap_id = state.snapshot_id(current)
    as_of = state.as_of(current)
    reference = dt.date.fromisoformat(trends.pad(as_of)) if as_of else store.clock().date()
    start = trends.window_start(since or DEFAULT_WINDOW, reference)
    since_text = start or "the first record"
    window = trends.changes(db, start)
    figures = headline.figures(db, start)
    prev = state.previous(db)
    diff = state.diff(db, prev.state, current) if prev else None
    if fmt == "md":
        text = markdown.build(db, snap_id=snap_id, as_of=as_of, since=start or "the start",
                              since_text=since_text, figures=figures, window=window,
                              previous=prev, diff=diff, explicit_since=since is not None,
                              today=store.clock().date())
        return Snapshot(snap_id, as_of, fmt, text, {}, current)
    if fmt == "json":
        text = records.json_text(db, snap_id=snap_id, as_of=as_of, since=start,
                                 figures=figures, window=window, previous=prev, diff=diff)
        return Snapshot(snap_id, as_of, fmt, text, {}, current)
    if fmt == "csv":
        return Snapshot(snap_id, as_of, fmt, None, records.csv_tables(db), current)
    raise TrackerError(f"--format: {fmt!r} (allowed: md, json, csv)")


def write(store: Store, snapshot: Snapshot, target: str | None) -> list[Path]:
    """Write a snapshot to stdout (``target`` None), a file, or a folder.

    A folder (an existing one, or a path ending in ``/``) gets a file dated by the clock
    and ``latest.<ext>`` (for CSV: one file per table), and the snapshot is recorded.

    Returns:
        The files written.
    """
    if target is None:
        return []
    path = Path(target)
    is_dir = path.is_dir() or target.endswith(os.sep)
    ext = {"md": "md", "json": "json", "csv": "csv"}[snapshot.fmt]
    if not is_dir:
        if not path.parent.is_dir():
            raise TrackerError(f"-o {target}: folder {path.parent} does not exist")
        if snapshot.fmt == "csv":
            raise TrackerError(f"-o {target}: CSV export writes one file per table; "
                               "give a folder (ending in /)")
        _atomic(path, snapshot.text or "")
        return [path]
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TrackerError(f"-o {target}: cannot create the folder ({exc.strerror})") from None
    day = store.clock().date().isoformat()
    written = []
    if snapshot.fmt == "csv":
        folder = path / day
        folder.mkdir(exist_ok=True)
        for name, text in snapshot.tables.items():
            written.append(_atomic(folder / f"{name}.csv", text))
    else:
        written.append(_atomic(path / f"{day}.{ext}", snapshot.text or ""))
        written.append(_atomic(path / f"latest.{ext}", snapshot.text or ""))
    with store.transaction() as db:
        state.record(db, snapshot.id, snapshot.state, store.now(), snapshot.fmt,
                     str(written[0]))
    return written


def _atomic(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` whole: readers see the old file or the new, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
