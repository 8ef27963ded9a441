"""Shell completion of ids: indicators, mechanisms, categories, fields, sources, event kinds.

Click calls these while the user presses tab (``_TRACKER_COMPLETE=bash_source tracker``).
They read the store read-only (``mode=ro``: never created, written or migrated), fall back to
the catalog's YAML when there is no store yet, and offer nothing rather than fail: a
completion never prints a traceback.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import click
from click.shell_completion import CompletionItem


@contextmanager
def read_only(path: str | None) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection to the store at ``path`` (default location when None), or
    None when there is no usable store."""
    if path is None:
        from tracker.store import default_db_path

        path = str(default_db_path())
    path = os.path.expanduser(path)
    conn = None
    if os.path.isfile(path):
        try:
            from urllib.parse import quote

            conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, timeout=0.5)
            conn.execute("SELECT 1 FROM indicators LIMIT 1")
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            conn = None
    try:
        yield conn
    finally:
        if conn is not None:
            conn.close()


def _paths(ctx: click.Context) -> tuple[str | None, str | None]:
    """The store and catalog this command line would use (typed, environment, config)."""
    from tracker import config

    root = ctx.find_root()
    typed = {"store": root.params.get("db"), "catalog": root.params.get("catalog_path")}
    try:
        settings = config.resolve(typed, root.params.get("config_file"))
    except Exception:  # a broken config file: complete from the typed values only
        return typed["store"], typed["catalog"]
    return settings.get("store"), settings.get("catalog")


def _query(ctx: click.Context, sql: str, params: tuple = ()) -> list[tuple] | None:
    db, _ = _paths(ctx)
    with read_only(db) as conn:
        if conn is None:
            return None
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.Error:
            return None


def _catalog(ctx: click.Context) -> dict:
    """The catalog's raw YAML (no validation), for a first run before the store exists."""
    _, path = _paths(ctx)
    try:
        import yaml

        from tracker.paths import shipped_catalog_path

        with open(os.path.expanduser(path) if path else shipped_catalog_path(),
                  encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return data if isinstance(data, dict) else {}
    except Exception:
        return {}


def _items(rows, incomplete: str) -> list[CompletionItem]:
    seen, out = set(), []
    for value, help_text in rows:
        value = str(value)
        if value.startswith(incomplete) and value not in seen:
            seen.add(value)
            out.append(CompletionItem(value, help=(help_text or None)))
    return out


def _guarded(func):
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str):
        try:
            return func(ctx, incomplete)
        except Exception:  # never a traceback under the user's cursor
            return []
    complete.__name__ = func.__name__
    complete.__doc__ = func.__doc__
    return complete


def _indicator_rows(ctx: click.Context, category: str | None = None) -> list[tuple]:
    sql = "SELECT id, name FROM indicators WHERE retired_at IS NULL"
    rows = _query(ctx, sql + (" AND category_id = ?" if category else "") + " ORDER BY id",
                  (category,) if category else ())
    if rows is not None:
        return rows
    found = []
    for ind in _catalog(ctx).get("indicators") or []:
        if isinstance(ind, dict) and ind.get("id") and category in (None, ind.get("category")):
            found.append((ind["id"], ind.get("name")))
    return found


@_guarded
def indicators(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """Indicator ids, with their names."""
    return _items(_indicator_rows(ctx), incomplete)


@_guarded
def mechanisms(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """Mechanism ids (the ones with membership ledgers)."""
    return _items(_indicator_rows(ctx, "mechanisms"), incomplete)


@_guarded
def categories(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """Category ids, with their titles."""
    rows = _query(ctx, "SELECT id, title FROM categories WHERE position IS NOT NULL ORDER BY position")
    if rows is None:
        rows = [(c.get("id"), c.get("title")) for c in _catalog(ctx).get("categories") or []
                if isinstance(c, dict) and c.get("id")]
    return _items(rows, incomplete)


@_guarded
def fields(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """The fields of the indicator typed before (all fields when it is unknown)."""
    indicator = ctx.params.get("indicator_id")
    rows = _query(ctx, "SELECT f.field, f.label FROM fields f JOIN indicators i "
                       "ON i.category_id = f.category_id WHERE i.id = ? ORDER BY f.position",
                  (indicator,))
    if not rows:
        rows = _query(ctx, "SELECT DISTINCT field, label FROM fields ORDER BY field") or []
    return _items(rows, incomplete)


@_guarded
def sources(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """Declared source ids, with their kinds."""
    rows = _query(ctx, "SELECT id, kind FROM sources WHERE retired_at IS NULL ORDER BY id")
    if rows is None:
        rows = [(s.get("id"), s.get("kind")) for s in _catalog(ctx).get("sources") or []
                if isinstance(s, dict) and s.get("id")]
    return _items(rows, incomplete)


@_guarded
def event_kinds(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """The kinds of events in the store."""
    rows = _query(ctx, "SELECT DISTINCT kind, NULL FROM events WHERE kind IS NOT NULL "
                       "ORDER BY kind") or []
    return _items(rows, incomplete)
