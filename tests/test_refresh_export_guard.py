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
