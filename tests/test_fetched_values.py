"""Every fetched value is checked before it is written: "no data" is not zero, a column
is not ambiguous, dates are dates at the precision given, numbers are finite, links are
web links, keywords look at summaries, media types are read for what they are.

The inputs of tests/data/cases/ (one folder per case, each with its README.txt) are served
on loopback as they would be by any server; the kinds around them through MockTransport.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from werkzeug import Response

from tracker.fetchers import make_client
from tracker.refresh import refresh
from tracker.sync import sync

from conftest import DATA
from test_refresh_faults import catalog_with, run

CASES = DATA / "cases"


def case_server(httpserver, case: str) -> None:
    """Serve tests/data/cases/<case>/<file> with the headers of <file>.hdr."""
    def handler(request):
        path = CASES / request.path.lstrip("/")
        headers = dict(line.split(": ", 1) for line in
                       Path(f"{path}.hdr").read_text().splitlines() if ": " in line)
        return Response(path.read_bytes(), headers=headers)

    for file in (CASES / case).iterdir():
        if file.suffix not in (".hdr", ".txt", ".yaml"):
            httpserver.expect_request(f"/{case}/{file.name}").respond_with_handler(handler)


def case_catalog(tmp_path, httpserver, case: str, sources: str = "sources.yaml"):
    port = httpserver.url_for("/").split(":")[2].strip("/")
    text = (CASES / case / sources).read_text().replace("PORT", port)
    return catalog_with(tmp_path, text)[0]


def values_of(store, field: str) -> list[str]:
    return [r[0] for r in store.db.execute(
        "SELECT value FROM observations WHERE field = ? AND origin = 'fetcher' ORDER BY id",
        [field])]


def refresh_case(store, tmp_path, httpserver, case, sources="sources.yaml"):
    case_server(httpserver, case)
    catalog = case_catalog(tmp_path, httpserver, case, sources)
    sync(store, catalog)
    report = run(store, catalog)
    return {o.source_id: o for o in report.outcomes}


def health(store, source_id):
    return store.db["source_health"].get(source_id)


# One source of any kind, answered by MockTransport


def one(store, tmp_path, kind: str, params: str, body: bytes | str, ctype: str,
        feeds: str = "{indicator: pace-mismatch, field: signatories}",
        url: str = "https://src.test/data", extra: str = ""):
    """Refresh one source whose answer is ``body``; its outcome."""
    block = (f"  - id: src\n    kind: {kind}\n    url: {url}\n    params: {params}\n"
             f"    feeds: {feeds}\n{extra}")
    catalog, _ = catalog_with(tmp_path, block)
    sync(store, catalog)
    data = body.encode() if isinstance(body, str) else body

    def handler(request):
        return httpx.Response(200, content=data, headers={"Content-Type": ctype})

    async def go():
        async with make_client(httpx.MockTransport(handler)) as client:
            return await refresh(store, catalog, client, host_delay=0)
    return asyncio.run(go()).outcomes[0]


def assert_failed_and_nothing_written(store, outcome, said: str, field="signatories"):
    assert outcome.status == "failed", outcome
    assert said in outcome.error, outcome.error
    assert values_of(store, field) == []
    h = health(store, "src")
    assert h["status"] == "failing" and h["consecutive_failures"] == 1


# 20. "No data" is not zero


def test_h1_an_error_document_is_no_data_and_an_empty_list_is_zero(store, tmp_path, httpserver):
    out = refresh_case(store, tmp_path, httpserver, "H1")["incidents-json"]
    assert out.status == "failed" and out.error.startswith("no data:"), out
    assert "requires that you log in" in out.error  # the API's own word
    assert values_of(store, "reports") == []
    h = health(store, "incidents-json")
    assert h["status"] == "failing" and h["consecutive_failures"] == 1
    out = refresh_case(store, tmp_path, httpserver, "H1", "sources-legit-zero.yaml")
    assert out["incidents-json"].status == "ok"
    assert values_of(store, "reports") == ["0"]


@pytest.mark.parametrize("body, path", [
    ('{"data": {}}', "data.incidents[*]"),
    ('{"data": {"incidents": null}}', "data.incidents[*]"),
    ('{"data": {"incidents": {"a": 1}}}', "data.incidents[*]"),
    ('{"errors": [{"message": "rate limited"}]}', "data.incidents[*]"),
    ('[]', "data.incidents[*]"),
    ('{"results": []}', "results[0]"),
    ('{"meta": {"total": null}}', "meta.total"),
    ('null', "total"),
])
def test_a_count_or_value_over_a_path_that_is_not_there_is_no_data(store, tmp_path, body,
                                                                   path):
    how = "value" if path in ("meta.total", "total") else "count"
    outcome = one(store, tmp_path, "json", f'{{path: "{path}", aggregate: {how}}}', body,
                  "application/json")
    assert_failed_and_nothing_written(store, outcome, "no data:")


@pytest.mark.parametrize("body, path, value", [
    ('{"data": {"incidents": []}}', "data.incidents[*]", "0"),
    ('{"results": [{"type": "a"}, {"other": 1}]}', "results[*].type", "1"),
    ('{"results": []}', "results[*].type", "0"),
])
def test_a_count_over_an_existing_empty_list_is_zero(store, tmp_path, body, path, value):
    outcome = one(store, tmp_path, "json", f'{{path: "{path}", aggregate: count}}', body,
                  "application/json")
    assert outcome.status == "ok", outcome
    assert values_of(store, "signatories") == [value]


def test_h2_an_empty_csv_or_a_header_without_the_column_is_not_zero(store, tmp_path,
                                                                    httpserver):
    out = refresh_case(store, tmp_path, httpserver, "H2")
    assert out["csv-empty"].status == "failed"
    assert out["csv-empty"].error == "no data: an empty CSV file"
    assert out["csv-header-only"].status == "failed"
    assert out["csv-header-only"].error == "no column 'signature_date' (columns: name, date)"
    assert out["csv-legit-zero"].status == "ok"
    assert values_of(store, "signatories") == values_of(store, "rules") == []
    assert values_of(store, "reports") == ["0"]
    for sid in ("csv-empty", "csv-header-only"):
        assert health(store, sid)["status"] == "failing"


@pytest.mark.parametrize("body, said", [
    (b"", "no data: an empty CSV file"),
    (b"\xef\xbb\xbf", "no data: an empty CSV file"),
    (b"name,date\n", "no column 'signature_date'"),
    (b"name,date\nGBR,2024-01-01\n", "no column 'signature_date'"),
    (b"\r\n", "no column 'signature_date'"),
])
def test_every_kind_of_empty_csv_fails_whatever_the_aggregate(store, tmp_path, body, said):
    for how in ("count", "sum", "last"):
        outcome = one(store, tmp_path, "csv", f"{{column: signature_date, aggregate: {how}}}",
                      body, "text/csv")
        assert outcome.status == "failed" and said in outcome.error, (how, outcome)
        assert values_of(store, "signatories") == []


def test_an_empty_epoch_file_is_no_data(store, tmp_path):
    outcome = one(store, tmp_path, "epoch-csv", "{since_year: 2020}", b"", "text/csv",
                  feeds="{indicator: pace-mismatch, field: countries}")
    assert outcome.error == "no data: an empty CSV file"


# 21. A declared column that the header repeats


def test_h16_a_repeated_declared_column_is_refused(store, tmp_path, httpserver):
    out = refresh_case(store, tmp_path, httpserver, "H16")["cets-csv"]
    assert out.status == "failed"
    assert out.error == ("column 'date' appears 2 times in the header; which one is meant "
                         "is ambiguous")
    assert values_of(store, "signatories") == []


@pytest.mark.parametrize("body, params, ok", [
    ("party,date,date\nGBR,1,2\n", "{column: date, aggregate: count}", False),
    ("party,party,date\nGBR,FRA,2\n", "{column: date, where: {party: GBR}, aggregate: count}",
     False),
    ("date,x,date,date\n1,2,3,4\n", "{column: date, aggregate: sum}", False),
    ("party,note,note\nGBR,a,b\n", "{column: party, aggregate: count}", True),
])
def test_a_declared_column_must_be_unambiguous(store, tmp_path, body, params, ok):
    outcome = one(store, tmp_path, "csv", params, body, "text/csv")
    assert (outcome.status == "ok") is ok, outcome
    if not ok:
        assert "appears" in outcome.error and "ambiguous" in outcome.error


def test_an_epoch_file_repeating_a_column_is_refused(store, tmp_path):
    body = ("Model,Publication date,Publication date,Country (of organization)\n"
            "X,2025-01-01,2024-01-01,United Kingdom\n")
    outcome = one(store, tmp_path, "epoch-csv", "{since_year: 2020}", body, "text/csv",
                  feeds="{indicator: pace-mismatch, field: countries}")
    assert outcome.status == "failed" and "'Publication date' appears 2 times" in outcome.error


# 24. Media types


def test_h20_json_served_as_a_plus_json_type_is_read(store, tmp_path, httpserver):
    out = refresh_case(store, tmp_path, httpserver, "H20")["jsonapi"]
    assert out.status == "ok", out
    assert values_of(store, "rules") == ["12"]


@pytest.mark.parametrize("ctype, ok", [
    ("application/vnd.api+json", True), ("application/ld+json", True),
    ("application/problem+json; charset=utf-8", True), ("application/json", True),
    ("text/html", False), ("text/plain", False), ("application/jsonp", False),
    ("application/xml", False),
])
def test_json_kinds_read_every_plus_json_type(store, tmp_path, ctype, ok):
    outcome = one(store, tmp_path, "json", "{path: total, aggregate: value}",
                  '{"total": 4}', ctype)
    assert (outcome.status == "ok") is ok, outcome
    if not ok:
        assert f"unexpected content type {ctype.split(';')[0]!r}" in outcome.error


def test_h19_csv_served_with_generic_labels_is_read(store, tmp_path, httpserver):
    out = refresh_case(store, tmp_path, httpserver, "H19")
    assert [o.status for o in out.values()] == ["ok", "ok"], out
    assert values_of(store, "signatories") == values_of(store, "rules") == ["2"]


@pytest.mark.parametrize("ctype, ok", [
    ("application/vnd.ms-excel", True), ("application/octet-stream", True),
    ("text/csv; charset=utf-8", True), ("application/csv", True), ("text/plain", True),
    ("text/comma-separated-values", True), ("text/x-csv", True),
    ("text/html", False), ("application/json", False), ("application/pdf", False),
])
def test_csv_kinds_accept_the_documented_media_types(store, tmp_path, ctype, ok):
    body = (CASES / "H19" / "a.csv").read_bytes()
    outcome = one(store, tmp_path, "csv", "{column: signature_date, aggregate: count}", body,
                  ctype)
    assert (outcome.status == "ok") is ok, outcome
    if not ok:
        assert f"unexpected content type {ctype!r}" in outcome.error


def test_a_binary_file_under_a_generic_label_still_fails_as_not_csv(store, tmp_path):
    outcome = one(store, tmp_path, "csv", "{column: signature_date, aggregate: count}",
                  b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe", 
                  "application/octet-stream")
    assert outcome.status == "failed" and "not UTF-8" in outcome.error


# 19. Numbers


@pytest.mark.parametrize("body", ['{"total": NaN}', '{"total": Infinity}',
                                  '{"total": -Infinity}', '{"total": 1e400}',
                                  '{"total": "nan"}', '{"total": "1e400"}',
                                  '{"total": ' + "9" * 400 + "}"])
def test_json_numbers_that_are_not_finite_fail_the_source(store, tmp_path, body):
    outcome = one(store, tmp_path, "json", "{path: total, aggregate: value}", body,
                  "application/json")
    assert_failed_and_nothing_written(store, outcome, "is not a finite number")


@pytest.mark.parametrize("cell, how", [("nan", "sum"), ("inf", "max"), ("1e400", "last"),
                                       ("-Infinity", "min"), ("NaN", "last")])
def test_csv_numbers_that_are_not_finite_fail_the_source(store, tmp_path, cell, how):
    outcome = one(store, tmp_path, "csv", f"{{column: n, aggregate: {how}}}",
                  f"party,n\nGBR,3\nFRA,{cell}\n", "text/csv")
    assert_failed_and_nothing_written(store, outcome, "is not a finite number")


def test_a_sum_past_a_float_s_range_fails_the_source(store, tmp_path):
    outcome = one(store, tmp_path, "csv", "{column: n, aggregate: sum}",
                  "n\n1e308\n1e308\n", "text/csv")
    assert_failed_and_nothing_written(store, outcome, "out of range")


@pytest.mark.parametrize("raw", ["nan", "NaN", "inf", "-Infinity", "1e400", "-1e999"])
def test_set_refuses_numbers_that_are_not_finite(run_cli, raw):
    result = run_cli("set", "test-treaty", "participant_count", "--", raw)
    assert result.exit_code == 2, result.output
    assert "is not a finite number" in result.stderr and "Traceback" not in result.output
    history = json.loads(run_cli("history", "test-treaty", "--format", "json").stdout)
    assert all(h["value"].lower() not in ("nan", "inf") for h in history)


@pytest.fixture
def run_cli(run):
    run("list")
    return run


@pytest.mark.parametrize("value", [".nan", "-.inf", "1.0e+400", "-9.9e999"])
def test_the_catalog_refuses_numbers_that_are_not_finite(tmp_path, value):
    from tracker.catalog import check_catalog

    text = (DATA / "catalog-small.yaml").read_text()
    old = "- {value: 2, as_of: 2024-06, source: page"
    assert old in text
    path = tmp_path / "c.yaml"
    path.write_text(text.replace(old, old.replace("2", value, 1)))
    _, problems = check_catalog(path)
    assert any("is not a finite number" in p.message or "is not a number" in p.message
               for p in problems), problems
