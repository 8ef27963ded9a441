"""Party: one party's profile, the same as `tracker party CODE` prints.

Its mechanisms with its latest role and date, those it declined or left, its row on each
treaty's chart (signature, ratification, entry into force for it), its whole ledger, and
the events of its mechanisms while it took part. Enter on a mechanism opens its detail;
escape goes back.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from tracker.party import Profile, profile
from tracker.store import Store
from tracker.text import count, one_line

from screens.base import DataScreen
from screens.cells import ROLE_STYLES, cell, lines
from screens.nav import NavBar
from screens.footer import KeyFooter
from screens.plain import Plain

TABLES = ("mechanisms", "left", "treaties", "ledger", "events")


def add_columns(table: DataTable, width: int, specs: list[tuple[str, int]],
                rows: list[list[Text]]) -> None:
    """Columns sized to ``width`` with literal labels: fixed widths as given; the flexible
    ones (0) share the rest, none wider than its longest cell, none narrower than 12."""
    from rich.cells import cell_len

    need = {i: max([cell_len(label)] + [cell_len(r[i].plain) for r in rows])
            for i, (label, w) in enumerate(specs) if not w}
    free = width - (2 * len(specs) + 2) - sum(w for _, w in specs)
    widths = {}
    for i in sorted(need, key=need.get):  # the narrowest first; what they leave goes on
        share = max(12, free // (len(need) - len(widths)))
        widths[i] = min(need[i], share)
        free -= widths[i]
    for i, (label, w) in enumerate(specs):
        table.add_column(Text(one_line(label)), width=w or widths[i])


class PartyScreen(DataScreen):
    """One party in full."""

    AUTO_FOCUS = "#mechanisms"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("o", "open_source", "Open source"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.keys: dict[str, dict[str, dict]] = {}
        """table id -> row key -> what the row shows (mechanism id, source, ...)."""

    def compose(self) -> ComposeResult:
        yield NavBar(self.app.current_mode)
        with VerticalScroll(id="party"):
            yield Plain(id="party-title", classes="title")
            yield Plain(id="party-about")
            for name in TABLES:
                yield Plain(id=f"{name}-title", classes="section")
                yield DataTable(id=name, cursor_type="row", zebra_stripes=True)
        yield Plain(id="preview", classes="preview")
        yield KeyFooter()

    def fetch(self, store: Store) -> Profile | None:
        known = store.db.execute("SELECT 1 FROM parties WHERE code = ?", [self.code]).fetchone()
        return profile(store.db, self.code, self.app.today()) if known else None

    def show(self, data: Profile | None) -> None:
        if data is None:
            self.query_one("#party-title", Static).update(Text(f"Unknown party {one_line(self.code)}"))
            for name in TABLES:
                self._table(name, "", [], [])
            return
        title = Text(f"{one_line(data.name)} ({data.code})", style="bold")
        title.append(f"  ·  {data.kind}")
        if data.official_name and data.official_name != data.name:
            title.append(f"  ·  {one_line(data.official_name)}", style="dim")
        self.query_one("#party-title", Static).update(title)
        groups = ", ".join(f"{g['id']} ({g['name']})" for g in data.groups) or "none recorded"
        observer = sum(1 for m in data.mechanisms if m.role == "observer")
        summary = (f"In {count(len(data.mechanisms) - observer, 'mechanism')}"
                   + (f", observer in {observer}" if observer else "")
                   + (f" · declined or left {len(data.left)}" if data.left else "")
                   + f" · {count(len(data.ledger), 'ledger entry', 'ledger entries')} · "
                   f"{count(len(data.events), 'event')}")
        self.query_one("#party-about", Static).update(lines(("Groups", groups), ("", summary)))
        width = self.size.width - 2
        self._table("mechanisms", "Mechanisms, latest role; enter opens one",
                    [("Mechanism", 0), ("Kind", 15), ("Role", 8), ("Date", 10)],
                    [(m.mechanism, {"mechanism": m.mechanism, "name": m.name,
                                    "source": m.source, "note": m.note},
                      [cell(m.name), cell(m.kind or ""), _role(m.role), cell(m.date)])
                     for m in data.mechanisms], width)
        self._table("left", "Declined or left",
                    [("Mechanism", 0), ("Role", 8), ("Date", 10), ("Note", 0)],
                    [(m.mechanism, {"mechanism": m.mechanism, "name": m.name,
                                    "source": m.source, "note": m.note},
                      [cell(m.name), _role(m.role), cell(m.date), cell(m.note or "")])
                     for m in data.left], width)
        self._table("treaties", "Treaties, signature, ratification and entry into force for it",
                    [("Treaty", 0), ("Signed", 10), ("Ratified", 10), ("In force", 10),
                     ("Treaty status", 0)],
                    [(t["treaty"], {"mechanism": t["treaty"], "name": t["name"],
                                    "note": t["treaty_status"]},
                      [cell(t["name"]), cell(t["signature"] or ""),
                       cell(t["ratification"] or ""), cell(t["entry_into_force"] or ""),
                       cell(t["treaty_status"])]) for t in data.treaties], width)
        self._table("ledger", "Ledger, every dated entry",
                    [("Date", 10), ("Mechanism", 0), ("Role", 8), ("Conf.", 6),
                     ("Source", 0), ("Note", 0)],
                    [(str(i), e,
                      [cell(e["date"]), cell(e["mechanism"]), _role(e["role"]),
                       cell(e["confidence"]), cell(e["source"]), cell(e["note"] or "")])
                     for i, e in enumerate(data.ledger)], width)
        self._table("events", "Events of its mechanisms while it took part",
                    [("Date", 10), ("Event", 0), ("Mechanism", 0)],
                    [(e["id"], {**e, "mechanism": e["mechanisms"][0]},
                      [cell(e["date"]), cell(e["title"]), cell(", ".join(e["mechanisms"]))])
                     for e in data.events], width)

    def _table(self, name: str, title: str, specs: list[tuple[str, int]],
               rows: list[tuple[str, dict, list[Text]]], width: int = 80) -> None:
        table = self.query_one(f"#{name}", DataTable)
        heading = self.query_one(f"#{name}-title", Static)
        table.clear(columns=True)
        self.keys[name] = {}
        heading.display = table.display = bool(rows)
        if not rows:
            return
        head, comma, rest = title.partition(",")
        heading.update(Text(f"{head} ({len(rows)}){comma}{rest}"))
        add_columns(table, width, specs, [cells for _, _, cells in rows])
        for key, info, cells in rows:
            table.add_row(*cells, key=key)
            self.keys[name][key] = info

    def _highlighted(self) -> tuple[DataTable | None, dict]:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return None, {}
        key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
        return focused, self.keys.get(focused.id or "", {}).get(key or "", {})

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.focused:
            self._preview()

    def on_descendant_focus(self) -> None:
        self._preview()

    def _preview(self) -> None:
        """The highlighted row of the focused table in full: name, source, note."""
        _, info = self._highlighted()
        if info:
            self.query_one("#preview", Static).update(lines(
                ("", info.get("title") or info.get("name") or info.get("mechanism")),
                ("Source", info.get("source")), ("Note", info.get("note"))))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        info = self.keys.get(event.data_table.id or "", {}).get(event.row_key.value or "", {})
        if info.get("mechanism"):
            from screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(info["mechanism"]))

    def action_open_source(self) -> None:
        """Open the source of the highlighted row in a browser."""
        table, info = self._highlighted()
        url = info.get("source") or ""
        if table is None:
            self.notify("Highlight a row of a table first.", timeout=2)
        elif url.startswith(("http://", "https://")):
            self.app.open_link(url)
        else:
            self.notify(f"No link: the source is {one_line(url) or 'unknown'}.", timeout=3,
                        markup=False)


def _role(role: str) -> Text:
    return cell(role, ROLE_STYLES.get(role, ""))
