"""Writing export files: all or nothing, never over the store, modes like a shell redirect.

Every file is written whole to a temporary file beside its target and renamed into place
only when all of them were written; a folder of CSV tables is built as a hidden folder and
renamed in one step. New files get ``0666 & ~umask``; a replaced file keeps its mode. A
dated name that exists already gets a suffix (``-2``, ``-3``, ...), so a later snapshot of
the same day never replaces an earlier one.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from tracker.errors import EXIT_STORE, EXIT_USAGE, TrackerError
from tracker.store.files import owned_paths

__all__ = ["Taken", "dated_name", "guard_outputs", "publish", "publish_folder"]


class Taken(Exception):
    """The dated name chosen was taken meanwhile (another export of the same day)."""


def guard_outputs(paths: list[Path], store_path: str, option: str,
                  catalog: str | None = None) -> None:
    """Refuse any output that is the store, its WAL or index, or its lock, or the catalog
    in use (``catalog``): an export over it would lose the curated data.

    The comparison sees through ``..``, symbolic links and hard links (same device and
    inode), so no spelling of the store's name can get it overwritten.

    Raises:
        TrackerError: exit 2, before anything is written.
    """
    if store_path != ":memory:":
        _refuse(paths, owned_paths(store_path),
                f"that is the store or one of its files (--db {store_path})", option)
    if catalog:
        _refuse(paths, [Path(os.path.abspath(os.path.expanduser(catalog)))],
                f"that is the catalog in use (--catalog {catalog})", option)


def _refuse(paths: list[Path], owned: list[Path], what: str, option: str) -> None:
    """Raise if any of ``paths`` names one of ``owned``, under any spelling or link."""
    names = {os.path.realpath(p) for p in owned} | {str(p) for p in owned}
    inodes = set()
    for p in owned:
        try:
            st = os.stat(p)
        except OSError:
            continue
        inodes.add((st.st_dev, st.st_ino))
    for path in paths:
        absolute = os.path.abspath(path)
        hit = absolute in names or os.path.realpath(absolute) in names
        if not hit:
            try:
                st = os.stat(absolute)
                hit = (st.st_dev, st.st_ino) in inodes
            except OSError:
                pass
        if hit:
            raise TrackerError(f"{option} {path}: {what}; nothing was written", EXIT_USAGE)


def make_folder(folder: Path, option: str) -> list[Path]:
    """Create ``folder`` and its missing parents; the ones created, deepest first (so a
    failed export can remove them and leave nothing behind)."""
    missing = [p for p in [folder, *folder.parents] if not os.path.lexists(p)]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        remove_folders(missing)
        raise TrackerError(f"{option} {folder}: cannot create the folder "
                           f"({exc.strerror or exc}); nothing was written", EXIT_STORE) from None
    return missing


def remove_folders(created: list[Path]) -> None:
    """Remove folders an export created, deepest first, as long as they are empty."""
    for folder in created:
        try:
            folder.rmdir()
        except OSError:
            return


def dated_name(folder: Path, day: str, ext: str) -> Path:
    """``folder/DAY.ext``, or ``DAY-2.ext``, ``DAY-3.ext``... when that name is taken."""
    suffix = f".{ext}" if ext else ""
    candidate = folder / f"{day}{suffix}"
    n = 2
    while os.path.lexists(candidate):
        candidate = folder / f"{day}-{n}{suffix}"
        n += 1
    return candidate


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(target: Path, default: int) -> int:
    """The mode a written file gets: the replaced file's, else ``default & ~umask``."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return default & ~_umask()


def _failed(option: str, what: Path, exc: OSError) -> TrackerError:
    return TrackerError(f"{option}: could not write {what}: {exc.strerror or exc}; nothing "
                        "was written", EXIT_STORE)


def _stage(target: Path, text: str) -> str:
    """Write ``text`` to a temporary file beside ``target``, with the mode it should have."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(target, 0o666))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def publish(files: dict[Path, str], option: str,
            commit: Callable[[Callable[[], None]], None] | None = None,
            keep: Path | None = None) -> list[Path]:
    """Write every file whole, then rename them into place, or write none of them.

    An output that is not a regular file (a FIFO, a terminal, ``/dev/null``) is opened
    before anything is placed and written into after, like a shell redirect.

    Args:
        files: target path -> text, in the order they are renamed into place.
        commit: runs the renames inside the caller's transaction (so recording the
            snapshot and placing its files succeed or fail together).
        keep: a target that must not replace a file (a dated name): placed only if no
            file has that name by then.

    Raises:
        TrackerError: a file could not be written (full disk, unwritable folder): exit 1.
        Taken: ``keep`` exists by the time it is placed; nothing was placed.
    """
    staged: list[tuple[str, Path]] = []
    streams: list[tuple[int, str, Path]] = []
    try:
        for target, text in files.items():
            if _is_stream(target):
                streams.append((_open_stream(target, option), text, target))
                continue
            if target.is_symlink():  # like a shell redirect: write the file it points at
                target = Path(os.path.realpath(target))
            try:
                staged.append((_stage(target, text), target))
            except OSError as exc:
                raise _failed(option, target, exc) from None
        (commit or (lambda place: place()))(lambda: _place(staged, option, keep))
        for fd, text, target in streams:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n", closefd=False) as out:
                try:
                    out.write(text)
                    out.flush()
                except OSError as exc:
                    raise _failed(option, target, exc) from None
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        for fd, _, _ in streams:
            os.close(fd)
    return list(files)


def _open_stream(target: Path, option: str) -> int:
    """Open a FIFO, terminal or device for writing without waiting for a reader: a FIFO
    that nobody reads fails at once instead of hanging the export."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            exc.strerror = "a FIFO that nobody reads"
        raise _failed(option, target, exc) from None
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    return fd


def _is_stream(target: Path) -> bool:
    """Whether ``target`` exists and is not a regular file or a folder (a FIFO, a terminal,
    ``/dev/stdout``, ``/dev/null``): written into like a shell redirect, never replaced."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _place(staged: list[tuple[str, Path]], option: str, keep: Path | None = None) -> None:
    """Rename staged files into place; a new file placed before a failure is removed."""
    placed: list[Path] = []
    try:
        for tmp, target in staged:
            new = not os.path.lexists(target)
            if target == keep:
                _place_new(tmp, target)
                placed.append(target)
                continue
            os.replace(tmp, target)
            if new:
                placed.append(target)
    except (OSError, Taken) as exc:
        for target in placed:
            target.unlink(missing_ok=True)
        if isinstance(exc, Taken):
            raise
        raise _failed(option, Path(exc.filename or staged[0][1]), exc) from None


def _place_new(tmp: str, target: Path) -> None:
    """Give ``tmp`` the name ``target`` only if no file has it (a hard link cannot replace)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise Taken(target) from None
    except OSError:  # a file system without hard links: check, then rename
        if os.path.lexists(target):
            raise Taken(target) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def publish_folder(folder: Path, tables: dict[str, str], option: str,
                   commit: Callable[[Callable[[], None]], None] | None = None) -> list[Path]:
    """Write ``folder/<name>.csv`` for every table as one step: a new folder, or none."""
    try:
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.",
                                    suffix=".tmp"))
    except OSError as exc:
        raise _failed(option, folder, exc) from None
    try:
        try:
            os.chmod(tmp, 0o777 & ~_umask())
            for name, text in tables.items():
                os.replace(_stage(tmp / f"{name}.csv", text), tmp / f"{name}.csv")
        except OSError as exc:
            raise _failed(option, folder, exc) from None

        def place() -> None:
            if os.path.lexists(folder):
                raise Taken(folder)
            try:
                os.rename(tmp, folder)  # fails if a folder with files appeared meanwhile
            except OSError as exc:
                if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                    raise Taken(folder) from None
                raise _failed(option, folder, exc) from None

        (commit or (lambda step: step()))(place)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [folder / f"{name}.csv" for name in tables]
