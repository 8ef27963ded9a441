"""The `audit` command: content checks an analyst (and CI) can run on any catalog and store."""

from __future__ import annotations

import sys

import click

from tracker import render
from tracker.cli import Env, Failed, cli


@cli.command()
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only findings of this kind (repeatable): ledger-count, low-confidence, "
                   "stale, event-outcome, no-criteria, no-ledger, mixed-units.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="One line per finding, or JSON for scripts.")
@click.pass_context
def audit(ctx: click.Context, kinds: tuple[str, ...], fmt: str) -> None:
    """Check the content: ledgers against counts, weak headline inputs, stale values,
    past events without outcome, mechanisms without criteria or ledger, mixed units.

    Prints one line per finding as FILE:LINE: KIND: SUBJECT: MESSAGE (the catalog's line
    for the item), then a summary with counts per kind. Exits 0 when clean, 1 when
    findings remain, 2 on a bad invocation or an invalid catalog.

    \b
    Example:
      tracker audit
      tracker --catalog my.yaml audit --kind ledger-count --format json
    """
    from tracker import audit as checks

    unknown = [k for k in kinds if k not in checks.KINDS]
    if unknown:
        raise Failed(f"--kind: unknown kind {unknown[0]!r} (allowed: "
                     f"{', '.join(checks.KINDS)})")
    env = ctx.find_object(Env)
    catalog = env.catalog()
    store = env.store()
    findings = [f for f in checks.run(store, catalog) if not kinds or f.kind in kinds]
    if fmt == "json":
        render.as_json(sys.stdout, {
            "catalog": catalog.path, "findings": [f.as_dict() for f in findings],
            "counts": {k: sum(1 for f in findings if f.kind == k) for k in checks.KINDS
                       if not kinds or k in kinds}})
    else:
        for finding in findings:
            click.echo(render.clean(str(finding)))
        click.echo(checks.summary(findings))
    ctx.exit(1 if findings else 0)
