"""What `tracker list`, `show` and `history` do, apart from parsing their arguments.

The click commands (:mod:`tracker.cli`) and the short path that runs them without click
(:mod:`tracker.quick`) both call these, so the two print the same thing and refuse the same
arguments with the same line. ``db`` is the store's read side (:attr:`Store.reader`).

Errors: :class:`tracker.errors.TrackerError` (exit 2) for an unknown category, indicator or
field, with the allowed values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TextIO

from tracker.errors import TrackerError


def list_command(db: Any, out: TextIO, fmt: str, category: str | None = None,
                 show_categories: bool = False, watch: Sequence[str] = (),
                 heading: Callable[[], None] | None = None) -> None:
    """Every table with current values (or one category's), or the categories themselves.

    ``heading`` prints what comes before the tables, once the arguments are known good.
    """
    from tracker import reports

    if show_categories:
        reports.categories(db, out, fmt)
        return
    known = [r[0] for r in db.execute("SELECT id FROM categories WHERE position IS NOT NULL ORDER BY position")]
    if category is not None and category not in known:
        raise TrackerError(f"--category: unknown category {category!r} "
                           f"(allowed: {', '.join(known)})")
    if heading:
        heading()
    reports.list_rows(db, out, fmt, category, watch=watch)


def show_command(db: Any, out: TextIO, query: str, fmt: str) -> None:
    """One indicator, named by its id, its name, an alias or words only it matches."""
    from tracker import reports
    from tracker.search import find_indicator

    reports.show(db, out, find_indicator(db, query), fmt)


def history_command(db: Any, out: TextIO, query: str, field: str | None, fmt: str) -> None:
    """Every dated value of an indicator, or of one of its fields."""
    from tracker import reports
    from tracker.search import find_indicator

    indicator_id = find_indicator(db, query)
    if field:
        check_field(db, indicator_id, field)
    reports.history(db, out, indicator_id, field, fmt)


def check_field(db: Any, indicator_id: str, field: str) -> None:
    """Raise TrackerError unless ``field`` is one of the indicator's category's fields."""
    allowed = [r[0] for r in db.execute(
        "SELECT f.field FROM fields f JOIN indicators i ON i.category_id = f.category_id "
        "WHERE i.id = ? ORDER BY f.position", [indicator_id])]
    if field not in allowed:
        raise TrackerError(f"unknown field {field!r} for {indicator_id!r} "
                           f"(allowed: {', '.join(allowed)})")
