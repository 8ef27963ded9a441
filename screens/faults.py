"""Errors in the dashboard: one line for the user, the whole traceback in the log file."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("tracker.dashboard")
"""Where the dashboard records the errors it survived (a file, see :func:`start_log`)."""


def default_log_path() -> Path:
    """``dashboard.log`` in the user log directory (e.g. ``~/.local/state/tracker/log``)."""
    from platformdirs import user_log_path

    return user_log_path("tracker", appauthor=False) / "dashboard.log"


class Inert(logging.Formatter):
    """Log lines with every hostile character escaped (``\\x1b``, ``\\u202e``): a store's
    path or a value in a traceback must not replay an escape sequence when the log is read
    in a terminal. Newlines and tabs stay."""

    def format(self, record: logging.LogRecord) -> str:
        from tracker.text import escaped

        return escaped(super().format(record))


def start_log(path: Path | None) -> Path | None:
    """Send the dashboard's errors to ``path``; None (or a path that cannot be written) logs
    nowhere: a log must never be the reason the dashboard cannot start."""
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()
    log.propagate = False  # never to stderr: it would draw over the screen
    if path is None:
        log.addHandler(logging.NullHandler())
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8", delay=False)
    except OSError:
        log.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(Inert("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def one_line(exc: BaseException) -> str:
    """What went wrong, in one line: the tracker's own message, or the error's text."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(message).split())
