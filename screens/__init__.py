"""The Textual dashboard over the tracker store. Only `tracker` (bare) imports this."""
