"""A config file that is not a file (a FIFO, `/dev/zero`, a device) is refused at once:
reading it hung every command, and `/dev/zero` grew memory until it was killed. A `~user`
whose home is unknown is a path like any other, not a traceback."""

from __future__ import annotations

import os
import threading

import pytest


def _within(seconds, call):
    result: list = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    return result


@pytest.mark.parametrize("where", ["option", "env"])
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/null"])
def test_a_config_that_is_not_a_regular_file_is_refused_at_once(run, tmp_path, where, kind):
    path = kind
    if kind == "fifo":
        path = str(tmp_path / "config.toml")
        os.mkfifo(path)
    if where == "option":
        result = _within(10, lambda: run("--config", path, "list"))
    else:
        result = _within(10, lambda: run("list", env={"TRACKER_CONFIG": path}))
    if kind == "fifo" and not result:
        with open(path, "wb"):  # let a blocked reader go
            pass
    assert result, "reading the config file did not end"
    assert result[0].exit_code == 2, result[0].output
    assert "not a regular file" in result[0].stderr and "Traceback" not in result[0].output


def test_a_config_file_far_too_large_is_refused(run, tmp_path):
    big = tmp_path / "config.toml"
    big.write_text("# padding\n" * 200_000)
    result = run("--config", str(big), "list")
    assert result.exit_code == 2 and "over 1,000,000 bytes" in result.stderr


@pytest.mark.parametrize("how", ["--db", "config", "TRACKER_DB"])
def test_a_tilde_user_that_does_not_exist_is_one_line(run, tmp_path, how):
    from click.testing import CliRunner

    from tracker.cli import cli

    name = "~no-such-user-tracker/x.db"
    config = tmp_path / "config.toml"
    config.write_text(f'store = "{name}"\n')
    argv = {"--db": ["--db", name], "config": ["--config", str(config)],
            "TRACKER_DB": []}[how]
    env = {"TRACKER_DB": name} if how == "TRACKER_DB" else {}
    result = CliRunner().invoke(cli, [*argv, "--catalog", str(run.catalog), "list"], env=env,
                                catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert "does not exist" in result.stderr and "Traceback" not in result.output
