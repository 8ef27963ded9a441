"""Bring the store in line with the catalog, recording only what changed.

Sync never deletes history: new values become observations, an indicator or event dropped
from the catalog is marked retired and keeps its history, and a second run with the same
catalog costs one lookup of its digest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pycountry

from tracker.catalog import Catalog
from tracker.catalog.checks import CRITERIA
from tracker.store import Store

CATALOG = "catalog"


@dataclass(frozen=True)
class SyncResult:
    """What one sync did."""

    skipped: bool = False
    indicators_added: int = 0
    indicators_retired: int = 0
    observations_added: int = 0
    memberships_added: int = 0
    events_added: int = 0

    @property
    def changed(self) -> bool:
        """Whether the sync wrote any content."""
        return not self.skipped and any(
            (self.indicators_added, self.indicators_retired, self.observations_added,
             self.memberships_added, self.events_added)
        )


def value_text(value: object) -> str:
    """How a catalog value is kept in the store's ``value`` column."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sync(store: Store, catalog: Catalog, *, force: bool = False) -> SyncResult:
    """Sync ``catalog`` into ``store`` in one transaction, unless its digest is unchanged."""
    if not force and store.get_meta("catalog_digest") == catalog.digest:
        return SyncResult(skipped=True)
    now = store.now()
    with store.transaction() as db:
        run_id = store.start_run("sync", catalog.digest)
        _definitions(db, catalog)
        added, retired = _indicators(db, catalog, now)
        observations = _observations(db, catalog, now, run_id)
        memberships = _memberships(db, catalog, now, run_id)
        events = _events(db, catalog, now)
        _sources(db, catalog, now)
        store.set_meta("catalog_digest", catalog.digest)
        store.set_meta("catalog_stamp", catalog.stamp or "")
        store.set_meta("catalog_path", catalog.path)
        store.set_meta("synced_at", now)
        result = SyncResult(False, added, retired, observations, memberships, events)
        store.finish_run(run_id, "ok", json.dumps(result.__dict__, sort_keys=True))
    return result


def _definitions(db, catalog: Catalog) -> None:
    model = catalog.model
    db["references"].upsert_all(
        [{"id": rid, **ref.model_dump()} for rid, ref in model.references.items()], pk="id"
    )
    db["scales"].upsert_all(
        [{"id": sid, "kind": s.kind, "levels": json.dumps(s.levels),
          "unranked": json.dumps(s.unranked), "better": s.better, "unit": s.unit,
          "synonyms": json.dumps(s.synonyms)}
         for sid, s in model.scales.items()], pk="id",
    )
    db["categories"].upsert_all(
        [{"id": c.id, "title": c.title, "description": c.description, "position": i}
         for i, c in enumerate(model.categories)], pk="id",
    )
    # A category the catalog no longer lists keeps its row (its retired indicators still
    # name it) without a position: the tables, lists and exports leave it out.
    listed = [c.id for c in model.categories]
    db.execute(f"UPDATE categories SET position = NULL WHERE position IS NOT NULL AND id NOT IN "
               f"({', '.join('?' for _ in listed)})", listed)
    db["fields"].upsert_all(
        [{"category_id": c.id, "field": name, "label": f.label, "scale_id": f.scale,
          "position": i, "freshness": f.freshness, "description": f.description}
         for c in model.categories for i, (name, f) in enumerate(c.fields.items())],
        pk=("category_id", "field"),
    )
    countries = db.execute("SELECT count(*) FROM parties WHERE kind = 'country'").fetchone()[0]
    if countries < len(pycountry.countries):
        db["parties"].upsert_all(
            [{"code": c.alpha_3, "name": getattr(c, "common_name", None) or c.name,
              "kind": "country"} for c in pycountry.countries], pk="code",
        )
    db["parties"].upsert_all(
        [{"code": code, "name": org.name, "kind": org.kind}
         for code, org in model.organisations.items()], pk="code",
    )
    for gid, group in model.groups.items():
        db["groups"].upsert(
            {"id": gid, "name": group.name, "source": catalog.source_url(group.source),
             "as_of": group.as_of, "confidence": group.confidence, "note": group.note},
            pk="id",
        )
        # A group's member list is a definition, not history: it is replaced as written.
        db.execute("DELETE FROM group_members WHERE group_id = ?", [gid])
        db["group_members"].insert_all(
            [{"group_id": gid, "party": p} for p in dict.fromkeys(group.members)],
            pk=("group_id", "party"),
        )


def _indicators(db, catalog: Catalog, now: str) -> tuple[int, int]:
    known = {row[0]: row[1] for row in db.execute("SELECT id, retired_at FROM indicators")}
    added = 0
    for position, ind in enumerate(catalog.model.indicators):
        row = {
            "id": ind.id, "category_id": ind.category, "name": ind.name,
            "description": ind.description, "aliases": json.dumps(ind.aliases),
            "tier": ind.tier, "table_no": ind.table, "kind": ind.kind, "position": position,
            "entry_into_force": ind.entry_into_force and json.dumps(
                {**ind.entry_into_force.model_dump(),
                 "source": catalog.source_url(ind.entry_into_force.source)}),
            "retired_at": None,
        }
        if ind.id not in known:
            row["added_at"] = now
            added += 1
        db["indicators"].upsert(row, pk="id")
        _criteria(db, catalog, ind)
    live = set(catalog.indicators_by_id)
    dropped = [i for i, retired in known.items() if i not in live and retired is None]
    for indicator_id in dropped:
        db["indicators"].update(indicator_id, {"retired_at": now})
    return added, len(dropped)


def _criteria(db, catalog: Catalog, ind) -> None:
    """A mechanism's criteria as the catalog writes them now (a reading, not history).

    The columns of the earlier three-part reading (``criteria_un`` ...) are left as they
    were, so nothing an older catalog wrote is lost.
    """
    db.execute("DELETE FROM criteria WHERE mechanism_id = ?", [ind.id])
    if ind.criteria is None:
        return
    rows = []
    for position, key in enumerate(CRITERIA):
        crit = getattr(ind.criteria, key)
        if crit is not None:
            rows.append({"mechanism_id": ind.id, "criterion": key, "position": position,
                         "value": crit.value, "rationale": crit.rationale,
                         "source": catalog.source_url(crit.source),
                         "confidence": crit.confidence, "note": crit.note})
    db["criteria"].insert_all(rows, pk=("mechanism_id", "criterion"))


def _observations(db, catalog: Catalog, now: str, run_id: int) -> int:
    """Add the catalog's new values; withdraw (never delete) the catalog values of live
    indicators that the catalog no longer lists, and restore those it lists again."""
    stored: dict[tuple, list[tuple[int, str | None]]] = {}
    for row in db.execute(
            "SELECT indicator_id, field, as_of, value, source, confidence, coalesce(note, ''), "
            "id, withdrawn_at FROM observations WHERE origin = ?", [CATALOG]):
        stored.setdefault(tuple(row[:7]), []).append((row[7], row[8]))
    seen = set(stored)
    listed: set[tuple] = set()
    rows = []
    for ind in catalog.model.indicators:
        for field, values in ind.values.items():
            numeric = catalog.scale(catalog.categories[ind.category].fields[field].scale).kind
            for v in values:
                source = catalog.source_url(v.source)
                text = value_text(v.value)
                key = (ind.id, field, v.as_of, text, source, v.confidence, v.note or "")
                listed.add(key)
                if key in seen:
                    continue
                seen.add(key)
                rows.append({
                    "indicator_id": ind.id, "field": field, "value": text,
                    "value_num": float(v.value) if numeric == "numeric" else None,
                    "as_of": v.as_of, "recorded_at": now, "origin": CATALOG, "source": source,
                    "confidence": v.confidence, "note": v.note, "author": None,
                    "run_id": run_id,
                })
    db["observations"].insert_all(rows)
    live = set(catalog.indicators_by_id)
    for key, found in stored.items():
        for obs_id, withdrawn in found:
            if key in listed and withdrawn:
                db.execute("UPDATE observations SET withdrawn_at = NULL WHERE id = ?", [obs_id])
            elif key not in listed and not withdrawn and key[0] in live:
                db.execute("UPDATE observations SET withdrawn_at = ? WHERE id = ?",
                           [now, obs_id])
    return len(rows)


def _memberships(db, catalog: Catalog, now: str, run_id: int) -> int:
    existing = {
        tuple(row[:4]): row[4] for row in db.execute(
            "SELECT mechanism_id, party, role, date, id FROM memberships")
    }
    added = 0
    for mechanism_id, ledger in catalog.model.memberships.items():
        db["ledgers"].upsert({"mechanism_id": mechanism_id, "complete": int(ledger.complete),
                              "note": ledger.note}, pk="mechanism_id")
        for entry in ledger.entries:
            row = {"source": catalog.source_url(entry.source), "confidence": entry.confidence,
                   "note": entry.note}
            key = (mechanism_id, entry.party, entry.role, entry.date)
            if key in existing:
                # The same dated act, re-cited: keep one row, with the catalog's citation.
                db["memberships"].update(existing[key], row)
                continue
            db["memberships"].insert({
                "mechanism_id": mechanism_id, "party": entry.party, "role": entry.role,
                "date": entry.date, **row, "origin": CATALOG, "recorded_at": now,
                "run_id": run_id,
            })
            existing[key] = db["memberships"].last_pk
            added += 1
    return added


def _events(db, catalog: Catalog, now: str) -> int:
    known = {row[0] for row in db.execute("SELECT id FROM events WHERE origin = ?", [CATALOG])}
    added = 0
    for event in catalog.model.events:
        row = {
            "id": event.id, "date": event.date, "end_date": event.end, "title": event.title,
            "kind": event.kind, "source": catalog.source_url(event.source),
            "confidence": event.confidence, "note": event.note, "origin": CATALOG,
            "outcome": event.outcome, "retired_at": None,
        }
        if event.id not in known:
            row["recorded_at"] = now
            added += 1
        db["events"].upsert(row, pk="id")
        db.execute("DELETE FROM event_links WHERE event_id = ?", [event.id])
        db["event_links"].insert_all(
            [{"event_id": event.id, "indicator_id": link} for link in dict.fromkeys(event.links)],
            pk=("event_id", "indicator_id"),
        )
    live = {e.id for e in catalog.model.events}
    for event_id in known - live:
        db.execute("UPDATE events SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
                   [now, event_id])
    return added


def _sources(db, catalog: Catalog, now: str) -> None:
    from tracker.writes import sources_table_rows

    known = {r[0] for r in db.execute("SELECT id FROM sources")}
    rows = sources_table_rows(catalog.model.sources, now)
    for row in rows:
        if row["id"] not in known:
            row["added_at"] = now
        db["sources"].upsert(row, pk="id")
    live = {r["id"] for r in rows}
    for source_id in known - live:
        db.execute("UPDATE sources SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
                   [now, source_id])
