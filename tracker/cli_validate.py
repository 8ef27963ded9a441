"""The `validate` command: check a catalog without writing anything."""

from __future__ import annotations

import os

import click

from tracker.cli import Env, _env, cli


@cli.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.pass_context
def validate(ctx: click.Context, path: str | None) -> None:
    """Check a catalog against its schema; print each problem as file:line.

    Writes nothing. Exits with 2 when there are problems.

    \b
    Example:
      tracker validate data/indicators.yaml
    """
    env = _env(ctx)
    if path:
        env = Env(env.db, os.path.expanduser(path), settings=env.settings)
    catalog = env.catalog(writes=False)
    m = catalog.model
    from tracker.text import count

    values = sum(len(v) for i in m.indicators for v in i.values.values())
    click.echo(f"{catalog.path}: ok ({count(len(m.indicators), 'indicator')} in "
               f"{count(len(m.categories), 'category', 'categories')}, {count(values, 'value')}, "
               f"{count(len(m.memberships), 'ledger')}, {count(len(m.events), 'event')})")
