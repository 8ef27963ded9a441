"""The `search` command: ranked full-text search over everything the store holds."""

from __future__ import annotations

import sys

import click

from tracker.cli import FORMAT, Env, cli

COLUMNS = ("kind", "id", "field", "date", "current", "title", "snippet", "rank")
"""The columns of ``--format csv``; JSON has these, ``highlights``, ``withdrawn`` and
``retired``."""


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--kind", "-k", "kinds", multiple=True,
              type=click.Choice(["indicator", "value", "party", "event", "source"]),
              help="Only this kind of result (repeat for several).")
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="At most this many results.")
@FORMAT
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], kinds: tuple[str, ...], limit: int,
           fmt: str) -> None:
    """Search indicators, values and their notes, parties, events and sources.

    Results are ranked best first (a name or an alias counts ten times a description or a
    note) and show the matching text, the matched words in bold on a terminal. Every word
    must match, as a whole word (stemmed: "treaty" finds "treaties") or, when that finds
    nothing, as the start of a word ("cet" finds "CETS"). Words are taken literally:
    quotes, AND, OR, NOT, NEAR, * and - are not search operators (a query that starts
    with - follows --: tracker search -- -x).

    Earlier values are found too (history is kept): a value hit gives the indicator's id,
    the field, its as-of date, and whether it is the field's current value (else it is
    superseded or withdrawn).

    \b
    Example:
      tracker search cets 225
      tracker search "Hiroshima process" --kind indicator
      tracker search ratified --kind value --format json
      tracker search vilnius --format csv > hits.csv
    """
    from tracker import render
    from tracker.search import search as find
    from tracker.text import count

    text = " ".join(query)
    store = ctx.find_object(Env).store()
    hits = find(store.db, text, kinds=kinds or None, limit=limit)
    out = sys.stdout
    if fmt == "json":
        render.as_json(out, [h.as_dict() for h in hits])
        return
    if fmt == "csv":
        render.as_csv(out, COLUMNS, [[_csv(getattr(h, c)) for c in COLUMNS] for h in hits])
        return
    if not hits:
        render.paragraph(out, f"Nothing matches {text!r}.")
        return
    terminal = render.is_terminal(out)
    render.table(out, f"{count(len(hits), 'result')} for {text!r}, best first",
                 ["Kind", "Id", "Result"],
                 [[h.kind, h.id, _result(h, terminal)] for h in hits], keep=(1,), wrap=(2,))


def _csv(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return round(value, 6)
    return value


def _title(hit) -> str:
    title = hit.title
    if hit.kind == "value":
        title += f", as of {hit.date}" + (" (withdrawn)" if hit.withdrawn else
                                           "" if hit.current else " (superseded)")
    elif hit.kind == "event" and hit.date:
        title += f" ({hit.date})"
    return title + (" (retired)" if hit.retired else "")


def _result(hit, terminal: bool):
    """The hit's title, then the text that matched unless it is the title or the id; the
    matched words in bold on a terminal."""
    from rich.text import Text

    result = Text(_title(hit))
    core = hit.snippet.strip("…")
    at = hit.title.find(core) if core else -1
    if at >= 0:  # the title matched: mark the words there
        shift = at - (len(hit.snippet) - len(hit.snippet.lstrip("…")))
        for start, end in hit.highlights:
            result.stylize("bold", start + shift, end + shift)
        return result
    if core and core != hit.id:
        snippet = Text(hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold", start, end)
        result.append("\n" if terminal else " — ")
        result.append_text(snippet)
    return result
