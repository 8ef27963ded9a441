"""A fetched number is held to its field's scale as a curated one is: every numeric scale
counts (parties, documents, incidents), so a source answering a negative or fractional
figure is refused like `tracker set ... -- -5` or `3.5`, whatever kind of source it is."""

from __future__ import annotations

import pytest

from test_fetched_values import assert_failed_and_nothing_written, one, values_of


@pytest.mark.parametrize("body", ['{"total": -4}', '{"total": 2.5}', '{"total": "-3"}',
                                  '{"total": "0.5"}', '{"total": -0.5}'])
def test_a_json_figure_that_is_not_a_count_fails_the_source(store, tmp_path, body):
    outcome = one(store, tmp_path, "json", "{path: total, aggregate: value}", body,
                  "application/json")
    assert_failed_and_nothing_written(store, outcome, "is not a count")


@pytest.mark.parametrize("rows, how", [("-1\n-2\n", "sum"), ("1.5\n2\n", "min"),
                                       ("3\n-7\n", "min"), ("4\n0.25\n", "last")])
def test_a_csv_figure_that_is_not_a_count_fails_the_source(store, tmp_path, rows, how):
    outcome = one(store, tmp_path, "csv", f"{{column: n, aggregate: {how}}}",
                  f"n\n{rows}", "text/csv")
    assert_failed_and_nothing_written(store, outcome, "is not a count")


def test_a_govuk_total_that_is_not_a_count_fails_the_source(store, tmp_path):
    outcome = one(store, tmp_path, "govuk-search", "{query: {filter_organisations: x}}",
                  '{"total": -12, "results": []}', "application/json")
    assert_failed_and_nothing_written(store, outcome, "is not a count")


@pytest.mark.parametrize("body, stored", [('{"total": 7}', "7"), ('{"total": 7.0}', "7"),
                                          ('{"total": 0}', "0"), ('{"total": "12"}', "12")])
def test_a_whole_figure_of_zero_or_more_is_recorded(store, tmp_path, body, stored):
    outcome = one(store, tmp_path, "json", "{path: total, aggregate: value}", body,
                  "application/json")
    assert outcome.status == "ok", outcome
    assert values_of(store, "signatories") == [stored]
