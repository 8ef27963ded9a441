"""The command line's group: how a mistake or a failure becomes one line and an exit code.

Click's own usage block, a :class:`~tracker.errors.TrackerError`, a damaged or read-only
store, a file that cannot be read or written and an argument that is not UTF-8 each end
as ``Error: ...`` on one line with the exit code the README documents.
"""

from __future__ import annotations

import sqlite3
import sys

import click

from tracker.errors import EXIT_STORE, EXIT_USAGE, OutputClosed, TrackerError


class Failed(click.ClickException):
    """A one-line error with a documented exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        from tracker.text import one_line

        super().__init__(one_line(message))  # paths and values in it are shown inert
        self.exit_code = exit_code


def _one_line_usage(exc: click.UsageError, where: str = "tracker") -> Failed:
    """A usage error (a bad option, a missing argument, a value out of range) as one line
    naming where to look, instead of click's usage block; the same exit code (2). ``where``
    is the command when the error names only the top level (an option missing its value is
    reported against the group that was parsing)."""
    if exc.ctx is not None and exc.ctx.command_path != "tracker":
        where = exc.ctx.command_path  # the command the error names is the one to read
    return Failed(f"{exc.format_message().rstrip('.')} (see `{where} --help`)", exc.exit_code)


class Group(click.Group):
    """The top-level command group: every error a command meets leaves it as one line
    with a documented exit code (:class:`Failed`)."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta["tracker.command"] = command.name if command else name  # for its errors
        return name, command, rest

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _one_line_usage(exc) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:  # a subcommand's, or a nested group's
            command = ctx.meta.get("tracker.command")
            where = f"{ctx.command_path} {command}" if command else ctx.command_path
            raise _one_line_usage(exc, where) from None
        except TrackerError as exc:
            raise Failed(exc.message, exc.exit_code) from None
        except BrokenPipeError as exc:
            raise OutputClosed() from exc
        except UnicodeEncodeError as exc:
            if exc.reason != "surrogates not allowed":
                raise  # the output's encoding: the entry point says so (exit 74)
            raise Failed(f"an argument is not UTF-8 text ('{_not_utf8(exc.object)}'); give "
                         "it as UTF-8") from None
        except sqlite3.DatabaseError as exc:  # damaged pages, read-only, locked too long
            from tracker.store import default_db_path, store_error

            path = getattr(ctx.find_root().obj, "db", None) or str(default_db_path())
            error = store_error(path, exc)
            raise Failed(error.message, error.exit_code) from None
        except OSError as exc:  # a file the command had to read or write
            if exc.filename is None:
                raise  # standard output: the entry point says so (exit 74)
            where = f"{exc.filename}: " if exc.filename else ""
            raise Failed(f"{where}{exc.strerror or exc}; nothing was written",
                         EXIT_STORE) from None


def _not_utf8(fallback: str) -> str:
    """The command-line argument that is not UTF-8, its bytes shown as typed (``\\xff``)."""
    bad = [a for a in sys.argv[1:] if not _utf8(a)] or [fallback]
    return bad[0].encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
