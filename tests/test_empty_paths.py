"""An empty path is a mistake, not the default: `tracker --db "$DB" refresh` with DB unset
wrote into the default store, and `--catalog ""` read the shipped catalog. One line, exit
2, and no default store is made."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tracker.cli import cli


@pytest.mark.parametrize("option", ["--db", "--catalog", "--config"])
@pytest.mark.parametrize("value", ["", " "])
@pytest.mark.parametrize("command", [["list"], ["set", "x", "y", "z"], ["export"]])
def test_an_empty_path_is_one_line_and_nothing_is_written(tmp_path, monkeypatch, option,
                                                          value, command):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(cli, [option, value, *command], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert f"{option}: the path is empty" in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.rglob("*.db")) == []
