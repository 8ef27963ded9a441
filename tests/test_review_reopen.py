"""A rejected proposal can be reopened, from the CLI and the core; an accepted one cannot."""

from __future__ import annotations

from tracker.store import Store

from conftest import FROZEN


def _proposal(db_path) -> int:
    store = Store.open(db_path, clock=lambda: FROZEN)
    try:
        with store.transaction() as db:
            run_id = store.start_run("refresh", "x")
            db["proposals"].insert({
                "source_id": "wikidata", "run_id": run_id, "kind": "observation",
                "indicator_id": "pace-mismatch", "field": "severity", "value": "Low",
                "as_of": "2026-01", "source_url": "https://example.org/p", "confidence": "low",
                "reason": "manual source", "status": "pending", "created_at": "2026-11-01"})
            return db.execute("SELECT max(id) FROM proposals").fetchone()[0]
    finally:
        store.close()


def test_reject_then_reopen_puts_it_back_in_the_queue(run):
    assert run("list").exit_code == 0  # creates and syncs the store
    pid = _proposal(run.db)
    assert run("review", "reject", str(pid), "--author", "ana").exit_code == 0
    result = run("review", "reopen", str(pid))
    assert result.exit_code == 0, result.output
    assert f"reopened {pid}: pace-mismatch.severity = Low" in result.output
    listed = run("review")
    assert "pace-mismatch.severity = Low" in listed.output
    store = Store.open(run.db)
    try:
        row = store.db["proposals"].get(pid)
    finally:
        store.close()
    assert (row["status"], row["decided_at"], row["decided_by"]) == ("pending", None, None)


def test_reopen_refuses_pending_accepted_and_unknown_proposals(run):
    run("list")
    pid = _proposal(run.db)
    result = run.runner.invoke(__import__("tracker.cli").cli.cli,
                               ["--db", str(run.db), "--catalog", str(run.catalog),
                                "review", "reopen", str(pid)])
    assert result.exit_code == 2
    assert f"proposal {pid} is pending, not rejected" in result.output
    run("review", "accept", str(pid))
    result = run.runner.invoke(__import__("tracker.cli").cli.cli,
                               ["--db", str(run.db), "--catalog", str(run.catalog),
                                "review", "reopen", str(pid)])
    assert result.exit_code == 2 and "accepted" in result.output
    assert "tracker set" in result.output
    result = run.runner.invoke(__import__("tracker.cli").cli.cli,
                               ["--db", str(run.db), "--catalog", str(run.catalog),
                                "review", "reopen", "999"])
    assert result.exit_code == 2 and "unknown" in result.output
