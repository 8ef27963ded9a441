"""Two exports of the same day into one folder keep both: the dated name is taken without
replacing, so an export that finds its name taken meanwhile (another process wrote that
day's briefing between the choice and the rename) takes the next suffix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.export import files


@pytest.fixture
def synced(run):
    assert run("list").exit_code == 0
    return run


def _racing(monkeypatch, make):
    """dated_name as is, but another export takes the first name it gives right after."""
    real = files.dated_name
    calls = []

    def racing(folder, day, ext):
        name = real(folder, day, ext)
        if not calls:
            make(name)
        calls.append(name)
        return name

    monkeypatch.setattr(files, "dated_name", racing)
    return calls


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_a_dated_file_taken_meanwhile_is_kept(synced, tmp_path, monkeypatch, fmt):
    out = tmp_path / "briefings"
    out.mkdir()
    calls = _racing(monkeypatch, lambda name: Path(name).write_text("the other export\n"))
    result = synced("export", "--format", fmt, "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    first, second = calls[0], calls[1]
    assert first.read_text() == "the other export\n"
    assert second.name.startswith(first.stem + "-2")
    assert second.read_text() == (out / f"latest.{fmt}").read_text() != first.read_text()
    import sqlite3

    paths = sqlite3.connect(synced.db).execute("SELECT path FROM snapshots").fetchall()
    assert paths == [(str(second),)]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_dated_csv_folder_taken_meanwhile_is_kept(synced, tmp_path, monkeypatch):
    out = tmp_path / "tables"
    out.mkdir()

    def other(name):
        Path(name).mkdir()
        (Path(name) / "mechanisms.csv").write_text("the other export\n")

    calls = _racing(monkeypatch, other)
    result = synced("export", "--format", "csv", "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    assert (calls[0] / "mechanisms.csv").read_text() == "the other export\n"
    assert calls[1].name == calls[0].name + "-2"
    assert (calls[1] / "observations.csv").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_an_empty_folder_taken_meanwhile_is_not_filled(synced, tmp_path, monkeypatch):
    out = tmp_path / "tables"
    out.mkdir()
    calls = _racing(monkeypatch, lambda name: Path(name).mkdir())
    assert synced("export", "--format", "csv", "-o", f"{out}/").exit_code == 0
    assert list(calls[0].iterdir()) == [] and (calls[1] / "observations.csv").exists()


@pytest.mark.parametrize("args", [["export"], ["export", "--format", "csv"],
                                  ["export", "--format", "json"],
                                  ["export", "--category", "obstacles"]])
def test_a_failed_folder_export_leaves_no_folder_behind(synced, tmp_path, monkeypatch, args):
    import errno

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.tempfile, "mkstemp", full)
    monkeypatch.setattr(files.tempfile, "mkdtemp", full)
    before = set(tmp_path.iterdir())
    result = synced(*args, "-o", f"{tmp_path}/new/briefings/")
    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.stderr and "Traceback" not in result.output
    assert set(tmp_path.iterdir()) == before
