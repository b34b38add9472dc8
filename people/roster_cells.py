"""Roster import, the pure part: reading the cells of a province's roster file, and the report.

Each cell reader takes what a spreadsheet or CSV gives (text, int, float, datetime) and returns
the clean value or raises ValidationError with a message for the person who fixes the file.
`people.resources.RosterResource` reads the rows with them; the services of people/roster.py
return the RosterReport, the preview without writing.

Columns are the ones a roster from the provinces has, in Bahasa Indonesia: nama, NIK, jenis
kelamin, tanggal lahir, no HP, desa, kecamatan, kabupaten/kota, provinsi, kode wilayah.
"""

import contextlib
import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .validators import nik_birth_date, normalize_phone, validate_village_code

# Files above this many rows are checked and imported by the background worker, with progress.
BACKGROUND_ROWS = 500
# A village usually sends two companions; more in one cohort is worth a second look.
COMPANIONS_PER_VILLAGE = 2
# The preview lists this many new and updated rows; errors and warnings are listed in full.
PREVIEW_ROWS = 100

# Column key -> the headers that mean it, as normalize_header() leaves them.
COLUMNS = {
    "name": ("nama", "nama lengkap", "nama pendamping", "nama peserta"),
    "nik": ("nik", "no nik", "nomor nik", "nik ktp", "no ktp", "nomor ktp"),
    "gender": ("jenis kelamin", "jk", "l/p", "kelamin"),
    "birth_date": ("tanggal lahir", "tgl lahir", "tanggal lahir (dd/mm/yyyy)"),
    "phone": ("no hp", "nomor hp", "no hp/wa", "no wa", "nomor wa", "hp", "no telepon", "nomor telepon", "telepon"),
    "village": ("desa", "desa/kelurahan", "nama desa", "kelurahan/desa"),
    "kecamatan": ("kecamatan", "kec"),
    "kabupaten": ("kabupaten/kota", "kabupaten", "kota", "kab/kota", "kota/kabupaten"),
    "provinsi": ("provinsi", "prov"),
    "code": ("kode wilayah", "kode desa", "kode wilayah desa", "kode"),
}
HEADER_KEYS = {header: key for key, headers in COLUMNS.items() for header in headers}
# How an error names a column that the file does not have.
COLUMN_LABELS = {
    "name": "nama",
    "nik": "NIK",
    "gender": "jenis kelamin",
    "birth_date": "tanggal lahir",
    "phone": "no HP",
    "village": "desa",
    "kecamatan": "kecamatan",
    "kabupaten": "kabupaten/kota",
    "provinsi": "provinsi",
    "code": "kode wilayah",
}

SPACES = re.compile(r"\s+")
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1 January 1900 (Excel's leap-year bug included)
DAY_FIRST = re.compile(r"(?P<day>[0-9]{1,2})[/.-](?P<month>[0-9]{1,2})[/.-](?P<year>[0-9]{4})")
YEAR_FIRST = re.compile(r"(?P<year>[0-9]{4})[/-](?P<month>[0-9]{1,2})[/-](?P<day>[0-9]{1,2})")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d")
MALE = {"l", "lk", "laki-laki", "laki laki", "lakilaki", "pria", "m", "male"}
FEMALE = {"p", "pr", "perempuan", "wanita", "f", "female", "w"}
# Prefixes that rosters write and the village table does not: "Kab. Wonosobo" is Wonosobo.
REGION_PREFIXES = re.compile(r"^(kabupaten|kab\.?|kota|kec\.?|kecamatan|desa|ds\.?|kelurahan|kel\.?)\s+")


def normalize_header(header) -> str:
    """A header as written, in lower case with single spaces and none around '/' or after '.'."""
    text = SPACES.sub(" ", str(header or "").replace("\ufeff", "")).strip().lower()
    text = re.sub(r"\s*/\s*", "/", text)
    return text.replace(".", "").strip()


def region_key(value) -> str:
    """A region's name for matching: case, spaces, accents and a Kab./Kota/Kec./Desa prefix ignored."""
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    text = SPACES.sub(" ", text).strip().lower()
    return REGION_PREFIXES.sub("", text).strip()


def text_cell(value) -> str:
    """A cell as text with single spaces; a whole float (Excel's 81234567890.0) without its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def nik_from_cell(value) -> str:
    """The 16 digits of a NIK, also when Excel made a number of it, if all 16 digits survived.

    Excel keeps 15 significant digits and shows long numbers as 3.30710E+15; a cell that kept
    all 16 digits (3307104101850000, 3307104101850000.0, 3.307104101850000E+15) is recovered,
    one that lost digits is refused: they cannot be guessed.
    """
    return nik_facts_from_cell(value)[0]


def nik_facts_from_cell(value) -> tuple[str, datetime.date, str]:
    """(NIK, birth date, gender) of a NIK cell; see nik_from_cell."""
    if isinstance(value, bool):
        value = ""
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_format")
        text = str(int(value))
    elif _looks_numeric(value):
        text = _digits_of_number(value)
    else:
        text = re.sub(r"[\s.\-']", "", str(value or ""))
    if not text:
        raise ValidationError(_("The NIK is missing."), code="nik_missing")
    born, gender = nik_birth_date(text)
    return text, born, gender


def _looks_numeric(value) -> bool:
    return isinstance(value, str) and bool(
        re.fullmatch(r"\s*[0-9]+([.,][0-9]+)?[eE][+]?[0-9]+\s*|\s*[0-9]+\.0+\s*", value)
    )


def _digits_of_number(value: str) -> str:
    """The digits of a number that Excel wrote as text, when the text keeps every digit."""
    text = value.strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    mantissa = text.lower().split("e")[0]
    written = mantissa.replace(".", "").lstrip("0")
    if "e" in text.lower() and len(written) < 16:
        raise ValidationError(
            _(
                "Excel turned this NIK into the number %(value)s and lost digits; they cannot be recovered. "
                "Format the NIK column as Text in Excel and type the NIK again."
            )
            % {"value": value.strip()},
            code="nik_mangled",
        )
    return str(int(number))


def date_from_cell(value) -> datetime.date:
    """A date from 30/10/1985, 1985-10-30, 30-10-1985, an Excel serial number or a spreadsheet date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value)
    text = text_cell(value)
    if re.fullmatch(r"[0-9]{4,5}(\.0+)?", text):
        return _excel_serial(float(text))
    match = DAY_FIRST.fullmatch(text) or YEAR_FIRST.fullmatch(text)
    if match:  # the usual forms, without strptime's cost on 10,000 rows
        with contextlib.suppress(ValueError):
            return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        _("Write the date as 30/10/1985 (day/month/year) or 1985-10-30."),
        code="date_format",
    )


def _excel_serial(number: float) -> datetime.date:
    if not 1 <= number < 2958466:  # 1 January 1900 to 31 December 9999
        raise ValidationError(_("Write the date as 30/10/1985 (day/month/year) or 1985-10-30."), code="date_format")
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


def phone_from_cell(value) -> str:
    """A mobile number as +62…, also when Excel dropped its leading 0 or made a number of it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_phone(str(value))


def gender_from_cell(value) -> str:
    text = text_cell(value).lower()
    if text in MALE:
        return "M"
    if text in FEMALE:
        return "F"
    raise ValidationError(_("Write L (laki-laki) or P (perempuan)."), code="gender")


def region_of_code(code: str) -> str:
    """The six digits of a village code that begin the NIK of someone registered in its kecamatan."""
    return code.replace(".", "")[:6]


def village_code_from_cell(value) -> str:
    text = text_cell(value)
    if re.fullmatch(r"[0-9]{10}", text):  # written without dots
        text = f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    validate_village_code(text)
    return text


@dataclass
class RowReport:
    """One row of the file as the preview shows it."""

    row: int
    status: str = "unchanged"  # new, updated, unchanged or error
    name: str = ""
    nik: str = ""  # masked
    village: str = ""
    changes: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})
        self.status = "error"

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "status": self.status,
            "name": self.name,
            "nik": self.nik,
            "village": self.village,
            "changes": self.changes,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass
class RosterReport:
    """What an import would do (preview) or did (confirm); stored as JSON on the ImportJob."""

    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.status == "error" for row in self.rows)

    def counts(self) -> dict:
        counts = dict.fromkeys(("new", "updated", "unchanged", "error"), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def as_dict(self) -> dict:
        """Counts, every row with an error or warning, and the first PREVIEW_ROWS new and updated rows."""
        listed = {"new": 0, "updated": 0}
        rows = []
        for row in self.rows:
            if row.errors or row.warnings:
                rows.append(row.as_dict())
            elif row.status in listed and listed[row.status] < PREVIEW_ROWS:
                listed[row.status] += 1
                rows.append(row.as_dict())
        return {
            "counts": self.counts(),
            "total": len(self.rows),
            "file_errors": self.file_errors,
            "unknown_columns": self.unknown_columns,
            "written": self.written,
            "rows": rows,
        }

    def lines(self) -> list[str]:
        """The report as plain lines, for the management command."""
        counts = self.counts()
        lines = [
            _("%(new)s new, %(updated)s updated, %(unchanged)s unchanged, %(error)s with errors.") % counts,
        ]
        lines += [_("File: %(message)s") % {"message": message} for message in self.file_errors]
        if self.unknown_columns:
            lines.append(_("Columns not read: %(columns)s") % {"columns": ", ".join(self.unknown_columns)})
        for row in self.rows:
            for error in row.errors:
                lines.append(row_error_text(row.row, error["column"], error["message"]))
            for warning in row.warnings:
                lines.append(_("Row %(row)s: %(message)s") % {"row": row.row, "message": warning})
        return lines


def row_error_text(row: int, column: str, message: str) -> str:
    return _("Row %(row)s, column %(column)s: %(message)s") % {"row": row, "column": column, "message": message}
