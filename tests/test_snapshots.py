"""One snapshot per screen at a fixed size, on the small fixture store with a frozen clock.

Review changed snapshots in the report before accepting them with --snapshot-update.
"""

from __future__ import annotations

import pytest

from tracker.sync import sync

from conftest import FROZEN

SIZE = (100, 30)


@pytest.fixture
def app(store, catalog, tmp_path):
    from screens.app import TrackerApp

    sync(store, catalog)
    return TrackerApp(store, catalog, export_dir=tmp_path / "snapshots", clock=lambda: FROZEN,
                      watch_seconds=0)


async def _settled(pilot) -> None:
    """Workers done, then the redraws they caused (a first resize redraws a screen)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _after(*keys: str):
    async def run_before(pilot) -> None:
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()
        await _settled(pilot)
    return run_before


def test_overview(app, snap_compare):
    """Headline figures with their caveat (floor) and change over 1y, the latest changes (none since
    2025-11-22 on this store), and the status line: no sources, last sync time, no reviews."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after())


def test_tables(app, snap_compare):
    """The category list on the left; the Obstacles table with Severity coloured
    (High red, Moderate yellow) and the as-of dates; the footer shows / and s."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("2"))


def test_detail(app, snap_compare):
    """Test Treaty: the essay's six criteria with rationale, source and fit, current values
    (Parties 4 with 3 also reported),
    charts over time: the ledger (signatories) and Parties and Status (levels as ticks),
    the history with sources, the members ledger."""
    from screens.detail import DetailScreen

    async def run_before(pilot) -> None:
        await pilot.app.push_screen(DetailScreen("test-treaty"))
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)


def test_trends(app, snap_compare):
    """Window 'all': seven changes (three of fields, four membership entries: one worse,
    red), newest first."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("3", "w", "w"))


def test_participation(app, snap_compare):
    """United States and China first; glyphs S (signed, green) and ✗ (declined, red)."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("4"))


def test_calendar(app, snap_compare):
    """Coming: Next summit, 'in 2027'. Timeline: Test Treaty opens for signature."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("5"))


def test_sources(app, snap_compare):
    """No sources declared: the explanation line and an empty table."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("6"))


def test_review(app, snap_compare):
    """Nothing waiting: the explanation of what appears here, an empty table, a and x."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("7"))


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 50), id="200x50")]
"""The two sizes the dashboard is walked at: the smallest terminal and a large one."""


@pytest.mark.parametrize("size", SIZES)
def test_overview_sized(app, snap_compare, size):
    """Window 'all': figures compared with the day before the first record (better, not
    all neutral), the heading 'On 2024-05-31' whole; the Figure column no wider than its
    longest label; every change listed; the preview keeps its Source line (80x24)."""
    async def run_before(pilot) -> None:
        await _settled(pilot)
        pilot.app.window = "all"  # set, not pressed: no toast over the screen
        await _settled(pilot)
        await pilot.press("tab", "down")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_tables_sized(app, snap_compare, size):
    """Mechanisms: Status values ('Active') and Parties whole while there is room; at 200
    columns the spare width goes to the text columns, not to scale columns."""
    assert snap_compare(app, terminal_size=size,
                        run_before=_after("2", "right_square_bracket"))


def _many_ledgers(catalog_path) -> None:
    """Twelve more treaties, each with a ledger, so the matrix is wider than 80 columns."""
    parties = ["USA", "CHN", "GBR", "FRA", "DEU", "JPN", "CAN", "ITA"]
    indicators, ledgers = [], []
    for n in range(1, 13):
        indicators.append(f"""  - id: pact-{n}
    category: mechanisms
    name: Pact number {n}
    criteria: {{outside_structures: {{value: "yes", rationale: A new pact, source: page, confidence: low}}, single_purpose: {{value: "yes", rationale: One purpose, source: page, confidence: low}}, no_shared_values: {{value: "yes", rationale: No values test, source: page, confidence: low}}}}
""")
        entries = "".join(
            f"      - {{party: {p}, role: {'signed' if (i + n) % 3 else 'ratified'}, "
            f"date: 2024-0{1 + n % 9}, source: page, confidence: medium}}\n"
            for i, p in enumerate(parties[: 2 + n % 6]))
        ledgers.append(f"  pact-{n}:\n    complete: false\n    entries:\n{entries}")
    text = catalog_path.read_text()
    text = text.replace("\nmemberships:\n", "".join(indicators) + "\nmemberships:\n"
                        + "".join(ledgers))
    catalog_path.write_text(text)


@pytest.mark.parametrize("size", SIZES)
def test_participation_sized(store, catalog_path, tmp_path, snap_compare, size):
    """Thirteen treaties; the cursor moved right to the ninth: the Party and In columns
    stay in view (fixed), the mechanisms scroll beside them."""
    from screens.app import TrackerApp
    from tracker.catalog import load_catalog

    _many_ledgers(catalog_path)
    catalog = load_catalog(catalog_path)
    sync(store, catalog)
    app = TrackerApp(store, catalog, export_dir=tmp_path / "snapshots", clock=lambda: FROZEN,
                     watch_seconds=0)
    assert snap_compare(app, terminal_size=size,
                        run_before=_after("4", *["right"] * 10))
