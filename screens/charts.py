"""Time-axis step charts (plotext, through textual-plotext) of tracker.series charts.

The x axis is days (a date's ordinal), so dates are spaced by time, with year, quarter or
month ticks; the y axis is an ordinal scale's levels or plain numbers. A threshold (a
treaty's entry into force) is a horizontal line. Everything drawn is a function of the
chart and the widget's size, so the same data draws the same picture.
"""

from __future__ import annotations

import datetime as dt
import math

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual_plotext import PlotextPlot

from tracker.series import Chart, Series
from tracker.text import clean
from screens.plain import Plain

COLORS = ("cyan", "orange", "green", "magenta", "blue")
THRESHOLD_COLOR = "red"


def _day(date: str) -> int:
    return dt.date.fromisoformat(date).toordinal()


def date_ticks(start: str, end: str, room: int) -> tuple[list[int], list[str]]:
    """Tick positions (day ordinals) and labels: years, else quarters, else months, at most
    ``room`` of them, all inside [start, end]."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    room = max(2, room)
    for months, fmt in ((1, "%Y-%m"), (3, "%Y-%m"), (6, "%Y-%m"), (12, "%Y"), (24, "%Y"),
                        (60, "%Y")):
        ticks = []
        index = first.year * 12 + first.month - 1
        index += (-index) % months  # the first month on the step's grid
        while True:
            y, m = divmod(index, 12)
            day = dt.date(y, m + 1, 1)
            if day > last:
                break
            if day >= first:
                ticks.append(day)
            index += months
        if len(ticks) <= room:
            return [d.toordinal() for d in ticks], [d.strftime(fmt) for d in ticks]
    return [first.toordinal(), last.toordinal()], [start, end]


def steps(series: Series, end: str) -> tuple[list[int], list[float]]:
    """The x and y of a step line: each value held flat until the next date, then up or
    down, the last one held until ``end``."""
    xs: list[int] = []
    ys: list[float] = []
    for p in series.points:
        if ys:
            xs.append(_day(p.date))
            ys.append(ys[-1])
        xs.append(_day(p.date))
        ys.append(p.value)
    if xs and _day(end) > xs[-1]:
        xs.append(_day(end))
        ys.append(ys[-1])
    return xs, ys


ROUND_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5)


def count_ticks(top: float, room: int, low: float = 0) -> list[int]:
    """Whole-number ticks from ``low`` (rounded down to the step) to at least ``top``, at
    most ``room`` of them, on the smallest round step (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 7.5
    times a power of ten) that fits."""
    top = max(math.floor(low) + 1, math.ceil(top))
    room = max(2, room)
    power = 1
    while True:
        for m in ROUND_STEPS:
            if not float(m * power).is_integer():
                continue
            step = int(m * power)
            base = math.floor(low / step) * step
            n = math.ceil((top - base) / step)
            if n + 1 <= room:
                return list(range(base, base + n * step + 1, step))
        power *= 10


class TimeChart(PlotextPlot):
    """One chart, drawn again at every size."""

    DEFAULT_CSS = "TimeChart { height: 10; }"

    def __init__(self, chart: Chart, **kwargs) -> None:
        super().__init__(**kwargs)
        self.chart = chart

    def render(self):
        self.draw(self.size.width, self.size.height)
        return super().render()

    def draw(self, width: int, height: int) -> None:
        c, plt = self.chart, self.plt
        plt.clear_figure()
        for i, s in enumerate(c.series):
            xs, ys = steps(s, c.end)
            plt.plot(xs, ys, marker="braille", color=COLORS[i % len(COLORS)])
        if c.threshold is not None:
            plt.hline(c.threshold, THRESHOLD_COLOR)
        end = max(c.end, (dt.date.fromisoformat(c.start) + dt.timedelta(days=1)).isoformat())
        ticks, labels = date_ticks(c.start, end, width // 10)
        plt.xticks(ticks, labels)
        plt.xlim(_day(c.start), _day(end))
        values = [p.value for s in c.series for p in s.points]
        if c.levels:
            plt.yticks(list(range(1, len(c.levels) + 1)), [clean(lv) for lv in c.levels])
            plt.ylim(0.5, len(c.levels) + 0.5)
        elif all(v >= 0 and float(v).is_integer() for v in values):
            # Counts: whole ticks from 0, or from near the lowest value when every value
            # is in the top half (a change from 88 to 102 shows); anything else gets
            # plotext's own ticks.
            low = min(values + ([c.threshold] if c.threshold is not None else []))
            yt = count_ticks(c.top, max(2, (height - 3) // 2 + 1),
                             low if low > c.top / 2 else 0)
            plt.yticks(yt, [str(t) for t in yt])
            plt.ylim(yt[0], yt[-1])


def caption(chart: Chart) -> Text:
    """What a chart shows, in one line above it: its lines and colours, and the threshold."""
    text = Text(clean(chart.title), style="bold")
    if len(chart.series) > 1:
        for i, s in enumerate(chart.series):
            text.append("  ")
            text.append("━ ", style=_rich(COLORS[i % len(COLORS)]))
            text.append(clean(s.label))
    if chart.threshold is not None:
        text.append("  ")
        text.append("━ ", style=_rich(THRESHOLD_COLOR))
        text.append(clean(chart.threshold_label))
    if chart.levels:
        text.append("  (levels of its scale, by date", style="dim")
        if chart.unranked:
            unranked = ", ".join(clean(lv) for lv in chart.levels[:chart.unranked])
            text.append("; unranked below: " + unranked, style="dim")
        text.append(")", style="dim")
    return text


def _rich(color: str) -> str:
    return {"orange": "dark_orange"}.get(color, color)


class ChartPanel(Vertical):
    """A caption and its chart: ``height`` rows high, or the rest of its container's height
    when None."""

    DEFAULT_CSS = """
    ChartPanel { height: auto; }
    ChartPanel > .chart-caption { height: auto; }
    """

    def __init__(self, chart: Chart, height: int | None = 10, **kwargs) -> None:
        super().__init__(**kwargs)
        self.chart, self.chart_height = chart, height

    def compose(self) -> ComposeResult:
        yield Plain(caption(self.chart), classes="chart-caption")
        plot = TimeChart(self.chart)
        if self.chart_height is None:
            self.styles.height = "1fr"
            plot.styles.height = "1fr"
        else:
            plot.styles.height = self.chart_height
        yield plot
