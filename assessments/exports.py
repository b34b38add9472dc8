"""Report tables and their XLSX export: the screen and the spreadsheet read the same Table.

A report view builds its figures once as Tables; the template renders them, and the export writes
them cell for cell, so a number on the screen equals the number in the file by construction.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify

from people.exports import xlsx_append

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_LENGTH = 31  # Excel's limit


@dataclass
class Table:
    """A titled table: column headings and rows of cells (str, int, Decimal or None).

    `links` holds, per row, the address its first cell links to on the screen ("" for none).
    """

    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    note: str = ""

    def add(self, cells: list, link: str = "") -> None:
        self.rows.append(cells)
        self.links.append(link)

    def linked_rows(self):
        return zip(self.links, self.rows, strict=True)


def number_format(value: Decimal) -> str:
    places = -value.as_tuple().exponent if isinstance(value.as_tuple().exponent, int) else 0
    return "0." + "0" * places if places > 0 else "0"


def cell_value(value):
    """Numbers and blanks as they are; anything else as text (`xlsx_append` keeps it from being a formula)."""
    if value is None or isinstance(value, int | Decimal):
        return value
    return str(value)


def workbook_bytes(tables: list[Table]) -> bytes:
    """One sheet per table; Decimals stay numbers, shown with their own decimals; text stays text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        title = table.title[:SHEET_TITLE_LENGTH]
        for ch in "[]:*?/\\":
            title = title.replace(ch, " ")
        while title in used:
            title = title[: SHEET_TITLE_LENGTH - 2] + "_" + str(len(used))
        used.add(title)
        sheet = workbook.create_sheet(title)
        xlsx_append(sheet, [str(column) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            xlsx_append(sheet, [cell_value(value) for value in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(value, Decimal):
                    cell.number_format = number_format(value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(tables: list[Table], *, filename: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(tables), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "laporan"}.xlsx"'
    return response
