"""The shipped catalog is found after a regular install, not only from a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_checkout_finds_data_indicators_yaml():
    from tracker.catalog import shipped_catalog_path

    assert shipped_catalog_path() == ROOT / "data" / "indicators.yaml"


def test_wheel_ships_the_catalog_and_finds_it(tmp_path):
    pytest.importorskip("hatchling")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("tracker-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "tracker/_data/indicators.yaml" in names
        assert any(n.startswith("screens/") for n in names)
        zf.extractall(tmp_path / "site")
    shipped = (tmp_path / "site" / "tracker" / "_data" / "indicators.yaml").read_bytes()
    assert shipped == (ROOT / "data" / "indicators.yaml").read_bytes()
    code = "from tracker.catalog import shipped_catalog_path as p; print(p())"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True, env={"PYTHONPATH": str(tmp_path / "site")})
    assert out.stdout.strip() == str(tmp_path / "site" / "tracker" / "_data" /
                                     "indicators.yaml")
