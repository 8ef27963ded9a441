"""Chart data (tracker.series), the step lines drawn from it, and the briefing's Mermaid charts."""

from __future__ import annotations

import re

import pytest

from tracker import queries, series
from tracker.catalog import load_catalog
from tracker.export import build
from tracker.export.markdown import cell
from tracker.export.mermaid import charts_section, label, number
from tracker.sync import sync

HOSTILE = 'Evil "Pact" ``` %%{init}%% ; #x [a] <b>'

RATIFIED = """      - {party: USA, role: ratified, date: 2025-06-01, source: https://example.org/r, confidence: high}
      - {party: GBR, role: ratified, date: 2026-01, source: https://example.org/r, confidence: high}
"""


def treaty_catalog(catalog_path, name: str = "Test Treaty"):
    """The small catalog with a threshold of two ratifications and two of them recorded."""
    text = catalog_path.read_text()
    text = text.replace("    name: Test Treaty\n    kind: treaty\n",
                        f"    name: '{name}'\n    kind: treaty\n    entry_into_force:\n"
                        "      ratifications: 2\n      source: https://example.org/rule\n"
                        "      confidence: high\n", 1)
    marker = "      - {party: CHN, role: declined"
    text = text.replace(marker, RATIFIED + marker, 1)
    catalog_path.write_text(text)
    return load_catalog(catalog_path)


@pytest.fixture
def treaty_store(store, catalog_path):
    sync(store, treaty_catalog(catalog_path))
    return store


def fields_of(db, indicator):
    cat = queries.indicator(db, indicator)["category_id"]
    return {f["field"]: f for c in queries.categories(db) if c["id"] == cat for f in c["fields"]}


def test_a_numeric_field_is_a_step_series_by_date(treaty_store):
    db = treaty_store.db
    f = fields_of(db, "test-treaty")["participant_count"]
    chart = series.field_chart(queries.history(db, "test-treaty"), f, "2026-11-22")
    # Two values as of 2025-02 (3, then 4 recorded later): the later one holds.
    assert [(p.date, p.value) for p in chart.series[0].points] == [("2024-06-01", 2.0),
                                                                   ("2025-02-01", 4.0)]
    assert (chart.start, chart.end, chart.levels) == ("2024-06-01", "2026-11-22", [])
    assert chart.series[0].at("2024-05-31") is None
    assert chart.series[0].at("2025-01-31") == 2.0 and chart.series[0].at("2030-01-01") == 4.0


def test_an_ordinal_field_is_plotted_by_rank_with_its_levels(treaty_store):
    db = treaty_store.db
    f = fields_of(db, "test-treaty")["status"]
    chart = series.field_chart(queries.history(db, "test-treaty"), f, "2026-11-22")
    assert chart.levels == f["levels"]
    assert [(p.date, chart.levels[int(p.value) - 1]) for p in chart.series[0].points] == \
        [("2024-06-01", "Building"), ("2025-02-11", "Active")]


def test_withdrawn_values_text_fields_and_single_values_give_no_chart(treaty_store):
    db = treaty_store.db
    fields = fields_of(db, "test-treaty")
    history = queries.history(db, "test-treaty")
    assert series.field_chart(history, fields["participants"], "2026-11-22") is None  # text
    withdrawn = [dict(o, withdrawn_at="2026-01-01") if o["value"] == "Active" else o
                 for o in history]
    assert series.field_chart(withdrawn, fields["status"], "2026-11-22") is None
    # --at a date before the second value: one value left, no chart.
    assert series.field_chart(history, fields["status"], "2026-11-22", until="2025-01-01") is None


def test_a_ledger_grows_by_date_against_its_threshold(treaty_store):
    chart = series.ledger_chart(treaty_store.db, "test-treaty", "2026-11-22")
    signed, ratified = chart.series
    assert signed.label == "Signatories" and ratified.label == "Ratifications"
    # Three sign on 2024-09-05 (0 a month before, so the step shows); China's refusal
    # changes nothing; ratifying keeps a signatory.
    assert [(p.date, p.value) for p in signed.points] == [("2024-08-06", 0.0),
                                                          ("2024-09-05", 3.0)]
    assert [(p.date, p.value) for p in ratified.points] == [
        ("2024-09-05", 0.0), ("2025-06-01", 1.0), ("2026-01-01", 2.0)]
    assert chart.threshold == 2.0
    assert chart.threshold_label == "Entry into force: 2 ratifications"
    assert (chart.start, chart.end, chart.top) == ("2024-08-06", "2026-11-22", 3.0)
    early = series.ledger_chart(treaty_store.db, "test-treaty", "2025-12-31", until="2025-12-31")
    assert [p.value for p in early.series[1].points] == [0.0, 1.0]


def test_a_ledger_without_signatures_counts_participants(store, catalog):
    sync(store, catalog)
    store.db.execute("UPDATE memberships SET role = 'member' WHERE role = 'signed'")
    chart = series.ledger_chart(store.db, "test-treaty", "2026-11-22")
    assert [s.label for s in chart.series] == ["Participants"] and chart.threshold is None
    assert series.ledger_chart(store.db, "no-such-mechanism", "2026-11-22") is None


def test_headline_figures_over_time(treaty_store):
    small, parties = series.headline_charts(treaty_store.db, "2026-11-22")
    by_label = {s.label: [(p.date, p.value) for p in s.points] for s in small.series}
    assert by_label["Test Treaty ratified"] == [("2024-06-01", 0.0), ("2025-06-01", 1.0),
                                                ("2026-01-01", 2.0)]
    assert [(p.date, p.value) for p in parties.series[0].points] == [("2024-06-01", 0.0),
                                                                     ("2024-09-05", 3.0)]
    # From a window's start: the value on that day first, then each change after it.
    _, windowed = series.headline_charts(treaty_store.db, "2026-11-22", since="2025-01-01")
    assert [(p.date, p.value) for p in windowed.series[0].points] == [("2025-01-01", 3.0)]
    assert windowed.start == "2025-01-01"


@pytest.mark.parametrize("start,end,count,first,last", [
    ("2024-06-01", "2025-06-01", 13, "2024-06-30", "2025-06-30"),   # monthly
    ("2019-05-22", "2026-11-22", 31, "2019-05-31", "2026-11-30"),   # quarterly
    ("2000-01-01", "2026-02-10", 27, "2000-02-29", "2026-02-28"),   # yearly, leap days
])
def test_samples_are_month_ends_spaced_by_time(start, end, count, first, last):
    dates = series.samples(start, end)
    assert (len(dates), dates[0], dates[-1]) == (count, first, last)


def test_a_step_line_holds_each_value_until_the_next_date():
    from screens.charts import count_ticks, date_ticks, steps

    s = series.Series("x", [series.Point("2024-01-01", 1.0), series.Point("2024-01-11", 3.0)])
    xs, ys = steps(s, "2024-01-21")
    day = 738886  # 2024-01-01
    assert xs == [day, day + 10, day + 10, day + 20] and ys == [1.0, 1.0, 3.0, 3.0]
    ticks, labels = date_ticks("2019-05-22", "2026-11-22", 8)
    assert labels == ["2020", "2021", "2022", "2023", "2024", "2025", "2026"]
    assert date_ticks("2025-01-15", "2025-06-30", 8)[1] == ["2025-02", "2025-03", "2025-04",
                                                           "2025-05", "2025-06"]
    assert count_ticks(102, 3) == [0, 60, 120] and count_ticks(5, 6) == [0, 1, 2, 3, 4, 5]


def test_the_briefing_charts_are_byte_identical_and_show_the_threshold(treaty_store):
    first = build(treaty_store, "md").text
    assert first == build(treaty_store, "md").text
    section = "\n".join(charts_section(treaty_store.db, "2026-11-22", cell))
    block = section[section.index('title "Test Treaty: ledger"'):]
    block = block[:block.index("```")]
    assert 'x-axis ["2024-08", "2024-09", "2024-10"' in block and '"2026-11"]' in block
    lines = re.findall(r"line \[([^\]]*)\]", block)
    # 2024-08 .. 2026-11 monthly: 28 samples; signatories 0 then 3; ratified 0, 1, 2.
    assert [len(v.split(", ")) for v in lines] == [28, 28, 28]
    assert lines[0] == "0, " + ", ".join(["3"] * 27)
    ratified = [int(v) for v in lines[1].split(", ")]
    assert ratified[:10] == [0] * 10 and ratified[10] == 1 and ratified[17] == 2
    assert lines[2] == ", ".join(["2"] * 28)  # the threshold
    assert "red: Entry into force: 2 ratifications." in section


def test_hostile_names_cannot_break_the_chart_source(store, catalog_path):
    sync(store, treaty_catalog(catalog_path, HOSTILE.replace("'", "''")))
    text = build(store, "md").text
    blocks = re.findall(r"```mermaid\n(.*?)\n```", text, re.S)
    assert len(blocks) == 3
    for b in blocks:
        assert "```" not in b and "%%" not in b and "<" not in b
        for line in b.splitlines():
            if line.strip().startswith("title"):
                assert line.count('"') == 2
    assert 'title "Evil Pact init x a b : ledger"' in text
    assert text.count("```") == 6  # every fence closed, none added by the name
    assert label('a"b`c\nd%%e;f#g') == "a b c d e f g"
    assert label("") == "-" and number(5.0) == "5" and number(2.50) == "2.5"


@pytest.mark.parametrize("values,dates", [
    ([3.0, 3.0], ["2026-11-22", "2026-11-22"]),          # one date: the axis still has width
    ([-2.5, 0.35], ["2024-01-01", "2025-01-01"]),        # negative and fractional: own ticks
    ([5e9, 7.2e9], ["2024-01-01", "2025-01-01"]),        # large counts
])
def test_any_series_draws_without_error(values, dates):
    from screens.charts import TimeChart

    points = [series.Point(d, v) for d, v in zip(dates, values)]
    chart = series.Chart("x", [series.Series("x", points)], dates[0], dates[-1])
    widget = TimeChart(chart)
    widget.draw(60, 10)
    widget.plt.plotsize(60, 10)
    assert "┤" in widget.plt.build()


def test_count_ticks_fit_the_room_on_round_steps():
    from screens.charts import count_ticks

    assert count_ticks(5e9, 3) == [0, 2_500_000_000, 5_000_000_000]
    assert count_ticks(1234, 5) == [0, 400, 800, 1200, 1600]
    assert count_ticks(0, 3) == [0, 1]
    assert count_ticks(102, 4, low=88) == [84, 90, 96, 102]
    assert count_ticks(5, 3, low=5) == [5, 6]
    for top in (1, 7, 19, 102, 999, 12345):
        for room in (2, 3, 5, 8):
            ticks = count_ticks(top, room)
            assert len(ticks) <= room and ticks[-1] >= top and ticks[0] == 0


def test_unranked_values_sit_below_the_ranked_levels(treaty_store):
    db = treaty_store.db
    f = dict(fields_of(db, "test-treaty")["status"])
    f["unranked"] = ["Paused", "Unused"]
    history = [dict(o) for o in queries.history(db, "test-treaty")]
    for o in history:
        if o["value"] == "Building":
            o["value"] = "Paused"
    chart = series.field_chart(history, f, "2026-11-22")
    assert chart.unranked == 1 and chart.levels == ["Paused", *f["levels"]]
    assert [chart.levels[int(p.value) - 1] for p in chart.series[0].points] == ["Paused",
                                                                                "Active"]


def test_a_count_high_above_zero_is_drawn_on_its_own_range():
    """88 rising to 102: the axis runs from 88 to 104, and the rise spans the plot."""
    from screens.charts import TimeChart

    points = [series.Point("2025-11-30", 88.0), series.Point("2026-02-21", 102.0)]
    chart = series.Chart("Parties", [series.Series("Parties", points)], "2025-11-30",
                         "2026-11-30")
    widget = TimeChart(chart)
    widget.draw(39, 11)
    widget.plt.plotsize(39, 11)
    rows = widget.plt.uncolorize(widget.plt.build()).splitlines()
    labels = [r.split("┤")[0].strip() for r in rows if "┤" in r]
    assert labels == ["104", "100", "96", "92", "88"]
    assert "⣀" in next(r for r in rows if r.strip().startswith("88┤"))  # 88 on its row
