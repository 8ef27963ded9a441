"""The `config` and `completion` commands, and how the command line resolves its settings."""

from __future__ import annotations

import sys

import click

from tracker import config, render
from tracker.cli import FORMAT, Env, Failed, cli


def settings_for(ctx: click.Context) -> config.Settings:
    """The settings for this run: a global option typed on the command line, then the
    environment, then the config file, then the defaults."""
    from click.core import ParameterSource

    typed = {}
    for key, param in (("store", "db"), ("catalog", "catalog_path")):
        if ctx.get_parameter_source(param) == ParameterSource.COMMANDLINE:
            typed[key] = ctx.params.get(param)
    config_file = ctx.params.get("config_file")
    if config_file is not None and ctx.get_parameter_source("config_file") \
            != ParameterSource.COMMANDLINE:
        config_file = None  # TRACKER_CONFIG: read by resolve(), which names it as the origin
    return config.resolve(typed, config_file)


def run_dashboard(app_class, store, env: Env) -> None:
    """Open the dashboard with the configured theme, export folder and trend window (when
    it is one of those `w` cycles through)."""
    from pathlib import Path

    settings = env.settings
    export_dir = settings.get("export_dir") if settings else None
    app = app_class(store, env.catalog, export_dir=Path(export_dir) if export_dir else None)
    theme = settings.get("theme") if settings else None
    if theme:
        if theme not in app.available_themes:
            where = settings.origins.get("theme", "")
            raise Failed(f"theme {theme!r} ({where}) is not a dashboard theme "
                         f"(allowed: {', '.join(sorted(app.available_themes))})")
        app.theme = theme
    window = settings.get("window") if settings else None
    if window and hasattr(app, "set_reactive"):
        from screens.app import WINDOWS

        if window in WINDOWS:  # the windows `w` cycles through; another stays with trends
            app.set_reactive(type(app).window, window)
    app.run()
    if getattr(app, "return_code", None):  # it stopped on an error (printed above)
        click.get_current_context().exit(app.return_code)


def watch_first(items: list, key, watch: list[str]) -> list:
    """``items`` with those whose ``key`` is on the watch list first, in the list's order;
    the others keep their order."""
    if not watch:
        return list(items)
    rank = {ident: i for i, ident in enumerate(watch)}
    return sorted(items, key=lambda item: rank.get(key(item), len(rank)))


@cli.command("config")
@FORMAT
@click.pass_context
def config_cmd(ctx: click.Context, fmt: str) -> None:
    """Show the store, catalog and config file in use, and where each setting comes from.

    Settings come from the command line, then the environment, then the config file
    (TOML), then the defaults.

    \b
    Example:
      tracker config
      tracker --db ~/tracker.db config --format json
    """
    env = ctx.find_object(Env)
    s = env.settings
    from tracker.store import default_db_path

    store_origin = s.origins["store"] if s.get("store") else "default"
    rows = [["config file", str(s.config_path),
             s.config_origin + ("" if s.config_exists else " (no file)")],
            ["store", env.db or str(default_db_path()), store_origin],
            ["catalog", env.catalog_file(),
             s.origins["catalog"] if s.get("catalog") else "default (shipped)"]]
    for key in config.SETTINGS:
        if key in ("store", "catalog"):
            continue
        value = s.get(key)
        shown = ", ".join(value) if isinstance(value, list) else (value or "")
        rows.append([key, shown, s.origins[key]])
    unknown = _unknown_watch(env, s.watch)
    if fmt == "json":
        render.as_json(sys.stdout, {r[0].replace(" ", "_"): {"value": r[1], "from": r[2]}
                                    for r in rows} | {"unknown_watch": unknown})
        return
    if fmt == "csv":
        render.as_csv(sys.stdout, ["setting", "value", "from"], rows)
        return
    render.table(sys.stdout, "Configuration (option > environment > config file > default)",
                 ["Setting", "Value", "From"], rows, keep=(0,), wrap=(1, 2))
    if unknown:
        render.paragraph(sys.stdout, "Not in the store (ignored): watch " + ", ".join(unknown))


def _unknown_watch(env: Env, watch: list[str]) -> list[str]:
    """Watch-list ids the store does not know, read without opening the store for writing."""
    if not watch:
        return []
    from tracker.completion import read_only

    with read_only(env.db) as conn:
        if conn is None:
            return []
        known = {r[0] for r in conn.execute("SELECT id FROM indicators")}
    return [w for w in watch if w not in known]


@cli.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion_cmd(shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Completes commands, options, indicator ids, categories, fields and source ids (read
    from the store, never written). Same as `_TRACKER_COMPLETE=bash_source tracker`.

    \b
    Example:
      eval "$(tracker completion bash)"         # in ~/.bashrc
      tracker completion fish > ~/.config/fish/completions/tracker.fish
    """
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    sys.stdout.write(cls(cli, {}, "tracker", "_TRACKER_COMPLETE").source() + "\n")
