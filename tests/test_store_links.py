"""A store named through a symbolic link is still one store: SQLite keeps its WAL and index
beside the file the link points at, so those are the store's files under any name, and
every name of the store shares one refresh lock (two refreshes never run at once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cli
from tracker.refresh import Locked, refresh_lock


@pytest.fixture
def linked(tmp_path, catalog_path):
    real = tmp_path / "data" / "real.db"
    real.parent.mkdir()
    assert Cli(real, catalog_path)("list").exit_code == 0
    (tmp_path / "link.db").symlink_to(real)
    (tmp_path / "dir").symlink_to(real.parent, target_is_directory=True)
    return real, Cli(tmp_path / "link.db", catalog_path), Cli(tmp_path / "dir" / "real.db",
                                                               catalog_path)


@pytest.mark.parametrize("suffix", ["-wal", "-shm", ".refresh-lock", ""])
@pytest.mark.parametrize("args", [["export"], ["export", "--category", "obstacles"]])
def test_the_real_store_s_files_are_refused_through_a_linked_name(linked, suffix, args):
    real, via_link, via_dir = linked
    before = real.read_bytes()
    for cli in (via_link, via_dir):
        target = Path(f"{real}{suffix}")
        result = cli(*args, "-o", str(target))
        assert result.exit_code == 2, (cli.db, target, result.output)
        assert "the store or one of its files" in result.stderr
        assert "Traceback" not in result.output
        assert not target.exists() or suffix == ""
    assert real.read_bytes() == before


def test_every_name_of_a_store_shares_its_refresh_lock(linked):
    real, via_link, via_dir = linked
    for held, other in [(real, via_link.db), (via_link.db, real), (via_dir.db, via_link.db)]:
        with refresh_lock(str(held)):
            with pytest.raises(Locked):
                with refresh_lock(str(other)):
                    pass


def test_a_refresh_through_a_link_waits_for_one_through_the_real_name(linked):
    real, via_link, _ = linked
    with refresh_lock(str(real)):
        result = via_link("refresh")
    assert result.exit_code == 75, result.output
    assert "another refresh is running" in result.stderr
