"""A source revising its own figure supersedes its earlier reading; "also reported" is for
another source, or a curated value, on the same date."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs

import httpx
import pytest

from tracker import queries
from tracker.assess import record
from tracker.fetchers import make_client
from tracker.refresh import refresh
from tracker.sync import sync

from test_refresh_faults import catalog_with

EPOCH = ("  - id: epoch\n    kind: epoch-csv\n    url: https://epoch.test/models.csv\n"
         "    params: {since_year: 2024}\n"
         "    feeds: {indicator: pace-mismatch, field: countries}\n")
FR = ("  - id: fr\n    kind: federal-register\n    url: https://fr.test/documents.json\n"
      "    params: {term: ai, years: [2025, 2026]}\n"
      "    feeds: {indicator: pace-mismatch, field: documents}\n")


def json_src(ident: str, host: str) -> str:
    return (f"  - id: {ident}\n    kind: json\n    url: https://{host}/v.json\n"
            "    params: {path: total, aggregate: value}\n"
            "    feeds: {indicator: pace-mismatch, field: rules}\n")


def epoch_csv(by_year: dict[int, list[str]]) -> str:
    lines = ["Model,Publication date,Country (of organization)"]
    for year, countries in by_year.items():
        lines += [f"M{year}{i},{year}-03-01,{c}" for i, c in enumerate(countries)]
    return "\n".join(lines) + "\n"


class Answers:
    """A MockTransport handler whose answers change between refreshes."""

    def __init__(self) -> None:
        self.bodies: dict[str, str] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host == "fr.test":
            year = parse_qs(request.url.query.decode())["conditions[publication_date][year]"][0]
            return httpx.Response(200, json={"count": json.loads(self.bodies["fr"])[year]})
        ctype = "text/csv" if host == "epoch.test" else "application/json"
        return httpx.Response(200, content=self.bodies[host].encode(),
                              headers={"Content-Type": ctype})


def refresh_with(store, catalog, answers):
    async def go():
        async with make_client(httpx.MockTransport(answers)) as client:
            return await refresh(store, catalog, client, host_delay=0)
    report = asyncio.run(go())
    assert not report.failed, report.failed
    return report


def current(store, field: str) -> queries.Current:
    [row] = queries.rows(store.db, ids=["pace-mismatch"])
    return row.values[field]


def test_a_year_to_date_count_growing_is_one_value(store, tmp_path):
    """Epoch per-year counts: the current year's count grows, an earlier year is revised."""
    catalog, _ = catalog_with(tmp_path, EPOCH)
    sync(store, catalog)
    answers = Answers()
    answers.bodies["epoch.test"] = epoch_csv({2024: ["France", "Japan"],
                                              2026: ["China", "United States"]})
    refresh_with(store, catalog, answers)
    answers.bodies["epoch.test"] = epoch_csv({2024: ["France"],
                                              2026: ["China", "United States", "Canada"]})
    refresh_with(store, catalog, answers)
    now = current(store, "countries")
    assert (now.as_of, now.value, now.disputed_by) == ("2026", "3", [])
    answers.bodies["epoch.test"] = epoch_csv({2024: ["France"],
                                              2026: ["China", "United States", "Canada",
                                                     "Germany"]})
    refresh_with(store, catalog, answers)
    now = current(store, "countries")
    assert (now.value, now.disputed_by) == ("4", [])


def test_a_federal_register_current_year_after_two_refreshes_is_one_value(store, tmp_path):
    catalog, _ = catalog_with(tmp_path, FR)
    sync(store, catalog)
    answers = Answers()
    for counts in ({"2025": 40, "2026": 12}, {"2025": 41, "2026": 30}):
        answers.bodies["fr"] = json.dumps(counts)
        refresh_with(store, catalog, answers)
    now = current(store, "documents")
    assert (now.as_of, now.value, now.disputed_by) == ("2026", "30", [])


def test_another_source_disagreeing_on_the_same_date_is_also_reported(store, tmp_path):
    catalog, _ = catalog_with(tmp_path, json_src("a", "a.test") + json_src("b", "b.test"))
    sync(store, catalog)
    answers = Answers()
    answers.bodies.update({"a.test": '{"total": 7}', "b.test": '{"total": 9}'})
    refresh_with(store, catalog, answers)
    assert (current(store, "rules").value, current(store, "rules").disputed_by) == ("9", ["7"])
    # a revises to b's figure: no disagreement is left
    answers.bodies["a.test"] = '{"total": 9}'
    refresh_with(store, catalog, answers)
    assert current(store, "rules").disputed_by == []
    # a revises again: it disagrees with b's latest reading once, not once per reading
    answers.bodies["a.test"] = '{"total": 8}'
    refresh_with(store, catalog, answers)
    assert current(store, "rules").disputed_by == ["9"]


def test_a_curated_value_on_the_same_date_is_also_reported(store, tmp_path):
    catalog, _ = catalog_with(tmp_path, json_src("a", "a.test"))
    sync(store, catalog)
    answers = Answers()
    answers.bodies["a.test"] = '{"total": 7}'
    refresh_with(store, catalog, answers)
    answers.bodies["a.test"] = '{"total": 8}'
    refresh_with(store, catalog, answers)
    record(store, catalog, "pace-mismatch", "rules", "5", as_of=store.clock().date().isoformat())
    now = current(store, "rules")
    assert (now.value, now.origin, now.disputed_by) == ("5", "analyst", ["8"])


def test_show_prints_one_value_for_a_revised_series(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from tracker.cli import cli

    _, path = catalog_with(tmp_path, FR)
    answers = Answers()
    real = make_client
    monkeypatch.setattr("tracker.fetchers.make_client",
                        lambda *a, **k: real(httpx.MockTransport(answers)))
    monkeypatch.setattr("tracker.refresh.HOST_DELAY", 0)
    db = str(tmp_path / "s.db")
    for counts in ({"2025": 40, "2026": 12}, {"2025": 40, "2026": 30}):
        answers.bodies["fr"] = json.dumps(counts)
        result = CliRunner().invoke(cli, ["--db", db, "--catalog", str(path), "refresh"])
        assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(cli, ["--db", db, "--catalog", str(path), "show",
                                     "pace-mismatch"])
    assert "30" in shown.stdout and "also reported" not in shown.stdout


@pytest.mark.parametrize("origin", ["catalog", "analyst"])
def test_curated_values_differing_on_a_date_stay_visible(store, catalog, origin):
    """The small catalog lists 3 and 4 from two sources for one date: both are shown."""
    sync(store, catalog)
    if origin == "analyst":
        record(store, catalog, "test-treaty", "participant_count", "5", as_of="2025-02",
               author="ana")
        record(store, catalog, "test-treaty", "participant_count", "6", as_of="2025-02",
               author="ana")
    [row] = queries.rows(store.db, ids=["test-treaty"])
    now = row.values["participant_count"]
    expected = ["3"] if origin == "catalog" else ["3", "4"]
    assert now.disputed_by == expected, now
