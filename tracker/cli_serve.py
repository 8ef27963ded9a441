"""The `serve` command: the dashboard in a browser, through textual-serve.

textual-serve starts one dashboard process per browser tab (``python -m tracker`` with the
same store and catalog) and relays the terminal over a websocket. Nothing here imports
Textual; the served process does.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys

import click

from tracker.cli import Env, Failed, cli

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""The driver textual-serve sets in the served process's environment (TEXTUAL_DRIVER)."""


def served_by_web() -> bool:
    """True in a process that textual-serve started: the dashboard runs without a TTY."""
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def app_command(env: Env) -> str:
    """The shell command textual-serve runs per browser tab: this tracker, same store/catalog.

    Paths are made absolute (the server may be started from anywhere) and shell-quoted,
    because textual-serve runs the command through the shell.
    """
    from tracker.store import default_db_path

    db = os.path.abspath(env.db or str(default_db_path()))
    args = [sys.executable, "-m", "tracker", "--db", db,
            "--catalog", os.path.abspath(env.catalog_file())]
    return shlex.join(args)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --public.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="TCP port to listen on.")
@click.option("--public", is_flag=True,
              help="Allow a non-loopback --host: anyone who reaches it can use the dashboard, "
                   "including refresh and review.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, public: bool) -> None:
    """Serve the dashboard to a browser (textual-serve); Ctrl+C stops it.

    Each browser tab runs its own dashboard on the same store, so a colleague without a
    terminal sees what you see. It listens on 127.0.0.1 unless told otherwise.

    \b
    Example:
      tracker serve --port 8000     # then open http://127.0.0.1:8000
      tracker --db ~/tracker.db serve
    """
    env: Env = ctx.find_object(Env)
    if not _loopback(host) and not public:
        raise Failed(f"--host {host!r} is not a loopback address; add --public to serve it "
                     "beyond this machine (allowed without it: 127.0.0.1, ::1, localhost)")
    env.store()  # validate the catalog, create or upgrade the store before any tab opens
    import socket

    # aiohttp prints a traceback when the port is taken; say it in one line instead.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise Failed(f"--host/--port: cannot listen on {host}:{port}: {exc.strerror}",
                         exit_code=1) from exc
    url_host = f"[{host}]" if ":" in host else host
    click.echo(f"Serving the dashboard on http://{url_host}:{port} (Ctrl+C stops)", err=True)
    from screens.serve import serve as serve_dashboard  # the Textual side owns the server

    serve_dashboard(app_command(env), host, port)
