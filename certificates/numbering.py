"""Certificate numbers such as 001/BIMTEK-DESMIG/XI/2017: pure formatting, checked formats."""

import datetime
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDERS = ("seq", "month_roman", "month", "year")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def month_roman(month: int) -> str:
    """Indonesian letters number months in Roman numerals: November is XI."""
    return ROMAN[month - 1]


def format_number(number_format: str, *, seq: int, dated: datetime.date) -> str:
    return number_format.format(seq=seq, month_roman=month_roman(dated.month), month=dated.month, year=dated.year)


def validate_number_format(value: str) -> None:
    """A format must hold {seq} and only the known placeholders, so every number differs and renders."""
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(value) if name is not None]
        format_number(value, seq=1, dated=datetime.date(2017, 11, 2))
    except (ValueError, KeyError, IndexError, AttributeError):
        fields = None
    if fields is None or any(name not in PLACEHOLDERS for name in fields):
        raise ValidationError(
            _("Use only the placeholders {seq}, {month_roman}, {month} and {year}."), code="number_format"
        )
    if "seq" not in fields:
        raise ValidationError(_("The number format must contain {seq}."), code="number_format_seq")
