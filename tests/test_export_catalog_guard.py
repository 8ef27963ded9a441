"""No output replaces the catalog in use: `tracker --catalog my.yaml export -o my.yaml`
wrote Markdown over the analyst's catalog (the curated data the store is synced from).
Refused with exit 2 before anything is written, under any spelling or link."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import DATA, Cli


@pytest.fixture
def own(tmp_path):
    catalog = tmp_path / "my.yaml"
    shutil.copy(DATA / "catalog-sources.yaml", catalog)
    cli = Cli(tmp_path / "s.db", catalog)
    assert cli("list").exit_code == 0
    return cli, catalog


@pytest.mark.parametrize("args", [["export"], ["export", "--format", "json"],
                                  ["export", "--category", "obstacles"],
                                  ["export", "--category", "obstacles", "--format", "csv"]])
@pytest.mark.parametrize("spelling", ["plain", "relative", "symlink", "hardlink"])
def test_an_export_never_replaces_the_catalog_in_use(own, tmp_path, monkeypatch, args,
                                                     spelling):
    cli, catalog = own
    before = catalog.read_bytes()
    monkeypatch.chdir(tmp_path)
    target = {"plain": str(catalog), "relative": "./sub/../my.yaml",
              "symlink": "link.yaml", "hardlink": "hard.yaml"}[spelling]
    (tmp_path / "sub").mkdir(exist_ok=True)
    if spelling == "symlink":
        Path("link.yaml").symlink_to(catalog)
    if spelling == "hardlink":
        os.link(catalog, "hard.yaml")
    result = cli(*args, "-o", target)
    assert result.exit_code == 2, result.output
    assert "that is the catalog in use" in result.stderr
    assert "Traceback" not in result.output
    assert catalog.read_bytes() == before


def test_a_folder_export_whose_latest_is_the_catalog_is_refused(own, tmp_path):
    cli, catalog = own
    before = catalog.read_bytes()
    out = tmp_path / "briefings"
    out.mkdir()
    (out / "latest.md").symlink_to(catalog)
    result = cli("export", "-o", f"{out}/")
    assert result.exit_code == 2 and "the catalog in use" in result.stderr
    assert catalog.read_bytes() == before and sorted(os.listdir(out)) == ["latest.md"]
