"""A key the source reads, given twice in one JSON object, is ambiguous (Python's reader
silently kept the last one, as a CSV reader did a repeated column): the source fails and
nothing is written. Keys the source does not read may repeat. A body nested too deeply to
read is malformed JSON, said in one line."""

from __future__ import annotations

import pytest

from test_fetched_values import assert_failed_and_nothing_written, one, values_of


@pytest.mark.parametrize("body, params", [
    ('{"total": 3, "total": 5}', "{path: total, aggregate: value}"),
    ('{"data": {"n": 1}, "data": {"n": 9}}', "{path: data.n, aggregate: value}"),
    ('{"items": [{"n": 1, "n": 2}]}', "{path: 'items[*].n', aggregate: sum}"),
    ('{"items": [{"kind": "a", "kind": "b", "n": 1}]}',
     "{path: 'items[*].n', where: {kind: a}, aggregate: sum}"),
])
def test_a_json_key_the_source_reads_given_twice_fails(store, tmp_path, body, params):
    outcome = one(store, tmp_path, "json", params, body, "application/json")
    assert_failed_and_nothing_written(store, outcome, "appears more than once")


def test_keys_the_source_does_not_read_may_repeat(store, tmp_path):
    outcome = one(store, tmp_path, "json", "{path: total, aggregate: value}",
                  '{"note": "a", "note": "b", "total": 4}', "application/json")
    assert outcome.status == "ok" and values_of(store, "signatories") == ["4"]


def test_a_govuk_total_given_twice_fails(store, tmp_path):
    outcome = one(store, tmp_path, "govuk-search", "{query: {filter_organisations: x}}",
                  '{"total": 12, "total": 99, "results": []}', "application/json")
    assert_failed_and_nothing_written(store, outcome, "appears more than once")


def test_a_federal_register_count_given_twice_fails():
    from tracker.fetchers.base import ParseError
    from tracker.fetchers.federal_register import parse

    with pytest.raises(ParseError, match="appears more than once"):
        parse(b'{"count": 12, "count": 13}')
    assert parse(b'{"count": 12, "description": "x", "description": "y"}') == 12


def test_a_body_nested_too_deeply_is_malformed_json(store, tmp_path):
    body = '{"total": ' + "[" * 100_000 + "]" * 100_000 + "}"
    outcome = one(store, tmp_path, "json", "{path: total, aggregate: value}", body,
                  "application/json")
    assert_failed_and_nothing_written(store, outcome, "malformed JSON: nested too deeply")


@pytest.mark.parametrize("kind, params", [("json", "{path: total, aggregate: value}"),
                                          ("govuk-search", "{query: {filter_organisations: x}}")])
def test_an_integer_of_thousands_of_digits_is_not_a_finite_number(store, tmp_path, kind,
                                                                  params):
    outcome = one(store, tmp_path, kind, params, '{"total": ' + "9" * 5000 + "}",
                  "application/json")
    assert_failed_and_nothing_written(store, outcome, "is not a finite number")
    assert "set_int_max_str_digits" not in outcome.error
