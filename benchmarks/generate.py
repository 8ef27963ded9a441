"""Build the large benchmark store, deterministically: the same seed gives the same file.

About 2,000 indicators, 1,000,000 observations over five years, 200 parties in 60
mechanisms, and 500 declared sources with their health.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from pathlib import Path

import pycountry

from tracker.store import Store

SEED = 20261122
INDICATORS = 2_000
OBSERVATIONS = 1_000_000
MECHANISMS = 60
PARTIES = 200
SOURCES = 500
START = dt.date(2021, 11, 22)
DAYS = 5 * 365

CATALOG = """\
# The benchmark store's catalog: its categories and scales (the rows live in the store).
version: 1
scales:
  text: {kind: text}
  level:
    kind: ordinal
    levels: [Very low, Low, Moderate, High, Very high]
    better: higher
  count: {kind: numeric, unit: items, better: higher}
categories:
""" + "".join(f"""  - id: cat-{c}
    title: Category {c}
    fields:
      note: {{label: Note, scale: text}}
      level: {{label: Level, scale: level, freshness: 1y}}
      count: {{label: Count, scale: count}}
""" for c in range(10)) + """  - id: mechanisms
    title: Mechanisms
    fields:
      status: {label: Status, scale: level}
      participant_count: {label: Parties, scale: count}
indicators: []
"""
LEVELS = ["Very low", "Low", "Moderate", "High", "Very high"]


def build(folder: Path, observations: int = OBSERVATIONS) -> tuple[Path, Path]:
    """Write a store of ``observations`` observations and its catalog into ``folder``
    (``large.db`` for the default size, ``large-N.db`` otherwise); return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = "large" if observations == OBSERVATIONS else f"large-{observations}"
    db_path, catalog_path = folder / f"{stem}.db", folder / "large-catalog.yaml"
    catalog_path.write_text(CATALOG)
    marker = folder / f"{stem}.done"
    if marker.exists() and db_path.exists() and marker.read_text() == _stamp(observations):
        return db_path, catalog_path
    for stale in folder.glob(f"{stem}.db*"):
        stale.unlink()
    rng = random.Random(SEED)
    store = Store.open(db_path, clock=lambda: dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc))
    db = store.db
    with store.transaction():
        db["scales"].insert_all([
            {"id": "text", "kind": "text", "levels": "[]", "unranked": "[]", "better": "none"},
            {"id": "level", "kind": "ordinal", "levels": json.dumps(LEVELS), "unranked": "[]",
             "better": "higher"},
            {"id": "count", "kind": "numeric", "levels": "[]", "unranked": "[]",
             "better": "higher", "unit": "items"}])
        cats = [f"cat-{c}" for c in range(10)] + ["mechanisms"]
        db["categories"].insert_all([{"id": c, "title": c, "position": i}
                                     for i, c in enumerate(cats)])
        fields = []
        for c in cats[:-1]:
            fields += [(c, "note", "text"), (c, "level", "level"), (c, "count", "count")]
        fields += [("mechanisms", "status", "level"), ("mechanisms", "participant_count",
                                                       "count")]
        db["fields"].insert_all([{"category_id": c, "field": f, "label": f, "scale_id": s,
                                  "position": i} for i, (c, f, s) in enumerate(fields)])
        indicators = []
        for i in range(INDICATORS):
            cat = "mechanisms" if i < MECHANISMS else cats[i % 10]
            indicators.append({"id": f"ind-{i:04d}", "category_id": cat, "name": f"Indicator {i}",
                               "aliases": "[]", "position": i,
                               "kind": "treaty" if i < 3 else ("declaration" if cat ==
                                                              "mechanisms" else None),
                               "criteria_un": "outside" if cat == "mechanisms" else None,
                               "criteria_binding": "binding" if i < 3 else None,
                               "added_at": "2021-11-22T00:00:00Z"})
        db["indicators"].insert_all(indicators)
        by_cat = {c: [f for cc, f, _ in fields if cc == c] for c in cats}
        rows = []
        per = observations // INDICATORS
        for ind in indicators:
            names = by_cat[ind["category_id"]]
            for k in range(per):
                field = names[k % len(names)]
                day = START + dt.timedelta(days=rng.randrange(DAYS))
                if field in ("level", "status"):
                    value = rng.choice(LEVELS)
                    number = None
                elif field in ("count", "participant_count"):
                    number = float(rng.randrange(200))
                    value = str(int(number))
                else:
                    value = f"Note {rng.randrange(50)}"
                    number = None
                rows.append((ind["id"], field, value, number, day.isoformat(),
                             f"{day.isoformat()}T12:00:00Z", "fetcher",
                             f"https://source-{rng.randrange(SOURCES)}.example/data",
                             rng.choice(("high", "medium", "low"))))
        db.conn.executemany(
            "INSERT INTO observations (indicator_id, field, value, value_num, as_of, "
            "recorded_at, origin, source, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        countries = [c.alpha_3 for c in pycountry.countries][:PARTIES]
        db["parties"].insert_all([{"code": c, "name": c, "kind": "country"} for c in countries])
        members = set()
        for m in range(MECHANISMS):
            for party in rng.sample(countries, rng.randrange(10, 120)):
                day = START + dt.timedelta(days=rng.randrange(DAYS))
                members.add((f"ind-{m:04d}", party, rng.choice(("signed", "ratified",
                                                                "endorsed", "member")),
                             day.isoformat()))
        db.conn.executemany(
            "INSERT INTO memberships (mechanism_id, party, role, date, source, confidence, "
            "origin, recorded_at) VALUES (?, ?, ?, ?, 'https://ledger.example', 'medium', "
            "'catalog', '2026-11-22T00:00:00Z')", sorted(members))
        db["sources"].insert_all([{"id": f"src-{s:03d}", "kind": "json",
                                   "url": f"https://source-{s}.example/data",
                                   "params": "{}", "feeds": "{}", "review": "auto"}
                                  for s in range(SOURCES)])
        db["source_health"].insert_all([{"source_id": f"src-{s:03d}", "status": "ok",
                                         "last_success": "2026-11-20T06:00:00Z",
                                         "consecutive_failures": 0} for s in range(SOURCES)])
        db["events"].insert_all([{"id": f"ev-{e}", "date": (START + dt.timedelta(
            days=rng.randrange(DAYS + 400))).isoformat(), "title": f"Event {e}",
            "kind": "other", "source": "https://events.example", "confidence": "medium",
            "origin": "catalog", "recorded_at": "2026-11-22T00:00:00Z"} for e in range(400)])
        store.set_meta("catalog_digest", hashlib.sha256(catalog_path.read_bytes()).hexdigest())
    db.execute("ANALYZE")
    store.close()
    marker.write_text(_stamp(observations))
    return db_path, catalog_path


def _stamp(observations: int) -> str:
    return f"{SEED}-{INDICATORS}-{observations}-{MECHANISMS}-{PARTIES}-{SOURCES}-v1"


if __name__ == "__main__":
    import sys
    import time

    t = time.perf_counter()
    print(build(Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/.data"),
                int(sys.argv[2]) if len(sys.argv) > 2 else OBSERVATIONS))
    print(f"{time.perf_counter() - t:.1f}s")
