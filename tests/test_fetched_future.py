"""A fetched date after today is refused as a curated one is (`tracker set --as-of 2031`,
a catalog value dated ahead): a ledger entry a source dates in the future (a Wikidata
ratification of 2031) is skipped and counted, never written as a current membership.
Today is the store's clock (TRACKER_NOW when set); the tests' clock is 2026-11-22."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.fetchers.base import Item, Member, Value
from tracker.values import problem

from test_fetched_dates_links import WIKIDATA, ledger, lit, row, sparql
from test_fetched_values import one

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize("date, precision", [("2031-05-01T00:00:00Z", "11"),
                                             ("2026-11-23T00:00:00Z", "11"),
                                             ("2026-12-01T00:00:00Z", "10"),
                                             ("2027-01-01T00:00:00Z", "9")])
def test_a_wikidata_entry_dated_after_today_is_skipped_and_counted(store, tmp_path, date,
                                                                   precision):
    rows = [row("Q1", "FIN", "ratification", lit(date), precision),
            row("Q20", "NOR", "signature", lit("2024-09-05T00:00:00Z"), "11")]
    out = one(store, tmp_path, body=sparql(*rows), **WIKIDATA)
    assert out.status == "ok", out
    assert ledger(store) == [("NOR", "signed", "2024-09-05")]
    assert len(out.skipped) == 1 and "after today" in out.skipped[0]


def test_a_source_whose_every_entry_is_ahead_fails(store, tmp_path):
    out = one(store, tmp_path, body=sparql(row("Q1", "FIN", "ratification",
                                               lit("2031-05-01T00:00:00Z"), "11")),
              **WIKIDATA)
    assert out.status == "failed" and "after today" in out.error, out
    assert ledger(store) == []


@pytest.mark.parametrize("result, refused", [
    (Member("m", "FIN", "ratified", "2031-05-01"), True),
    (Member("m", "FIN", "ratified", "2026-11-22"), False),
    (Member("m", "FIN", "ratified", "2026"), False),
    (Value("i", "f", 3.0, "2027", None), True),
    (Value("i", "f", 3.0, "2026-11", None), False),
])
def test_the_rule_for_every_kind_of_fetched_result(result, refused):
    why = problem(result, TODAY)
    assert (why is not None and "after today" in why) == refused, why


def test_a_feed_item_may_announce_an_event():
    assert problem(Item("id", "2027-03-01", "Summit announced", "https://x.org/a"),
                   TODAY) is None
