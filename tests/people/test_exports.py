"""The spreadsheet rules, for CSV and for XLSX: no database here."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from people.exports import spreadsheet_safe, xlsx_append


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x")', "+6281234567890", "-2+3", "@SUM(A1)", "\tWonosobo", "\r=1+1"],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_text_a_spreadsheet_would_read_as_a_formula_gets_a_quote(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Siti Aminah", "3307100108900001", "a=b", ""])
def test_other_text_is_left_as_it_is(value):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize("value", [-5, 1.5, None, datetime.date(2017, 10, 30)])
def test_values_that_are_not_text_are_left_as_they_are(value):
    assert spreadsheet_safe(value) == value


def test_xlsx_rows_keep_text_as_text_even_when_it_looks_like_a_formula():
    workbook = Workbook()
    xlsx_append(workbook.active, ['=HYPERLINK("http://x")', "+6281234567890", 7, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [row] = load_workbook(buffer).active.iter_rows()
    assert [(cell.value, cell.data_type) for cell in row[:3]] == [
        ('=HYPERLINK("http://x")', "s"),
        ("+6281234567890", "s"),
        (7, "n"),
    ]
