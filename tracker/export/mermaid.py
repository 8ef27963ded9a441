"""The briefing's charts as Mermaid ``xychart-beta`` blocks, which GitHub renders.

A chart's step series are sampled at month ends (every 1, 3, 6 or 12 months so about 36
remain) from its first date to the data's as-of date, so the x axis is spaced by time;
each line's colour is fixed by the block's own palette and named in a legend line under
it. The text depends only on the store: no clock, whole numbers where values are whole,
so the same store gives the same bytes. Text from the data keeps only letters, digits,
spaces and plain punctuation, so no name can end a string, a block or the code fence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from tracker import headline, series
from tracker.trends import pad

if TYPE_CHECKING:
    from sqlite_utils import Database

PALETTE = (("blue", "#1f77b4"), ("orange", "#ff7f0e"), ("green", "#2ca02c"),
           ("purple", "#9467bd"), ("brown", "#8c564b"))
THRESHOLD = ("red", "#d62728")
_UNSAFE = re.compile(r"[^\w .,:()'/+&-]")


def label(text: str) -> str:
    """Text from the data made safe inside a Mermaid string: no quotes, backticks, ``#``,
    ``%``, ``;``, brackets or line breaks; at most 80 characters."""
    safe = re.sub(r"\s+", " ", _UNSAFE.sub(" ", str(text))).strip()
    return safe[:80].rstrip() or "-"


def number(value: float) -> str:
    """``5.0`` -> ``5``; otherwise at most two decimals, no trailing zeros."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def xychart(chart: series.Chart, escape: Callable[[str], str]) -> list[str]:
    """One chart as a fenced Mermaid block, then its legend as a Markdown line."""
    dates = series.samples(chart.start, chart.end)
    lines = [[s.at(d) or 0.0 for d in dates] for s in chart.series]
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(lines))]
    if chart.threshold is not None:
        lines.append([chart.threshold] * len(dates))
        colours.append(THRESHOLD)
    top = max(1, math.ceil(max(v for line in lines for v in line) * 1.1))
    out = ["```mermaid", "---", "config:", "  themeVariables:", "    xyChart:",
           f"      plotColorPalette: \"{', '.join(hex for _, hex in colours)}\"", "---",
           "xychart-beta", f"    title \"{label(chart.title)}\"",
           "    x-axis [" + ", ".join(f"\"{d[:7]}\"" for d in dates) + "]",
           f"    y-axis \"{label(chart.y_label or 'value')}\" 0 --> {top}"]
    out += ["    line [" + ", ".join(number(v) for v in line) + "]" for line in lines]
    out += ["```", ""]
    legend = [f"{name}: {escape(s.label)}" for (name, _), s in zip(colours, chart.series)]
    if chart.threshold is not None:
        legend.append(f"{THRESHOLD[0]}: {escape(chart.threshold_label)}")
    return out + ["Lines: " + "; ".join(legend) + ".", ""]


def charts_section(db: Database, as_of: str, escape: Callable[[str], str],
                   reads: headline.Reads | None = None) -> list[str]:
    """``## Charts``: the headline figures over time, then each treaty's ledger growth
    against its entry-into-force threshold. Nothing when the store has no dated data."""
    if not as_of:
        return []
    end = pad(as_of)
    charts = series.headline_charts(db, end, reads=reads)
    for (ind,) in db.execute("SELECT id FROM indicators WHERE entry_into_force IS NOT NULL "
                             "AND retired_at IS NULL ORDER BY position").fetchall():
        found = series.ledger_chart(db, ind, end)
        if found is not None:
            charts.append(found)
    if not charts:
        return []
    out = ["## Charts", "",
           "Step charts over time, sampled at month ends to the data's as-of date (values "
           "hold until they change). `tracker show ID` lists every dated value.", ""]
    for c in charts:
        out += xychart(c, escape)
    return out
