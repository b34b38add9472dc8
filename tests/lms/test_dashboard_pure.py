"""The dashboard's pure parts: bar charts, lesson bands, rounding, cells for spreadsheets. No database."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from lms.dashboard.charts import BAR_WIDTH, bar_chart
from lms.dashboard.exports import cell_value, csv_text
from lms.dashboard.selectors import lesson_band
from lms.dashboard.tables import Chart, Column, Kind, Table, percent

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def chart_table(rows) -> Table:
    return Table(
        slug="uji",
        title="Kehadiran per hari",
        columns=[Column("Hari"), Column("Kehadiran (%)", Kind.PERCENT)],
        rows=rows,
        chart=Chart(label_column=0, value_column=1),
    )


def test_bar_length_is_the_share_of_the_maximum():
    svg = bar_chart(chart_table([["Hari 1", 100.0], ["Hari 2", 50.0], ["Hari 3", None]]), unit=" %")
    assert svg.count("<g ") == 3
    assert f'width="{BAR_WIDTH}.0" height="14" fill="#007d7e"' in svg
    assert f'width="{BAR_WIDTH / 2}" height="14" fill="#007d7e"' in svg
    assert 'width="0.0" height="14" fill="#007d7e"' in svg
    assert "Hari 2: 50 %" in svg and "Hari 3: –" in svg


def test_chart_labels_are_escaped():
    svg = bar_chart(chart_table([["<script>alert(1)</script>", 10.0]]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_a_table_without_rows_draws_no_chart():
    assert bar_chart(chart_table([])) == ""


@pytest.mark.parametrize(
    ("done", "total", "band"),
    [(0, 20, 0), (1, 20, 1), (9, 20, 1), (10, 20, 2), (19, 20, 2), (20, 20, 3), (25, 20, 3), (0, 0, 0)],
)
def test_lesson_bands(done, total, band):
    assert lesson_band(done, total) == band


def test_percent_has_one_decimal_and_none_without_a_whole():
    assert percent(2, 3) == 66.7
    assert percent(0, 0) is None


def test_spreadsheet_cells_are_plain_times_in_wib_numbers_and_safe_text():
    at = datetime.datetime(2017, 10, 30, 1, 0, tzinfo=datetime.UTC)
    assert cell_value(at) == datetime.datetime(2017, 10, 30, 8, 0)
    assert csv_text(at) == "2017-10-30 08:00"
    assert cell_value(Decimal("72.50")) == 72.5
    assert cell_value('=HYPERLINK("http://x")') == '=HYPERLINK("http://x")'  # XLSX types it as text
    assert csv_text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_text("+6281234567890") == "'+6281234567890"
    assert csv_text(None) == ""
