"""Tables as XLSX and CSV a coordinator opens in Excel as they are.

CSV starts with a byte-order mark (else Excel reads UTF-8 as Windows-1252), times are WIB
without a zone (Excel has none); CSV text goes through `spreadsheet_safe`, XLSX text is typed as text.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from django.http import HttpResponse
from django.utils import timezone

from people.exports import spreadsheet_safe, xlsx_append

from .tables import Kind, Table

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
CSV_TIME = "%Y-%m-%d %H:%M"  # read as a date and time by Excel in any locale
XLSX_TIME = "dd/mm/yyyy hh:mm"


def wib(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def cell_value(value):
    """What a cell holds: WIB times, plain numbers, blank for "no figure", else text."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return wib(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool | int | float | datetime.date):
        return value
    return str(value)


def csv_text(value) -> str:
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime(CSV_TIME)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return spreadsheet_safe(str(value)) if isinstance(value, str) else str(value)


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(str(column.label)) for column in table.columns])
    for row in table.rows:
        writer.writerow([csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", str(table.title))[:31]  # what Excel allows in a sheet name
    xlsx_append(sheet, [str(column.label) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        xlsx_append(sheet, [cell_value(value) for value in row])
    for index, column in enumerate(table.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        if column.kind == Kind.DATETIME:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = XLSX_TIME
        sheet.column_dimensions[letter].width = max(12, min(40, len(str(column.label)) + 4))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(table: Table, *, fmt: str, filename: str) -> HttpResponse:
    body = to_xlsx(table) if fmt == "xlsx" else to_csv(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
