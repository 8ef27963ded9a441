"""The review queue: fetched values that wait for an analyst to accept or reject them."""

from __future__ import annotations

from typing import Any

from tracker.errors import TrackerError
from tracker.store import Store


def pending(store: Store) -> list[dict[str, Any]]:
    """Proposals waiting for a decision, oldest first."""
    return list(store.db.query("SELECT * FROM proposals WHERE status = 'pending' ORDER BY id"))


def describe(p: dict[str, Any]) -> str:
    """One line saying what a proposal would record."""
    if p["kind"] == "observation":
        return f"{p['indicator_id']}.{p['field']} = {p['value']} as of {p['as_of']}"
    return f"{p['indicator_id']}: {p['party']} {p['role']} {p['date']}"


def decide(store: Store, proposal_id: int, accept: bool, author: str) -> dict[str, Any]:
    """Accept (record it) or reject one proposal; either way the decision is logged.

    Raises:
        TrackerError: no pending proposal has that id.
    """
    return decide_all(store, [proposal_id], accept, author)[0]


def decide_all(store: Store, proposal_ids: list[int], accept: bool,
               author: str) -> list[dict[str, Any]]:
    """Accept or reject several proposals in one transaction: every id is checked first.

    Raises:
        TrackerError: an id is not a pending proposal (or is given twice); nothing is written.
    """
    with store.transaction() as db:
        found = []
        for proposal_id in proposal_ids:
            rows = list(db.query("SELECT * FROM proposals WHERE id = ?", [proposal_id]))
            if not rows or rows[0]["status"] != "pending":
                state = rows[0]["status"] if rows else "unknown"
                raise TrackerError(f"proposal {proposal_id} is {state}, not pending "
                                   "(see `tracker review`); nothing was decided")
            if proposal_id in [p["id"] for p in found]:
                raise TrackerError(f"proposal {proposal_id} is given twice; nothing was decided")
            found.append(rows[0])
        for p in found:
            _decide(store, db, p, accept, author)
    return found


def _decide(store: Store, db, p: dict[str, Any], accept: bool, author: str) -> None:
    proposal_id = p["id"]
    now = store.now()
    if accept and p["kind"] == "observation":
        db["observations"].insert({
            "indicator_id": p["indicator_id"], "field": p["field"], "value": p["value"],
            "value_num": p["value_num"], "as_of": p["as_of"], "recorded_at": now,
            "origin": "fetcher", "source": p["source_url"], "confidence": p["confidence"],
            "note": p["note"], "author": author, "run_id": p["run_id"],
            "response_hash": p["response_hash"],
        })
    elif accept:
        db["memberships"].insert({
            "mechanism_id": p["indicator_id"], "party": p["party"], "role": p["role"],
            "date": p["date"], "source": p["source_url"], "confidence": p["confidence"],
            "note": p["note"], "origin": "fetcher", "recorded_at": now,
            "run_id": p["run_id"],
        })
    db["proposals"].update(proposal_id, {
        "status": "accepted" if accept else "rejected", "decided_at": now,
        "decided_by": author})
    p.update(status="accepted" if accept else "rejected", decided_at=now, decided_by=author)
