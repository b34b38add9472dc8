"""The report tables' XLSX export (no database)."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from assessments.exports import Table, workbook_bytes


def test_each_table_becomes_a_sheet_with_numbers_kept_as_numbers():
    summary = Table(title="Ringkasan", columns=["Angka", "Nilai"])
    summary.add(["Rata-rata", Decimal("52.50")])
    summary.add(["Upaya", 230])
    summary.add(["Tingkat kelulusan (%)", None])
    names = Table(title="Per pendamping", columns=["Nama"])
    names.add(['=HYPERLINK("x")'])
    sheets = load_workbook(io.BytesIO(workbook_bytes([summary, names])))
    assert sheets.sheetnames == ["Ringkasan", "Per pendamping"]
    rows = list(sheets["Ringkasan"].iter_rows(values_only=True))
    assert rows == [("Angka", "Nilai"), ("Rata-rata", 52.5), ("Upaya", 230), ("Tingkat kelulusan (%)", None)]
    assert sheets["Ringkasan"]["B2"].number_format == "0.00"
    cell = sheets["Per pendamping"]["A2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")  # a formula arrives as text, as typed


def test_sheet_titles_are_cut_to_excels_limit_and_kept_unique():
    tables = [Table(title="Analisis soal: daya beda dan tingkat kesukaran", columns=["a"]) for _ in range(2)]
    titles = load_workbook(io.BytesIO(workbook_bytes(tables))).sheetnames
    assert len(set(titles)) == 2 and all(len(title) <= 31 and ":" not in title for title in titles)
