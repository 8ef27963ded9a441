"""Snapshots: deterministic, escaped, sourced, and aware of what changed since the last one."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from tracker.export import build, write
from tracker.export.markdown import cell
from tracker.sync import sync

from conftest import DATA

GOLDEN = DATA / "golden-small.md"


@pytest.fixture
def synced(store, catalog):
    sync(store, catalog)
    return store


def test_markdown_matches_the_golden_file(synced):
    text = build(synced, "md").text
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text()


def test_same_store_gives_byte_identical_output(synced):
    for fmt in ("md", "json"):
        assert build(synced, fmt).text == build(synced, fmt).text
    assert build(synced, "csv").tables == build(synced, "csv").tables


def test_export_to_a_folder_twice_then_after_a_change(run, tmp_path):
    out = tmp_path / "briefings"
    first = run("export", "-o", f"{out}/")
    assert first.exit_code == 0, first.output
    assert sorted(p.name for p in out.iterdir()) == ["2026-11-22.md", "latest.md"]
    snap = first.stderr.split("snapshot ")[1].split()[0]
    assert f"Snapshot `{snap}`" in (out / "latest.md").read_text()
    assert "No earlier snapshot is recorded" in (out / "latest.md").read_text()

    second = run("export", "-o", str(out))
    assert f"snapshot {snap} " in second.stderr
    text = (out / "latest.md").read_text()
    assert f"Nothing changed since snapshot `{snap}`" in text

    run("set", "pace-mismatch", "severity", "Low", "--as-of", "2026-10",
        "--source", "https://example.org/mine")
    third = run("export", "-o", str(out))
    assert f"snapshot {snap} " not in third.stderr
    text = (out / "latest.md").read_text()
    section = text.split("## What changed")[1].split("## Headline")[0]
    assert f"Since snapshot `{snap}`" in section
    rows = [line for line in section.splitlines() if line.startswith("| 20")]
    assert rows == ["| 2026-10 | Pace mismatch | Severity | Moderate | Low | ▲ better |  | [^1] |"]


def test_export_to_a_file_and_to_stdout(run, tmp_path):
    target = tmp_path / "state.json"
    assert run("export", "--format", "json", "-o", str(target)).exit_code == 0
    data = json.loads(target.read_text())
    assert data["shape"] == 1 and data["as_of"] == "2025-06"
    assert data["memberships"]["test-treaty"]["entries"][0]["party"] == "EU"
    crit = data["criteria"]["test-treaty"]
    assert crit["fit"]["level"] == "partial" and len(crit["criteria"]) == 6
    assert {h["id"]: h["kind"] for h in data["headline"]}["parties"] == "floor"
    stdout = run("export").stdout
    assert stdout.startswith("# International AI coordination: snapshot of 2025-06")
    bad = run("export", "-o", str(tmp_path / "no" / "such" / "file.md"))
    assert bad.exit_code == 2 and "does not exist" in bad.stderr


def test_csv_export(run, tmp_path):
    result = run("export", "--format", "csv", "-o", f"{tmp_path}/csv/")
    assert result.exit_code == 0
    folder = tmp_path / "csv" / "2026-11-22"
    names = sorted(p.stem for p in folder.iterdir())
    assert names == ["criteria", "events", "mechanisms", "memberships", "observations",
                     "obstacles"]
    crit = {r["criterion"]: r for r in csv.DictReader((folder / "criteria.csv").open())}
    assert len(crit) == 6 and crit["not_dependent"]["value"] == "no"
    assert crit["outside_structures"]["basis"] == "reading" and crit["multipolar"]["fit"]
    rows = list(csv.DictReader((folder / "obstacles.csv").open()))
    assert rows[1]["severity"] == "Moderate" and rows[1]["severity_as_of"] == "2025-06"
    long = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    assert len(long) == 10


def test_since_lists_the_window_instead(synced):
    text = build(synced, "md", since="2025-06").text
    section = text.split("## What changed")[1].split("## Headline")[0]
    assert "| 2025-06 | Pace mismatch | Severity | High | Moderate | ▲ better |" in section
    assert "Building" not in section


HOSTILE = ('x | y\\nz <script>alert(1)</script> `code` [link](http://evil) '
           '[bold]markup[/bold] \\e[31mred\\e[0m **b** _i_ # h')


def test_hostile_values_cannot_break_a_table(store, catalog_path):
    from tracker.catalog import load_catalog

    catalog_path.write_text(catalog_path.read_text().replace(
        "value: US-China rivalry", f'value: "{HOSTILE}"'))
    sync(store, load_catalog(catalog_path))
    text = build(store, "md").text
    [line] = [ln for ln in text.splitlines() if ln.startswith("| Strategic competition")]
    assert line.count(" | ") == 3  # Name | Mechanism | Severity | As of: no extra cells
    assert "<script>" not in text and "&lt;script&gt;" not in text
    assert "\\<script\\>" in line and "\\`code\\`" in line and "\\[link\\](http://evil)" in line
    assert "\x1b" not in text
    assert "\\[bold\\]markup\\[/bold\\]" in line


def test_cell_escaping():
    assert cell("a|b") == "a\\|b"
    assert cell("line\nbreak") == "line break"
    assert cell("<b>&amp;") == "\\<b\\>&amp;amp;"
    assert cell("`x` [y](z) *w*") == "\\`x\\` \\[y\\](z) \\*w\\*"


def test_write_is_atomic_and_records_the_snapshot(synced, tmp_path):
    snap = build(synced, "md")
    files = write(synced, snap, f"{tmp_path}/out/")
    assert [f.name for f in files] == ["2026-11-22.md", "latest.md"]
    assert not list(Path(tmp_path / "out").glob(".*tmp"))
    row = synced.db["snapshots"].get(snap.id)
    assert row["as_of"] == "2025-06" and json.loads(row["state"]) == snap.state


def test_trends_command(run):
    result = run("trends", "--since", "3y")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "7 changes since 2023-11-22" in out  # 3 of fields, 4 of the ledger
    assert "Pace mismatch" in out and "▲ better" in out
    assert "Test Treaty ratifications" not in out  # no rule declared
    data = json.loads(run("trends", "--since", "all", "--format", "json").stdout)
    assert data["window_start"] is None and len(data["changes"]) == 7
    assert "No changes dated since 2026-01-01." in run("trends", "--since", "2026").stdout
    bad = run("trends", "--since", "last week")
    assert bad.exit_code == 2 and "--since: 'last week' is not a window" in bad.stderr
