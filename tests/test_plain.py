"""Every screen shows text from the store and the catalog through one inert widget."""

from __future__ import annotations

import re

from rich.text import Text
from textual.widgets import Static

from screens.plain import inert
from test_dashboard import make_app, settle

HOSTILE = "\u202eRLO\u200bZW\u00adSH\x1b[31mRED\x1b[0m\x9bC1\x7fDEL\x1b]2;PWNED\x07\u2066ISO"
RAW = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_inert_strips_hostile_characters_and_keeps_styles_in_place():
    from tracker.text import clean

    assert inert(f"a{HOSTILE}b") == clean(f"a{HOSTILE}b")
    assert not RAW.search(inert(f"a{HOSTILE}b"))
    styled = Text("ok ")
    styled.append("bad\u202ered\u200b", style="red")
    styled.append(" end", style="bold")
    kept = inert(styled)
    assert kept.plain == "ok badred end"
    styles = [""] * len(kept.plain)  # each character's style
    for span in kept.spans:
        for i in range(span.start, span.end):
            styles[i] = str(span.style)
    assert styles == [""] * 3 + ["red"] * 6 + ["bold"] * 4
    plain = Text("nothing to do", style="dim")
    assert inert(plain) is plain
    assert inert(3) == 3


def _shown(app) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def test_a_group_name_and_a_proposal_reach_no_screen_raw(store, catalog_path, tmp_path):
    from tracker.catalog import load_catalog

    text = catalog_path.read_text().replace("name: Group of Seven",
                                            f'name: "Group of Seven {HOSTILE}"'.replace(
                                                "\x1b", "\\e").replace("\x07", "\\a")
                                            .replace("\x9b", "\\x9b").replace("\x7f", "\\x7f"))
    catalog_path.write_text(text)
    catalog = load_catalog(catalog_path)
    app = make_app(store, catalog, tmp_path)
    with store.transaction() as db:
        run_id = store.start_run("refresh", "x")
        db["proposals"].insert({
            "source_id": "wikidata", "run_id": run_id, "kind": "observation",
            "indicator_id": "pace-mismatch", "field": "mechanism", "value": f"V{HOSTILE}",
            "as_of": "2026-01", "source_url": "https://example.org/p", "confidence": "low",
            "reason": "manual source", "status": "pending", "created_at": "2026-11-01"})
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        for _ in range(6):  # each group in turn, the G7 among them
            if "Group of Seven" in _shown(app):
                break
            await pilot.press("g")
            await settle(pilot)
        shown = _shown(app)
        assert "Group of Seven" in shown
        assert not RAW.search(shown), RAW.findall(shown)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("a")  # asks once: the line names what would be recorded
        await settle(pilot)
        shown = _shown(app)
        assert "Press a again" in shown and "VRLO" in shown
        assert not RAW.search(shown), RAW.findall(shown)


async def test_a_stored_link_with_invisible_characters_is_neither_opened_nor_copied(
        store, catalog, tmp_path, monkeypatch):
    """A store written before sources were checked may hold such a link: the one shown
    (cleaned) would not be the one opened."""
    opened = []
    monkeypatch.setattr("screens.links.open_in_browser", lambda url: opened.append(url))
    app = make_app(store, catalog, tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.open_link("https://ex.org/a\u202eb\u200bc")
        await settle(pilot)
        assert opened == [] and not app.clipboard
        assert any("Not opened or copied" in n.message for n in app._notifications)
        app.open_link("https://example.org/fine")
        await settle(pilot)
        assert opened == ["https://example.org/fine"]


def test_the_dashboard_log_replays_no_escape_sequence(tmp_path):
    import logging

    from screens.faults import log, start_log

    path = start_log(tmp_path / "dashboard.log")
    try:
        log.error("reading /tmp/p\u202eRLO\x1b]2;PWN\x07X/store.db\nnext line")
    finally:
        start_log(None)
    text = path.read_text(encoding="utf-8")
    assert "\\u202e" in text and "\\x1b]2;PWN\\x07" in text and "\nnext line" in text
    assert not RAW.search(text.replace("\n", ""))
    assert logging.getLogger("tracker.dashboard").handlers


def test_a_catalog_problem_quotes_the_files_text_inert(tmp_path):
    """A level quoted in an 'allowed:' list comes from the file: escaped, never obeyed."""
    from conftest import DATA
    from tracker.catalog import check_catalog

    text = (DATA / "catalog-small.yaml").read_text()
    path = tmp_path / "hostile.yaml"
    assert "levels: [Low, Moderate, High" in text
    path.write_text(text.replace("levels: [Low, Moderate, High",
                                 'levels: [Low, "Moderate \\u202eX\\e]2;T\\a", High', 1))
    _, problems = check_catalog(path)
    assert problems
    for problem in problems:
        shown = str(problem)
        assert not RAW.search(shown), ascii(shown)
    assert any("\\u202eX\\x1b]2;T\\x07" in str(p) for p in problems), [str(p) for p in problems]


async def test_a_field_label_reaches_no_column_header_raw(store, catalog_path, tmp_path):
    from textual.widgets import DataTable

    from tracker.catalog import load_catalog

    text = catalog_path.read_text()
    assert "{label: Severity," in text
    catalog_path.write_text(text.replace("{label: Severity,",
                                         '{label: "Severity \\u202eX\\e]2;T\\a\\u200b",', 1))
    app = make_app(store, load_catalog(catalog_path), tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        heads = [c.label.plain for c in app.screen.query_one("#rows", DataTable).columns.values()]
        assert any(h.startswith("Severity") for h in heads), heads
        assert not any(RAW.search(h) for h in heads), [ascii(h) for h in heads]


def test_escape_sequences_go_whole_in_seven_and_eight_bit_forms():
    """CSI and OSC as ESC [ / ESC ] or as their one-byte C1 forms: the sequence is removed
    with its parameters, never leaving '31m' or '2;TITLE' behind, on screen as in tables."""
    from tracker.text import clean

    for raw in ("a\x1b[31mb", "a\x9b31mb", "a\x1b]2;T\x07b", "a\x9d2;T\x9cb",
                "a\x1b]2;T\x1b\\b"):
        assert clean(raw) == "ab", ascii(raw)
        assert inert(Text(raw.replace("\x07", "\x1b\\"))).plain == "ab", ascii(raw)
