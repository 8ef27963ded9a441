"""The console script's entry point: the short path or click, plus what happens when output
cannot be written."""

from __future__ import annotations

import errno
import io
import os
import sys

from tracker.errors import EXIT_BROKEN_PIPE, EXIT_OUTPUT, OutputClosed


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: click, plus what happens when the output cannot be written.

    A reader that closes the pipe early (``tracker list | head -1``) ends the command quietly
    with exit code 141 (128 + SIGPIPE, what a shell reports for a command killed by a broken
    pipe), not 1, which means some sources failed. Output that cannot be written at all
    (``> /dev/full``, a closed descriptor) is one line on standard error and exit code 74.

    ``tracker list``, ``show`` and ``history`` in their plain forms run without click when
    they can (:mod:`tracker.quick`); everything else, errors included, goes through click.
    """
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        sys.stdout = _Closed()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        try:
            from tracker import quick

            text = quick.run(args, sys.stdout)
            if text is None:
                code = _click(args)
            else:
                sys.stdout.write(text)
                code = 0
            sys.stdout.flush()  # now, so a write error is ours to report, not the interpreter's
        except BrokenPipeError as exc:
            raise OutputClosed() from exc
        except KeyboardInterrupt:
            _say("Aborted!")
            code = 1
    except OutputClosed:
        _silence_stdout()
        code = EXIT_BROKEN_PIPE
    except OSError as exc:
        _silence_stdout()
        where = f"to {exc.filename}" if exc.filename else "the output"
        why = exc.strerror or str(exc)
        if exc.errno == errno.EBADF and not exc.filename:
            why = "standard output is closed"
        _say(f"Error: cannot write {where}: {why}")
        code = EXIT_OUTPUT
    sys.exit(code)


def _click(args: list[str]) -> int:
    """Run the click command line; its errors are one line and their exit code."""
    import click

    from tracker.cli import cli

    try:
        code = cli.main(args=args, prog_name="tracker", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        _say("Aborted!")
        return 1
    return code if isinstance(code, int) else 0


class _Closed(io.TextIOBase):
    """Standard output that was closed before we started: every write fails as on a closed
    descriptor, and the failure is reported like any other write error."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def isatty(self) -> bool:
        return False


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _say(message: str) -> None:
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
