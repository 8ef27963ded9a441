"""Exporting exactly what is needed: `events`, `export --category`, JSON/CSV of `sources`
and `review`."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tracker.store import Store

from conftest import DATA, FROZEN


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# ---------------------------------------------------------------- events

def test_events_lists_past_and_coming_from_the_clock(run, monkeypatch):
    rows = json.loads(run("events", "--format", "json").stdout)
    by_id = {r["id"]: r for r in rows}
    assert [r["id"] for r in rows] == ["treaty-opens", "next-summit"]  # by date
    assert by_id["treaty-opens"]["status"] == "past"
    assert by_id["treaty-opens"]["indicators"] == ["test-treaty"]
    assert by_id["next-summit"]["status"] == "coming"
    assert by_id["next-summit"]["when"] == "in 2027"
    # The clock decides what is coming: in 2027 the summit year is under way.
    monkeypatch.setenv("TRACKER_NOW", "2027-03-01T00:00:00Z")
    rows = json.loads(run("events", "--format", "json").stdout)
    assert {r["id"]: r["status"] for r in rows}["next-summit"] == "ongoing"
    monkeypatch.setenv("TRACKER_NOW", "2028-01-02T00:00:00Z")
    rows = json.loads(run("events", "--format", "json").stdout)
    assert {r["id"]: r["status"] for r in rows}["next-summit"] == "past"


@pytest.mark.parametrize("args, ids", [
    (["--from", "2026"], ["next-summit"]),
    (["--until", "2024-09"], ["treaty-opens"]),
    (["--from", "2024-09-05", "--until", "2024-09-05"], ["treaty-opens"]),
    (["--from", "2024-09-06", "--until", "2026-12"], []),
    (["--from", "2027-06"], ["next-summit"]),  # a year-dated event covers all of 2027
    (["--kind", "summit"], ["next-summit"]),
])
def test_events_filters_by_dates_and_kind(run, args, ids):
    out = run("events", *args, "--format", "csv").stdout
    assert [r["id"] for r in _csv(out)] == ids


def test_events_table_says_today_and_how_far(run):
    out = run("events").stdout
    assert "(today 2026-11-22)" in out
    assert "Next summit" in out and "in 2027" in out
    assert "days ago" in out


@pytest.mark.parametrize("args, words", [
    (["--from", "2026-13"], ["--from", "'2026-13'", "YYYY-MM-DD"]),
    (["--until", "yesterday"], ["--until", "'yesterday'"]),
    (["--from", "2027", "--until", "2026"], ["after --until"]),
    (["--kind", "party"], ["unknown kind 'party'", "signature, summit"]),
])
def test_events_bad_input_is_one_line(run, args, words):
    result = run("events", *args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert all(w in result.stderr for w in words), result.stderr


# ---------------------------------------------------------------- export --category

def test_export_category_csv_is_the_wide_table(run):
    assert run("set", "strategic-competition", "mechanism", "=HYPERLINK(\"x\")\u202e",
               "--as-of", "2026-10").exit_code == 0
    out = run("export", "--category", "obstacles", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["ID", "Name", "Mechanism", "Severity", "As of"]
    assert [r[0] for r in rows[1:]] == ["strategic-competition", "pace-mismatch"]
    first = rows[1]
    assert first[2] == "'=HYPERLINK(\"x\")"  # neutralised, and the bidi override dropped
    assert first[4] == "2026-10"


def test_export_category_json_and_markdown(run):
    data = json.loads(run("export", "-c", "mechanisms", "--format", "json").stdout)
    assert data["category"] == "mechanisms"
    assert [f["field"] for f in data["fields"]] == ["participants", "participant_count",
                                                   "status"]
    assert data["rows"][0]["id"] == "test-treaty"
    assert set(data["rows"][0]["values"]) == {"participants", "participant_count", "status"}
    md = run("export", "-c", "mechanisms").stdout
    assert md.startswith("# Mechanisms\n")
    assert "| ID | Name | Fit | Participants | Parties | Status | As of |" in md
    assert md == run("export", "-c", "mechanisms").stdout  # same store, same bytes


def test_export_category_to_a_file_or_a_folder(run, tmp_path):
    target = tmp_path / "obstacles.csv"
    result = run("export", "-c", "obstacles", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text().startswith("ID,Name,Mechanism")
    folder = tmp_path / "tables"
    assert run("export", "-c", "obstacles", "--format", "json", "-o",
               str(folder) + "/").exit_code == 0
    assert json.loads((folder / "obstacles.json").read_text())["category"] == "obstacles"
    missing = run("export", "-c", "obstacles", "-o", str(tmp_path / "no" / "such.md"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_export_unknown_category_lists_the_allowed(run):
    result = run("export", "--category", "obstacle")
    assert result.exit_code == 2
    assert "unknown category 'obstacle' (allowed: obstacles, mechanisms)" in result.stderr


# ---------------------------------------------------------------- sources and review

@pytest.fixture
def with_proposal(run, tmp_path):
    catalog = tmp_path / "sources.yaml"
    shutil.copy(DATA / "catalog-sources.yaml", catalog)
    run.catalog = catalog
    assert run("list").exit_code == 0
    store = Store.open(run.db, clock=lambda: FROZEN)
    try:
        store.db["proposals"].insert({
            "kind": "observation", "indicator_id": "pace-mismatch", "field": "severity",
            "value": "=cmd|' /C calc'!A0", "as_of": "2026-10", "source_id": "fr",
            "source_url": "https://fr.test/api/v1/documents.json", "confidence": "low",
            "reason": "reviewed\u200b by hand\x1b[31m", "status": "pending",
            "created_at": "2026-10-02T00:00:00Z"})
    finally:
        store.close()
    return run


def test_sources_as_json_and_csv(with_proposal):
    run = with_proposal
    data = json.loads(run("sources", "--format", "json").stdout)
    assert {"fr", "epoch"} <= {s["id"] for s in data}
    assert all(s["state"] == "never run" and s["consecutive_failures"] == 0 for s in data)
    rows = _csv(run("sources", "--format", "csv").stdout)
    assert [r["id"] for r in rows] == [s["id"] for s in data]
    assert rows[0]["url"].startswith("https://")


def test_review_as_json_and_csv_is_safe(with_proposal):
    run = with_proposal
    out = run("review", "--format", "json").stdout
    assert "\u200b" not in out and "\x1b" not in out  # escaped, not raw
    [p] = json.loads(out)
    assert p["value"] == "=cmd|' /C calc'!A0" and p["reason"].startswith("reviewed\u200b")
    [row] = _csv(run("review", "--format", "csv").stdout)
    assert row["value"].startswith("'=")  # never run as a formula
    assert row["reason"] == "reviewed by hand"
    assert row["describe"].startswith("pace-mismatch.severity = ")


def test_review_csv_of_an_empty_queue_is_a_header(run):
    out = run("review", "--format", "csv").stdout
    assert out.startswith("id,kind,indicator_id") and len(out.splitlines()) == 1
    assert run("review", "--format", "json").stdout.strip() == "[]"


def test_export_mechanisms_carries_each_fit_as_the_screen_does(run):
    from tracker import criteria
    from tracker.store import Store

    run("list")  # creates and loads the store
    store = Store.open(run.db)
    fits = {m: c.fit.shown for m, c in criteria.load(store.db).items() if c.fit}
    store.close()
    assert fits, "the small catalog has a mechanism with criteria"
    rows = list(csv.reader(io.StringIO(
        run("export", "-c", "mechanisms", "--format", "csv").stdout)))
    assert rows[0][:3] == ["ID", "Name", "Fit"]
    assert {r[0]: r[2] for r in rows[1:] if r[2]} == fits
    data = json.loads(run("export", "-c", "mechanisms", "--format", "json").stdout)
    assert {r["id"]: r["fit"] for r in data["rows"] if r["fit"]} == fits
    assert "| ID | Name | Fit | Participants |" in run("export", "-c", "mechanisms").stdout
    obstacles = list(csv.reader(io.StringIO(
        run("export", "-c", "obstacles", "--format", "csv").stdout)))
    assert "Fit" not in obstacles[0]
