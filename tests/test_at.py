"""The state at a date: `--at` on list, show, members, trends and export, and
`trends --since A --until B`. An export made on a day is reproduced byte for byte later."""

from __future__ import annotations

import json

import pytest

from tracker.store import Store

DAY0, DAY, LATER, NOW = ("2026-03-01T09:00:00Z", "2026-05-15T11:00:00Z",
                         "2026-06-01T10:00:00Z", "2026-07-01T08:00:00Z")


def at(clock: str) -> dict:
    return {"TRACKER_NOW": clock}


def _rows(result) -> dict:
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return {r["id"]: r for c in data["categories"] for r in c["rows"]}


def _fetched(db_path, moment: str, indicator: str, field: str, value: str, as_of: str) -> None:
    """What a refresh writes: a fetcher's observation, recorded at ``moment``."""
    store = Store.open(db_path)
    try:
        with store.transaction() as db:
            db["observations"].insert({
                "indicator_id": indicator, "field": field, "value": value, "as_of": as_of,
                "recorded_at": moment, "origin": "fetcher", "source": "https://example.org/f",
                "confidence": "medium", "note": "fetched"})
    finally:
        store.close()


def _later_catalog(path) -> None:
    """A new catalog release: a ledger entry and an event dated before DAY, a new
    indicator, and one indicator dropped (retired)."""
    text = path.read_text()
    text = text.replace(
        "      - {party: CHN, role: declined",
        "      - {party: FRA, role: signed, date: 2026-05-01, source: https://example.org/c, "
        "confidence: high}\n      - {party: CHN, role: declined")
    text = text.replace(
        "events:\n",
        "events:\n  - id: late-news\n    date: 2026-05-02\n    title: Late news\n"
        "    kind: report\n    source: https://example.org/n\n    confidence: low\n")
    start = text.index("  - id: strategic-competition")
    end = text.index("  - id: pace-mismatch")
    new = ("  - id: new-obstacle\n    category: obstacles\n    name: New obstacle\n"
           "    values:\n      severity:\n"
           "        - {value: Low, as_of: 2026-04, source: page, confidence: low}\n")
    path.write_text(text[:start] + new + text[end:])


@pytest.fixture
def history(run, tmp_path):
    """A store used over four months; returns what the commands printed on DAY."""
    out = tmp_path / "briefings"
    assert run("export", "-o", f"{out}/", env=at(DAY0)).exit_code == 0
    # Between DAY0 and DAY: an analyst's value, a fetched one.
    assert run("set", "pace-mismatch", "severity", "Low", "--as-of", "2026-04",
               "--source", "https://example.org/mine", env=at("2026-04-10T10:00:00Z")
               ).exit_code == 0
    _fetched(run.db, "2026-04-20T06:00:00Z", "test-treaty", "participant_count", "5",
             "2026-04")
    seen = {  # the briefing is recorded last: the others compare with DAY0's snapshot too
        "json": run("export", "--format", "json", env=at(DAY)).stdout,
        "csv": run("export", "--format", "csv", env=at(DAY)).stdout,
        "table": run("export", "--category", "mechanisms", "--format", "csv",
                     env=at(DAY)).stdout,
        "list": run("list", "--format", "json", env=at(DAY)).stdout,
        "show": run("show", "test-treaty", "--format", "json", env=at(DAY)).stdout,
        "members": run("members", "test-treaty", "--format", "json", env=at(DAY)).stdout,
        "trends": run("trends", "--since", "1y", "--format", "json", env=at(DAY)).stdout,
        "md": run("export", "-o", f"{out}/", env=at(DAY)),
    }
    assert seen["md"].exit_code == 0, seen["md"].output
    seen["md"] = (out / "2026-05-15.md").read_text()
    # After DAY: values dated before it but recorded later, a withdrawal, a fetched
    # value, a new catalog release (ledger entry, event, indicator, a retirement).
    assert run("set", "test-treaty", "status", "Proposed", "--as-of", "2026-05-01",
               "--source", "https://example.org/late", env=at(LATER)).exit_code == 0
    assert run("withdraw", "pace-mismatch", "severity", "--as-of", "2026-04",
               env=at(LATER)).exit_code == 0
    _fetched(run.db, LATER, "test-treaty", "participant_count", "9", "2026-05")
    _later_catalog(run.catalog)
    assert run("export", "-o", f"{out}/", env=at(LATER)).exit_code == 0
    return seen


def test_export_at_a_day_reproduces_that_days_export_byte_for_byte(run, history):
    md = run("export", "--at", "2026-05-15", env=at(NOW))
    assert md.exit_code == 0, md.output
    assert md.stdout == history["md"]
    assert "Since snapshot" in history["md"]  # it compared with DAY0's snapshot, as then
    assert run("export", "--at", "2026-05-15", "--format", "json",
               env=at(NOW)).stdout == history["json"]
    assert run("export", "--at", "2026-05-15", "--format", "csv",
               env=at(NOW)).stdout == history["csv"]
    assert run("export", "--at", "2026-05-15", "--format", "csv", "--category", "mechanisms",
               env=at(NOW)).stdout == history["table"]
    now = run("export", env=at(NOW)).stdout
    assert now != history["md"] and "New obstacle" in now and "New obstacle" not in md.stdout


@pytest.mark.parametrize("command", [
    ("list", "--format", "json"),
    ("show", "test-treaty", "--format", "json"),
    ("members", "test-treaty", "--format", "json"),
    ("trends", "--since", "1y", "--format", "json"),
])
def test_listing_commands_at_a_day_print_what_they_printed_that_day(run, history, command):
    result = run(*command, "--at", "2026-05-15", env=at(NOW))
    assert result.exit_code == 0, result.output
    assert result.stdout == history[command[0]]
    assert run(*command, env=at(NOW)).stdout != history[command[0]]  # the store did change


def test_at_keeps_what_was_current_then(run, history):
    rows = _rows(run("list", "--format", "json", "--at",
                                               "2026-05-15", env=at(NOW)))
    assert "new-obstacle" not in rows and "strategic-competition" in rows  # added, retired later
    values = rows["pace-mismatch"]["values"]
    assert values["severity"]["value"] == "Low"  # withdrawn after DAY: still current then
    assert rows["test-treaty"]["values"]["participant_count"]["value"] == "5"
    assert rows["test-treaty"]["values"]["status"]["value"] == "Active"  # set later, dated before
    members = json.loads(run("members", "test-treaty", "--format", "json", "--at", "2026-05-15",
                             env=at(NOW)).stdout)
    assert "FRA" not in {m["party"] for m in members["entries"]}
    today = json.loads(run("members", "test-treaty", "--format", "json", env=at(NOW)).stdout)
    assert "FRA" in {m["party"] for m in today["entries"]}


def test_at_before_the_store_existed_reads_the_catalog_by_its_dates(run):
    assert run("list", env=at(NOW)).exit_code == 0  # the store is made today
    rows = _rows(run("list", "--format", "json", "--at", "2024-12",
                                               env=at(NOW)))
    assert rows["pace-mismatch"]["values"]["severity"]["value"] == "High"
    assert rows["test-treaty"]["values"]["status"]["value"] == "Building"
    assert rows["test-treaty"]["values"]["participant_count"]["value"] == "2"
    members = json.loads(run("members", "test-treaty", "--format", "json", "--at", "2024-12",
                             env=at(NOW)).stdout)
    assert {m["party"] for m in members["entries"]} == {"GBR", "USA", "EU"}  # CHN declined in 2025-02
    # A month covers its last day: the value dated 2025-06 counts at 2025-06.
    june = _rows(run("list", "--format", "json", "--at", "2025-06",
                                               env=at(NOW)))
    assert june["pace-mismatch"]["values"]["severity"]["value"] == "Moderate"
    may = _rows(run("list", "--format", "json", "--at", "2025-05-31",
                                              env=at(NOW)))
    assert may["pace-mismatch"]["values"]["severity"]["value"] == "High"
    shown = run("show", "test-treaty", "--at", "2024-12", env=at(NOW)).stdout
    assert "As at 2024-12" in shown and "Test Treaty opens for signature" in shown
    # An event known only from the first load counts from its date: not yet announced.
    assert "Next summit" in run("export", env=at(NOW)).stdout
    assert "Next summit" not in run("export", "--at", "2024-12", env=at(NOW)).stdout


def test_trends_between_two_dates(run):
    assert run("list").exit_code == 0
    result = run("trends", "--since", "2025-01", "--until", "2025-03", "--format", "json")
    data = json.loads(result.stdout)
    assert data["window_start"] == "2025-01-01" and data["window_end"] == "2025-03"
    found = {(c["indicator_id"], c["field"], c["new"]) for c in data["changes"]}
    assert ("test-treaty", "status", "Active") in found
    assert not any(c["indicator_id"] == "pace-mismatch" for c in data["changes"])  # 2025-06
    parties = {f["id"]: f for f in data["headline"]}["parties"]
    assert parties["value"] == 3 and parties["before"] == 3
    table = run("trends", "--since", "2025-01", "--until", "2025-03").stdout
    assert "Headline figures (on 2025-03, and on 2025-01-01)" in table
    assert "since 2025-01-01 up to 2025-03" in table
    later = json.loads(run("trends", "--since", "2025-01", "--format", "json").stdout)
    assert any(c["indicator_id"] == "pace-mismatch" for c in later["changes"])


def test_until_reads_what_is_known_now_and_at_what_was_known_then(run, history):
    known_now = json.loads(run("trends", "--since", "2026-05", "--until", "2026-05-15",
                               "--format", "json", env=at(NOW)).stdout)
    assert ("test-treaty", "status", "Proposed") in {
        (c["indicator_id"], c["field"], c["new"]) for c in known_now["changes"]}
    known_then = json.loads(run("trends", "--since", "2026-05", "--until", "2026-05-15",
                                "--at", "2026-05-15", "--format", "json", env=at(NOW)).stdout)
    assert not any(c["new"] == "Proposed" for c in known_then["changes"])


@pytest.mark.parametrize("args, message", [
    (("list", "--at", "2027"), "--at: '2027' is after today (2026-11-22)"),
    (("list", "--at", "2026-13"), "--at: '2026-13' is not a real date"),
    (("show", "test-treaty", "--at", "yesterday"), "--at: 'yesterday' is not a date"),
    (("members", "test-treaty", "--at", "2026-02-30"), "not a real date"),
    (("trends", "--at", "26-01"), "--at: '26-01' is not a date"),
    (("trends", "--until", "2026-12"), "--until: '2026-12' is after today"),
    (("trends", "--since", "2026-06", "--until", "2026-01"), "starts after --until"),
    (("trends", "--at", "2025-01", "--until", "2025-06"), "--until: '2025-06' is after --at"),
    (("export", "--at", ""), "--at: '' is not a date"),
    (("export", "--at", "2026-01", "-o", "folder/"), "with --at, give a file"),
    (("export", "--at", "2026-01", "--format", "csv", "-o", "x.csv"), "CSV snapshots"),
])
def test_bad_dates_get_one_line_and_exit_2(run, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert run("list").exit_code == 0
    before = run("export", "--format", "json").stdout
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "folder").exists() and not (tmp_path / "x.csv").exists()
    assert run("export", "--format", "json").stdout == before


def test_export_at_to_a_file_writes_only_that_file(run, tmp_path):
    assert run("list").exit_code == 0
    target = tmp_path / "june.md"
    result = run("export", "--at", "2025-06", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("# International AI coordination: snapshot of 2025-06")
    store = Store.open(run.db)
    try:
        assert store.conn.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 0
    finally:
        store.close()
    table = run("export", "--at", "2025-06", "--category", "obstacles", "--format", "csv")
    assert "Moderate" in table.stdout and table.exit_code == 0


def _list_json(run, *args) -> str:
    result = run("list", "--format", "json", *args, env=at(NOW))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_many_rows_left_out_give_the_same_state(run, history, monkeypatch):
    """Past a threshold the history's indexes are dropped and made again: same answer."""
    import tracker.at

    expected = {d: _list_json(run, "--at", d) for d in ("2024-12", "2026-05-15")}
    monkeypatch.setattr(tracker.at, "BULK", 0)
    for date, text in expected.items():
        assert _list_json(run, "--at", date) == text
    store = Store.open(run.db)
    try:
        view = tracker.at.store_at(store, "2024-12")
        names = {r[0] for r in view.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observations'")}
        assert "idx_observations_history" in names
        assert view.conn.execute("SELECT count(*) FROM observations WHERE as_of > '2024-12-31'"
                                 ).fetchone()[0] == 0
        view.close()
        # The real store is untouched: nothing left out, nothing dropped.
        assert store.conn.execute("SELECT count(*) FROM observations WHERE as_of > "
                                  "'2024-12-31'").fetchone()[0] > 0
    finally:
        store.close()


def test_a_proposal_decided_later_was_pending_then(run):
    assert run("list", env=at(LATER)).exit_code == 0  # the store is made on 2026-06-01
    store = Store.open(run.db)
    try:
        with store.transaction() as db:
            db["proposals"].insert({
                "source_id": "wikidata", "kind": "observation", "indicator_id": "pace-mismatch",
                "field": "severity", "value": "Low", "as_of": "2026-06",
                "source_url": "https://example.org/p", "confidence": "low", "reason": "manual",
                "status": "accepted", "created_at": "2026-06-20T08:00:00Z",
                "decided_at": "2026-06-25T08:00:00Z", "decided_by": "ana"})
        from tracker.at import store_at

        def status(date: str) -> list:
            view = store_at(store, date)
            try:
                return [r[0] for r in view.conn.execute("SELECT status FROM proposals")]
            finally:
                view.close()

        assert status("2026-06-22") == ["pending"]
        assert status("2026-06-19") == []
        assert status("2026-06") == ["accepted"]
        view = store_at(store, "2026-06")
        try:
            with pytest.raises(Exception):
                with view.transaction():
                    pass
            assert view.clock().isoformat() == "2026-06-30T23:59:59+00:00"
        finally:
            view.close()
    finally:
        store.close()
