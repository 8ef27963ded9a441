"""Settings: the command line, then the environment, then the config file, then defaults.

The config file is TOML, in the user config directory (``~/.config/tracker/config.toml`` on
Linux) unless ``--config`` or ``TRACKER_CONFIG`` names another. Every key is optional::

    store = "~/tracker.db"          # the SQLite store (like --db / TRACKER_DB)
    catalog = "~/indicators.yaml"   # the catalog (like --catalog / TRACKER_CATALOG)
    contact = "you@example.org"     # sent in the User-Agent of a refresh (TRACKER_CONTACT)
    window = "90d"                  # the default `tracker trends --since` (TRACKER_WINDOW)
    export_dir = "~/briefings"      # where `tracker export` writes (TRACKER_EXPORT_DIR)
    theme = "nord"                  # the dashboard's Textual theme (TRACKER_THEME)
    watch = ["cets-225", "gpai"]    # indicators shown first (TRACKER_WATCH, comma-separated)

``~`` is expanded in every path; a relative path in the file is read from the file's folder.
A broken file is one line, ``file:line: what is wrong``, and exit code 2.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from tracker.errors import TrackerError

SETTINGS: dict[str, tuple[str, str, str]] = {
    # key: (environment variable, kind, what it is)
    "store": ("TRACKER_DB", "path", "the SQLite store"),
    "catalog": ("TRACKER_CATALOG", "path", "the catalog YAML"),
    "contact": ("TRACKER_CONTACT", "text", "contact sent in the User-Agent of a refresh"),
    "window": ("TRACKER_WINDOW", "window", "default window of `tracker trends`"),
    "export_dir": ("TRACKER_EXPORT_DIR", "path", "folder `tracker export` writes to"),
    "theme": ("TRACKER_THEME", "text", "the dashboard's theme"),
    "watch": ("TRACKER_WATCH", "list", "indicator ids shown first"),
}
"""Every setting the config file may hold."""

DEFAULT_WINDOW = "1y"
MAX_CONFIG_BYTES = 1_000_000
"""A config file holds a few settings; anything larger is not one."""
OPTIONS = {"store": "--db", "catalog": "--catalog"}
"""The global options that set a setting (typed, they win over everything else)."""


def default_path() -> Path:
    """The config file's default location, in the user config directory."""
    from platformdirs import user_config_path

    return user_config_path("tracker", appauthor=False) / "config.toml"


class Settings(NamedTuple):
    """Resolved settings: each value (``values``) with where it came from (``origins``).

    A named tuple, not a dataclass: the short commands read it, and loading the
    dataclasses machinery costs more than their work.
    """

    config_path: Path
    config_origin: str
    config_exists: bool
    values: dict[str, Any]
    origins: dict[str, str]

    def get(self, key: str) -> Any:
        return self.values.get(key)

    @property
    def watch(self) -> list[str]:
        return list(self.values.get("watch") or [])


_current: Settings | None = None


def current() -> Settings | None:
    """The settings the running command resolved (None outside a command)."""
    return _current


def contact() -> str:
    """The contact for the User-Agent: ``TRACKER_CONTACT``, else the config file's."""
    env = os.environ.get("TRACKER_CONTACT", "").strip()
    if env or _current is None:
        return env
    return str(_current.get("contact") or "").strip()


def resolve(options: dict[str, str | None], config_option: str | None = None,
            environ: os._Environ | dict | None = None) -> Settings:
    """Settings from command-line ``options`` (key -> value or None), the environment, the
    config file and the defaults, in that order; paths have ``~`` expanded.

    Raises:
        TrackerError: the config file cannot be read or holds a mistake (exit code 2).
    """
    global _current
    env = os.environ if environ is None else environ
    if config_option:
        path, origin = Path(os.path.expanduser(config_option)), "option --config"
    elif env.get("TRACKER_CONFIG"):
        path, origin = Path(os.path.expanduser(env["TRACKER_CONFIG"])), "env TRACKER_CONFIG"
    else:
        path, origin = default_path(), "default"
    explicit = origin != "default"
    data = read(path, must_exist=explicit)
    settings = Settings(path, origin, data is not None, {}, {})
    data = data or {}
    for key, (var, kind, _) in SETTINGS.items():
        value, where = options.get(key), f"option {OPTIONS.get(key, '--' + key)}"
        if value is None and env.get(var, "").strip():
            value, where = _from_env(kind, env[var]), f"env {var}"
        if value is None and key in data:
            value, where = data[key], "config file"
        if value is None:
            value, where = (DEFAULT_WINDOW if key == "window" else None), "default"
        if kind == "path" and isinstance(value, str):
            value = os.path.expanduser(value)
            if where == "config file" and not os.path.isabs(value):
                value = str(path.parent / value)  # relative to the file, not to the cwd
        settings.values[key] = value
        settings.origins[key] = where
    _current = settings
    return settings


def _from_env(kind: str, text: str) -> Any:
    if kind == "list":
        return [p.strip() for p in text.split(",") if p.strip()]
    return text.strip()


def read(path: Path, must_exist: bool = False) -> dict[str, Any] | None:
    """The config file's settings, checked; None when there is no file.

    Raises:
        TrackerError: unreadable, not TOML, an unknown key or a value of the wrong kind,
            as ``file:line: problem``.
    """
    try:
        if path.exists() and not path.is_file():  # a FIFO or /dev/zero would hang
            raise TrackerError(f"{path}: cannot read the config file: not a regular file")
        if path.exists() and path.stat().st_size > MAX_CONFIG_BYTES:
            raise TrackerError(f"{path}: the config file is over {MAX_CONFIG_BYTES:,} bytes; "
                               "it holds a few settings")
        raw = path.read_bytes()
    except FileNotFoundError:
        if must_exist:
            raise TrackerError(f"{path}: config file not found") from None
        return None
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read the config file: "
                           f"{exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise TrackerError(f"{path}:{line}: not UTF-8 text") from None
    import tomllib  # only when there is a file to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        where = re.search(r"\(at line (\d+), column \d+\)|\(at end of document\)", msg)
        line = where.group(1) if where and where.group(1) else max(1, len(text.splitlines()))
        msg = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", msg)
        raise TrackerError(f"{path}:{line}: not valid TOML: {msg}") from None
    for key, value in data.items():
        _check(path, text, key, value)
    return data


def _check(path: Path, text: str, key: str, value: Any) -> None:
    line = _line_of(text, key)
    if key not in SETTINGS:
        raise TrackerError(f"{path}:{line}: unknown setting {key!r} "
                           f"(allowed: {', '.join(SETTINGS)})")
    kind = SETTINGS[key][1]
    if kind == "list":
        if not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
            raise TrackerError(f"{path}:{line}: {key} must be a list of indicator ids, "
                               'e.g. watch = ["cets-225", "gpai"]')
        return
    if not isinstance(value, str) or not value.strip():
        raise TrackerError(f"{path}:{line}: {key} must be a non-empty string in quotes, "
                           f'e.g. {key} = "{_EXAMPLES[key]}"')
    if kind == "window":
        import datetime as dt

        from tracker.trends import WINDOW_HELP, window_start

        try:
            window_start(value, dt.date(2000, 1, 1))
        except TrackerError:
            raise TrackerError(f"{path}:{line}: window {value!r} is not a window "
                               f"(allowed: {WINDOW_HELP})") from None


_EXAMPLES = {"store": "~/tracker.db", "catalog": "~/indicators.yaml",
             "contact": "you@example.org", "window": "90d", "export_dir": "~/briefings",
             "theme": "nord"}


def _line_of(text: str, key: str) -> int:
    """The line where ``key`` is set (1 when it cannot be found, e.g. in a table header)."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"
                         r"\s*[=.]|^\s*\[+\s*" + re.escape(key) + r"\s*\]")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return 1
