"""Spreadsheet exports that a spreadsheet program cannot run as formulas (CSV injection, OWASP).

It lives in people, the app every other depends on, so every app's admin exports use it.
"""

from wagtail.admin.views.generic.models import IndexView

# A cell starting with one of these is read as a formula (tab and CR start one in some programs).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """For CSV: prefix text that a spreadsheet would read as a formula with `'`, which makes it plain text.

    Phones (`+62…`) are prefixed too: the rule stays one for every column, and Excel then keeps
    the number as text instead of showing it as 6,28E+12.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_append(sheet, values) -> None:
    """For XLSX: append a row to an openpyxl sheet with every text cell typed as text.

    Excel never runs a cell stored as text, so `+62…`, and even `=…`, show as they were typed,
    with no quote before them; openpyxl alone would store a text starting with `=` as a formula.
    """
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


class SpreadsheetSafeExportMixin:
    """For a view with Wagtail's SpreadsheetExportMixin: CSV cells go through spreadsheet_safe.

    Wagtail's XLSX rows already store text that looks like a formula as text.
    """

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheet_safe(value) if export_format == self.FORMAT_CSV else value


class SafeExportIndexView(SpreadsheetSafeExportMixin, IndexView):
    """The index view of every ModelViewSet with `list_export`."""
