"""A party's profile and a treaty's chart: the core, `tracker party` / `tracker treaty`, and
the Party screen (from Participation, and back)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import yaml

from tracker.catalog import load_catalog
from tracker.party import profile, resolve
from tracker.sync import sync
from tracker.treaty_chart import chart, first_of_month_after

from conftest import DATA, FROZEN, Cli

TODAY = FROZEN.date()


@pytest.fixture
def party_catalog(tmp_path):
    """tests/data/catalog-party.yaml, its mechanisms given the criteria of the small
    catalog's test treaty (so this fixture follows that file's criteria format)."""
    small = yaml.safe_load((DATA / "catalog-small.yaml").read_text())
    criteria = next(i["criteria"] for i in small["indicators"] if i["id"] == "test-treaty")
    data = yaml.safe_load((DATA / "catalog-party.yaml").read_text())
    for ind in data["indicators"]:
        ind.setdefault("criteria", criteria)
    target = tmp_path / "catalog-party.yaml"
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return target


@pytest.fixture
def db(store, party_catalog):
    sync(store, load_catalog(party_catalog))
    return store.db


@pytest.fixture
def run(tmp_path, party_catalog) -> Cli:
    return Cli(tmp_path / "cli.db", party_catalog)


# The treaty's chart ---------------------------------------------------------------------

@pytest.mark.parametrize("date, months, expected", [
    ("2025-03-31", 3, "2025-07-01"),   # the end of a month: three months later is 30 June
    ("2025-03-01", 3, "2025-07-01"),   # the first: the period ends on 1 June, then July
    ("2025-11", 3, "2026-03-01"),      # a month alone is enough, across a year
    ("2025-12-15", 1, "2026-02-01"),
    ("2024-11-30", 3, "2025-03-01"),   # via 28 February
    ("2025", 3, None),                 # a year alone is not
])
def test_first_day_of_the_month_after_the_period(date, months, expected):
    assert first_of_month_after(date, months) == expected


def test_the_chart_gives_each_state_its_entry_into_force(db):
    c = chart(db, "test-convention", TODAY)
    # Ratified: GBR 15 Jan (COE), USA 10 Feb, NOR 31 Mar (COE): three, two from COE, so
    # the rule is met on 31 March and the treaty enters into force on 1 July 2025.
    assert c.met_on == "2025-03-31"
    assert c.in_force_on == "2025-07-01" and c.in_force
    rows = {r.party: r for r in c.rows}
    assert {p: rows[p].entry_into_force for p in rows} == {
        "GBR": "2025-07-01", "USA": "2025-07-01", "NOR": "2025-07-01",  # by the rule's date
        "FRA": "2025-09-01",   # ratified 2 May, after the rule was met: its own three months
        "CAN": "2025-10-01",   # ratified 1 June
        "AND": "2026-03-01",   # acceded in November 2025 (the month only)
    }
    assert "CHN" not in rows  # it declined: never signed nor ratified
    assert rows["CAN"].withdrew == "2026-01-10"
    assert rows["AND"].signature is None and rows["AND"].ratification == "2025-11"
    assert rows["FRA"].signature == "2024-10"
    assert [r.name for r in c.rows] == sorted(r.name for r in c.rows)  # by name
    assert (c.ratified, c.ratified_in_group) == (6, 4)
    assert c.summary == "In force since 2025-07-01 (6 ratified (4 from COE); needs 3 (2 " \
                        "from COE))."


def test_before_the_date_the_chart_says_when(db):
    c = chart(db, "test-convention", dt.date(2025, 5, 1))
    assert not c.in_force and c.in_force_on == "2025-07-01"
    assert c.summary.startswith("Enters into force on 2025-07-01")


def test_a_treaty_not_in_force_leaves_the_dates_blank(db):
    c = chart(db, "test-pact", TODAY)
    assert c.met_on is None and c.in_force_on is None and not c.in_force
    assert [(r.party, r.signature, r.ratification, r.entry_into_force) for r in c.rows] == [
        ("NOR", None, "2025-02-01", None), ("USA", "2025-01-01", None, None)]
    assert c.summary == "Not in force: 1 ratified; needs 5."


# Finding a party ------------------------------------------------------------------------

@pytest.mark.parametrize("query, code", [
    ("USA", "USA"), ("usa", "USA"), ("United States", "USA"),
    ("united states of america", "USA"), ("  United   States ", "USA"), ("us", "USA"),
    ("uk", "GBR"), ("United Kingdom", "GBR"), ("eu", "EU"), ("European Union", "EU"),
    ("AU", "AU"),                       # the catalog's African Union, not Australia's AU
    ("Republic of Korea", "KOR"), ("south korea", "KOR"), ("Türkiye", "TUR"),
    ("turkiye", "TUR"), ("russia", "RUS"), ("Viet Nam", "VNM"), ("vietnam", "VNM"),
])
def test_a_party_is_found_by_code_or_name(db, query, code):
    assert resolve(db, query) == code


@pytest.mark.parametrize("query, says", [
    ("korea", ["ambiguous", "North Korea (PRK)", "South Korea (KOR)"]),
    ("united", ["ambiguous", "United States (USA)", "United Kingdom (GBR)"]),
    ("Unted States", ["unknown party", "nearest: United States (USA)"]),
    ("narnia", ["unknown party 'narnia'"]),
    ("   ", ["give a code"]),
    ("zz", ["unknown party"]),          # two letters: no country has them, no start-match
])
def test_an_unknown_or_ambiguous_party_lists_the_nearest(db, query, says):
    from tracker.errors import TrackerError

    with pytest.raises(TrackerError) as err:
        resolve(db, query)
    assert err.value.exit_code == 2
    assert "\n" not in err.value.message
    for text in says:
        assert text in err.value.message


# The profile ----------------------------------------------------------------------------

def test_a_partys_profile(db):
    p = profile(db, "USA", TODAY)
    assert (p.name, p.kind, p.official_name) == ("United States", "country",
                                                 "United States of America")
    assert p.groups == [{"id": "G7", "name": "Group of Seven"}]
    assert [(m.mechanism, m.role, m.date, m.since) for m in p.mechanisms] == [  # as it joined
        ("test-forum", "member", "2024-05", "2024-05"),
        ("test-convention", "ratified", "2025-02-10", "2024-09-05"),
        ("test-pact", "signed", "2025-01-01", "2025-01-01")]
    assert [(m.mechanism, m.role, m.date) for m in p.left] == [
        ("test-declaration", "withdrew", "2025-01-20")]
    assert [(e["date"], e["mechanism"], e["role"]) for e in p.ledger] == [
        ("2023-11-01", "test-declaration", "endorsed"), ("2024-05", "test-forum", "member"),
        ("2024-09-05", "test-convention", "signed"), ("2025-01-01", "test-pact", "signed"),
        ("2025-01-20", "test-declaration", "withdrew"),
        ("2025-02-10", "test-convention", "ratified")]
    treaties = {t["treaty"]: t for t in p.treaties}
    assert treaties["test-convention"]["entry_into_force"] == "2025-07-01"
    assert treaties["test-convention"]["signature"] == "2024-09-05"
    assert treaties["test-pact"]["entry_into_force"] is None
    # Its mechanisms' events while it took part: the opening it signed at, the meeting of
    # the parties, the forum's launch (dated to the year), the declaration's summit; not
    # France's ratification (another party's act), nor the declaration's follow-up after
    # the US withdrew, nor an event linked to nothing.
    assert [e["id"] for e in p.events] == ["decl-summit", "forum-launch", "conv-opens",
                                           "conv-meeting"]


def test_a_refusal_and_an_observer(db):
    china = profile(db, "CHN", TODAY)
    assert [(m.mechanism, m.role) for m in china.left] == [("test-convention", "declined")]
    assert [m.mechanism for m in china.mechanisms] == ["test-declaration"]
    assert china.treaties == []  # declined: not on the chart
    assert [e["id"] for e in china.events] == ["decl-summit", "decl-followup"]
    eu = profile(db, "EU", TODAY)
    assert sorted((m.mechanism, m.role) for m in eu.mechanisms) == [
        ("test-declaration", "endorsed"), ("test-forum", "observer")]
    assert eu.official_name is None and eu.kind == "intergovernmental"


def test_a_party_without_roles_has_an_empty_profile(db):
    p = profile(db, resolve(db, "tuvalu"), TODAY)
    assert (p.code, p.mechanisms, p.left, p.ledger, p.events) == ("TUV", [], [], [], [])


# The command line -----------------------------------------------------------------------

def test_tracker_party_prints_the_profile(run):
    result = run("party", "United States")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("United States (USA), country: United States of America\n")
    assert "Groups: G7 (Group of Seven)" in out
    assert "In 3 mechanisms (latest role; sources in the ledger below)" in out
    assert "Declined or left (1)" in out and "withdrew  2025-01-20" in out
    treaty_line = next(line for line in out.splitlines() if line.startswith("test-convention")
                       and "2025-07-01" in line)
    assert "2024-09-05  2025-02-10  2025-07-01" in treaty_line
    assert "Ledger (6 entries)" in out
    assert "Events of its mechanisms while it took part (4)" in out
    assert "France ratifies" not in out


def test_tracker_party_json_and_csv(run):
    data = json.loads(run("party", "usa", "--format", "json").output)
    assert data["code"] == "USA" and len(data["ledger"]) == 6
    assert data["treaties"][0]["entry_into_force"] == "2025-07-01"
    rows = list(csv.DictReader(io.StringIO(run("party", "eu", "--format", "csv").output)))
    assert [(r["mechanism"], r["role"], r["current"]) for r in rows] == [
        ("test-declaration", "endorsed", "yes"), ("test-forum", "observer", "yes")]
    usa = list(csv.DictReader(io.StringIO(run("party", "USA", "--format", "csv").output)))
    current = {(r["mechanism"], r["role"]): r["current"] for r in usa}
    assert current[("test-convention", "signed")] == "no"
    assert current[("test-convention", "ratified")] == "yes"
    assert {r["entry_into_force"] for r in usa if r["mechanism"] == "test-convention"} == {
        "2025-07-01"}


def test_an_observer_is_not_counted_as_in(run):
    assert "In 1 mechanism, observer in 1 (latest role" in run("party", "eu").output


@pytest.mark.parametrize("query, says", [
    ("korea", "party 'korea' is ambiguous"), ("narnia", "unknown party 'narnia'")])
def test_tracker_party_errors_are_one_line_with_exit_2(run, query, says):
    result = run("party", query)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and says in line


def test_tracker_treaty_prints_the_chart(run):
    result = run("treaty", "Test-Convention")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Test Convention (TC 1) (test-convention): 6 parties signed or ratified"
    assert lines[1].split() == ["State", "Code", "Signature", "Ratification",
                                "Entry", "into", "force", "Withdrew", "COE"]
    assert lines[3].split() == ["Canada", "CAN", "2024-09-05", "2025-06-01", "2025-10-01",
                                "2026-01-10"]
    assert "In force since 2025-07-01" in result.output
    rows = list(csv.DictReader(io.StringIO(run("treaty", "test-convention", "--format",
                                               "csv").output)))
    assert {r["party"]: r["entry_into_force"] for r in rows}["FRA"] == "2025-09-01"
    data = json.loads(run("treaty", "test-pact", "--format", "json").output)
    assert data["in_force_on"] is None and data["rows"][0]["entry_into_force"] is None


@pytest.mark.parametrize("treaty, says", [
    ("test-forum", "'test-forum' is not a treaty (its kind is forum); treaties: "
                   "test-convention, test-pact"),
    ("nothing", "unknown treaty 'nothing' (allowed: test-convention, test-pact)")])
def test_tracker_treaty_refuses_what_is_not_a_treaty(run, treaty, says):
    result = run("treaty", treaty)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {says}"


def test_help_has_an_example(run):
    for command in ("party", "treaty"):
        result = run(command, "--help")
        assert "Example:" in result.output and f"tracker {command} " in result.output


# The Party screen -----------------------------------------------------------------------

def _app(store, party_catalog, tmp_path):
    from screens.app import TrackerApp

    catalog = load_catalog(party_catalog)
    sync(store, catalog)
    return TrackerApp(store, catalog, export_dir=tmp_path / "snapshots", clock=lambda: FROZEN)


async def test_enter_on_a_party_opens_its_profile_and_escape_goes_back(store, party_catalog,
                                                                       tmp_path):
    from textual.widgets import DataTable

    from screens.detail import DetailScreen
    from screens.participation import ParticipationScreen
    from screens.party import PartyScreen

    app = _app(store, party_catalog, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#matrix", DataTable).get_row_at(0)[0].plain == \
            "United States (USA)"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PartyScreen) and app.screen.code == "USA"
        table = lambda name: app.screen.query_one(f"#{name}", DataTable)  # noqa: E731
        assert table("mechanisms").row_count == 3
        assert table("left").get_row_at(0)[1].plain == "withdrew"
        assert [c.plain for c in table("treaties").get_row_at(0)][1:4] == [
            "2024-09-05", "2025-02-10", "2025-07-01"]
        assert table("ledger").row_count == 6 and table("events").row_count == 4
        await pilot.press("enter")  # the first mechanism opens its detail
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PartyScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ParticipationScreen)


def test_party_screen_snapshot(store, party_catalog, tmp_path, snap_compare):
    """The United States at 80x24: title, groups and counts, its three mechanisms with
    roles coloured, the withdrawal, the convention's row (in force 2025-07-01), and the
    preview of the highlighted mechanism."""
    from screens.party import PartyScreen

    app = _app(store, party_catalog, tmp_path)

    async def run_before(pilot) -> None:
        await pilot.app.push_screen(PartyScreen("USA"))
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_the_party_screen_shows_catalog_text_literally(store, party_catalog, tmp_path):
    from textual.widgets import DataTable, Static

    from screens.party import PartyScreen

    party_catalog.write_text(party_catalog.read_text()
                             .replace("name: European Union", 'name: "[bold red]EU[/] \\e[31mred"')
                             .replace("name: Test Forum", "name: '[link=https://x.example]Forum[/link]'"))
    app = _app(store, party_catalog, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(PartyScreen("EU"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = app.screen.query_one("#party-title", Static).content
        assert title.plain.startswith("[bold red]EU[/] red (EU)")
        names = [app.screen.query_one("#mechanisms", DataTable).get_row_at(i)[0].plain
                 for i in range(2)]
        assert "[link=https://x.example]Forum[/link]" in names


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("args, ids", [
    (["party", "USA"], ["test-convention", "test-declaration", "test-forum", "test-pact"]),
    (["party", "eu"], ["test-declaration", "test-forum"]),
    (["party", "chn"], ["test-convention", "test-declaration"]),
    (["treaty", "test-convention"], ["AND", "CAN", "FRA", "GBR", "NOR", "USA"])])
def test_terminal_output_fits_and_keeps_ids_whole(run, monkeypatch, width, args, ids):
    from rich.cells import cell_len

    from tracker import render
    from tracker.text import clean

    monkeypatch.setattr(render, "is_terminal", lambda out: True)
    monkeypatch.setenv("COLUMNS", str(width))
    out = run(*args).output
    assert max(cell_len(line) for line in clean(out).splitlines()) <= width
    for ident in ids:
        assert any(ident in line for line in out.splitlines()), ident
