"""Conventions users expect: -h, a config file and `tracker config`, ~ in paths, FORCE_COLOR
and NO_COLOR, shell completion."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tracker.cli import cli

from conftest import DATA


def _commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name)
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path", [(), *_commands(cli)], ids=lambda p: " ".join(p) or "tracker")
def test_dash_h_is_help_on_every_command(path):
    short = CliRunner().invoke(cli, [*path, "-h"], prog_name="tracker")
    assert short.exit_code == 0, short.output
    assert short.output.startswith(" ".join(["Usage: tracker", *path]))
    assert "-h, --help" in short.output
    assert short.output == CliRunner().invoke(cli, [*path, "--help"], prog_name="tracker").output


# ---------------------------------------------------------------- config file

def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "xdg-config" / "tracker" / "config.toml"  # the user config directory
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _in_use(run, *args, env=None) -> dict:
    result = run(*args, "config", "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_precedence_option_then_environment_then_file_then_default(tmp_path, catalog_path):
    runner = CliRunner()

    def settings(*args, env=None):
        result = runner.invoke(cli, ["--catalog", str(catalog_path), *args, "config",
                                     "--format", "json"], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert settings()["window"] == {"value": "1y", "from": "default"}
    assert settings()["config_file"]["from"] == "default (no file)"
    _config(tmp_path, 'store = "%s"\nwindow = "90d"\ncontact = "ana@example.org"\n'
            % (tmp_path / "file.db"))
    s = settings()
    assert s["store"] == {"value": str(tmp_path / "file.db"), "from": "config file"}
    assert s["window"] == {"value": "90d", "from": "config file"}
    assert s["contact"]["value"] == "ana@example.org"
    env = {"TRACKER_DB": str(tmp_path / "env.db"), "TRACKER_WINDOW": "30d"}
    s = settings(env=env)
    assert s["store"] == {"value": str(tmp_path / "env.db"), "from": "env TRACKER_DB"}
    assert s["window"] == {"value": "30d", "from": "env TRACKER_WINDOW"}
    s = settings("--db", str(tmp_path / "opt.db"), env=env)
    assert s["store"] == {"value": str(tmp_path / "opt.db"), "from": "option --db"}
    assert s["catalog"]["from"] == "option --catalog"
    # The store used is the one shown: the option's, created there.
    runner.invoke(cli, ["--catalog", str(catalog_path), "--db", str(tmp_path / "opt.db"),
                        "list"], env=env, catch_exceptions=False)
    assert (tmp_path / "opt.db").exists() and not (tmp_path / "env.db").exists()


def test_config_window_is_the_default_of_trends(run, tmp_path, monkeypatch):
    assert "on 2025-11-22" in run("trends").stdout  # 1y before the frozen clock
    _config(tmp_path, 'window = "90d"\n')
    assert "on 2026-08-24" in run("trends").stdout
    monkeypatch.setenv("TRACKER_WINDOW", "30d")
    assert "on 2026-10-23" in run("trends").stdout
    assert "on 2026-01-01" in run("trends", "--since", "2026").stdout


def test_watch_list_comes_first_in_list_and_trends(run, tmp_path):
    plain = run("list", "-c", "obstacles").stdout.splitlines()
    assert plain[2].startswith("strategic-competition")
    _config(tmp_path, 'watch = ["pace-mismatch", "not-there"]\n')
    watched = run("list", "-c", "obstacles").stdout.splitlines()
    assert watched[2].startswith("pace-mismatch") and watched[3].startswith("strategic")
    # Scripts get the catalog order whatever the config says.
    csv_rows = run("list", "-c", "obstacles", "--format", "csv").stdout.splitlines()
    assert csv_rows[1].split(",")[1] == "strategic-competition"
    run("set", "strategic-competition", "severity", "Low", "--as-of", "2026-11-01")
    run("set", "pace-mismatch", "severity", "Low", "--as-of", "2026-10-01")
    changes = [line for line in run("trends", "--since", "90d").stdout.splitlines()
               if line.startswith("2026-1")]
    assert "Pace" in changes[0] and "Strategic" in changes[1], changes
    shown = _in_use(run)
    assert shown["watch"]["value"] == "pace-mismatch, not-there"
    assert shown["unknown_watch"] == ["not-there"]


def test_export_folder_from_the_config(run, tmp_path):
    folder = tmp_path / "briefings"
    _config(tmp_path, f'export_dir = "{folder}"\n')
    result = run("export")
    assert result.exit_code == 0 and result.stdout == ""
    assert (folder / "latest.md").exists()
    assert run("export", "-o", "-").stdout.startswith("#")  # `-o -`: standard output
    run("export", "-c", "obstacles", "--format", "csv")
    assert (folder / "obstacles.csv").read_text().startswith("ID,Name")


def test_contact_from_the_config_goes_in_the_user_agent(run, tmp_path, monkeypatch):
    from tracker.fetchers.http import user_agent

    _config(tmp_path, 'contact = "ana@example.org"\n')
    assert run("config").exit_code == 0
    assert "; ana@example.org)" in user_agent()
    monkeypatch.setenv("TRACKER_CONTACT", "ops@example.org")
    assert "; ops@example.org)" in user_agent()


@pytest.mark.parametrize("text, where, words", [
    ('store = "a.db"\nwatch = [1\n', 2, ["not valid TOML"]),
    ('store = "a.db"\ncolour = "red"\n', 2, ["unknown setting 'colour'", "allowed: store"]),
    ('\n\nwindow = "2 weeks"\n', 3, ["window '2 weeks' is not a window", "30d"]),
    ('watch = "gpai"\n', 1, ["watch must be a list of indicator ids"]),
    ('theme = ""\n', 1, ["theme must be a non-empty string"]),
    ('store = 3\n', 1, ["store must be a non-empty string"]),
    ('[store]\npath = "x"\n', 1, ["store must be"]),
])
def test_a_broken_config_file_is_one_line_with_file_and_line(run, tmp_path, text, where,
                                                            words):
    path = _config(tmp_path, text)
    result = run("list")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}:{where}: "), lines
    assert all(w in lines[0] for w in words), lines
    assert "Traceback" not in result.output
    assert not run.db.exists()  # nothing opened, nothing written


def test_a_config_file_named_but_missing_or_unreadable(run, tmp_path):
    result = run("--config", str(tmp_path / "nope.toml"), "list")
    assert result.exit_code == 2 and "nope.toml: config file not found" in result.stderr
    result = run("list", env={"TRACKER_CONFIG": str(tmp_path)})
    assert result.exit_code == 2 and "cannot read the config file" in result.stderr
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'contact = "caf\xe9"\n')
    result = run("--config", str(bad), "list")
    assert result.exit_code == 2 and f"{bad}:1: not UTF-8 text" in result.stderr


def test_tilde_is_expanded_in_every_path(tmp_path, monkeypatch, catalog_path):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    shutil.copy(catalog_path, home / "c.yaml")
    runner = CliRunner()

    def ok(args, env=None):
        result = runner.invoke(cli, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    ok(["--db", "~/opt.db", "--catalog", "~/c.yaml", "list"])
    assert (home / "opt.db").exists() and not Path("~").exists()
    ok(["list"], env={"TRACKER_DB": "~/env.db", "TRACKER_CATALOG": "~/c.yaml"})
    assert (home / "env.db").exists()
    _config(tmp_path, 'store = "~/file.db"\ncatalog = "~/c.yaml"\n'
            'export_dir = "~/briefings"\n')
    ok(["list"])
    assert (home / "file.db").exists()
    ok(["export"])
    assert (home / "briefings" / "latest.md").exists()
    ok(["validate", "~/c.yaml"])


def test_theme_is_checked_before_the_dashboard_starts(tmp_path):
    from tracker.cli import Env, Failed
    from tracker.cli_config import run_dashboard
    from tracker.config import Settings

    class App:
        available_themes = {"nord": object(), "textual-dark": object()}
        ran = False

        def __init__(self, store, catalog, export_dir=None):
            self.export_dir = export_dir

        def run(self):
            App.ran = self

        window = "1y"

        def set_reactive(self, reactive, value):
            assert reactive == "1y"  # the class attribute, as Textual wants it
            self.window = value

    settings = Settings(tmp_path / "c.toml", "default", True,
                        {"theme": "nord", "export_dir": str(tmp_path), "window": "90d"},
                        {"theme": "config file"})
    run_dashboard(App, None, Env(None, None, settings=settings))
    assert App.ran.theme == "nord" and App.ran.export_dir == tmp_path
    assert App.ran.window == "90d"
    settings.values["window"] = "2026-01"  # not one `w` cycles through: trends only
    run_dashboard(App, None, Env(None, None, settings=settings))
    assert App.ran.window == "1y"
    settings.values["theme"] = "solarized-pink"
    with pytest.raises(Failed, match=r"theme 'solarized-pink' \(config file\) is not a "
                                     r"dashboard theme \(allowed: nord, textual-dark\)"):
        run_dashboard(App, None, Env(None, None, settings=settings))


# ---------------------------------------------------------------- colour when piped

def test_force_color_gives_ansi_when_piped(run, monkeypatch):
    plain = run("list", "-c", "obstacles").stdout
    assert "\x1b[" not in plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run("list", "-c", "obstacles").stdout
    assert "\x1b[" in coloured and "Strategic competition" in coloured
    trends = run("trends").stdout
    assert "\x1b[" in trends
    # JSON and CSV are for scripts: never coloured.
    assert "\x1b" not in run("list", "--format", "json").stdout
    assert "\x1b" not in run("list", "--format", "csv").stdout


def test_no_color_gives_none(run, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run("list").stdout
    monkeypatch.setenv("FORCE_COLOR", "1")  # NO_COLOR wins
    assert "\x1b" not in run("list").stdout
    monkeypatch.setenv("FORCE_COLOR", "")  # empty means unset (force-color.org)
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b" not in run("list").stdout


# ---------------------------------------------------------------- shell completion

def _complete(args: str, incomplete: str, env: dict | None = None) -> list[str]:
    """What bash would be offered, through the same environment variable the shell uses."""
    words = f"tracker {args} {incomplete}".split()
    if not incomplete:
        words.append("")
    full = {**os.environ, **(env or {}), "_TRACKER_COMPLETE": "bash_complete",
            "COMP_WORDS": " ".join(words), "COMP_CWORD": str(len(words) - 1)}
    result = subprocess.run([sys.executable, "-m", "tracker"], env=full, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]


@pytest.fixture
def synced(run) -> Path:
    assert run("list").exit_code == 0
    return run


def test_completion_of_ids_categories_fields_and_sources(synced, tmp_path):
    run = synced
    db = f"--db {run.db} --catalog {run.catalog}"
    assert _complete(f"{db} show", "") == ["pace-mismatch", "strategic-competition",
                                           "test-treaty"]
    assert _complete(f"{db} show", "te") == ["test-treaty"]
    assert _complete(f"{db} history test-treaty", "") == ["participants", "participant_count",
                                                          "status"]
    assert _complete(f"{db} set pace-mismatch", "s") == ["severity"]
    assert _complete(f"{db} members", "") == ["test-treaty"]
    assert _complete(f"{db} list --category", "") == ["obstacles", "mechanisms"]
    assert _complete(f"{db} export -c", "m") == ["mechanisms"]
    assert _complete(f"{db} events --kind", "") == ["signature", "summit"]
    assert _complete(db, "ev") == ["events"]


def test_completion_reads_the_store_without_writing(synced):
    run = synced
    before = run.db.stat().st_mtime_ns, run.db.stat().st_size
    _complete(f"--db {run.db} show", "")
    assert (run.db.stat().st_mtime_ns, run.db.stat().st_size) == before
    assert not Path(str(run.db) + "-journal").exists()


def test_completion_without_a_store_uses_the_catalog_and_creates_nothing(tmp_path):
    catalog = tmp_path / "sources.yaml"
    shutil.copy(DATA / "catalog-sources.yaml", catalog)
    db = tmp_path / "none.db"
    args = f"--db {db} --catalog {catalog}"
    assert "fr" in _complete(f"{args} refresh --source", "")
    assert "pace-mismatch" in _complete(f"{args} show", "p")
    assert not db.exists()


def test_completion_never_fails(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert _complete(f"--db {junk} --catalog {tmp_path / 'missing.yaml'} show", "") == []
    broken = tmp_path / "broken.toml"
    broken.write_text("store = [\n")
    # A broken config and an unusable store: the shipped catalog still answers, quietly.
    assert "cets-225" in _complete(f"--db {junk} show", "c",
                                   env={"TRACKER_CONFIG": str(broken)})
    assert junk.read_bytes() == b"not a database at all" * 100


def test_completion_script_for_each_shell():
    for shell, marker in (("bash", "complete -o nosort -F"), ("zsh", "compdef"),
                          ("fish", "complete --no-files --command tracker")):
        result = CliRunner().invoke(cli, ["completion", shell])
        assert result.exit_code == 0 and "_TRACKER_COMPLETE" in result.stdout
        assert marker in result.stdout


def test_watch_list_from_the_environment_wins_over_the_file(run, tmp_path, monkeypatch):
    _config(tmp_path, 'watch = ["strategic-competition"]\n')
    monkeypatch.setenv("TRACKER_WATCH", " pace-mismatch , ")
    lines = run("list", "-c", "obstacles").stdout.splitlines()
    assert lines[2].startswith("pace-mismatch")
    assert _in_use(run)["watch"] == {"value": "pace-mismatch", "from": "env TRACKER_WATCH"}


def test_relative_paths_in_the_config_file_are_from_its_folder(run, tmp_path, monkeypatch):
    path = _config(tmp_path, 'export_dir = "briefings"\n')
    monkeypatch.chdir(tmp_path)
    assert _in_use(run)["export_dir"]["value"] == str(path.parent / "briefings")
    monkeypatch.setenv("TRACKER_EXPORT_DIR", "out")  # the environment's: from the cwd
    assert _in_use(run)["export_dir"]["value"] == "out"
