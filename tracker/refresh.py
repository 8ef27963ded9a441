"""Run the declared sources and write what they found, one transaction per source.

Hosts are fetched in parallel, the sources of one host in series with a pause between.
Each source has a wall-clock deadline and the run a total one: a source still going at
either is cancelled and fails, the others go on.
A failed, empty, blocked or malformed answer records a health failure and changes no
value; unchanged values are not written again; values that need an analyst (a ``manual``
source, or a contradiction of a curated value) become proposals in the review queue.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import fcntl
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlparse

import httpx

from tracker import fetchers
from tracker.catalog import Catalog
from tracker.catalog.model import SourceDef
from tracker.errors import EXIT_LOCKED, EXIT_STORE, TrackerError
from tracker.fetchers.http import Sleep
from tracker.store import Store
from tracker.text import count
from tracker.values import problem
from tracker.writes import apply, record_failure, source_state

HOST_DELAY = 1.0
"""Seconds between two requests to the same host."""
SOURCE_DEADLINE = 300.0
"""Seconds one source may take in all: requests, retries, redirects, the body, parsing."""
RUN_DEADLINE = 1200.0
"""Seconds a whole refresh may take; sources not done by then fail."""


class Locked(TrackerError):
    """Another refresh holds the lock."""

    def __init__(self, path: str) -> None:
        super().__init__(f"another refresh is running (lock {path}); try again later",
                         EXIT_LOCKED)


@contextmanager
def refresh_lock(db_path: str) -> Iterator[None]:
    """Hold the store's refresh lock; the OS releases it if the process dies.

    The lock file is opened without following a symbolic link and without truncating or
    writing anything, and must be a regular file with no other name: whatever the path
    points at, taking the lock cannot damage a file.

    Raises:
        Locked: another refresh holds it (exit 75).
        TrackerError: the lock path cannot be used as a lock (exit 1).
    """
    if db_path == ":memory:":
        yield
        return
    from tracker.store.files import lock_path

    path = lock_path(db_path)
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        why = "it is a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
        raise TrackerError(f"refresh lock {path}: cannot be opened ({why}); remove it or "
                           "fix its permissions", EXIT_STORE) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            what = "has other names (a hard link)" if stat.S_ISREG(st.st_mode) else \
                "is not a regular file"
            raise TrackerError(f"refresh lock {path}: {what}; remove it", EXIT_STORE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Locked(path) from None
        yield
    finally:
        os.close(fd)


@dataclass
class Outcome:
    """What one source did in one run."""

    source_id: str
    status: str
    """``ok``, ``unchanged`` or ``failed``."""
    changes: list[str] = field(default_factory=list)
    error: str | None = None
    skipped: list[str] = field(default_factory=list)
    """Why values the source gave were not written (the source still succeeded)."""


@dataclass
class Report:
    """One refresh run."""

    run_id: int | None
    outcomes: list[Outcome]

    @property
    def failed(self) -> list[Outcome]:
        """The sources that failed."""
        return [o for o in self.outcomes if o.status == "failed"]


def select(catalog: Catalog, only: list[str] | None) -> list[SourceDef]:
    """The sources to run: all, or those named (an unknown name is a usage error)."""
    sources = catalog.model.sources
    if not only:
        return list(sources)
    known = {s.id: s for s in sources}
    unknown = [s for s in only if s not in known]
    if unknown:
        raise TrackerError(f"--source: unknown source {unknown[0]!r} "
                           f"(declared: {', '.join(known) or 'none'})")
    return [known[s] for s in only]


async def refresh(store: Store, catalog: Catalog, client: httpx.AsyncClient, *,
                  only: list[str] | None = None, dry_run: bool = False,
                  sleep: Sleep = asyncio.sleep, host_delay: float = HOST_DELAY,
                  progress: Callable[[Outcome], None] | None = None,
                  deadline: float = SOURCE_DEADLINE,
                  run_deadline: float = RUN_DEADLINE) -> Report:
    """Refresh the declared sources into ``store`` (hold :func:`refresh_lock` around it).

    Args:
        deadline: seconds each source may take (a source's own ``deadline`` wins).
        run_deadline: seconds the whole run may take.
    """
    sources = select(catalog, only)
    loop = asyncio.get_running_loop()
    run_end = loop.time() + run_deadline
    run_id = None
    if not dry_run:
        with store.transaction() as db:
            # A refresh stopped before it ended (q in the dashboard, a kill) left its run
            # 'running'; only one refresh runs at a time (the caller holds the lock), so
            # any other still marked so is not.
            db.execute("UPDATE runs SET status = 'interrupted' WHERE kind = 'refresh' "
                       "AND status = 'running' AND finished_at IS NULL")
            run_id = store.start_run("refresh", catalog.digest)
    hosts: dict[str, list[SourceDef]] = {}
    for source in sources:
        hosts.setdefault(urlparse(source.url).netloc, []).append(source)

    async def one_host(queue: list[SourceDef]) -> list[Outcome]:
        done = []
        for i, source in enumerate(queue):
            if i:
                await sleep(host_delay)
            limit = Deadline(source.deadline or deadline, run_end, run_deadline)
            outcome = await run_source(store, source, client, run_id, dry_run=dry_run,
                                       sleep=sleep, deadline=limit)
            if progress:
                progress(outcome)
            done.append(outcome)
        return done

    outcomes = [o for group in await asyncio.gather(*(one_host(q) for q in hosts.values()))
                for o in group]
    order = {s.id: i for i, s in enumerate(sources)}
    outcomes.sort(key=lambda o: order[o.source_id])
    if run_id is not None:
        failed = sum(1 for o in outcomes if o.status == "failed")
        with store.transaction():
            store.finish_run(run_id, "failed" if failed else "ok",
                             f"{count(len(outcomes), 'source')}, {failed} failed")
    return Report(run_id, outcomes)


@dataclass(frozen=True)
class Deadline:
    """When one source must be done: its own allowance, or the run's end if sooner."""

    seconds: float
    run_end: float
    run_seconds: float

    def when(self, now: float) -> tuple[float, str]:
        """The loop time to stop at, and what to say if it is reached."""
        if now + self.seconds <= self.run_end:
            return now + self.seconds, f"no complete answer within its deadline of " \
                                       f"{self.seconds:g} s; abandoned"
        return self.run_end, f"the run's deadline of {self.run_seconds:g} s was reached; " \
                             "abandoned"


async def run_source(store: Store, source: SourceDef, client: httpx.AsyncClient,
                     run_id: int | None, *, dry_run: bool, sleep: Sleep,
                     deadline: Deadline | None = None) -> Outcome:
    """Fetch one source and write what it found; a failure is recorded, never raised."""
    validators, pins, seen = source_state(store, source.id)
    ctx = fetchers.Context(client=client, today=store.clock().date(), sleep=sleep,
                           validators=validators, pins=pins, seen=seen,
                           max_bytes=source.max_bytes,
                           redirect_hosts=tuple(source.redirect_hosts))
    loop = asyncio.get_running_loop()
    stop, late = deadline.when(loop.time()) if deadline else (None, "")
    if stop is not None and stop <= loop.time():
        return _failed(store, source, f"not tried: the run's deadline of "
                       f"{deadline.run_seconds:g} s was reached", dry_run)
    try:
        async with asyncio.timeout_at(stop):
            fetched = await fetchers.KINDS[source.kind](ctx, source)
            if stop is not None and loop.time() >= stop:
                raise TimeoutError  # overran while parsing, with no await to cancel
    except TimeoutError:
        return _failed(store, source, late, dry_run)
    except fetchers.NoData as exc:
        return _failed(store, source, f"no data: {exc}", dry_run)
    except (fetchers.FetchError, fetchers.ParseError) as exc:
        return _failed(store, source, str(exc), dry_run)
    except Exception as exc:  # noqa: BLE001 - one bad source must not stop the others
        return _failed(store, source, f"unexpected {type(exc).__name__}: {exc}", dry_run)
    offered = len(fetched.results)
    fetched = screen(fetched, store.clock().date())
    if offered and not fetched.results:
        return _failed(store, source, f"no usable value ({offered} refused): "
                       + "; ".join(fetched.skipped[:2]), dry_run)
    changes = apply(store, source, fetched, ctx.pins, run_id, dry_run=dry_run)
    return Outcome(source.id, "ok" if changes or not fetched.not_modified else "unchanged",
                   changes, skipped=fetched.skipped)


def screen(fetched: fetchers.Fetched, today: dt.date | None = None) -> fetchers.Fetched:
    """The fetcher's results without those :func:`tracker.values.problem` refuses; each
    refusal is added to ``skipped``. Every kind of source passes through here."""
    keep, skipped = [], list(fetched.skipped)
    for result in fetched.results:
        why = problem(result, today)
        if why:
            skipped.append(why)
        else:
            keep.append(result)
    return replace(fetched, results=keep, skipped=skipped)


def _failed(store: Store, source: SourceDef, error: str, dry_run: bool) -> Outcome:
    error = " ".join(error.split())[:300]
    if not dry_run:
        record_failure(store, source, error)
    return Outcome(source.id, "failed", error=error)
