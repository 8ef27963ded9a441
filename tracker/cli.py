"""The command line: thin click commands over the headless core.

A bare ``tracker`` shows the overview. Nothing here imports Textual.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import click

from tracker import __version__
from tracker import completion as complete
from tracker.cli_at import AT, at_note as _at_note, store_for
from tracker.cli_group import Failed, Group
from tracker.errors import TrackerError

EXIT_CODES = """\b
Exit codes:
  0   ok
  1   some sources failed (the rest were refreshed), or the store or an
      output could not be used (damaged, read-only, disk full)
  2   bad invocation, invalid catalog, --db not a tracker store, an output
      that is the store (nothing written)
  74  the output could not be written (disk full, closed)
  75  another refresh holds the lock
  141 the reader closed the pipe (e.g. | head), output cut"""

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]),
                      default="table", show_default=True,
                      help="Rich table on a terminal (plain text when piped), JSON or CSV.")


@dataclass
class Env:
    """What the commands share: where the store and the catalog are, opened lazily."""

    db: str | None
    catalog_path: str | None
    _catalog: object = field(default=None, repr=False)
    _store: object = field(default=None, repr=False)
    settings: object = field(default=None, repr=False)
    """The resolved :class:`tracker.config.Settings` (store, window, watch list, ...)."""

    def catalog(self, writes: bool = True):
        """The validated catalog; problems are printed one per line and exit with 2.

        ``writes``: whether the command would have written (then the error says nothing was).
        """
        if self._catalog is None:
            from tracker.catalog import check_catalog

            path = self.catalog_file()
            catalog, problems = check_catalog(path)
            if problems:
                for problem in problems:
                    click.echo(str(problem), err=True)
                from tracker.text import count

                raise Failed(f"{count(len(problems), 'problem')} in the catalog {path}"
                             + ("; nothing was written" if writes else ""))
            self._catalog = catalog
        return self._catalog

    def catalog_file(self) -> str:
        """The catalog's path (the shipped one unless --catalog says otherwise)."""
        from tracker.paths import shipped_catalog_path

        return self.catalog_path or str(shipped_catalog_path())

    def store(self):
        """The store, upgraded and synced with the catalog.

        An unchanged catalog (the store holds its digest) is neither read nor validated
        again; a changed one is validated before anything is written.
        """
        if self._store is None:
            from tracker.paths import catalog_digest
            from tracker.store import Store, default_db_path
            from tracker.store.files import stored_digest, unread_log_note

            digest = catalog_digest(self.catalog_file())  # None: catalog() says what is wrong
            path = self.db or str(default_db_path())
            changed = digest is None or stored_digest(path) != digest
            if changed:
                self.catalog()  # validated before the store is even opened
            store = Store.open(path, create_dirs=not self.db)
            if store.read_only and (note := unread_log_note(path)):
                click.echo(note, err=True)
            if changed and store.read_only:
                click.echo(f"note: --db {path} is read-only; the catalog's changes are not "
                           "synced into it (showing what it holds)", err=True)
                changed = False
            try:
                if changed:
                    from tracker.sync import sync

                    sync(store, self.catalog())
            except BaseException:
                store.close()
                raise
            store.catalog_path = self.catalog_file()
            self._store = store
            click.get_current_context().call_on_close(store.close)
        return self._store


@click.group(cls=Group, invoke_without_command=True, epilog=EXIT_CODES,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="TRACKER_DB", metavar="PATH",
              help="The SQLite store (env TRACKER_DB; default: in the user data directory).")
@click.option("--catalog", "catalog_path", envvar="TRACKER_CATALOG", metavar="PATH",
              help="The catalog YAML (env TRACKER_CATALOG; default: the shipped one).")
@click.option("--config", "config_file", envvar="TRACKER_CONFIG", metavar="PATH",
              help="The config file (env TRACKER_CONFIG; default: config.toml in the user "
                   "config directory; `tracker config` shows it).")
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str | None, catalog_path: str | None,
        config_file: str | None) -> None:
    """The analyst's terminal for the state of international AI coordination.

    With no command, opens the dashboard on a terminal (and prints every table when its
    output is piped).

    \b
    Example:
      tracker --db ./tracker.db list --category mechanisms
    """
    from tracker.cli_config import settings_for

    for option, value in (("--db", db), ("--catalog", catalog_path), ("--config", config_file)):
        if value is not None and not value.strip():  # `--db "$UNSET"` is not the default store
            raise TrackerError(f"{option}: the path is empty (give a path, or leave {option} "
                               "out for the default); nothing was written")
    settings = settings_for(ctx)  # option > environment > config file > default
    ctx.obj = Env(settings.get("store"), settings.get("catalog"), settings=settings)
    from tracker.dates import utcnow

    utcnow()  # a bad TRACKER_NOW is one line here, before anything is read or written
    if ctx.invoked_subcommand is None:
        store = ctx.obj.store()
        from tracker.cli_serve import served_by_web

        if _interactive() or served_by_web():
            from screens.app import TrackerApp  # the only import of the Textual layer

            from tracker.cli_config import run_dashboard

            run_dashboard(TrackerApp, store, ctx.obj)  # the catalog loads when r needs it
            return
        from tracker import reports

        reports.list_rows(store.reader, sys.stdout, "table", watch=settings.watch)


def _interactive() -> bool:
    """Both ends are a terminal: the dashboard can be drawn and driven."""
    return sys.stdout.isatty() and sys.stdin.isatty()


def _env(ctx: click.Context) -> Env:
    return ctx.find_object(Env)


@cli.command("list")
@click.option("--category", "-c", metavar="ID", shell_complete=complete.categories,
              help="Only this category (`tracker list --categories` lists them).")
@click.option("--categories", "show_categories", is_flag=True,
              help="List the categories (id, title, rows) instead of their rows.")
@AT
@FORMAT
@click.pass_context
def list_cmd(ctx: click.Context, category: str | None, show_categories: bool, at: str | None,
             fmt: str) -> None:
    """List every table with current values and as-of dates.

    \b
    Example:
      tracker list --category obstacles
      tracker list --categories
      tracker list --format csv > current.csv
      tracker list --at 2025-06          # the tables as they stood at the end of June 2025
    """
    from tracker.listing import list_command

    db = store_for(ctx, at).reader
    env = _env(ctx)
    list_command(db, sys.stdout, fmt, category, show_categories,
                 watch=env.settings.watch if env.settings and fmt == "table" else (),
                 heading=lambda: _at_note(at, fmt))


def _known(env: Env, indicator_id: str, at: str | None = None):
    """The store (as it stood at ``at``) and the id of the indicator named by an id, a
    name or an alias."""
    from tracker.search import find_indicator

    store = store_for(click.get_current_context(), at) if at else env.store()
    return store, find_indicator(store.reader, indicator_id)


@cli.command()
@click.argument("indicator_id", metavar="ID", shell_complete=complete.indicators)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Tables, or JSON for scripts.")
@AT
@click.pass_context
def show(ctx: click.Context, indicator_id: str, fmt: str, at: str | None) -> None:
    """Show one indicator: current values with provenance, criteria, members, events.

    ID is an indicator's id, or its name or an alias (any case), or words that only it
    matches.

    \b
    Example:
      tracker show cets-225
      tracker show "CETS 225"
      tracker show cets-225 --at 2025-06
    """
    from tracker import reports

    store, indicator_id = _known(_env(ctx), indicator_id, at)
    _at_note(at, fmt)
    reports.show(store.reader, sys.stdout, indicator_id, fmt)


@cli.command()
@click.argument("indicator_id", metavar="ID", shell_complete=complete.indicators)
@click.argument("field_name", metavar="[FIELD]", required=False,
                shell_complete=complete.fields)
@FORMAT
@click.pass_context
def history(ctx: click.Context, indicator_id: str, field_name: str | None, fmt: str) -> None:
    """Show every dated value of an indicator (or of one field) with its source.

    ID is an indicator's id, name or alias, as for `tracker show`.

    \b
    Example:
      tracker history gpai participant_count
    """
    from tracker import reports
    from tracker.listing import check_field

    store, indicator_id = _known(_env(ctx), indicator_id)
    if field_name:
        check_field(store.reader, indicator_id, field_name)
    reports.history(store.reader, sys.stdout, indicator_id, field_name, fmt)


@cli.command("set")
@click.argument("indicator_id", metavar="ID", shell_complete=complete.indicators)
@click.argument("field_name", metavar="FIELD", shell_complete=complete.fields)
@click.argument("value")
@click.option("--as-of", metavar="DATE", help="When it was true: YYYY, YYYY-MM or YYYY-MM-DD "
              "(default: today).")
@click.option("--source", metavar="URL", help="Where it comes from: a URL or a reference id "
              "(default: the analyst).")
@click.option("--confidence", type=click.Choice(["high", "medium", "low"]), default="medium",
              show_default=True)
@click.option("--note", help="Context for the value.")
@click.option("--author", default=lambda: os.environ.get("USER") or "analyst",
              show_default="$USER", help="Who made the assessment.")
@click.pass_context
def set_cmd(ctx: click.Context, indicator_id: str, field_name: str, value: str,
            as_of: str | None, source: str | None, confidence: str, note: str | None,
            author: str) -> None:
    """Record an analyst's assessment of one field, checked against its scale.

    \b
    Example:
      tracker set hot-lines feasibility Possible --as-of 2026-05 \\
        --source https://example.org/readout --confidence low --note "Talks announced"
    """
    from tracker import assess
    from tracker.text import one_line

    env = _env(ctx)
    catalog = env.catalog()
    assess.normalise(catalog, indicator_id, field_name, value)
    row = assess.record(env.store(), catalog, indicator_id, field_name, value, as_of=as_of,
                        source=source, confidence=confidence, note=note, author=author)
    click.echo(one_line(f"recorded {indicator_id}.{field_name} = {row['value']} "
                        f"(as of {row['as_of']}, {row['confidence']} confidence, "
                        f"source {row['source']})"))


@cli.command()
@click.argument("mechanism_id", metavar="MECHANISM", shell_complete=complete.mechanisms)
@click.option("--role", type=click.Choice(["signed", "ratified", "endorsed", "member",
                                           "observer", "declined", "withdrew"]),
              help="Only entries with this role.")
@AT
@FORMAT
@click.pass_context
def members(ctx: click.Context, mechanism_id: str, role: str | None, at: str | None,
            fmt: str) -> None:
    """Show a mechanism's dated membership ledger: who signed, ratified, joined, when.

    \b
    Example:
      tracker members cets-225 --role signed
      tracker members cets-225 --at 2025-06   # the ledger as it stood then
    """
    from tracker import reports

    from tracker.search import find_indicator

    db = store_for(ctx, at).db
    known = [r[0] for r in db.execute("SELECT id FROM indicators WHERE category_id = "
                                      "'mechanisms' AND retired_at IS NULL ORDER BY position")]
    if mechanism_id not in known:   # a name or an alias, as `show` takes ("CETS 225")
        try:
            mechanism_id = find_indicator(db, mechanism_id)
        except TrackerError:
            pass
    if mechanism_id not in known:
        raise Failed(f"unknown mechanism {mechanism_id!r} (allowed: {', '.join(known)})")
    _at_note(at, fmt)
    reports.members(db, sys.stdout, mechanism_id, fmt, role)


# Commands in their own modules register themselves on `cli`.
from tracker import cli_snapshots  # noqa: E402,F401
from tracker import cli_refresh  # noqa: E402,F401
from tracker import cli_serve  # noqa: E402,F401
from tracker import cli_search  # noqa: E402,F401
from tracker import cli_audit  # noqa: E402,F401
from tracker import cli_withdraw  # noqa: E402,F401
from tracker import cli_party  # noqa: E402,F401
from tracker import cli_config  # noqa: E402,F401
from tracker import cli_events  # noqa: E402,F401
from tracker import cli_validate  # noqa: E402,F401
from tracker.cli_main import main  # noqa: E402,F401  (the console script's entry point)

if __name__ == "__main__":  # pragma: no cover
    main()
