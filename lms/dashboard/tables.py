"""A figure is a table: the screen shows its rows and the export writes the same rows.

Values are rounded once, here, so the number on the screen and the one in the spreadsheet are
the same number; only how it is written differs (a decimal comma on an Indonesian screen).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    PERCENT = "percent"  # 0–100, one decimal
    SCORE = "score"  # 0–100, one decimal
    DATETIME = "datetime"  # aware; shown and exported in WIB


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Chart:
    """A bar per row: the label from one column, the length from another, out of `maximum`
    (None: the largest value)."""

    label_column: int
    value_column: int
    maximum: float | None = 100


@dataclass
class Table:
    slug: str  # names the export file: dasbor-<slug>.xlsx
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    chart: Chart | None = None
    note: str = ""

    def column_index(self, label: str) -> int:
        return [column.label for column in self.columns].index(label)

    def display_rows(self) -> list[list[str]]:
        """The rows as the screen writes them."""
        kinds = [column.kind for column in self.columns]
        dates: dict[datetime.date, str] = {}  # a thousand cohorts start on a few hundred days

        def cell(value, kind: Kind) -> str:
            if type(value) is datetime.date:
                if value not in dates:
                    dates[value] = display(value, kind)
                return dates[value]
            return display(value, kind)

        return [[cell(value, kind) for value, kind in zip(row, kinds, strict=True)] for row in self.rows]

    def body_html(self) -> SafeString:
        """The table's <tr> rows, escaped: written here, a thousand rows take milliseconds, not a
        template loop's tenths of a second."""
        return SafeString(
            "".join(
                "<tr>" + "".join(f"<td>{escape(text)}</td>" for text in row) + "</tr>" for row in self.display_rows()
            )
        )

    def display_pairs(self) -> list[tuple[str, str]]:
        """(label, value) of a one-row table, for figures shown side by side."""
        return list(zip([str(column.label) for column in self.columns], self.display_rows()[0], strict=True))


def percent(part, whole) -> float | None:
    """part / whole in percent with one decimal; None (shown as a dash) when there is no whole."""
    if not whole:
        return None
    return round(100 * float(part) / float(whole), 1)


def score(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def display(value, kind: Kind) -> str:
    """A value as the screen shows it, in the active language's number and date formats."""
    if value is None:
        return "–"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y H.i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if kind in (Kind.PERCENT, Kind.SCORE):
        return formats.number_format(value, 1, use_l10n=True)
    if kind == Kind.COUNT:
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)
