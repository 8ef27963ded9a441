"""Shared fixtures: a small catalog, a store in tmp_path, a frozen clock, a CLI runner."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.catalog import load_catalog
from tracker.store import Store

DATA = Path(__file__).parent / "data"
FROZEN = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No test reads the developer's store, catalog or clock."""
    monkeypatch.setenv("TRACKER_NOW", FROZEN.isoformat())
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_CATALOG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # no user config file
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))  # nor the user's log
    for name in ("TRACKER_CONFIG", "TRACKER_CONTACT", "TRACKER_WINDOW", "TRACKER_EXPORT_DIR",
                 "TRACKER_THEME", "TRACKER_WATCH", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def catalog_path(tmp_path) -> Path:
    """A writable copy of the small test catalog."""
    target = tmp_path / "catalog.yaml"
    shutil.copy(DATA / "catalog-small.yaml", target)
    return target


@pytest.fixture
def catalog(catalog_path):
    return load_catalog(catalog_path)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "store.db", clock=lambda: FROZEN)
    yield s
    s.close()


class Cli:
    """Runs `tracker` with a given store and catalog, as a user would."""

    def __init__(self, db: Path, catalog: Path) -> None:
        self.db = db
        self.catalog = catalog
        self.runner = CliRunner()

    def __call__(self, *args: str, catalog: Path | None = None, **kwargs):
        argv = ["--db", str(self.db), "--catalog", str(catalog or self.catalog), *args]
        from tracker.cli import cli

        return self.runner.invoke(cli, argv, catch_exceptions=False, **kwargs)


@pytest.fixture
def run(tmp_path, catalog_path) -> Cli:
    return Cli(tmp_path / "cli.db", catalog_path)
