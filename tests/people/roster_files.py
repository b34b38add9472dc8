"""Roster files as the provinces send them, made in the tests: XLSX, and CSV in every Excel dialect."""

import io

import openpyxl

HEADERS = [
    "Nama",
    "NIK",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "No HP",
    "Desa",
    "Kecamatan",
    "Kabupaten/Kota",
    "Provinsi",
    "Kode Wilayah",
]


def nik(*, region: str = "330710", day: int = 1, month: int = 8, year: int = 90, serial: int = 0, female=False) -> str:
    return f"{region}{day + (40 if female else 0):02d}{month:02d}{year:02d}{serial:04d}"


def person(index: int, **overrides) -> dict:
    """A clean row of Desa Kuripan, Watumalang, Wonosobo; index keeps NIK and phone apart."""
    row = {
        "Nama": f"Pendamping Uji {index}",
        "NIK": nik(day=1 + index % 28, serial=index),
        "Jenis Kelamin": "L",
        "Tanggal Lahir": f"{1 + index % 28:02d}/08/1990",
        "No HP": f"0812-{index:04d}-{index:04d}",
        "Desa": "Kuripan",
        "Kecamatan": "Watumalang",
        "Kabupaten/Kota": "Kab. Wonosobo",
        "Provinsi": "Jawa Tengah",
        "Kode Wilayah": "33.07.10.2004",
    }
    row.update(overrides)
    return row


def table(rows: list[dict], headers=None) -> list[list]:
    headers = headers or list(rows[0]) if rows else HEADERS
    return [headers, *[[row.get(header, "") for header in headers] for row in rows]]


def csv_bytes(rows: list[dict], *, delimiter=",", encoding="utf-8", bom=False, headers=None) -> bytes:
    lines = []
    for cells in table(rows, headers):
        lines.append(delimiter.join(quote(cell, delimiter) for cell in cells))
    data = "\r\n".join(lines).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def quote(cell, delimiter: str) -> str:
    text = "" if cell is None else str(cell)
    return f'"{text}"' if delimiter in text or '"' in text else text


def xlsx_bytes(rows: list[dict], *, headers=None, blank_rows=()) -> bytes:
    """An .xlsx whose cells keep their Python types: an int NIK is a number, as Excel makes it."""
    book = openpyxl.Workbook()
    sheet = book.active
    for number, cells in enumerate(table(rows, headers), start=1):
        if number in blank_rows:
            sheet.append([])
        sheet.append(cells)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
