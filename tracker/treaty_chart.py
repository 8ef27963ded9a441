"""A treaty's chart of signatures and ratifications, as the Council of Europe's treaty office
shows it: each state's signature date, ratification date and entry into force for it.

Entry into force follows the treaty's rule in the catalog (``entry_into_force``): it is
general on the first day of the month following ``period_months`` months after the date of
the ratification that met the rule (enough ratifications, enough of them from the rule's
group); for a state that ratified by then, that is its date too; for a state that ratified
later, it is the first day of the month following ``period_months`` months after its own
ratification (the Council of Europe's usual final clause, Article 30(3) of CETS 225; the
catalog's rule states only the general case). A ratification dated only to the month
gives an exact date (any day of March plus three months falls in June, so 1 July); one
dated only to the year gives none. Without the rule, its period, or enough ratifications,
the dates are blank.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from tracker import queries

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass
class ChartRow:
    """One state (or organisation) on a treaty's chart."""

    party: str
    name: str
    signature: str | None
    ratification: str | None
    entry_into_force: str | None
    """For this party: a date, or None when it has not ratified or the treaty is not in force."""
    withdrew: str | None = None
    in_group: bool = False
    """Whether the party belongs to the rule's group (for CETS 225, Council of Europe)."""


@dataclass
class Chart:
    """A treaty's chart and the state of its entry into force."""

    treaty: str
    name: str
    rule: dict[str, Any] | None
    rows: list[ChartRow] = field(default_factory=list)
    ratified: int = 0
    ratified_in_group: int = 0
    met_on: str | None = None
    """The date of the ratification that met the rule, if any."""
    in_force_on: str | None = None
    """The general date of entry into force, if the rule was met and gives a period."""
    in_force: bool = False
    """Whether that date has come (by the store's clock)."""
    summary: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def first_of_month_after(date: str, months: int) -> str | None:
    """The first day of the month following ``months`` months after ``date`` (YYYY-MM-DD or
    YYYY-MM; a year alone gives None)."""
    from dateutil.relativedelta import relativedelta

    if len(date) < 7:
        return None
    year, month = int(date[:4]), int(date[5:7])
    # The day does not matter: day d of a month plus n months stays in the month n later.
    end = dt.date(year, month, 1) + relativedelta(months=months + 1)
    return end.isoformat()


def treaties(db: Database) -> list[tuple[str, str]]:
    """The live treaties (mechanisms of kind treaty), id and name, in catalog order."""
    return [tuple(r) for r in db.execute(
        "SELECT id, name FROM indicators WHERE kind = 'treaty' AND retired_at IS NULL "
        "ORDER BY position")]


def chart(db: Database, treaty_id: str, today: dt.date) -> Chart:
    """The chart of ``treaty_id`` from its ledger and its entry-into-force rule."""
    ind = queries.indicator(db, treaty_id)
    if ind is None:
        raise KeyError(treaty_id)
    rule = json.loads(ind["entry_into_force"]) if ind.get("entry_into_force") else None
    _, entries = queries.ledger(db, treaty_id)
    group: set[str] = set()
    if rule and rule.get("group"):
        group = set(queries.groups(db).get(rule["group"], {}).get("members", []))
    rows: dict[str, ChartRow] = {}
    for e in sorted(entries, key=lambda e: (_pad(e["date"]), e["id"])):
        if e["role"] not in ("signed", "ratified", "withdrew"):
            continue
        row = rows.setdefault(e["party"], ChartRow(e["party"], e["party_name"], None, None,
                                                   None, in_group=e["party"] in group))
        if e["role"] == "signed" and row.signature is None:
            row.signature = e["date"]
        elif e["role"] == "ratified" and row.ratification is None:
            row.ratification = e["date"]
        elif e["role"] == "withdrew":
            row.withdrew = e["date"]
    out = Chart(treaty_id, ind["name"], rule,  # by name, as the treaty office lists states
                sorted(rows.values(), key=lambda r: (r.name.casefold(), r.party)))
    ratifiers = sorted((r for r in out.rows if r.ratification),
                       key=lambda r: (_pad(r.ratification), r.party))
    out.ratified = len(ratifiers)
    out.ratified_in_group = sum(1 for r in ratifiers if r.in_group)
    if rule:
        count = in_group = 0
        for r in ratifiers:
            count += 1
            in_group += r.in_group
            if count >= rule["ratifications"] and in_group >= (rule.get("group_minimum") or 0):
                out.met_on = r.ratification
                break
    months = rule.get("period_months") if rule else None
    if out.met_on and months is not None:
        out.in_force_on = first_of_month_after(out.met_on, months)
    if out.in_force_on:
        out.in_force = out.in_force_on <= today.isoformat()
        for r in ratifiers:
            own = first_of_month_after(r.ratification, months)
            if _pad(r.ratification) <= _pad(out.met_on):
                r.entry_into_force = out.in_force_on
            else:
                r.entry_into_force = own and max(own, out.in_force_on)
    out.summary = _summary(out)
    return out


def _summary(c: Chart) -> str:
    rule = c.rule
    if not rule:
        return f"{c.ratified} ratified; the catalog gives no rule for entry into force."
    text = f"{c.ratified} ratified"
    needs = f"needs {rule['ratifications']}"
    if rule.get("group"):
        text += f" ({c.ratified_in_group} from {rule['group']})"
        needs += f" ({rule['group_minimum']} from {rule['group']})"
    text += f"; {needs}"
    if c.in_force_on and c.in_force:
        return f"In force since {c.in_force_on} ({text})."
    if c.in_force_on:
        return f"Enters into force on {c.in_force_on} ({text})."
    if c.met_on and rule.get("period_months") is not None:
        return (f"The rule was met in {c.met_on} ({text}); that ratification is dated only "
                "to the year, so the date of entry into force is not computed.")
    if c.met_on:
        return (f"The rule was met on {c.met_on} ({text}); the catalog gives no period, "
                "so the date of entry into force is not computed.")
    return f"Not in force: {text}."


def _pad(date: str) -> str:
    from tracker.trends import pad

    return pad(date)
