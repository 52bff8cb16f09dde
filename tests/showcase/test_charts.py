"""profiles.charts: bar chart geometry for the server-rendered SVG."""

import itertools

import pytest

from profiles.charts import bar_chart, nice_step


def chart(series, **kwargs):
    return bar_chart(series, slug="c", title="Papers per year", unit="paper", unit_plural="papers")


@pytest.mark.parametrize(
    ("maximum", "step"), [(0, 1), (1, 1), (2, 1), (4, 1), (5, 2), (9, 5), (30, 10), (3987, 1000)]
)
def test_nice_steps(maximum, step):
    assert nice_step(maximum) == step


def test_nothing_to_draw():
    assert chart({}) is None
    assert chart({2020: 0, 2021: 0}) is None


def test_missing_years_are_zero_bars_and_the_axis_starts_at_zero():
    result = chart({2019: 2, 2022: 5})
    assert [(b.year, b.value) for b in result.bars] == [(2019, 2), (2020, 0), (2021, 0), (2022, 5)]
    assert result.ticks[0].value == 0
    assert result.ticks[-1].value >= 5
    zero = result.bars[1]
    assert zero.height == 0 and zero.y == result.baseline
    tallest = max(result.bars, key=lambda b: b.height)
    assert tallest.year == 2022
    assert result.rows == [(2019, 2), (2020, 0), (2021, 0), (2022, 5)]


def test_bars_stay_inside_the_plot_and_do_not_overlap():
    result = chart({year: year % 7 + 1 for year in range(1980, 2026)})
    for bar in result.bars:
        assert result.left <= bar.x and bar.x + bar.width <= result.right + 0.01
        assert 0 <= bar.y <= result.baseline
    for left, right in zip(result.bars, result.bars[1:], strict=False):
        assert left.x + left.width <= right.x
    labelled = [b.year for b in result.bars if b.show_year]
    assert len(labelled) <= 7
    centers = [b.center for b in result.bars if b.show_year]
    assert min(b - a for a, b in itertools.pairwise(centers)) >= 32  # no overlap
    assert labelled[-1] == 2025
    assert not any(b.show_value for b in result.bars)  # too many bars for value labels


def test_description_says_what_the_chart_shows():
    assert (
        chart({2024: 1}).description
        == "Papers per year, 2024: 1 paper in all; the most, 1 paper, in 2024."
    )
    assert chart({2020: 3, 2021: 1}).description == (
        "Papers per year, 2020–2021: 4 papers in all; the most, 3 papers, in 2020."
    )


def test_value_labels_only_where_they_fit_their_bar():
    few_small = chart({2020: 3, 2021: 1, 2022: 7})
    assert all(b.show_value for b in few_small.bars)
    many_large = chart(dict.fromkeys(range(2010, 2026), 12345))
    assert not any(b.show_value for b in many_large.bars)
    slot = many_large.bars[1].x - many_large.bars[0].x
    assert slot < 6.5 * len("12,345")
