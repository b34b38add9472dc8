"""Certificate numbers: the default format, Roman months, and the formats an editor may set."""

import datetime

import pytest

from django.conf import settings
from django.core.exceptions import ValidationError

from certificates.numbering import format_number, month_roman, validate_number_format


def test_the_default_format_reads_like_a_ministry_letter_number():
    number = format_number(settings.CERTIFICATE_NUMBER_FORMAT, seq=7, dated=datetime.date(2017, 11, 2))
    assert number == "007/BIMTEK-DESMIG/XI/2017"


def test_months_are_roman():
    assert [month_roman(month) for month in (1, 4, 9, 10, 12)] == ["I", "IV", "IX", "X", "XII"]


def test_a_sequence_past_the_padding_keeps_every_digit():
    assert format_number("{seq:03d}/{year}", seq=1234, dated=datetime.date(2018, 1, 5)) == "1234/2018"


@pytest.mark.parametrize("number_format", ["{seq}/{year}", "SERT-{year}-{month:02d}-{seq:04d}"])
def test_formats_with_the_sequence_are_accepted(number_format):
    validate_number_format(number_format)


@pytest.mark.parametrize("number_format", ["BIMTEK/{year}", "{seq}/{nama}", "{seq", "{0}/{seq}"])
def test_formats_without_the_sequence_or_with_unknown_placeholders_are_refused(number_format):
    with pytest.raises(ValidationError):
        validate_number_format(number_format)
