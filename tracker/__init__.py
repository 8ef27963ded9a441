"""tracker: the analyst's terminal for the state of international AI coordination."""

__version__ = "0.1.0"

__all__ = ["__version__"]
