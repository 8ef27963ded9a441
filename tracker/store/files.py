"""The store's file on disk: opening it by path, telling ours from others', damage.

A ``--db`` text is a path, never a SQLite URI: the connection is made from a ``file:`` URI
built by percent-encoding the absolute path, so ``#``, ``?`` or a leading ``file:`` in a
name mean nothing special. A store the user may not write (a read-only file or folder)
is opened read-only, and immutable when SQLite could not create its WAL index beside it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

APPLICATION_ID = 0x54726B72
"""``PRAGMA application_id`` of a tracker store ("Trkr"), set when it is made or upgraded."""

SIDECARS = ("-wal", "-shm", ".refresh-lock")
"""Files beside the store that belong to it: SQLite's WAL and index, the refresh lock."""

_OUR_TABLES = {"meta", "indicators", "observations"}
"""Tables every tracker store has had since schema 1: how an unmarked old store is known."""


class ForeignFile(Exception):
    """The file is a SQLite database, but not a tracker store."""


def file_uri(path: str | Path, **params: str | int) -> str:
    """A SQLite ``file:`` URI for ``path`` that names exactly that file."""
    uri = Path(os.path.abspath(os.path.expanduser(str(path)))).as_uri()
    return f"{uri}?{urlencode(params)}" if params else uri


def owned_paths(path: str | Path) -> list[Path]:
    """The store and every file beside it that belongs to it, under the name given and,
    when that is a symbolic link, beside the file it points at (where SQLite keeps the
    WAL and its index, and where the refresh lock is)."""
    given = os.path.abspath(os.path.expanduser(str(path)))
    paths: list[Path] = []
    for base in dict.fromkeys([given, os.path.realpath(given)]):
        paths += [Path(base)] + [Path(base + suffix) for suffix in SIDECARS]
    return paths


def lock_path(path: str | Path) -> str:
    """The refresh lock of the store at ``path``: beside the file a symbolic link points
    at, so every name of one store shares one lock."""
    return os.path.realpath(os.path.expanduser(str(path))) + ".refresh-lock"


def writable(path: str | Path) -> bool:
    """Whether this process may write the store and create its WAL files beside it."""
    base = Path(os.path.realpath(os.path.expanduser(str(path))))  # the WAL is beside the target
    folder_ok = os.access(base.parent, os.W_OK | os.X_OK)
    if not base.exists():
        return folder_ok
    if not os.access(base, os.W_OK):
        return False
    for suffix in ("-wal", "-shm"):
        side = Path(f"{base}{suffix}")
        if side.exists() and not os.access(side, os.W_OK):
            return False
        if not side.exists() and not folder_ok:
            return False
    return True


def side_file_blocking(path: str | Path) -> str | None:
    """The WAL file beside the store that this user cannot write although the store and its
    folder are writable (left by another user who read the store), said in one phrase with
    what to do; None when that is not why the store is read-only."""
    base = Path(os.path.realpath(os.path.expanduser(str(path))))
    if not base.exists() or not os.access(base, os.W_OK) or \
            not os.access(base.parent, os.W_OK | os.X_OK):
        return None
    for suffix in ("-wal", "-shm"):
        side = Path(f"{base}{suffix}")
        if side.exists() and not os.access(side, os.W_OK):
            try:
                import pwd

                owner = pwd.getpwuid(side.stat().st_uid).pw_name
            except (ImportError, KeyError, OSError):
                owner = "another user"
            return (f"{side.name} belongs to {owner} and this user cannot write it; remove "
                    f"{base.name}-wal and {base.name}-shm when no process has the store open")
    return None


def connect(path: str | Path, *, read_only: bool, timeout: float,
            check_same_thread: bool = True, create: bool = True) -> sqlite3.Connection:
    """A connection to the file at ``path``: read-write (creating it unless ``create`` is
    False), or read-only.

    Read-only, the store is opened ``immutable`` when its WAL index cannot exist beside it
    (no ``-shm`` and a folder this user may not write: SQLite could not read it otherwise).
    """
    if not read_only:
        return sqlite3.connect(file_uri(path, mode="rwc" if create else "rw"), uri=True,
                               timeout=timeout,
                               check_same_thread=check_same_thread)
    base = Path(os.path.realpath(os.path.expanduser(str(path))))  # the WAL is beside the target
    params: dict[str, str | int] = {"mode": "ro"}
    if not Path(f"{base}-shm").exists() and not os.access(base.parent, os.W_OK):
        params["immutable"] = 1
    return sqlite3.connect(file_uri(path, **params), uri=True, timeout=timeout,
                           check_same_thread=check_same_thread)


def unread_log(path: str | Path) -> Path | None:
    """The store's write-ahead log when a read-only opening cannot read it (no ``-shm``
    beside it and a folder this user may not write, so the store is opened immutable and
    SQLite ignores the log); None when every committed change is read."""
    base = Path(os.path.realpath(os.path.expanduser(str(path))))  # the WAL is beside the target
    wal = Path(f"{base}-wal")
    try:
        pending = wal.stat().st_size > 0
    except OSError:
        return None
    if pending and not Path(f"{base}-shm").exists() and not os.access(base.parent, os.W_OK):
        return wal
    return None


def unread_log_note(path: str | Path) -> str | None:
    """One line for a read-only store whose write-ahead log cannot be read, else None."""
    wal = unread_log(path)
    if wal is None:
        return None
    return (f"note: --db {path}: its write-ahead log {wal} cannot be read from this "
            "read-only folder (no -shm index beside it); its latest changes are not shown")


def application_id(conn: sqlite3.Connection) -> int:
    """The file's ``PRAGMA application_id``."""
    return conn.execute("PRAGMA application_id").fetchone()[0]


def check_ours(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the file is a tracker store (True), or empty (False).

    Raises:
        ForeignFile: it is another program's SQLite database (nothing has been written).
    """
    app = application_id(conn)
    if app == APPLICATION_ID:
        return True
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app == 0 and not tables and version == 0:
        return False
    if app == 0 and _OUR_TABLES <= tables and version > 0:
        return True
    what = (f"application_id {app:#x}" if app else
            f"{len(tables)} table{'' if len(tables) == 1 else 's'} of its own")
    raise ForeignFile(f"--db {name}: this SQLite file is not a tracker store ({what}); "
                      "it was left untouched (give a new file or a tracker store)")


def has_sqlite_header(path: str | Path) -> bool:
    """Whether the file starts like a SQLite database (so an unreadable one is damaged)."""
    try:
        with open(os.path.expanduser(str(path)), "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def integrity_verdict(path: str | Path) -> str:
    """``PRAGMA integrity_check``'s first lines for the file, read without writing."""
    try:
        conn = connect(path, read_only=True, timeout=5)
        try:
            rows = conn.execute("PRAGMA integrity_check(3)").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    lines = [line.strip() for r in rows for line in str(r[0]).splitlines()]
    lines = [line for line in lines if line and not line.startswith("***")]
    return "; ".join(lines[:3]) or "no verdict"


def damaged_message(path: str | Path, error: BaseException) -> str:
    """One line for a store whose pages SQLite cannot read: the verdict and what to do."""
    verdict = integrity_verdict(path)
    if verdict == "ok":
        verdict = str(error)
    return (f"--db {path}: the store is damaged (integrity check: {verdict}); nothing was "
            f"written. Restore it from a backup, or salvage it with "
            f"`sqlite3 {path} .recover | sqlite3 recovered.db`")


def stored_digest(path: str) -> str | None:
    """The catalog digest a store was last synced with, read without writing anything."""
    if not os.path.isfile(path):  # nothing to read (a FIFO or device would block or fail)
        return None
    try:
        conn = connect(path, read_only=True, timeout=1)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'catalog_digest'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def file_stamp(path: str | Path) -> str:
    """What changes whenever a file's content does: device, inode, size, and the
    modification and status-change times in nanoseconds.

    The status-change time (ctime) is set by the kernel on every write and cannot be set
    back by tools that restore mtimes (``touch -r``, ``cp -p``), so an unchanged stamp means
    unchanged bytes, as git's index and rsync's quick check rely on. Take it *before*
    reading the file: a write after it changes the stamp.

    Raises:
        OSError: the file cannot be stat'ed.
    """
    st = os.stat(path)
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


SETTLE_NS = 2_000_000_000
"""How old a file's last change must be for its stamp to be trusted: above the coarsest
timestamp granularity in use (1 s on ext3 or small-inode ext4, 2 s on FAT)."""


def settled(stamp: str, now_ns: int | None = None) -> bool:
    """Whether a stamp taken now may be recorded: the file last changed more than
    :data:`SETTLE_NS` ago. A file changed within its filesystem's timestamp granularity
    could change again with the same times (git's "racily clean" entries); its stamp is
    not recorded, so the next reader hashes it."""
    import time

    *_, mtime, ctime = (int(p) for p in stamp.split(":"))
    now = time.time_ns() if now_ns is None else now_ns
    return now - max(mtime, ctime) > SETTLE_NS
