"""The `refresh`, `review` and `sources` commands: keeping the store current."""

from __future__ import annotations

import os
import sys

import click

from tracker import completion as complete, render
from tracker.cli import FORMAT, Env, Failed, cli
from tracker.errors import EXIT_SOURCES_FAILED
from tracker.text import count


class Seconds(click.FloatRange):
    """A number of seconds: finite and above 0 (`nan` and `inf` are not deadlines)."""

    name = "number"

    def __init__(self) -> None:
        super().__init__(min=0, min_open=True)

    def convert(self, value, param, ctx):
        import math

        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a number of seconds (allowed: a finite number "
                      "above 0, e.g. 60)", param, ctx)
        return seconds


@cli.command()
@click.option("--source", "-s", "only", multiple=True, metavar="ID",
              shell_complete=complete.sources,
              help="Only this source (repeatable).")
@click.option("--dry-run", is_flag=True, help="Fetch and show what would change; write nothing.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the changes and the failures.")
@click.option("--export", "export_dir", metavar="DIR",
              help="Then write a Markdown snapshot to DIR (as `tracker export -o DIR/`).")
@click.option("--deadline", type=Seconds(), default=300.0,
              envvar="TRACKER_SOURCE_DEADLINE", show_default=True, metavar="SECONDS",
              help="Seconds each source may take in all (a source's own `deadline` wins).")
@click.option("--run-deadline", type=Seconds(), default=1200.0,
              envvar="TRACKER_RUN_DEADLINE", show_default=True, metavar="SECONDS",
              help="Seconds the whole refresh may take; sources not done by then fail.")
@click.pass_context
def refresh(ctx: click.Context, only: tuple[str, ...], dry_run: bool, quiet: bool,
            export_dir: str | None, deadline: float, run_deadline: float) -> None:
    """Fetch the declared sources and record what changed.

    Prints only the changes when --quiet or not on a terminal, so cron mails nothing but
    news. Exit codes: 0 ok, 1 some sources failed (the rest were refreshed), 2 bad
    invocation or catalog, 75 another refresh holds the lock.

    \b
    Example:
      tracker refresh --source federal-register-ai --dry-run
      17 6 * * * tracker refresh --quiet --export ~/briefings/
    """
    import asyncio

    from tracker.fetchers import make_client
    from tracker.refresh import refresh as run, refresh_lock, select

    env = ctx.find_object(Env)
    catalog = env.catalog()
    select(catalog, list(only))
    store = env.store()
    if store.read_only:
        from tracker.store import ReadOnlyStore

        raise ReadOnlyStore(store.path, "a refresh writes what it finds")
    if export_dir:
        from pathlib import Path

        from tracker.export.files import guard_outputs

        folder = Path(os.path.expanduser(export_dir))
        # before anything runs: the folder, and the latest.md the export will replace
        guard_outputs([folder, folder / "latest.md"], store.path, "--export",
                      store.catalog_path)
        if os.path.lexists(folder) and not folder.is_dir():
            from tracker.errors import TrackerError

            raise TrackerError(f"--export {export_dir}: not a folder (give a folder; the "
                               "snapshot goes in it as YYYY-MM-DD.md and latest.md); nothing "
                               "was fetched")
    interactive = sys.stdout.isatty() and not quiet
    with refresh_lock(store.path):
        report = asyncio.run(_run(run, store, catalog, make_client, list(only), dry_run,
                                  interactive, deadline=deadline,
                                  run_deadline=run_deadline))
    for outcome in report.outcomes:
        for change in outcome.changes:
            render.line(sys.stdout, ("would record " if dry_run else "") + change)
        if outcome.error:
            render.line(sys.stderr, f"{outcome.source_id}: failed: {outcome.error}")
        elif outcome.skipped and interactive:
            from tracker.writes import skipped_detail

            render.line(sys.stderr, f"{outcome.source_id}: {skipped_detail(outcome.skipped)}")
    if interactive:
        ok = len(report.outcomes) - len(report.failed)
        render.line(sys.stdout, f"{ok} of {count(len(report.outcomes), 'source')} refreshed"
                    + (" (dry run: nothing written)" if dry_run else ""))
    if export_dir and not dry_run:
        from tracker import export

        snapshot = export.build(store, "md")
        export.write(store, snapshot, export_dir.rstrip(os.sep) + os.sep, "--export")
    if report.failed:
        ctx.exit(EXIT_SOURCES_FAILED)


async def _run(run, store, catalog, make_client, only, dry_run, interactive, **limits):
    async with make_client() as client:
        if not interactive:
            return await run(store, catalog, client, only=only, dry_run=dry_run, **limits)
        from rich.progress import Progress

        total = len(catalog.model.sources) if not only else len(only)
        with Progress(transient=True) as bar:
            task = bar.add_task("Refreshing", total=total)
            return await run(store, catalog, client, only=only, dry_run=dry_run, **limits,
                             progress=lambda o: bar.update(
                                 task, advance=1, description=f"{o.source_id}: {o.status}"))


@cli.command()
@click.argument("action", type=click.Choice(["list", "accept", "reject", "reopen"]),
                default="list")
@click.argument("proposal_ids", metavar="[ID]...", nargs=-1,
                type=click.IntRange(min=-2**63, max=2**63 - 1))  # what SQLite can hold
@click.option("--author", default=lambda: os.environ.get("USER") or "analyst",
              show_default="$USER", help="Who decides.")
@FORMAT
@click.pass_context
def review(ctx: click.Context, action: str, proposal_ids: tuple[int, ...], author: str,
           fmt: str) -> None:
    """List fetched values waiting for review, or accept or reject them (logged).

    `reopen` puts a rejected proposal back in the queue.

    \b
    Example:
      tracker review
      tracker review --format csv > proposals.csv
      tracker review accept 3 4 --author ana
      tracker review reopen 5
    """
    from tracker import review as queue

    store = ctx.find_object(Env).store()
    if action == "list":
        rows = queue.pending(store)
        if fmt != "table":
            from tracker.cli_formats import proposals

            proposals(sys.stdout, fmt, rows, queue.describe)
            return
        if not rows:
            click.echo("No proposals are waiting for review.")
            return
        render.table(sys.stdout, f"{count(len(rows), 'proposal')} waiting for review",
                     ["ID", "Proposal", "Why", "Source", "Fetched"],
                     [[p["id"], queue.describe(p), p["reason"], p["source_id"],
                       p["created_at"]] for p in rows], keep=(0, 3), wrap=(1, 2))
        return
    if not proposal_ids:
        raise Failed(f"review {action}: give the id of at least one proposal")
    if action == "reopen":
        for p in queue.reopen_all(store, list(proposal_ids)):
            render.line(sys.stdout, f"reopened {p['id']}: {queue.describe(p)}")
        return
    for p in queue.decide_all(store, list(proposal_ids), action == "accept", author):
        render.line(sys.stdout, f"{p['status']} {p['id']}: {queue.describe(p)} (by {author})")


@cli.command()
@FORMAT
@click.pass_context
def sources(ctx: click.Context, fmt: str) -> None:
    """Show each declared source and its health: last success, status, failures, last error.

    \b
    Example:
      tracker sources
      tracker sources --format json
    """
    from tracker.source_health import health

    store = ctx.find_object(Env).store()
    rows = health(store)
    if fmt != "table":
        from tracker.cli_formats import source_rows

        source_rows(sys.stdout, fmt, rows)
        return
    if not rows:
        click.echo("No sources are declared in the catalog.")
        return
    render.table(sys.stdout, "Sources", ["ID", "Kind", "Status", "Last success", "Failures",
                                         "Last error", "URL"],
                 [[r["id"], r["kind"], r["state"], r["last_success"] or "never",
                   r["consecutive_failures"] or 0, r["last_error"] or "", r["url"]]
                  for r in rows], keep=(0, 1), wrap=(5, 6))
