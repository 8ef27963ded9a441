"""Opening a source's URL: in a browser when one can be started, else on the clipboard."""

from __future__ import annotations

import webbrowser


def open_in_browser(url: str) -> bool:
    """Ask a graphical browser to open ``url``; False when none could be started.

    A console browser (lynx, w3m, or ``$BROWSER`` naming one) would take over the terminal
    the dashboard is drawn in, so it counts as no browser.
    """
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if isinstance(browser, webbrowser.GenericBrowser) and \
            not isinstance(browser, webbrowser.BackgroundBrowser):
        return False
    try:
        return bool(browser.open(url, new=2))
    except Exception:  # noqa: BLE001 - a broken browser setup is "no browser"
        return False
