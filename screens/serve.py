"""The dashboard served to a browser: textual-serve runs one dashboard process per tab.

The headless core's `tracker serve` builds the command and checks the address; this module
owns the web server, so the core never imports the Textual side.
"""

from __future__ import annotations


def serve(command: str, host: str, port: int) -> None:
    """Serve ``command`` (a shell command running the dashboard) on ``host:port`` until
    Ctrl+C; each browser tab gets its own process over a websocket."""
    from textual_serve.server import Server

    url_host = f"[{host}]" if ":" in host else host
    Server(command, host=host, port=port, title="tracker",
           public_url=f"http://{url_host}:{port}").serve()
