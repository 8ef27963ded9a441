"""`t`: the date the dashboard shows the store at (empty: today)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tracker.at import parse_at
from tracker.errors import TrackerError
from screens.plain import Plain


class AtDateScreen(ModalScreen[str | None]):
    """Asks for a date; dismisses with it, with ``""`` for today, or None to keep it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    AtDateScreen { align: center middle; }
    AtDateScreen > Vertical {
        width: 60; max-width: 100%; height: auto; padding: 1 2;
        background: $panel; border: round $accent;
    }
    AtDateScreen #at-error { color: $error; height: auto; }
    """

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain("Show the store as it stood at the end of a date: only what was "
                        "dated and recorded by then. Empty: today.")
            yield Input(value=self.current or "", id="at-input",
                        placeholder="YYYY, YYYY-MM or YYYY-MM-DD; empty: today")
            yield Plain("", id="at-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.dismiss("")
            return
        try:
            date = parse_at(text, self.app.clock().date(), "date")
        except TrackerError as exc:
            self.query_one("#at-error", Static).update(exc.message)
            return
        self.dismiss(date)

    def action_cancel(self) -> None:
        self.dismiss(None)
