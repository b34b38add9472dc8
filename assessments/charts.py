"""The geometry of the reports' small SVG charts, computed here so templates only draw rectangles.

No charting library: a histogram of scores and paired bars (pre-test beside post-test) are a few
rectangles each, server-rendered, readable without JavaScript and printable.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .stats import rounded


@dataclass(frozen=True)
class Bar:
    label: str
    value: object  # what the bar's title shows
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal


def _d(value) -> Decimal:
    return rounded(value, 1)


@dataclass(frozen=True)
class Histogram:
    width: int
    height: int
    plot_height: int
    bars: tuple[Bar, ...]
    top: int  # the tallest count, written at the top of the axis


def histogram(counts: Sequence[int], labels: Sequence[str], *, width: int = 480, height: int = 180) -> Histogram:
    """Vertical bars, one per bin, their heights proportional to the counts (an empty chart is flat)."""
    plot_height = height - 30  # room below for the bins' labels
    headroom = 14  # above the tallest bar, for its count
    top = max(counts, default=0)
    slot = Fraction(width, max(1, len(counts)))
    bars = []
    for index, (count, label) in enumerate(zip(counts, labels, strict=True)):
        bar_height = Fraction((plot_height - headroom) * count, top) if top else Fraction(0)
        bars.append(
            Bar(
                label=label,
                value=count,
                x=_d(slot * index + 2),
                y=_d(plot_height - bar_height),
                width=_d(slot - 4),
                height=_d(bar_height),
            )
        )
    return Histogram(width=width, height=height, plot_height=plot_height, bars=tuple(bars), top=top)


@dataclass(frozen=True)
class PairedRow:
    label: str
    y: Decimal
    first: Bar
    second: Bar


@dataclass(frozen=True)
class PairedBars:
    width: int
    height: int
    label_width: int
    rows: tuple[PairedRow, ...]


def paired_bars(
    rows: Sequence[tuple[str, object, object]], *, width: int = 480, label_width: int = 60, row_height: int = 26
) -> PairedBars:
    """Horizontal bar pairs on a 0–100 scale: (label, first, second) → the pre-test bar above the post-test bar.

    A missing value (None) draws no bar.
    """
    scale = Fraction(width - label_width - 40, 100)

    def bar(label, value, y):
        length = scale * Fraction(value) if value is not None else Fraction(0)
        return Bar(label=label, value=value, x=_d(label_width), y=_d(y), width=_d(length), height=_d(10))

    drawn = []
    for index, (label, first, second) in enumerate(rows):
        top = row_height * index
        drawn.append(
            PairedRow(
                label=label, y=_d(top + 14), first=bar(label, first, top + 2), second=bar(label, second, top + 12)
            )
        )
    return PairedBars(width=width, height=row_height * max(1, len(rows)), label_width=label_width, rows=tuple(drawn))
