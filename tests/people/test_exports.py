"""The spreadsheet rule is a pure function: no database here."""

import datetime

import pytest

from people.exports import spreadsheet_safe


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
