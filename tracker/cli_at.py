"""`--at DATE` on the listing commands: the option, and the store as it stood then."""

from __future__ import annotations

import sys

import click

AT = click.option("--at", metavar="DATE",
                  help="The state at the end of DATE (YYYY, YYYY-MM or YYYY-MM-DD, not after "
                       "today): only what was dated and recorded by then (the catalog's "
                       "first load counts from its dates; later withdrawals and "
                       "retirements are undone).")


def store_for(ctx: click.Context, at: str | None = None):
    """The store, or with ``--at DATE`` a read-only view of it as it stood then
    (:mod:`tracker.at`). The date is checked before the store is opened."""
    from tracker.cli import Env

    env = ctx.find_object(Env)
    if at is None:
        return env.store()
    from tracker.at import parse_at, store_at
    from tracker.dates import utcnow

    date = parse_at(at, utcnow().date())
    view = store_at(env.store(), date)
    ctx.call_on_close(view.close)
    return view


def at_note(at: str | None, fmt: str) -> None:
    """Say which date a table shows (tables only: JSON and CSV stay as they are)."""
    if at is not None and fmt == "table":
        from tracker import render

        render.paragraph(sys.stdout, f"As at {at.strip()}: what was dated and recorded by "
                                     "the end of that day.")


def window_store(ctx: click.Context, since: str, until: str | None, at: str | None):
    """The store a window of `tracker trends` reads, and the window's end (None: today).

    ``--at D``: the store as it stood at the end of D, and the window ends there.
    ``--until B``: what was true by B, by everything known now (or known at ``--at``);
    B may not be after ``--at``, and ``--since`` may not start after B.
    """
    from tracker.at import parse_at, store_at
    from tracker.dates import period_end, start_of, utcnow
    from tracker.errors import TrackerError
    from tracker.trends import window_start

    today = utcnow().date()
    at_date = parse_at(at, today) if at is not None else None
    end = parse_at(until, today, "--until") if until is not None else None
    if end is not None and at_date is not None and start_of(end) > period_end(at_date):
        raise TrackerError(f"--until: {until!r} is after --at {at!r} (allowed: a date up to "
                           "the one --at reads the store at)")
    if end is not None:
        start = window_start(since, period_end(end))
        if start is not None and start > period_end(end).isoformat():
            raise TrackerError(f"--since: {since!r} starts after --until {end!r} "
                               "(allowed: a window that starts on or before its end)")
    store = store_for(ctx, at_date)
    if end is not None:
        store = store_at(store, end, known=False)
        ctx.call_on_close(store.close)
    return store, end or at_date


def check_at_output(at: str | None, output: str | None, fmt: str,
                    category: str | None) -> None:
    """`export --at` writes to standard output or one file: a folder would record a
    snapshot and replace ``latest.*`` with a past state."""
    import os

    from tracker.errors import TrackerError

    if at is None or output is None:
        return
    if output.endswith(os.sep) or os.path.isdir(output):
        raise TrackerError(f"-o {output}: with --at, give a file or standard output (a "
                           "folder records the snapshot and replaces latest.*, which hold "
                           "today's state); nothing was written")
    if fmt == "csv" and category is None:
        raise TrackerError("--format csv with --at: CSV snapshots are written one file per "
                           "table to a folder; use standard output (the observations as they "
                           "stood) or --format md|json")
