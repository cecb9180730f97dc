"""A chart's figures, drawn as an SVG bar chart, tabled, and written as CSV.

The SVG is laid out here and written by the template (`statistics/_chart.html`), so the
markup is escaped like any other page text. Every bar carries its label and value as text:
nothing is told by colour alone. Bar lengths are percentages of the chart's width, so the text
keeps its size on a phone instead of shrinking with a scaled drawing.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

ROW_HEIGHT = 46  # one bar: its label on a line, the bar below
LABEL_BASELINE = 17
BAR_TOP = 23
BAR_HEIGHT = 16
INSIDE_FROM = 72  # a bar longer than this (percent) carries its value inside, in white


@dataclass
class Bar:
    code: str  # the figure's key in CSV: a month number or a taxonomy code
    label: str
    value: int
    shown: str  # the value as written on the page (a count, or money)


@dataclass
class Chart:
    """One chart of the statistics page, in the page's language."""

    key: str  # in the CSV's URL and file name
    title: str
    label_heading: str  # the table's first column
    value_heading: str
    bars: list[Bar]
    total_shown: str
    description: str = ""  # for <desc>: what the chart shows, in words
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


@dataclass
class DrawnBar:
    bar: Bar
    label_y: int
    bar_y: int
    width: float  # percent of the chart's width
    value_x: float  # percent
    value_inside: bool


@dataclass
class Drawing:
    height: int
    bars: list[DrawnBar]
    bar_height: int = BAR_HEIGHT


def draw(chart: Chart) -> Drawing:
    """The geometry of ``chart`` as horizontal bars, the longest at full width."""
    largest = max((bar.value for bar in chart.bars), default=0)
    drawn = []
    for row, bar in enumerate(chart.bars):
        top = row * ROW_HEIGHT
        width = round(100 * bar.value / largest, 2) if largest else 0.0
        if bar.value and width < 0.5:
            width = 0.5  # a small figure still shows a sliver
        drawn.append(DrawnBar(bar=bar, label_y=top + LABEL_BASELINE, bar_y=top + BAR_TOP, width=width,
                              value_x=width, value_inside=width > INSIDE_FROM))
    return Drawing(height=max(1, len(chart.bars)) * ROW_HEIGHT, bars=drawn)


def to_csv(chart: Chart, code_heading: str) -> bytes:
    """The chart's figures as CSV for spreadsheets: UTF-8 with a byte-order mark (for Excel),
    a header row, then one row per bar: code, label, value (a plain integer)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([code_heading, chart.label_heading, chart.value_heading])
    for bar in chart.bars:
        writer.writerow([bar.code, _cell(bar.label), bar.value])
    return out.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
