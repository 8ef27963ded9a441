"""The `withdraw` command: take an analyst's value back, keeping it in the history."""

from __future__ import annotations

import os

import click

from tracker.cli import Env, cli


@cli.command()
@click.argument("indicator_id", metavar="ID")
@click.argument("field_name", metavar="FIELD")
@click.option("--as-of", metavar="DATE", help="The withdrawn value's date (default: the "
              "latest analyst value of the field).")
@click.option("--note", help="Why it is withdrawn.")
@click.option("--author", default=lambda: os.environ.get("USER") or "analyst",
              show_default="$USER", help="Who withdraws it.")
@click.pass_context
def withdraw(ctx: click.Context, indicator_id: str, field_name: str, as_of: str | None,
             note: str | None, author: str) -> None:
    """Withdraw an analyst's value: kept in the history as withdrawn, no longer current.

    Only values recorded with `tracker set` can be withdrawn; the field's current value
    becomes the latest one still standing.

    \b
    Example:
      tracker withdraw hot-lines feasibility --as-of 2026-05 --note "Readout retracted"
    """
    from tracker import assess
    from tracker.text import one_line

    env = ctx.find_object(Env)
    catalog = env.catalog()
    if catalog.field(indicator_id, field_name) is None:
        assess.normalise(catalog, indicator_id, field_name, "x")  # says what is unknown
    store = env.store()
    row = assess.withdraw(store, indicator_id, field_name, as_of=as_of, author=author,
                          note=note)
    now = store.db.execute("SELECT value, as_of FROM current_values WHERE indicator_id = ? "
                           "AND field = ?", [indicator_id, field_name]).fetchone()
    current = f"{now[0]} (as of {now[1]})" if now else "none"
    click.echo(one_line(f"withdrew {indicator_id}.{field_name} = {row['value']} (as of "
                        f"{row['as_of']}, by {author}); current value: {current}"))
