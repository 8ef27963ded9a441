"""The trend engine: directions by scale, windows, flips, staleness, headline figures."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker import headline, trends
from tracker.assess import record
from tracker.errors import TrackerError
from tracker.sync import sync
from tracker.trends import BETTER, CHANGED, NEUTRAL, WORSE, Scale, direction

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize("scale, old, new, expected", [
    (Scale("ordinal", ("Low", "Moderate", "High"), "lower"), "High", "Moderate", BETTER),
    (Scale("ordinal", ("Low", "Moderate", "High"), "lower"), "Low", "High", WORSE),
    (Scale("ordinal", ("Difficult", "Moderate", "Feasible"), "higher"), "Difficult",
     "Feasible", BETTER),
    (Scale("ordinal", ("Difficult", "Moderate", "Feasible"), "higher"), "Feasible",
     "Moderate", WORSE),
    (Scale("ordinal", ("Difficult", "Feasible"), "higher"), "Proposed", "Feasible", NEUTRAL),
    (Scale("numeric", (), "higher"), "29", "44", BETTER),
    (Scale("numeric", (), "higher"), "44", "29.5", WORSE),
    (Scale("numeric", (), "lower"), "10", "12", WORSE),
    (Scale("numeric", (), "none"), "233", "362", NEUTRAL),
    (Scale("text", (), "none"), "None on AI", "CETS 225 open", CHANGED),
])
def test_direction_follows_the_scale(scale, old, new, expected):
    assert direction(scale, old, new) == expected


@pytest.mark.parametrize("since, start", [
    ("7d", "2026-11-15"), ("30d", "2026-10-23"), ("90d", "2026-08-24"), ("1y", "2025-11-22"),
    ("3y", "2023-11-22"), ("6m", "2026-05-22"), ("2w", "2026-11-08"), ("all", None),
    ("2025", "2025-01-01"), ("2025-06", "2025-06-01"), ("2025-06-15", "2025-06-15"),
])
def test_windows(since, start):
    assert trends.window_start(since, TODAY) == start


@pytest.mark.parametrize("bad", ["yesterday", "7x", "2025-13", ""])
def test_bad_windows_say_what_is_allowed(bad):
    with pytest.raises(TrackerError, match="allowed: a date"):
        trends.window_start(bad, TODAY)


def test_changes_in_a_window_newest_first(store, catalog):
    sync(store, catalog)
    found = trends.changes(store.db, "2025-01-01")
    assert [(c.indicator_id, c.field, c.old, c.new, c.direction) for c in found] == [
        ("pace-mismatch", "severity", "High", "Moderate", BETTER),
        ("test-treaty", "status", "Building", "Active", BETTER),
        ("test-treaty", "participant_count", "2", "4", BETTER),
    ]
    assert [c.indicator_id for c in trends.changes(store.db, "2025-06-01")] == ["pace-mismatch"]
    assert len(trends.changes(store.db, "2025-07-01")) == 0
    assert len(trends.changes(store.db, None)) == 3


def test_first_values_are_not_changes(store, catalog):
    sync(store, catalog)
    assert all(c.old for c in trends.changes(store.db, None))


def test_a_flip_is_marked(store, catalog):
    sync(store, catalog)
    record(store, catalog, "pace-mismatch", "severity", "High", as_of="2026-03")
    found = [c for c in trends.changes(store.db, "2025-01-01") if c.indicator_id ==
             "pace-mismatch"]
    assert [c.direction for c in found] == [WORSE, BETTER]
    assert all(c.flip for c in found)
    # Outside the window holding both moves there is no flip.
    assert not any(c.flip for c in trends.changes(store.db, "2026-01-01"))


def test_same_value_again_is_not_a_change(store, catalog):
    sync(store, catalog)
    record(store, catalog, "pace-mismatch", "severity", "Moderate", as_of="2026-03")
    assert len([c for c in trends.changes(store.db, None)
                if c.indicator_id == "pace-mismatch"]) == 1


def test_staleness_uses_the_field_freshness_and_the_clock(store, catalog_path):
    from tracker.catalog import load_catalog

    catalog_path.write_text(catalog_path.read_text().replace(
        "severity: {label: Severity, scale: severity}",
        "severity: {label: Severity, scale: severity, freshness: 1y}"))
    sync(store, load_catalog(catalog_path))
    due = trends.review_due(store.db, dt.date(2026, 11, 22))
    assert [(d.indicator_id, d.as_of) for d in due] == [("strategic-competition", "2024-06"),
                                                       ("pace-mismatch", "2025-06")]
    assert [d.indicator_id for d in trends.review_due(store.db, dt.date(2026, 5, 1))] == \
        ["strategic-competition"]


def test_headline_figures_and_their_trends(store, catalog_path):
    from tracker.catalog import load_catalog

    text = catalog_path.read_text().replace(
        "        confidence: low\n    values:\n      participants:",
        "        confidence: low\n    entry_into_force:\n      ratifications: 2\n"
        "      group: G7\n      group_minimum: 1\n      source: https://example.org/eif\n"
        "      confidence: high\n    values:\n      participants:")
    text = text.replace(
        "      - {party: CHN, role: declined",
        "      - {party: GBR, role: ratified, date: 2025-06-01, source: https://example.org/r, "
        "confidence: high}\n      - {party: CHN, role: signed, date: 2026-01-10, "
        "source: https://example.org/c, confidence: low}\n      - {party: CHN, role: declined")
    catalog_path.write_text(text)
    sync(store, load_catalog(catalog_path))
    figs = {f.id: f for f in headline.figures(store.db, "2025-01-01")}
    assert (figs["treaties-signed"].value, figs["treaties-signed"].before) == (1, 1)
    assert figs["treaties-in-force"].value == 0
    # The ledger is read in date order: CHN declined in 2025, then signed in January 2026.
    assert (figs["us-and-china"].value, figs["us-and-china"].before) == (1, 0)
    assert (figs["parties"].value, figs["parties"].before) == (4, 3)
    eif = figs["test-treaty:ratified"]
    assert eif.text == "1 of 2 (1 of 1 G7; floor)"  # the test ledger is incomplete
    assert eif.label == "Test Treaty ratifications"
    assert (eif.value, eif.before, eif.direction) == (1, 0, BETTER)
