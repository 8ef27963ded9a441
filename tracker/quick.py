"""`tracker list`, `show` and `history` without click, when nothing needs more.

The short read commands are what scripts call most, and importing click, sqlite-utils and
Rich takes several times longer than their work. When the command line is one of these in
its plain forms (see :func:`parse`), output is not a terminal, and the store is already up
to date with the catalog, :func:`run` prints the answer through the same code the click
command calls (:mod:`tracker.listing`) on a plain ``sqlite3`` connection.

Anything else (help, ``--at``, an option it does not know, an unknown id, a store to create,
upgrade or sync, a read-only store, a terminal) returns None having written nothing, and the
click command line runs as usual: every error, note and exit code stays in one place.
"""

from __future__ import annotations

import io
import os

GLOBAL = {"--db": "store", "--catalog": "catalog", "--config": "config"}
"""The group's options with a value that this path understands."""
COMMANDS = {
    # command: (positional arguments: least, most), {option: allowed values or None}
    "list": ((0, 0), {"--category": None, "-c": None, "--format": ("table", "json", "csv")},
             ("--categories",)),
    "show": ((1, 1), {"--format": ("table", "json")}, ()),
    "history": ((1, 2), {"--format": ("table", "json", "csv")}, ()),
}


class Call:
    """A command line this path can run: the command, the group's options by setting
    (``store``, ``catalog``, ``config``), positional arguments, options and flags."""

    def __init__(self, command: str, globals: dict[str, str]) -> None:
        self.command, self.globals = command, globals
        self.args: list[str] = []
        self.options: dict[str, str] = {}
        self.flags: set[str] = set()

    def __repr__(self) -> str:
        return f"Call({self.command!r}, {self.globals!r}, {self.args!r}, {self.options!r}, " \
               f"{sorted(self.flags)!r})"


def parse(argv: list[str]) -> Call | None:
    """The call ``argv`` makes, if it is one this path runs; None for anything else.

    Accepted: ``[--db P] [--catalog P] [--config P] list|show|history ...`` with each option
    at most once, as ``--opt VALUE`` or ``--opt=VALUE``, and the command's own options
    (``--format``; for ``list``: ``--category``/``-c``, ``--categories``).
    """
    tokens = list(argv)
    given: dict[str, str] = {}
    while tokens and tokens[0].startswith("-"):
        taken = _option(tokens, GLOBAL, given)
        if taken is None:
            return None
    if not tokens or tokens[0] not in COMMANDS:
        return None
    call = Call(tokens.pop(0), {GLOBAL[k]: v for k, v in given.items()})
    (least, most), options, flags = COMMANDS[call.command]
    while tokens:
        if tokens[0] in flags and tokens[0] not in call.flags:
            call.flags.add(tokens.pop(0))
        elif tokens[0].startswith("-"):
            if _option(tokens, options, call.options) is None:
                return None
        else:
            call.args.append(tokens.pop(0))
    if not least <= len(call.args) <= most:
        return None
    if "--category" in call.options and "-c" in call.options:
        return None
    for name, allowed in options.items():
        if allowed and name in call.options and call.options[name] not in allowed:
            return None
    if any(not v.strip() for v in given.values()):
        return None  # `--db ""`: the click command line says what is wrong
    if any(os.environ.get(var) is not None and not os.environ[var].strip()
           for var in ("TRACKER_DB", "TRACKER_CATALOG", "TRACKER_CONFIG")):
        return None  # the same for `TRACKER_DB=" "`
    return call


def _option(tokens: list[str], known: dict, given: dict[str, str]) -> str | None:
    """Take one ``--opt VALUE`` or ``--opt=VALUE`` off ``tokens`` into ``given``."""
    name, equals, value = tokens[0].partition("=")
    if name not in known or name in given or (equals and not name.startswith("--")):
        return None  # click reads `-c=x` as the value "=x"
    if equals:
        tokens.pop(0)
    elif len(tokens) >= 2 and not tokens[1].startswith("-"):
        value = tokens[1]
        del tokens[:2]
    else:
        return None
    given[name] = value
    return value


def run(argv: list[str], stdout) -> str | None:
    """The text the command prints, or None when the click command line must run it.

    Nothing is written anywhere before the answer is complete, so a None costs nothing
    but the time taken. KeyboardInterrupt is not caught.

    Raises:
        TrackerError: the store stayed locked by another process for the whole busy
            timeout (the line click would print; click would only wait as long again).
    """
    call = parse(argv)
    if call is None:
        return None
    from tracker import render

    if render.is_terminal(stdout):
        return None  # Rich tables, links and colour: the full command line draws them
    import sqlite3

    from tracker.errors import TrackerError

    try:
        return _answer(call)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            # waited the busy timeout already: say so as click would, not wait again there
            from tracker.store import store_error

            raise store_error(_store_path(call), exc) from None
        return None
    except (TrackerError, sqlite3.Error, OSError, ValueError, UnicodeError, RecursionError):
        return None


def _store_path(call: Call) -> str:
    from tracker.config import current

    settings = current()
    if settings and settings.get("store"):
        return str(settings.get("store"))
    from tracker.store import default_db_path

    return str(default_db_path())


def _answer(call: Call) -> str | None:
    from tracker import config
    from tracker.dates import utcnow
    from tracker.store import BUSY_TIMEOUT_MS, LATEST, Store, default_db_path, files

    typed = {k: v for k, v in call.globals.items() if k in ("store", "catalog")}
    settings = config.resolve(typed, call.globals.get("config"))
    utcnow()  # a bad TRACKER_NOW is the click command line's one line
    path = str(settings.get("store") or default_db_path())
    catalog = str(settings.get("catalog") or _shipped())
    if not os.path.isfile(os.path.expanduser(path)) or not os.path.isfile(catalog) \
            or not os.access(catalog, os.R_OK) or not files.writable(path):
        return None  # to create, a catalog that cannot be read, a read-only store: click says
    from tracker.paths import CATALOG_MAX_BYTES

    if os.path.getsize(catalog) > CATALOG_MAX_BYTES:
        return None
    import time

    read_at = time.time_ns()  # the file's age is taken as it is read, not after the hash
    stamp = files.file_stamp(catalog)
    conn = files.connect(path, read_only=False, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        ready = (files.application_id(conn) == files.APPLICATION_ID
                 and conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
                 and _synced(conn, catalog, stamp, read_at))
        if not ready:
            return None  # to create, upgrade or sync: the click command line does it
        store = Store(conn, path)
        store.catalog_path = catalog
        out = io.StringIO()
        _print(call, store.reader, out, settings.watch)
        return out.getvalue()
    finally:
        conn.close()


def _print(call: Call, db, out: io.StringIO, watch: list[str]) -> None:
    from tracker import listing

    fmt = call.options.get("--format", "table")
    if call.command == "list":
        listing.list_command(db, out, fmt, call.options.get("--category", call.options.get("-c")),
                             "--categories" in call.flags,
                             watch=watch if fmt == "table" else ())
    elif call.command == "show":
        listing.show_command(db, out, call.args[0], fmt)
    else:
        listing.history_command(db, out, call.args[0], (call.args[1:] or [None])[0], fmt)


def _synced(conn, catalog: str, stamp: str, read_at: int) -> bool:
    """Whether the store holds the catalog's content: the file's stamp is the one recorded
    at the last sync (unchanged since), or else its bytes hash to the recorded digest."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN "
                             "('catalog_digest', 'catalog_stamp')").fetchall())
    if not meta.get("catalog_digest"):
        return False
    if meta.get("catalog_stamp") == stamp:
        return True
    from tracker.paths import catalog_digest

    if catalog_digest(catalog) != meta["catalog_digest"]:
        return False
    _note_stamp(conn, stamp, read_at)
    return True


def _note_stamp(conn, stamp: str, read_at: int) -> None:
    """Record the stamp of a catalog just hashed and found unchanged, so later runs skip
    the hash (a sync right after an edit records none; a touched file gets a new one).

    As git refreshes its index's stat data on `git status`: only for a file that has
    settled (:func:`tracker.store.files.settled`), and only if the store's write lock is
    free at once: a refresh writing meanwhile costs this run nothing."""
    import sqlite3

    from tracker.store import BUSY_TIMEOUT_MS, files

    if not files.settled(stamp, read_at):
        return
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        with conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('catalog_stamp', ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [stamp])
    except sqlite3.Error:
        pass
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _shipped() -> str:
    from tracker.paths import shipped_catalog_path

    return str(shipped_catalog_path())
