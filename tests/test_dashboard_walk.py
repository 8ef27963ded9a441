"""Faults found walking every screen as a new user: each one driven by Pilot."""

from __future__ import annotations

from textual.widgets import DataTable

from tracker.sync import sync

from conftest import FROZEN


def app_for(store, catalog, tmp_path, **kwargs):
    from screens.app import TrackerApp

    sync(store, catalog)
    kwargs.setdefault("watch_seconds", 0)
    return TrackerApp(store, catalog, export_dir=tmp_path / "snapshots", clock=lambda: FROZEN,
                      log_path=tmp_path / "dashboard.log", **kwargs)


async def settle(pilot) -> None:
    """Wait for the screens' reads; a read a newer one replaced (cancelled) is fine."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_o_with_no_browser_copies_the_link_on_every_screen(store, catalog, tmp_path,
                                                                 monkeypatch):
    """What a figure counts and a party's profile open a source as Detail does: with no
    browser, the link goes to the clipboard and is shown whole, never "asked the browser"."""
    from screens.explain import ExplainScreen
    from screens.party import PartyScreen

    monkeypatch.setattr("screens.links.open_in_browser", lambda url: False)
    opened = []
    monkeypatch.setattr("textual.app.App.open_url", lambda self, url, **kw: opened.append(url))
    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        for screen in (ExplainScreen("parties"), PartyScreen("USA")):
            app._clipboard = ""
            await app.push_screen(screen)
            await settle(pilot)
            table = app.screen.focused
            assert isinstance(table, DataTable) and table.row_count
            await pilot.press("o")
            await settle(pilot)
            assert app.clipboard.startswith("https://example.org/"), type(screen).__name__
            assert any(app.clipboard in t and "clipboard" in t for t in toasts(app))
            assert not any("Asked the browser" in t for t in toasts(app))
            await pilot.press("escape")
            await settle(pilot)
        assert opened == []
        # Served (textual-serve), the link goes to the colleague's browser tab, not to a
        # browser on the machine the server runs on.
        monkeypatch.setattr("screens.app.TrackerApp.is_web", property(lambda self: True))
        await app.push_screen(ExplainScreen("parties"))
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert opened and opened[0].startswith("https://example.org/")


async def test_end_and_pagedown_on_an_empty_table_are_no_error(store, catalog, tmp_path):
    """Textual moves an empty table's cursor to row -1 on `end` or `pagedown` and says a
    row with no key is highlighted: every screen takes that as nothing to show."""
    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("7")  # the review queue is empty
        await settle(pilot)
        assert app.screen.query_one("#proposals", DataTable).row_count == 0
        app.screen.query_one("#proposals", DataTable).focus()
        await pilot.press("end", "pagedown", "enter", "home", "pageup")
        await settle(pilot)
        for screen, table in (("3", "#changes"), ("2", "#rows")):
            await pilot.press(screen)
            await settle(pilot)
            await pilot.press("slash", *"zzzz", "enter")
            await settle(pilot)
            app.screen.query_one(table, DataTable).focus()
            assert app.screen.query_one(table, DataTable).row_count == 0
            await pilot.press("end", "pagedown", "enter")
            await settle(pilot)
        assert app.errors == []
        assert not (tmp_path / "dashboard.log").read_text().strip()


LONG = "Framework Convention on Artificial Intelligence, Human Rights and the Rule of Law"


async def test_at_200_columns_changes_are_not_cut_while_space_is_free(catalog_path, store,
                                                                    tmp_path):
    """A change's indicator, field (a party's membership) and value get the width they need
    when the terminal has it, on the Overview and on Trends; at 80 columns they still fit."""
    from tracker.catalog import load_catalog

    catalog_path.write_text(catalog_path.read_text().replace("name: Test Treaty",
                                                             f"name: {LONG}"))
    catalog = load_catalog(catalog_path)
    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        app.window = "all"
        await settle(pilot)
        latest = app.screen.query_one("#latest", DataTable)
        widths = [c.width for c in latest.columns.values()]
        rows = [[c.plain for c in latest.get_row_at(i)] for i in range(latest.row_count)]
        assert any("(membership)" in r[2] for r in rows)
        for row in rows:
            for text, width in list(zip(row, widths))[1:4]:
                assert len(text) <= width, (text, width)
        await pilot.press("3")
        await settle(pilot)
        changes = app.screen.query_one("#changes", DataTable)
        name = list(changes.columns.values())[1].width
        texts = [changes.get_row_at(i)[1].plain for i in range(changes.row_count)]
        assert max(len(t) for t in texts) <= name
        # The indicator's name gives way first: the field and a member's name stay whole.
        assert any(t.endswith("… · United States (membership)") for t in texts), texts
        assert any(t.endswith(" · Status") for t in texts)
        assert any(t.startswith(LONG[:30]) for t in texts), texts
    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.window = "all"
        await settle(pilot)
        latest = app.screen.query_one("#latest", DataTable)
        assert sum(c.width + 2 for c in latest.columns.values()) <= 80


HOSTILE = r"\u202eevil\u202c \u200bzw \x9b2J \e[31mred"
"""Written in YAML's double-quoted escapes: an override, a zero-width space, a CSI, an ESC."""


async def test_bidi_zero_width_and_controls_never_reach_the_screen(catalog_path, store,
                                                                   tmp_path):
    """A name, a description, a ledger note, a category's title, a store's path and a
    notification are shown without bidi overrides, zero-width or control characters."""
    import re

    from textual.widgets import OptionList, Static

    from screens.detail import DetailScreen
    from tracker.catalog import load_catalog

    text = catalog_path.read_text()
    text = text.replace("name: Test Treaty", f'name: "Test Treaty {HOSTILE}"')
    text = text.replace("note: Four parties reported; three known.",
                        f'note: "Four parties {HOSTILE}"')
    text = text.replace("title: Mechanisms", f'title: "Mechanisms {HOSTILE}"')
    catalog_path.write_text(text)
    catalog = load_catalog(catalog_path)
    bad = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")

    def shown(app) -> str:
        parts = [str(s.render()) for s in app.screen.query(Static)]
        parts += [str(o.prompt) for ol in app.screen.query(OptionList)
                  for o in ol._options]
        return "\n".join(parts)

    app = app_for(store, catalog, tmp_path)
    from tracker import assess

    assess.record(store, catalog, "test-treaty", "participants",
                  "Many \u202eevil\u202c \u200bzw \x9b2J \x1b[31mred", as_of="2026-11",
                  source="https://example.org/p", confidence="low", note=None, author="ana")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await app.push_screen(DetailScreen("test-treaty"))
        await settle(pilot)
        screen = shown(app)
        assert "Test Treaty evil" in screen and "Four parties evil" in screen
        assert not bad.search(screen), [c for c in bad.findall(screen)]
        await pilot.press("escape", "2", "right_square_bracket")
        await settle(pilot)
        screen = shown(app)
        assert "Mechanisms evil" in screen
        assert not bad.search(screen)
        app.notify("written to /tmp/\u202eevil\u200b\x9b/latest.md")
        await pilot.pause()
        assert not any(bad.search(t) for t in toasts(app))
        await pilot.press("3")  # a change to a hostile value, in the Trends preview
        await settle(pilot)
        changes = app.screen.query_one("#changes", DataTable)
        key = next(k for k, c in app.screen.changes.items() if "evil" in c.new)
        changes.focus()
        changes.move_cursor(row=changes.get_row_index(key))
        await settle(pilot)
        preview = str(app.screen.query_one("#preview", Static).render())
        assert "Change:" in preview and "evil" in preview
        assert not bad.search(preview), [c for c in bad.findall(preview)]


SECOND_TREATY = """\
  - id: test-treaty-two
    category: mechanisms
    name: Test Treaty Two
    criteria: {outside_structures: {value: "yes", rationale: A new pact, source: page, confidence: low}, single_purpose: {value: "yes", rationale: One purpose, source: page, confidence: low}, no_shared_values: {value: "yes", rationale: No values test, source: page, confidence: low}}
    values:
      status:
        - {value: Active, as_of: 2024-06, source: page, confidence: low}
"""


async def test_participation_headers_never_read_the_same(catalog_path, store, tmp_path):
    """Two mechanisms whose short headers would be alike (the catalog's two REAIM outcomes
    both read "REAIM") get headers that tell them apart."""
    from tracker.catalog import load_catalog

    text = catalog_path.read_text().replace("\nmemberships:\n", "\n" + SECOND_TREATY +
                                            "\nmemberships:\n")
    text = text.replace("\nevents:\n", """
  test-treaty-two:
    complete: false
    entries:
      - {party: USA, role: signed, date: 2024-09-05, source: https://example.org/a, confidence: high}

events:
""", 1)
    catalog_path.write_text(text)
    app = app_for(store, load_catalog(catalog_path), tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one("#matrix", DataTable)
        headers = [c.label.plain for c in table.columns.values()]
        assert "Test Treaty" in headers and len(headers) == 4
        assert len(set(headers)) == len(headers), headers


def test_short_headers_of_the_reaim_outcomes_differ():
    from screens.participation import short_labels

    labels = short_labels([("reaim-blueprint", ""), ("reaim-pathways", ""),
                           ("reaim-seoul-2024", ""), ("cets-225", "")])
    assert labels == {"reaim-blueprint": "REAIM Bluep…", "reaim-pathways": "REAIM Pathw…",
                      "reaim-seoul-2024": "REAIM Seoul", "cets-225": "CETS 225"}


async def test_text_cut_by_its_column_ends_in_an_ellipsis(store, catalog, tmp_path):
    """At 80 columns a name longer than its column reads "Strategic c…", not a word cut
    short that looks whole."""
    app = app_for(store, catalog, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#rows", DataTable)
        width = list(table.columns.values())[0].width
        assert width < len("Strategic competition")
        lines = [table.render_line(y).text for y in range(table.row_count + 1)]
        assert any("Strategic" in line and "…" in line for line in lines), lines
        assert not any("Strategic competition" in line for line in lines)
