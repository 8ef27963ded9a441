"""Writing a source's results: values, ledger entries, events, proposals and health."""

from __future__ import annotations

import json

from tracker.catalog.model import SourceDef
from tracker.fetchers import Fetched, Item, Member, Validators, Value
from tracker.fetchers.feeds import event_id
from tracker.store import Store
from tracker.text import one_line

FETCHER = "fetcher"
CURATED = ("catalog", "analyst")


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so nothing it wrote stays."""


def source_state(store: Store, source_id: str) -> tuple[Validators, dict[str, str], set[str]]:
    """The validators, pinned identifiers and seen feed items of a source."""
    db = store.db
    row = db.execute("SELECT etag, last_modified, body_hash FROM source_health "
                     "WHERE source_id = ?", [source_id]).fetchone()
    validators = Validators(*row) if row else Validators()
    pins = dict(db.execute("SELECT key, value FROM source_pins WHERE source_id = ?",
                           [source_id]).fetchall())
    seen = {r[0] for r in db.execute("SELECT item_id FROM feed_items WHERE source_id = ?",
                                     [source_id])}
    return validators, pins, seen


def skipped_detail(reasons: list[str]) -> str | None:
    """One line on the values a source gave that were not written, or None."""
    if not reasons:
        return None
    shown = "; ".join(dict.fromkeys(one_line(r) for r in reasons[:3]))
    more = "; ..." if len(reasons) > 3 else ""
    return one_line(f"{len(reasons)} skipped: {shown}{more}")[:300]


def record_failure(store: Store, source: SourceDef, error: str) -> None:
    """Count a failure against the source's health; its data stays as it was."""
    now = store.now()
    with store.transaction() as db:
        old = db.execute("SELECT consecutive_failures FROM source_health WHERE source_id = ?",
                         [source.id]).fetchone()
        db["source_health"].upsert({
            "source_id": source.id, "last_attempt": now, "status": "failing",
            "consecutive_failures": (old[0] or 0) + 1 if old else 1, "last_error": error,
        }, pk="source_id")


def apply(store: Store, source: SourceDef, fetched: Fetched, pins: dict[str, str],
          run_id: int | None, *, dry_run: bool = False) -> list[str]:
    """Write one source's results in one transaction; return one line per change."""
    changes: list[str] = []
    try:
        with store.transaction() as db:
            now = store.now()
            for result in fetched.results:
                if isinstance(result, Value):
                    line = _value(store, source, result, fetched, run_id, now)
                elif isinstance(result, Member):
                    line = _member(store, source, result, fetched, run_id, now)
                else:
                    line = _event(store, source, result, now)
                if line:
                    changes.append(f"{source.id}: {line}")
            for item in fetched.new_items:
                db["feed_items"].insert({
                    "source_id": source.id, "item_id": item.item_id, "first_seen": now,
                    "published": item.date, "title": item.title, "link": item.link,
                }, pk=("source_id", "item_id"), ignore=True)
            for key, value in pins.items():
                db["source_pins"].insert({"source_id": source.id, "key": key, "value": value,
                                          "pinned_at": now}, pk=("source_id", "key"),
                                         ignore=True)
            # Plain SQL on this hot path: a refresh writes once per source, while other
            # hosts' requests wait on the same event loop.
            db.execute(
                "INSERT INTO source_health (source_id, last_attempt, last_success, status, "
                "consecutive_failures, last_error, etag, last_modified, body_hash, skipped, "
                "skipped_detail) VALUES (?, ?, ?, 'ok', 0, NULL, ?, ?, ?, ?, ?) "
                "ON CONFLICT (source_id) DO UPDATE SET "
                "last_attempt = excluded.last_attempt, last_success = excluded.last_success, "
                "status = 'ok', consecutive_failures = 0, last_error = NULL, "
                "etag = excluded.etag, last_modified = excluded.last_modified, "
                "body_hash = excluded.body_hash, skipped = excluded.skipped, "
                "skipped_detail = excluded.skipped_detail",
                [source.id, now, now, fetched.etag, fetched.last_modified, fetched.body_hash,
                 len(fetched.skipped), skipped_detail(fetched.skipped)])
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return changes


def _text(value: float | str) -> tuple[str, float | None]:
    if isinstance(value, str):
        return one_line(value), None
    number = float(value)
    return (str(int(number)) if number.is_integer() else repr(number)), number


def _value(store: Store, source: SourceDef, v: Value, fetched: Fetched, run_id, now) -> str:
    db = store.db
    text, number = _text(v.value)
    same_day = db.execute(
        "SELECT value, origin, author FROM observations WHERE indicator_id = ? AND field = ? "
        "AND as_of = ? AND withdrawn_at IS NULL ORDER BY recorded_at DESC, id DESC",
        [v.indicator, v.field, v.as_of]
    ).fetchall()
    own = [value for value, origin, author in same_day
           if origin == FETCHER and author == source.id]
    if (own[0] if own else same_day[0][0] if same_day else None) == text:
        # unchanged: not written again (a source's own earlier reading that differs is
        # superseded by writing this one, even when another source already says the same)
        return ""
    curated = [value for value, origin, _ in same_day if origin in CURATED]
    reason = None
    if source.review == "manual":
        reason = "the source is reviewed by hand"
    elif curated and curated[0] != text:
        reason = f"contradicts the curated value {curated[0]!r}"
    if reason:
        return _propose(db, source, run_id, now, fetched, reason, kind="observation",
                        indicator_id=v.indicator, field=v.field, value=text,
                        value_num=number, as_of=v.as_of, note=v.note)
    db.execute(
        "INSERT INTO observations (indicator_id, field, value, value_num, as_of, recorded_at, "
        "origin, source, confidence, note, author, run_id, response_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [v.indicator, v.field, text, number, v.as_of, now, FETCHER, source.url,
         source.confidence, v.note, source.id, run_id, fetched.body_hash])
    was = own[0] if own else same_day[0][0] if same_day else None
    old = f" (was {was})" if was is not None and was != text else ""
    return f"{v.indicator}.{v.field} = {text} as of {v.as_of}{old}"


def _member(store: Store, source: SourceDef, m: Member, fetched: Fetched, run_id, now) -> str:
    db = store.db
    rows = db.execute("SELECT date, origin FROM memberships WHERE mechanism_id = ? AND "
                      "party = ? AND role = ?", [m.mechanism, m.party, m.role]).fetchall()
    if any(date == m.date for date, _ in rows):
        return ""
    if not db.execute("SELECT 1 FROM parties WHERE code = ?", [m.party]).fetchone():
        return ""  # a party the catalog does not know: not ours to add
    reason = None
    if source.review == "manual":
        reason = "the source is reviewed by hand"
    elif any(origin in CURATED for _, origin in rows):
        dates = ", ".join(sorted(d for d, o in rows if o in CURATED))
        reason = f"the curated ledger dates this {m.role} {dates}"
    if reason:
        return _propose(db, source, run_id, now, fetched, reason, kind="membership",
                        indicator_id=m.mechanism, party=m.party, role=m.role, date=m.date,
                        note=m.note)
    db["memberships"].insert({
        "mechanism_id": m.mechanism, "party": m.party, "role": m.role, "date": m.date,
        "source": source.url, "confidence": source.confidence, "note": m.note,
        "origin": FETCHER, "recorded_at": now, "run_id": run_id,
    })
    return f"{m.mechanism} + {m.party} {m.role} {m.date}"


def _event(store: Store, source: SourceDef, item: Item, now: str) -> str:
    ident = event_id(source.id, item.item_id)
    if store.db.execute("SELECT 1 FROM events WHERE id = ?", [ident]).fetchone():
        return ""
    store.db["events"].insert({
        "id": ident, "date": item.date, "title": item.title, "kind": item.kind,
        "source": item.link or source.url, "confidence": source.confidence,
        "note": f"From the feed {source.id}", "origin": FETCHER, "recorded_at": now,
    })
    return f"event {item.date} {item.title}"


def _propose(db, source: SourceDef, run_id, now, fetched: Fetched, reason: str, **what) -> str:
    pending = db.execute(
        "SELECT 1 FROM proposals WHERE status = 'pending' AND source_id = ? AND kind = ? AND "
        "indicator_id = ? AND coalesce(field, '') = ? AND coalesce(value, '') = ? AND "
        "coalesce(as_of, '') = ? AND coalesce(party, '') = ? AND coalesce(date, '') = ?",
        [source.id, what["kind"], what["indicator_id"], what.get("field") or "",
         what.get("value") or "", what.get("as_of") or "", what.get("party") or "",
         what.get("date") or ""]).fetchone()
    if pending:
        return ""
    db["proposals"].insert({
        **what, "source_id": source.id, "run_id": run_id, "source_url": source.url,
        "confidence": source.confidence, "reason": reason,
        "response_hash": fetched.body_hash, "status": "pending", "created_at": now,
    })
    subject = what.get("field") or f"{what.get('party')} {what.get('role')}"
    shown = what.get("value") or what.get("date")
    return f"proposal for review: {what['indicator_id']} {subject} = {shown} ({reason})"


def sources_table_rows(sources: list[SourceDef], now: str) -> list[dict]:
    """The catalog's sources as rows of the ``sources`` table."""
    return [{"id": s.id, "kind": s.kind, "url": s.url, "params": json.dumps(s.params),
             "feeds": json.dumps(s.feeds.model_dump()), "review": s.review,
             "freshness": s.freshness, "confidence": s.confidence, "retired_at": None}
            for s in sources]
