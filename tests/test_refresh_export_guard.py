"""`tracker refresh --export DIR` refuses, before fetching anything, a folder whose
`latest.md` is the store under another name: the refresh does not run and then report
"nothing was written" after writing what it fetched."""

from __future__ import annotations

import sqlite3

import pytest

from test_refresh_cli import fake, tracker  # noqa: F401 (fixtures)


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_an_export_folder_whose_latest_is_the_store_is_refused_first(tracker, fake,  # noqa: F811
                                                                    tmp_path, link):
    import os

    assert tracker("list").exit_code == 0
    out = tmp_path / "briefings"
    out.mkdir()
    if link == "symlink":
        (out / "latest.md").symlink_to(tracker.db)
    else:
        os.link(tracker.db, out / "latest.md")
    result = tracker("refresh", "--quiet", "--export", str(out))
    assert result.exit_code == 2, result.output
    assert "the store or one of its files" in result.stderr
    fetched = sqlite3.connect(tracker.db).execute(
        "SELECT count(*) FROM observations WHERE origin = 'fetcher'").fetchone()[0]
    assert fetched == 0


@pytest.mark.parametrize("make", ["file", "dangling"])
def test_an_export_folder_that_is_not_a_folder_is_refused_first(tracker, fake,  # noqa: F811
                                                                tmp_path, make):
    assert tracker("list").exit_code == 0
    out = tmp_path / "briefing"
    if make == "file":
        out.write_text("keep me\n")
    else:
        out.symlink_to(tmp_path / "nowhere")
    result = tracker("refresh", "--quiet", "--export", str(out))
    assert result.exit_code == 2, result.output
    assert "not a folder" in result.stderr and "Traceback" not in result.output
    fetched = sqlite3.connect(tracker.db).execute(
        "SELECT count(*) FROM observations WHERE origin = 'fetcher'").fetchone()[0]
    assert fetched == 0
    assert make == "dangling" or out.read_text() == "keep me\n"
