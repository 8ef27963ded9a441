"""`tracker history ID` as a table prints the same rows, in the same order, as its JSON:
fields in the catalog's order (fields the catalog does not know last, by name), dates
oldest first, a withdrawn value and its note said as such, on a terminal and piped."""

from __future__ import annotations

import io

import pytest

from tracker import queries, render, reports
from tracker.sync import sync


def _reference(db, indicator_id, field, terminal):
    """The table as the history printed it from the observations' dicts."""
    names = {r[0]: r[1] for r in db.execute('SELECT url, id FROM "references"')}

    def src(url):
        return (render.link(url, names.get(url)) if url else "") if terminal else url or ""

    out = io.StringIO()
    rows = [[o["as_of"], o["field"], reports.history_value(o), o["origin"], o["confidence"],
             src(o["source"]), reports.history_note(o)]
            for o in queries.history(db, indicator_id, field)]
    render.table(out, f"History of {indicator_id}" + (f".{field}" if field else ""),
                 ["As of", "Field", "Value", "Origin", "Confidence", "Source", "Note"], rows,
                 wrap=(2, 5, 6))
    return out.getvalue()


@pytest.fixture
def filled(store, catalog):
    sync(store, catalog)
    db = store.db
    with store.transaction():
        rows = [  # out of order on purpose; one field the catalog does not know (two dates)
            ("test-treaty", "status", "In force", "2026-03", None),
            ("test-treaty", "participant_count", "7", "2026-10", "a note"),
            ("test-treaty", "zz_unknown", "b", "2026-02", None),
            ("test-treaty", "participant_count", "9", "2026-11", None),
            ("test-treaty", "aa_unknown", "x", "2025", "  spaced\tnote "),
            ("test-treaty", "zz_unknown", "a", "2025-01", None),
        ]
        for ind, field, value, as_of, note in rows:
            db["observations"].insert({
                "indicator_id": ind, "field": field, "value": value, "as_of": as_of,
                "recorded_at": "2026-11-22T09:00:00Z", "origin": "manual",
                "source": "https://example.org/b", "confidence": "medium", "note": note})
        db.execute("UPDATE observations SET withdrawn_at = '2026-11-22T09:30:00Z', "
                   "withdrawn_by = 'ana', withdrawn_note = 'misread' "
                   "WHERE indicator_id = 'test-treaty' AND value = '9'")
    return store


@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("field", [None, "participant_count", "zz_unknown"])
def test_the_history_table_is_the_observations_in_order(filled, monkeypatch, terminal, field):
    monkeypatch.setattr(render, "is_terminal", lambda out: terminal)
    out = io.StringIO()
    count = reports.history(filled.db, out, "test-treaty", field, "table")
    assert out.getvalue() == _reference(filled.db, "test-treaty", field, terminal)
    assert count == len(queries.history(filled.db, "test-treaty", field))


def test_history_orders_fields_as_the_catalog_and_unknown_ones_last(filled):
    rows = queries.history(filled.db, "test-treaty")
    order = [f for f, in filled.db.execute(
        "SELECT field FROM fields WHERE category_id = 'mechanisms' ORDER BY position")]
    fields = list(dict.fromkeys(r["field"] for r in rows))
    known = [f for f in fields if f in order]
    assert known == sorted(known, key=order.index)
    assert fields[len(known):] == ["aa_unknown", "zz_unknown"]
    for f in fields:  # oldest first within a field
        dates = [r["as_of"] for r in rows if r["field"] == f]
        assert dates == sorted(dates)
    piped = io.StringIO()
    reports.history(filled.db, piped, "test-treaty", None, "table")
    lines = piped.getvalue().splitlines()
    assert "9 (withdrawn)" in piped.getvalue()
    assert "withdrawn 2026-11-22 by ana: misread" in piped.getvalue()
    assert [line.split()[1] for line in lines[2:] if line.strip()][-3:] == \
        ["aa_unknown", "zz_unknown", "zz_unknown"]
