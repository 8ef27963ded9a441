"""Chart data: dated step series of a field, a ledger and the headline figures.

A series is a list of points, each a date (YYYY-MM-DD, partial dates padded to their first
day) and the value that holds from that date until the next point: a step chart. Dates are
real dates, so a chart spaces them by time, not by index. Nothing here draws: the dashboard
(``screens/charts.py``) and the Markdown briefing (``tracker/export/mermaid.py``) do.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tracker import headline, queries
from tracker.headline_dates import values_on
from tracker.trends import pad

if TYPE_CHECKING:
    from sqlite_utils import Database

SIGNING_ROLES = ("signed", "ratified")
SHORT = {"treaties-signed": "Treaties signed", "treaties-in-force": "In force",
         "us-and-china": "US and China", "parties": "Parties"}
"""Headline figures' names in a chart's legend, where room is short."""


@dataclass(frozen=True)
class Point:
    date: str
    value: float


@dataclass
class Series:
    label: str
    points: list[Point]

    def at(self, date: str) -> float | None:
        """The value holding on ``date``, or None before the first point."""
        found = None
        for p in self.points:
            if p.date > date:
                break
            found = p.value
        return found


@dataclass
class Chart:
    """One chart: step series over a time axis from ``start`` to ``end``."""

    title: str
    series: list[Series]
    start: str
    end: str
    levels: list[str] = field(default_factory=list)
    """An ordinal scale's levels, lowest first: value 1 is ``levels[0]``. Empty: numeric.
    Unranked values the history uses (``Proposed``) come first, below the ranked ones."""
    threshold: float | None = None
    threshold_label: str = ""
    y_label: str = ""
    unranked: int = 0
    """How many of ``levels`` (the first ones) are unranked: they say where work stands,
    not a rank, so they sit below the scale."""

    @property
    def top(self) -> float:
        """The highest value drawn (series and threshold)."""
        values = [p.value for s in self.series for p in s.points]
        if self.threshold is not None:
            values.append(self.threshold)
        return max(values, default=0.0)


def _before(date: str | None, until: str | None) -> bool:
    return date is not None and (until is None or pad(date) <= until)


def _steps(dated: list[tuple[str, float]]) -> list[Point]:
    """Points by date, the last value of a date winning, repeats of the same value dropped."""
    by_date: dict[str, float] = {}
    for d, v in sorted(dated, key=lambda p: p[0]):
        by_date[d] = v
    points: list[Point] = []
    for d, v in by_date.items():
        if not points or points[-1].value != v:
            points.append(Point(d, v))
    return points


LEAD_DAYS = 30
"""A count (a ledger's, a headline figure's) is 0 before its first record: its chart starts
this many days earlier at 0, so the first step up shows."""


def _from_zero(points: list[Point]) -> list[Point]:
    """``points`` with a 0 before the first one, unless it is 0 already."""
    if not points or points[0].value == 0:
        return points
    before = dt.date.fromisoformat(points[0].date) - dt.timedelta(days=LEAD_DAYS)
    return [Point(before.isoformat(), 0.0), *points]


def field_chart(history: list[dict[str, Any]], f: dict[str, Any], end: str,
                until: str | None = None) -> Chart | None:
    """A field's history as a step chart (levels by rank for an ordinal scale, its unranked
    values below them), or None when it has fewer than two plottable values (withdrawn
    values are left out)."""
    ordinal = f["scale_kind"] == "ordinal"
    if f["scale_kind"] not in ("numeric", "ordinal"):
        return None
    kept = [o for o in history if o["field"] == f["field"] and not o.get("withdrawn_at")
            and _before(o["as_of"], until)]
    synonyms = f.get("synonyms") or {}
    used = {synonyms.get(o["value"], o["value"]) for o in kept}
    unranked = [u for u in f.get("unranked") or [] if u in used]
    levels = unranked + list(f["levels"]) if ordinal else []
    dated = []
    for o in kept:
        if ordinal:
            level = synonyms.get(o["value"], o["value"])
            if level in levels:
                dated.append((pad(o["as_of"]), float(levels.index(level) + 1)))
        else:
            try:
                dated.append((pad(o["as_of"]), float(o["value"])))
            except (TypeError, ValueError):
                continue
    if len(dated) < 2:
        return None
    points = _steps(dated)
    return Chart(f["label"], [Series(f["label"], points)], points[0].date,
                 max(end, points[-1].date), levels, y_label=f.get("unit") or "",
                 unranked=len(unranked))


def ledger_chart(db: Database, mechanism_id: str, end: str,
                 until: str | None = None) -> Chart | None:
    """A ledger's growth: signatories and ratifications (each party's latest role on each
    date), or participants for a mechanism without signatures; with the entry-into-force
    threshold when the treaty has a rule. None without dated entries."""
    ind = queries.indicator(db, mechanism_id)
    _, entries = queries.ledger(db, mechanism_id)
    entries = sorted((e for e in entries if _before(e["date"], until)),
                     key=lambda e: (pad(e["date"]), e["id"]))
    if not entries or ind is None:
        return None
    signing = any(e["role"] in SIGNING_ROLES for e in entries)
    kinds = [("Signatories", SIGNING_ROLES), ("Ratifications", ("ratified",))] if signing \
        else [("Participants", queries.IN_ROLES)]
    latest: dict[str, str] = {}
    dated: dict[str, list[tuple[str, float]]] = {label: [] for label, _ in kinds}
    for e in entries:
        latest[e["party"]] = e["role"]
        for label, roles in kinds:
            dated[label].append((pad(e["date"]), float(sum(r in roles for r in latest.values()))))
    series = [Series(label, _from_zero(_steps(points))) for label, points in dated.items()]
    if signing and all(p.value == 0 for p in series[1].points):
        series = series[:1]
    start = min(s.points[0].date for s in series)
    threshold, threshold_label = None, ""
    if ind.get("entry_into_force"):
        rule = json.loads(ind["entry_into_force"])
        threshold = float(rule["ratifications"])
        threshold_label = f"Entry into force: {rule['ratifications']} ratifications"
        if rule.get("group"):
            threshold_label += f" ({rule['group_minimum']} from {rule['group']})"
    return Chart(f"{headline.short_name(ind['name'])}: ledger", series, start,
                 max(end, max(s.points[-1].date for s in series)),
                 threshold=threshold, threshold_label=threshold_label, y_label="parties")


def _change_dates(db: Database, until: str | None) -> list[str]:
    """Dates on which a headline figure can move: ledger entries and treaty lifecycle or
    enforcement values."""
    fields = (*headline.LIFECYCLE_FIELDS, "enforcement")
    dates = {pad(d) for (d,) in db.execute("SELECT DISTINCT date FROM memberships")}
    # CROSS JOIN keeps the treaties as the outer loop whatever the statistics say: with
    # ANALYZE's figures of a 5M store the planner walked every observation by date instead.
    dates |= {pad(d) for (d,) in db.execute(
        "SELECT DISTINCT o.as_of FROM indicators i CROSS JOIN observations o "
        "ON o.indicator_id = i.id "
        f"WHERE i.kind = 'treaty' AND o.field IN ({', '.join('?' for _ in fields)})", fields)}
    return sorted(d for d in dates if until is None or d <= until)


def headline_charts(db: Database, end: str, since: str | None = None,
                    until: str | None = None,
                    reads: headline.Reads | None = None) -> list[Chart]:
    """The headline figures over time from ``since`` (None: the first record), computed on
    each date one of them can change: the small counts (treaties, mechanisms with the US
    and China, ratifications) in one chart, parties in any mechanism (tens) in another.
    The store is read once (``reads``: what the caller read already) for every date."""
    dates = _change_dates(db, until)
    if since is not None:
        dates = [since, *(d for d in dates if d > since)]
    if not dates:
        return []
    reads = reads or headline.Reads(db)
    labels = {f.id: SHORT.get(f.id, f.label.replace(" ratifications", " ratified"))
              for f in headline.figures(db, None, reads)}
    dated: dict[str, list[tuple[str, float]]] = {k: [] for k in labels}
    for d, values in values_on(db, dates, reads):  # one pass over the dates, oldest first
        for key, value in values.items():
            if key in dated:
                dated[key].append((d, float(value)))
    series = {k: Series(labels[k], _steps(v) if since else _from_zero(_steps(v)))
              for k, v in dated.items() if v}
    start = min(s.points[0].date for s in series.values()) if series else dates[0]
    last = max(end, dates[-1])
    small = [s for k, s in series.items() if k != "parties"]
    out = [Chart("Headline figures", small, start, last,
                 y_label="count")] if small else []
    if "parties" in series:
        out.append(Chart("Parties in any mechanism", [series["parties"]], start, last,
                         y_label="parties"))
    return out


def samples(start: str, end: str, most: int = 36) -> list[str]:
    """Month ends from ``start``'s month to ``end``'s, every 1, 3, 6 or 12 months so at most
    about ``most`` remain; the last one is ``end``'s month end."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in (1, 3, 6, 12) if months / s <= most), 12)
    out = []
    for i in range(months - 1, -1, -step):
        y, m = divmod(first.year * 12 + first.month - 1 + i, 12)
        out.append(dt.date(y, m + 1, calendar.monthrange(y, m + 1)[1]).isoformat())
    return out[::-1]
