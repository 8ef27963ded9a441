"""Errors that reach the user as one line and a documented exit code."""

from __future__ import annotations

# Exit codes, documented in the README and in `tracker --help`.
EXIT_OK = 0
EXIT_SOURCES_FAILED = 1
EXIT_STORE = 1
"""The store or an output file could not be used: damaged, read-only, disk full."""
EXIT_USAGE = 2
EXIT_OUTPUT = 74
"""The output could not be written (sysexits' EX_IOERR): a full disk, a closed descriptor."""
EXIT_LOCKED = 75
EXIT_BROKEN_PIPE = 141
"""The reader closed the pipe early (128 + SIGPIPE, as a shell reports a command it killed)."""


class TrackerError(Exception):
    """A user-facing error: a bad argument, an invalid catalog, an unusable store."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class OutputClosed(Exception):
    """The reader of standard output went away (a broken pipe). Raised past click, whose own
    handler would exit with 1, to the entry point, which exits with EXIT_BROKEN_PIPE."""
