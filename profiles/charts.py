"""Small server-rendered bar charts (inline SVG, no JavaScript).

``bar_chart`` turns a ``{year: value}`` series into the geometry the template
``includes/bar_chart.html`` draws: bars, a y axis with round ticks, year labels
that never crowd, a text title and description for screen readers, and the rows
of the table shown as the chart's text alternative.
"""

import math
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma

# The drawing is about as wide as the column it sits in (the profile's side column, a
# phone), so its 12px labels are drawn at about 12px rather than shrunk to half.
WIDTH = 320
HEIGHT = 160
LEFT = 34  # room for the y-axis labels
RIGHT = 4
TOP = 16  # room for the value over the tallest bar
BOTTOM = 22  # room for the year labels
MAX_YEAR_LABELS = 7  # a 4-digit year at 12px needs about 30 units
MAX_VALUE_LABELS = 24  # above this many bars, values are left to the hover titles and table
CHAR_WIDTH = 6.5  # of a digit at the 11px value labels, with a little air


@dataclass(frozen=True)
class Bar:
    year: int
    value: int
    x: float
    y: float
    width: float
    height: float
    show_year: bool
    show_value: bool

    @property
    def center(self):
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Tick:
    value: int
    y: float
    label: str


@dataclass
class BarChart:
    slug: str
    title: str
    description: str
    unit: str
    unit_plural: str
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: float = WIDTH - RIGHT
    baseline: float = HEIGHT - BOTTOM
    total: int = 0

    @property
    def rows(self):
        """(year, value) pairs for the table alternative, oldest first."""
        return [(bar.year, bar.value) for bar in self.bars]


def nice_step(maximum, *, max_ticks=4):
    """A round tick step (1, 2 or 5 times a power of ten) giving at most ``max_ticks``
    ticks above zero for values up to ``maximum``."""
    if maximum <= 0:
        return 1
    raw = maximum / max_ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for multiple in (1, 2, 5, 10):
        step = multiple * magnitude
        if step >= raw:
            return max(int(step), 1)
    return int(10 * magnitude)


def bar_chart(series, *, slug, title, unit, unit_plural):
    """The chart for ``series`` ({year: value}), or None when there is nothing to draw.

    Years missing between the first and the last are drawn as zero, so the gaps
    show; the axis always starts at zero.
    """
    series = {int(year): int(value) for year, value in series.items() if value is not None}
    if not series or not any(series.values()):
        return None
    first, last = min(series), max(series)
    years = list(range(first, last + 1))
    values = [series.get(year, 0) for year in years]
    peak = max(values)
    step = nice_step(peak)
    top_value = step * math.ceil(peak / step)

    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / len(years)
    gap = min(slot * 0.25, 8)
    label_every = max(1, math.ceil(len(years) / MAX_YEAR_LABELS))
    # Values over the bars only where each fits its slot.
    values_fit = slot >= CHAR_WIDTH * max(len(intcomma(v)) for v in values)
    baseline = HEIGHT - BOTTOM

    bars = []
    for index, (year, value) in enumerate(zip(years, values, strict=True)):
        height = plot_height * value / top_value
        bars.append(
            Bar(
                year=year,
                value=value,
                x=round(LEFT + index * slot + gap / 2, 2),
                y=round(baseline - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
                # Label the last year always, then every n-th year back from it.
                show_year=(len(years) - 1 - index) % label_every == 0,
                show_value=len(years) <= MAX_VALUE_LABELS and values_fit and value > 0,
            )
        )
    ticks = [
        Tick(value=v, y=round(baseline - plot_height * v / top_value, 2), label=intcomma(v))
        for v in range(0, top_value + 1, step)
    ]
    peak_year = years[values.index(peak)]
    total = sum(values)
    name = unit if peak == 1 else unit_plural
    span = f"{first}" if first == last else f"{first}–{last}"
    description = (
        f"{title}, {span}: {intcomma(total)} {unit if total == 1 else unit_plural} in all; "
        f"the most, {intcomma(peak)} {name}, in {peak_year}."
    )
    return BarChart(
        slug=slug,
        title=title,
        description=description,
        unit=unit,
        unit_plural=unit_plural,
        bars=bars,
        ticks=ticks,
        total=total,
    )
