"""The footer every screen shows: Textual's, recomposed only when its keys change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's :class:`~textual.widgets.Footer`, which rebuilds its keys each time the
    screen's bindings are refreshed (a focus moving, a table filled: five times while the
    Tables screen opens, about 10 ms each). This one rebuilds them only when what it
    shows changes: each shown binding's key, description, state and tooltip."""

    _shown: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple((binding.key, binding.key_display, binding.description, enabled, tooltip)
                      for _, binding, enabled, tooltip in screen.active_bindings.values()
                      if binding.show)
        if self._bindings_ready and shown == self._shown and screen is self.screen:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown
