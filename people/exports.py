"""Spreadsheet exports that a spreadsheet program cannot run as formulas (CSV injection, OWASP).

It lives in people, the app every other depends on, so every app's admin exports use it.
"""

from wagtail.admin.views.generic.models import IndexView

# A cell starting with one of these is read as a formula (tab and CR start one in some programs).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Prefix text that a spreadsheet would read as a formula with `'`, which makes it plain text.

    Phones (`+62…`) are prefixed too: the rule stays one for every column, and Excel then keeps
    the number as text instead of showing it as 6,28E+12.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetSafeExportMixin:
    """For a view with Wagtail's SpreadsheetExportMixin: every exported cell goes through spreadsheet_safe."""

    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_safe(super().preprocess_field_value(field, value, export_format))


class SafeExportIndexView(SpreadsheetSafeExportMixin, IndexView):
    """The index view of every ModelViewSet with `list_export`."""
