"""The SVG charts' geometry (no database)."""

from decimal import Decimal

from assessments.charts import histogram, paired_bars
from assessments.stats import bin_labels


def test_histogram_bars_are_proportional_to_the_counts():
    chart = histogram((0, 0, 0, 0, 1, 1, 0, 2, 1, 1), bin_labels(), width=500, height=180)
    heights = [bar.height for bar in chart.bars]
    assert chart.top == 2 and chart.plot_height == 150
    # 136 px for the tallest bar: 14 px stay free above it for its count
    assert heights[7] == Decimal("136.0") and heights[4] == Decimal("68.0") and heights[0] == Decimal("0.0")
    assert [bar.x for bar in chart.bars[:2]] == [Decimal("2.0"), Decimal("52.0")]  # 50 wide slots
    assert all(bar.y + bar.height == chart.plot_height for bar in chart.bars)
    assert chart.bars[-1].label == "90–100"


def test_histogram_of_no_attempts_is_flat():
    chart = histogram((0,) * 10, bin_labels())
    assert chart.top == 0 and {bar.height for bar in chart.bars} == {Decimal("0.0")}


def test_paired_bars_scale_scores_to_the_plot_and_skip_missing_values():
    chart = paired_bars([("M01", Decimal("50.00"), Decimal("75.00")), ("M02", None, 100)], width=500, label_width=60)
    # 400 px for 0–100: 4 px a point
    first, second = chart.rows
    assert (first.first.width, first.second.width) == (Decimal("200.0"), Decimal("300.0"))
    assert (second.first.width, second.second.width) == (Decimal("0.0"), Decimal("400.0"))
    assert first.first.x == Decimal("60.0") and second.first.y > first.second.y
    assert chart.height == 52
