"""Small horizontal bar charts as server-rendered SVG: no chart library, no script."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .tables import Table

ROW_HEIGHT = 22
BAR_HEIGHT = 14
LABEL_WIDTH = 190
BAR_WIDTH = 300
VALUE_WIDTH = 70
LABEL_CHARS = 28
BAR_COLOUR = "#007d7e"  # Wagtail's teal, readable on the admin's white and dark themes
TRACK_COLOUR = "#e0e0e0"


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number_text(value, *, unit: str) -> str:
    if value is None:
        return "–"
    text = f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return text.replace(".", ",") + unit  # the screen is Indonesian: a decimal comma


def bar_chart(table: Table, *, unit: str = "") -> SafeString:
    """One bar per row of `table` as its `chart` says; an empty string for a table without rows."""
    chart = table.chart
    if chart is None or not table.rows:
        return SafeString("")
    bars = [(str(row[chart.label_column]), row[chart.value_column]) for row in table.rows]
    maximum = chart.maximum or max((value or 0 for _label, value in bars), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = ROW_HEIGHT * len(bars)
    rows = format_html_join(
        "",
        '<g transform="translate(0,{})"><title>{}: {}</title>'
        '<text x="0" y="15" font-size="12" fill="currentColor">{}</text>'
        '<rect x="{}" y="4" width="{}" height="{}" fill="{}"></rect>'
        '<rect x="{}" y="4" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="15" font-size="12" fill="currentColor">{}</text></g>',
        (
            (
                index * ROW_HEIGHT,
                label,
                number_text(value, unit=unit),
                shorten(label),
                LABEL_WIDTH,
                BAR_WIDTH,
                BAR_HEIGHT,
                TRACK_COLOUR,
                LABEL_WIDTH,
                round(BAR_WIDTH * min(float(value or 0) / float(maximum), 1), 1),
                BAR_HEIGHT,
                BAR_COLOUR,
                LABEL_WIDTH + BAR_WIDTH + 6,
                number_text(value, unit=unit),
            )
            for index, (label, value) in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="balai-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'style="max-width:100%;height:auto" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        table.title,
        width,
        height,
        width,
        height,
        rows,
    )
