"""The `events` command: the timeline, past and coming, for reading or for scripts."""

from __future__ import annotations

import sys

import click

from tracker import completion, render
from tracker.cli import FORMAT, Env, Failed, cli
from tracker import events as timeline
from tracker.dates import ALLOWED, parse_partial, start_of
from tracker.events import end_of
from tracker.text import count


def _date(option: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_partial(value.strip())
    except ValueError:
        raise Failed(f"{option}: {value!r} is not a date (allowed: {ALLOWED})") from None


@cli.command()
@click.option("--from", "start", metavar="DATE",
              help=f"Only events that end on or after this date ({ALLOWED}).")
@click.option("--until", metavar="DATE",
              help=f"Only events that start on or before this date ({ALLOWED}).")
@click.option("--kind", metavar="KIND", shell_complete=completion.event_kinds,
              help="Only events of this kind (summit, signature, deadline, ...).")
@FORMAT
@click.pass_context
def events(ctx: click.Context, start: str | None, until: str | None, kind: str | None,
           fmt: str) -> None:
    """List events, past and coming, by date, with how far each is from today.

    Today is the clock's date (TRACKER_NOW fixes it). A partial date ("2027", "2026-07")
    covers its whole year or month; an event counts as coming until its last day.

    \b
    Example:
      tracker events --from 2026-12              # what is coming
      tracker events --kind summit --format csv > summits.csv
    """
    start, until = _date("--from", start), _date("--until", until)
    if start and until and start_of(start) > end_of(until):
        raise Failed(f"--from {start} is after --until {until} (nothing could match)")
    store = ctx.find_object(Env).store()

    if kind is not None:
        known = timeline.kinds(store.db)
        if kind not in known:
            raise Failed(f"--kind: unknown kind {kind!r} (allowed: {', '.join(known)})")
    rows = timeline.listing(store.db, store.clock().date(), start, until, kind)
    if fmt == "json":
        render.as_json(sys.stdout, rows)
        return
    if fmt == "csv":
        render.as_csv(sys.stdout, timeline.COLUMNS,
                      [[";".join(v) if isinstance(v, list) else v for v in r.values()]
                       for r in rows])
        return
    from tracker.reports import _sources

    src = _sources(store.db, sys.stdout)
    span = f" from {start}" if start else ""
    span += f" until {until}" if until else ""
    render.table(sys.stdout, f"{count(len(rows), 'event')}{span}"
                 f" (today {store.clock().date().isoformat()})",
                 ["Date", "When", "Kind", "Title", "Indicators", "Source"],
                 [[r["date"] + (f" to {r['end_date']}" if r["end_date"] else ""), r["when"],
                   r["kind"] or "", r["title"], ", ".join(r["indicators"]), src(r["source"])]
                  for r in rows], keep=(), wrap=(3, 4, 5))
