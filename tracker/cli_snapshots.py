"""The `trends` and `export` commands: what changed, and snapshots for briefings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from tracker import completion as complete, render
from tracker.cli import Env, Failed, cli
from tracker.text import count

TREND_STYLES = {"better": "green", "worse": "red", "neutral": "yellow", "changed": "cyan"}


def _trend(direction: str, flip: bool = False, styled: bool = True):
    """A direction's label, as a coloured Rich ``Text`` for a terminal, else plain text."""
    from tracker.trends import ARROWS

    label = f"{ARROWS[direction]} {direction}" + (" (flip)" if flip else "")
    if not styled:
        return label
    from rich.text import Text

    return Text(label, style=TREND_STYLES.get(direction, ""))


@cli.command()
@click.option("--since", "-s", metavar="WINDOW",
              help="A date (YYYY, YYYY-MM, YYYY-MM-DD), 7d, 30d, 90d, 1y, 3y, ... or all "
                   "(default: TRACKER_WINDOW, the config file's window, else 1y).")
@click.option("--until", "-u", metavar="DATE",
              help="End the window at DATE (YYYY, YYYY-MM or YYYY-MM-DD) instead of today: "
                   "what was true by then, by everything known now; figures at both ends.")
@click.option("--at", metavar="DATE",
              help="Read the store as it stood at the end of DATE (only what was dated and "
                   "recorded by then); the window ends there.")
@click.option("--due", is_flag=True, help="Also list the values due for review.")
@click.option("--explain", metavar="FIGURE", help="List what one headline figure counts, "
              "each item with its source (e.g. us-and-china, parties).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="Tables, or JSON or CSV (the changes) for scripts.")
@click.pass_context
def trends(ctx: click.Context, since: str | None, until: str | None, at: str | None,
           due: bool, explain: str | None, fmt: str) -> None:
    """Show what changed in a window, newest first, with its direction.

    Directions come from each field's scale (better, worse, neutral; free text only
    "changed"); a flip is a field that moved both ways in the window. Membership changes
    (a party signed, ratified, endorsed, joined: better; withdrew or declined: worse) are
    listed with the rest. Headline figures are compared with their value at the window's
    start.

    \b
    Example:
      tracker trends --since 3y
      tracker trends --since 2025-06 --format json
      tracker trends --explain us-and-china
      tracker trends --since 2025-01 --until 2025-12   # one year, figures at both ends
      tracker trends --since 90d --at 2026-06           # as the store stood then
    """
    from tracker.cli_at import window_store

    env = ctx.find_object(Env)
    settings = env.settings
    if since is None:
        since = (settings.get("window") if settings else None) or "1y"
    store, end = window_store(ctx, since, until, at)
    if explain is not None:
        print_explain(store, sys.stdout, since, explain, fmt)
        return
    print_trends(store, sys.stdout, since, fmt, due, watch=settings.watch if settings else (),
                 end=end, end_in_json=until is not None)


def print_explain(store, out, since: str, figure_id: str, fmt: str = "table") -> None:
    """What `tracker trends --explain FIGURE` prints: the figure and every item behind it."""
    from tracker import headline
    from tracker import trends as engine

    start = engine.window_start(since, store.clock().date())
    figures = {f.id: f for f in headline.figures(store.db, start)}
    figure = figures.get(figure_id)
    if figure is None:
        raise Failed(f"--explain: unknown figure {figure_id!r} (allowed: "
                     f"{', '.join(figures)})")
    if fmt == "json":
        render.as_json(out, figure.as_dict())
        return
    render.paragraph(out, f"{figure.label}: {figure.text}" + ("" if figure.kind == headline.FLOOR
                                                          else " (a count)"))
    render.paragraph(out, figure.note)
    out.write("\n")
    from tracker.reports import _sources

    src = _sources(store.db, out)
    rows = headline.explain(figure)
    render.table(out, f"What it counts ({sum(i.counted for i in figure.items)} counted, "
                 f"{sum(i.unknown for i in figure.items)} unknown, "
                 f"{sum(not i.counted and not i.unknown for i in figure.items)} not counted)",
                 ["ID", "Name", "Counts", "Why", "Conf.", "Source"],
                 [[*row[:5], src(row[5])] for row in rows], wrap=(1, 3, 5))


def print_trends(store, out, since: str, fmt: str = "table", due: bool = False,
                 watch=(), end: str | None = None, end_in_json: bool = False) -> None:
    """What `tracker trends` prints: headline figures, changes, flips, values due.

    ``end``: the window's last date when it is not today (``--until``, ``--at``); JSON
    names it only for ``--until`` (``--at`` prints what was printed that day)."""
    from tracker import headline, streamed
    from tracker import trends as engine
    from tracker.change_spool import Spool
    from tracker.ledger_changes import window_changes, window_steps
    from tracker.reports import _sources
    from tracker.text import shorten

    today = store.clock().date()
    start = engine.window_start(since, today)
    if start and start > today.isoformat():  # nothing can have changed since a day to come
        from tracker.errors import TrackerError

        raise TrackerError(f"--since: {since!r} is after today, {today.isoformat()} "
                           "(allowed: a date up to today, Nd, Nw, Nm or Ny (e.g. 30d, 1y), "
                           "or all)")
    db = store.reader  # reads only: the stdlib reader, without importing sqlite-utils
    figures = headline.figures(db, start)
    stale = engine.review_due(db, today)
    if fmt == "json":  # the changes are spooled, then written one at a time
        with Spool(1).fill(window_steps(db, start),
                           lambda c: (render.compact_json(c.as_dict()),)) as spool:
            render.as_json(out, {
                "window_start": start, **({"window_end": end} if end_in_json else {}),
                "headline": [f.as_dict() for f in figures],
                "changes": render.Encoded(row[0] for row in spool.rows()),
                "review_due": [d.__dict__ for d in stale]})
        return
    if fmt == "csv":
        line = streamed.csv_line()
        with Spool(1).fill(window_steps(db, start), lambda c: (line(c),)) as spool:
            rows = spool.rows()  # sorted before the header is written
            out.write(line(engine.Change._fields))
            out.writelines(row[0] for row in rows)
        return
    terminal = render.is_terminal(out)  # else plain strings: Rich is not even imported
    columns = ["As of", "Indicator", "Field", "From", "To", "Trend", "Why", "Source"]
    if not terminal:  # spooled and sorted first: a disk that fails, fails before any output
        marks = {(d, f): _trend(d, f, styled=False) for d in engine.ARROWS for f in (False, True)}
        rank = None
        if watch:  # the watched indicators' changes first, in the list's order
            ranks = {ident: i for i, ident in enumerate(watch)}
            rank = lambda ident: ranks.get(ident, len(ranks))  # noqa: E731
        spool = Spool(len(columns), rank, streamed.measured_row)
        spool.widths[:] = streamed.measured_row(columns)[1]
        try:
            rows = spool.fill(window_steps(db, start), lambda c: (
                c.as_of, c.name, c.label, c.old, c.new, marks[c.direction, c.flip],
                shorten(c.note) if c.note else "", c.source or "")).rows()
        except BaseException:
            spool.close()
            raise
    render.table(out, f"Headline figures ({f'on {end}' if end else 'now'}, and on "
                      f"{start or 'the first record'})",
                 ["Figure", end or "Now", "Then", "Trend"],
                 [[f.label, f.text, "" if f.before is None else str(f.before),
                   _trend(f.direction, styled=terminal)] for f in figures], keep=(), wrap=(0, 1))
    if any(f.kind == "floor" or f.low_confidence for f in figures):
        render.paragraph(out, "A floor counts only what the ledgers hold (incomplete or missing "
                    "ledgers could add more); `tracker trends --explain ID` lists what a "
                    "figure counts: " + ", ".join(f.id for f in figures) + ".")
    title = f"since {start or 'the first record'}{f' up to {end}' if end else ''}"
    caption = ("Why: the note recorded with the new value, cut at 80 columns; "
               "`tracker history ID` and --format json give it whole.")
    if terminal:
        changes = window_changes(db, start)
        if watch:  # a person's tables: the watched indicators' changes first, newest first
            from tracker.cli_config import watch_first

            changes = watch_first(changes, lambda c: c.indicator_id, list(watch))
        flips = sorted({(c.indicator_id, c.field) for c in changes if c.flip})
        found = len(changes)
        if changes:
            src = _sources(db, out)
            render.table(out, f"{count(len(changes), 'change')} {title}", columns,
                         [[c.as_of, c.name, c.label, c.old, c.new, _trend(c.direction, c.flip),
                           shorten(c.note) if c.note else "", src(c.source)] for c in changes],
                         wrap=(1, 3, 4, 6, 7), caption=caption)
    else:  # piped: the rows were spooled before anything was written
        with spool:
            if spool.count:
                streamed.streamed_table(out, f"{count(spool.count, 'change')} {title}",
                                        columns, rows, spool.widths, caption)
        flips, found = sorted(spool.flips), spool.count
    if not found:
        render.paragraph(out, f"No changes dated {title}.")
        out.write("\n")
    if flips:
        render.paragraph(out, "Flips (moved both ways in the window): "
                    + ", ".join(f"{i}.{f}" for i, f in flips))
    if due:
        render.table(out, f"{count(len(stale), 'value')} due for review",
                     ["Indicator", "Field", "Value", "As of", "Freshness"],
                     [[d.name, d.label, d.value, d.as_of, d.freshness] for d in stale],
                     wrap=(0, 2))
    else:
        render.paragraph(out, f"{count(len(stale), 'value')} {'is' if len(stale) == 1 else 'are'} "
                    "due for review (older than their field's "
                    "freshness); add --due to list them.")


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "csv"]), default="md",
              show_default=True)
@click.option("--since", "-s", metavar="WINDOW",
              help="List the changes in this window instead of those since the last "
                   "snapshot (a date, 30d, 1y, ..., all).")
@click.option("-o", "--output", metavar="FILE|DIR",
              help="A file, or a folder (existing, or ending in /) that gets a dated file "
                   "and latest.md, latest.json or a dated folder of CSV files (by --format) "
                   "and records the snapshot. Default: the configured export folder "
                   "(`tracker config`), else standard output; `-o -`: standard output.")
@click.option("--category", "-c", metavar="ID", shell_complete=complete.categories,
              help="Only this category's table, wide as on screen: a row per indicator, a "
                   "column per field, current values (a folder gets ID.md, .json or .csv).")
@click.option("--at", metavar="DATE",
              help="The snapshot of the store as it stood at the end of DATE: byte for byte "
                   "the export made that day (to standard output or -o FILE; never recorded).")
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, since: str | None, output: str | None,
               category: str | None, at: str | None) -> None:
    """Write a snapshot: what changed, headline figures, every table, sources.

    The same store and options give byte-identical output. Exporting to a folder records
    the snapshot, so the next export says what changed since.

    \b
    Example:
      tracker export -o briefings/
      tracker export --format json --since 90d -o state.json
      tracker export --category mechanisms --format csv -o mechanisms.csv
      tracker export --at 2026-06-10 -o june-briefing.md   # as exported that day
    """
    from tracker import export
    from tracker.cli_at import check_at_output, store_for

    env = ctx.find_object(Env)
    if output is None and at is None and env.settings and env.settings.get("export_dir"):
        output = os.path.join(env.settings.get("export_dir"), "")  # a folder
    output = None if output == "-" else output
    check_at_output(at, output, fmt, category)
    store = store_for(ctx, at)
    if category is not None:
        from tracker.cli_export_table import export_category

        export_category(store, category, fmt, output)
        return
    snapshot = export.build(store, fmt, since)
    if output is None:
        if fmt == "csv":
            from tracker.export.records import observations_csv

            sys.stdout.write(observations_csv(store.db))
        else:
            sys.stdout.write(snapshot.text or "")
        return
    written = export.write(store, snapshot, output)
    for path in written:
        click.echo(f"wrote {path}", err=True)
    if store.read_only and (output.endswith("/") or Path(output).is_dir()):
        click.echo("note: the store is read-only, so this snapshot is not recorded; the "
                   "next export's \"what changed\" starts from the last recorded one", err=True)
    click.echo(f"snapshot {snapshot.id} (data as of {snapshot.as_of})", err=True)


__all__ = ["Failed", "export_cmd", "trends"]
