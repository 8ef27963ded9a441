"""`tracker trends` output as it was printed before the changes were spooled: every change
held in a list, then printed (kept verbatim so tests can check the streamed output is the
same, byte for byte)."""

from __future__ import annotations

from tracker import render
from tracker.cli_snapshots import _trend
from tracker.text import count


def print_trends(store, out, since: str, fmt: str = "table", due: bool = False,
                 watch=(), end: str | None = None, end_in_json: bool = False) -> None:
    """What `tracker trends` prints: headline figures, changes, flips, values due.

    ``end``: the window's last date when it is not today (``--until``, ``--at``); JSON
    names it only for ``--until`` (``--at`` prints what was printed that day)."""
    from tracker import headline
    from tracker import trends as engine
    from tracker.ledger_changes import window_changes
    from tracker.reports import _sources
    from tracker.text import shorten

    today = store.clock().date()
    start = engine.window_start(since, today)
    if start and start > today.isoformat():  # nothing can have changed since a day to come
        from tracker.errors import TrackerError

        raise TrackerError(f"--since: {since!r} is after today, {today.isoformat()} "
                           "(allowed: a date up to today, Nd, Nw, Nm or Ny (e.g. 30d, 1y), "
                           "or all)")
    changes = window_changes(store.db, start)
    figures = headline.figures(store.db, start)
    stale = engine.review_due(store.db, today)
    if fmt == "json":
        render.as_json(out, {
            "window_start": start, **({"window_end": end} if end_in_json else {}), "headline": [f.as_dict() for f in figures],
            "changes": [c.as_dict() for c in changes],
            "review_due": [d.__dict__ for d in stale]})
        return
    if fmt == "csv":
        columns = list(engine.Change._fields)
        render.as_csv(out, columns, [list(c) for c in changes])
        return
    render.table(out, f"Headline figures ({f'on {end}' if end else 'now'}, and on "
                      f"{start or 'the first record'})",
                 ["Figure", end or "Now", "Then", "Trend"],
                 [[f.label, f.text, "" if f.before is None else str(f.before),
                   _trend(f.direction)] for f in figures], keep=(), wrap=(0, 1))
    if any(f.kind == "floor" or f.low_confidence for f in figures):
        render.paragraph(out, "A floor counts only what the ledgers hold (incomplete or missing "
                    "ledgers could add more); `tracker trends --explain ID` lists what a "
                    "figure counts: " + ", ".join(f.id for f in figures) + ".")
    src = _sources(store.db, out)
    # Piped: plain strings, one per direction, not a Rich object per change.
    marks = None if render.is_terminal(out) else {
        (d, f): _trend(d, f, styled=False) for d in engine.ARROWS for f in (False, True)}
    if watch:  # a person's tables: the watched indicators' changes first, newest first
        from tracker.cli_config import watch_first

        changes = watch_first(changes, lambda c: c.indicator_id, list(watch))
    if not changes:
        render.paragraph(out, f"No changes dated since {start or 'the first record'}"
                              f"{f' up to {end}' if end else ''}.")
        out.write("\n")
    else:
        render.table(out, f"{count(len(changes), 'change')} since {start or 'the first record'}"
                          f"{f' up to {end}' if end else ''}",
                     ["As of", "Indicator", "Field", "From", "To", "Trend", "Why", "Source"],
                     [[c.as_of, c.name, c.label, c.old, c.new,
                       marks[c.direction, c.flip] if marks else _trend(c.direction, c.flip),
                       shorten(c.note) if c.note else "", src(c.source)] for c in changes],
                     wrap=(1, 3, 4, 6, 7),
                     caption="Why: the note recorded with the new value, cut at 80 columns; "
                             "`tracker history ID` and --format json give it whole.")
    flips = sorted({(c.indicator_id, c.field) for c in changes if c.flip})
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

