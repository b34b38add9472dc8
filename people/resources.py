"""django-import-export for rosters: reading XLSX and CSV files, and the check of every row.

`RosterResource` runs import-export's row loop with its bulk options: the companions, villages
and users the file mentions are fetched in a few queries before the first row, each row is
checked by the cell readers of people/roster.py (no per-row full_clean, no per-row query), and
what would be written is collected as a RosterPlan. The resource itself writes nothing:
people.services.roster_import writes the plan in one transaction.
"""

import contextlib
import csv
import io
import re
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree import ElementTree

import tablib
from import_export import resources
from import_export.formats import base_formats
from import_export.results import RowResult

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Cohort, Enrollment

from .models import Companion, User, Village
from .roster_cells import (
    COLUMN_LABELS,
    COMPANIONS_PER_VILLAGE,
    HEADER_KEYS,
    RosterReport,
    RowReport,
    date_from_cell,
    gender_from_cell,
    nik_facts_from_cell,
    normalize_header,
    phone_from_cell,
    region_key,
    region_of_code,
    text_cell,
    village_code_from_cell,
)
from .validators import KTP_AGE, age_on, mask_nik, validate_ktp_age

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XLSX_PART_LIMIT = 200 * 1024 * 1024  # unpacked; a 10,000-row roster's sheet is about 2 MB
ROW = "__row__"  # the dataset column that keeps each row's number in the file
NAME_LIMIT = User._meta.get_field("full_name").max_length
REGION_NAME_LIMIT = Village._meta.get_field("name").max_length
QUERY_CHUNK = 900  # below SQLite's limit on the parameters of one query

Progress = Callable[[int, int], None]


class RosterFileError(Exception):
    """The file as a whole cannot be imported: unreadable, or a required column is missing."""


def read_roster(data: bytes, filename: str) -> tuple[tablib.Dataset, dict[str, str], list[str]]:
    """The file's rows as a dataset with one column per known key, plus ROW.

    Returns (dataset, {key: the header as written}, [headers not read]). Empty rows are left
    out; every row keeps its number in the file (the header is row 1), as the coordinator sees it.
    """
    headers, rows = read_cells(data, filename)
    labels: dict[str, str] = {}
    positions: dict[str, int] = {}
    unknown = []
    for position, header in enumerate(headers):
        key = HEADER_KEYS.get(normalize_header(header))
        if key and key not in positions:
            positions[key] = position
            labels[key] = text_cell(header)
        elif text_cell(header):
            unknown.append(text_cell(header))
    missing = [COLUMN_LABELS[key] for key in ("name", "nik") if key not in positions]
    if "village" not in positions and "code" not in positions:
        missing.append(f"{COLUMN_LABELS['village']} / {COLUMN_LABELS['code']}")
    if missing:
        raise RosterFileError(
            _("The file has no column %(columns)s. The first row must hold the column names.")
            % {"columns": ", ".join(missing)}
        )
    keys = list(positions)
    dataset = tablib.Dataset(headers=[ROW, *keys])
    width = len(headers)
    for number, cells in rows:
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        values = [cells[positions[key]] for key in keys]
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            continue
        dataset.append([number, *values])
    return dataset, labels, unknown


def read_cells(data: bytes, filename: str) -> tuple[list, list[tuple[int, list]]]:
    """(headers, [(row number, cells)]) of the first sheet of an XLSX file, or of a CSV file."""
    name = filename.lower()
    if name.endswith(".xls"):
        raise RosterFileError(_("Save the file as an Excel workbook (.xlsx) or as CSV, then upload it again."))
    if data[:2] == b"PK" or name.endswith((".xlsx", ".xlsm")):
        try:
            rows = xlsx_rows(data)
        except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError):
            rows = xlsx_rows_by_import_export(data)  # slower, but reads what the quick path does not
        if not rows:
            raise RosterFileError(_("The file is empty."))
        return rows[0][1], rows[1:]
    reader = csv.reader(io.StringIO(decode_text(data)), delimiter=csv_delimiter(data))
    rows = [(number, list(cells)) for number, cells in enumerate(reader, start=1)]
    if not rows:
        raise RosterFileError(_("The file is empty."))
    return rows[0][1], rows[1:]


def xlsx_rows(data: bytes) -> list[tuple[int, list]]:
    """(row number, cell values) of the first sheet, read straight from its XML.

    About three times quicker than openpyxl's read-only mode on a 10,000-row roster. Numbers come
    as int or float, as Excel stored them: a date is its serial number, which date_from_cell reads.
    """
    book = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in book.namelist():
        for _event, element in ElementTree.iterparse(xml_part(book, "xl/sharedStrings.xml")):  # noqa: S314
            if element.tag == f"{SHEET_NS}si":
                shared.append("".join(text.text or "" for text in element.iter(f"{SHEET_NS}t")))
                element.clear()
    rows = []
    for _event, element in ElementTree.iterparse(xml_part(book, first_sheet_path(book))):  # noqa: S314
        if element.tag != f"{SHEET_NS}row":
            continue
        cells = {}
        for position, cell in enumerate(element.iter(f"{SHEET_NS}c")):
            column = column_index(cell.get("r")) if cell.get("r") else position
            cells[column] = xlsx_value(cell, shared)
        number = int(element.get("r") or (rows[-1][0] + 1 if rows else 1))
        rows.append((number, [cells.get(column) for column in range(max(cells, default=-1) + 1)]))
        element.clear()
    return rows


def xml_part(book: zipfile.ZipFile, name: str) -> io.BytesIO:
    """A part of the workbook, refused when it unpacks too large or declares a DTD.

    The parts of an .xlsx never carry a DOCTYPE; without one, no entity can expand, so the
    standard library's parser is safe here (the S314 notes below rely on this check).
    """
    if book.getinfo(name).file_size > XLSX_PART_LIMIT:
        raise RosterFileError(_("The workbook is too large to import."))
    content = book.read(name)
    if b"<!DOCTYPE" in content:
        raise ValueError("DTD in a workbook part")
    return io.BytesIO(content)


def first_sheet_path(book: zipfile.ZipFile) -> str:
    """The part of the workbook's first sheet, through workbook.xml and its relationships."""
    workbook = ElementTree.parse(xml_part(book, "xl/workbook.xml")).getroot()  # noqa: S314
    first = workbook.find(f"{SHEET_NS}sheets/{SHEET_NS}sheet")
    relation = first.get(f"{{{RELATIONSHIP_NS}}}id")
    for link in ElementTree.parse(xml_part(book, "xl/_rels/workbook.xml.rels")).getroot():  # noqa: S314
        if link.get("Id") == relation:
            target = link.get("Target")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(relation)


def column_index(reference: str) -> int:
    """0 for A1, 25 for Z7, 26 for AA3."""
    index = 0
    for character in reference:
        if not character.isalpha():
            break
        index = index * 26 + ord(character.upper()) - 64
    return index - 1


def xlsx_value(cell, shared: list[str]):
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(text.text or "" for text in cell.iter(f"{SHEET_NS}t"))
    value = cell.find(f"{SHEET_NS}v")
    if value is None or value.text is None:
        return None
    text = value.text
    if kind == "s":
        return shared[int(text)]
    if kind == "b":
        return text == "1"
    if kind in ("str", "e"):
        return text
    number = float(text)
    return int(text) if number.is_integer() and text.lstrip("-").isdigit() else number


def xlsx_rows_by_import_export(data: bytes) -> list[tuple[int, list]]:
    try:
        dataset = base_formats.XLSX().create_dataset(data)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, StopIteration):
        raise RosterFileError(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    return [(1, list(dataset.headers or []))] + [(number, list(cells)) for number, cells in enumerate(dataset, start=2)]


def decode_text(data: bytes) -> str:
    """UTF-8 with or without a byte-order mark, else Windows-1252 (what Excel writes on Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_delimiter(data: bytes) -> str:
    """Semicolon (Excel in an Indonesian locale), comma or tab: whichever the header line has most of."""
    first = data.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    first = re.sub(rb'"[^"]*"', b"", first)
    counts = {delimiter: first.count(delimiter.encode()) for delimiter in (";", ",", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter]) if any(counts.values()) else ","


def username_base(full_name: str) -> str:
    """`siti.aminah` from "Siti Aminah binti Ahmad": ASCII, the first two words, at most 24 characters."""
    text = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text)
    return ".".join(words[:2])[:24].strip(".") or "pendamping"


@dataclass
class RosterPlan:
    """What a clean file writes: collected by the resource, written by services.roster_import."""

    new_villages: list[Village] = field(default_factory=list)
    new_companions: list[tuple[Companion, dict]] = field(default_factory=list)  # with their account's fields
    updated: list[tuple[Companion, list[str]]] = field(default_factory=list)  # with the changed fields
    enroll: list[Companion] = field(default_factory=list)

    def changed(self, *fields: str) -> list[Companion]:
        return [companion for companion, changes in self.updated if set(fields) & set(changes)]


@dataclass
class RowState:
    """One row's cleaned values while import-export's loop passes it through the resource's hooks."""

    report: RowReport
    nik: str = ""
    values: dict = field(default_factory=dict)
    village: Village | None = None
    companion: Companion | None = None
    account: dict = field(default_factory=dict)


class RosterResource(resources.ModelResource):
    """Companions by NIK: each row creates or updates a companion and enrolls them in the cohort."""

    class Meta:
        model = Companion
        fields = ("nik",)
        import_id_fields = ("nik",)
        use_bulk = True
        batch_size = None  # one plan for the whole file, written by the service
        skip_diff = True
        clean_model_instances = False  # each cell was checked by its reader
        report_skipped = True

    def __init__(self, *, cohort: Cohort, labels: dict[str, str], progress: Progress | None = None, total: int = 0):
        super().__init__()
        self.cohort = cohort
        self.labels = labels
        self.progress = progress
        self.total = total
        self.report = RosterReport()
        self.plan = RosterPlan()
        self.today = timezone.localdate()

    def label(self, key: str) -> str:
        return self.labels.get(key, COLUMN_LABELS[key])

    def before_import(self, dataset, **kwargs):
        """Fetch, in a few queries, everything the rows will be compared with."""
        self.nik_facts: dict[int, tuple | ValidationError] = {}
        niks, phones = set(), set()
        for row in dataset.dict:
            try:
                facts = self.nik_facts[row[ROW]] = nik_facts_from_cell(row["nik"])
                niks.add(facts[0])
            except ValidationError as error:
                self.nik_facts[row[ROW]] = error
            if row.get("phone") not in (None, ""):
                with contextlib.suppress(ValidationError):
                    phones.add(phone_from_cell(row["phone"]))
        self.companions = {}
        for chunk in chunks(sorted(niks)):
            for companion in Companion.objects.filter(nik__in=chunk).select_related("user"):
                self.companions[companion.nik] = companion
        self.phone_owners = {}
        for chunk in chunks(sorted(phones)):
            self.phone_owners.update(User.objects.filter(phone__in=chunk).values_list("phone", "pk"))
        self.usernames = set(User.objects.annotate(name=Lower("username")).values_list("name", flat=True))
        self.villages_by_code = {}
        self.villages_by_names = defaultdict(list)
        for village in Village.objects.all():
            self.villages_by_code[village.code] = village
            self.villages_by_names[village_key(village.name, village.kecamatan, village.kabupaten)].append(village)
        self.enrollments = dict(Enrollment.objects.filter(cohort=self.cohort).values_list("companion_id", "status"))
        self.new_villages: dict[str, Village] = {}
        self.seen_niks: dict[str, int] = {}
        self.seen_phones: dict[str, int] = {}
        self.village_rows: dict[str, list[RowReport]] = defaultdict(list)
        self.state: RowState | None = None

    def before_import_row(self, row, **kwargs):
        report = RowReport(row=row[ROW], name=text_cell(row.get("name")))
        self.state = state = RowState(report=report)
        self.report.rows.append(report)
        if not report.name:
            report.error(self.label("name"), _("The name is missing."))
        elif len(report.name) > NAME_LIMIT:
            report.error(self.label("name"), _("At most %(limit)s characters.") % {"limit": NAME_LIMIT})
        facts = self.nik_facts[report.row]
        try:
            if isinstance(facts, ValidationError):
                raise facts
            if age_on(facts[1], self.today) < KTP_AGE:
                validate_ktp_age(facts[0], today=self.today)  # raises, with its message
            state.nik = facts[0]
        except ValidationError as error:
            report.error(self.label("nik"), error.messages[0])
        if state.nik:
            report.nik = mask_nik(state.nik)
            if state.nik in self.seen_niks:
                report.error(
                    self.label("nik"),
                    _("This NIK is also in row %(row)s. Each companion appears once.")
                    % {"row": self.seen_niks[state.nik]},
                )
            else:
                self.seen_niks[state.nik] = report.row
            state.companion = self.companions.get(state.nik)
            self.check_nik_facts(row, state, born=facts[1], gender=facts[2])
        self.read_phone(row, state)
        self.find_village(row, state)

    def check_nik_facts(self, row, state: RowState, *, born, gender: str) -> None:
        """The birth date and gender columns, when filled, must say what the NIK says."""
        state.values.update(birth_date=born, gender=gender)
        if row.get("birth_date") not in (None, ""):
            try:
                written = date_from_cell(row["birth_date"])
            except ValidationError as error:
                state.report.error(self.label("birth_date"), error.messages[0])
            else:
                if written != born:
                    state.report.error(
                        self.label("birth_date"),
                        _("%(written)s is not the birth date in the NIK (%(nik)s). Check both.")
                        % {"written": written.strftime("%d/%m/%Y"), "nik": born.strftime("%d/%m/%Y")},
                    )
        if row.get("gender") not in (None, ""):
            try:
                written = gender_from_cell(row["gender"])
            except ValidationError as error:
                state.report.error(self.label("gender"), error.messages[0])
            else:
                if written != gender:
                    state.report.error(
                        self.label("gender"),
                        _("The NIK says %(nik)s. For women the NIK adds 40 to the day of birth; check both.")
                        % {"nik": _("perempuan") if gender == "F" else _("laki-laki")},
                    )

    def read_phone(self, row, state: RowState) -> None:
        if row.get("phone") in (None, "") or text_cell(row.get("phone")) == "":
            return
        try:
            phone = phone_from_cell(row["phone"])
        except ValidationError as error:
            state.report.error(self.label("phone"), error.messages[0])
            return
        owner = self.phone_owners.get(phone)
        if owner is not None and (state.companion is None or state.companion.user_id != owner):
            state.report.error(self.label("phone"), _("Another account already uses this mobile number."))
        elif phone in self.seen_phones:
            state.report.error(
                self.label("phone"), _("This number is also in row %(row)s.") % {"row": self.seen_phones[phone]}
            )
        else:
            self.seen_phones[phone] = state.report.row
            state.values["phone"] = phone

    def find_village(self, row, state: RowState) -> None:
        """By kode wilayah; else by desa, kecamatan and kabupaten/kota; a new code makes a new village."""
        names = {key: text_cell(row.get(key)) for key in ("village", "kecamatan", "kabupaten", "provinsi")}
        code = ""
        if text_cell(row.get("code")):
            try:
                code = village_code_from_cell(row["code"])
            except ValidationError as error:
                state.report.error(self.label("code"), error.messages[0])
                return
        village = (self.villages_by_code.get(code) or self.new_villages.get(code)) if code else None
        if village is not None and names["village"] and region_key(names["village"]) != region_key(village.name):
            state.report.warnings.append(
                _("The code %(code)s is the village %(village)s, not %(written)s; the row goes to %(village)s.")
                % {"code": code, "village": village.name, "written": names["village"]}
            )
        if village is None and not code:
            if not names["village"]:
                state.report.error(self.label("village"), _("The village is missing."))
                return
            matches = self.villages_by_names.get(village_key(names["village"], names["kecamatan"], names["kabupaten"]))
            if not matches:
                state.report.error(
                    self.label("village"),
                    _(
                        "No village %(village)s in Kecamatan %(kecamatan)s, %(kabupaten)s is known. "
                        "Add its kode wilayah."
                    )
                    % {"village": names["village"], "kecamatan": names["kecamatan"], "kabupaten": names["kabupaten"]},
                )
                return
            if len(matches) > 1:
                state.report.error(
                    self.label("village"), _("Several villages have this name here. Add the kode wilayah.")
                )
                return
            village = matches[0]
        if village is None:
            too_long = [key for key, value in names.items() if len(value) > REGION_NAME_LIMIT]
            for key in too_long:
                state.report.error(self.label(key), _("At most %(limit)s characters.") % {"limit": REGION_NAME_LIMIT})
            if too_long:
                return
            missing = [self.label(key) for key in ("village", "kecamatan", "kabupaten", "provinsi") if not names[key]]
            if missing:
                state.report.error(
                    self.label("code"),
                    _("The village %(code)s is new: fill in %(columns)s to add it.")
                    % {"code": code, "columns": ", ".join(missing)},
                )
                return
            village = Village(
                code=code,
                name=region_name(names["village"]),
                kecamatan=region_name(names["kecamatan"]),
                kabupaten=names["kabupaten"],
                provinsi=names["provinsi"],
            )
            self.new_villages[code] = village
            self.plan.new_villages.append(village)
        state.village = village
        state.report.village = str(village)
        if state.nik and region_of_code(village.code) != state.nik[:6]:
            state.report.warnings.append(
                _(
                    "The NIK was issued in region %(nik)s, not in the village's kecamatan %(village)s. "
                    "That happens after a move; check the NIK."
                )
                % {"nik": state.nik[:6], "village": region_of_code(village.code)}
            )

    def get_or_init_instance(self, instance_loader, row):
        state = self.state
        if state.companion is not None:
            return state.companion, False
        return Companion(nik=state.nik), True

    def import_instance(self, instance, row, **kwargs):
        state = self.state
        if state.report.errors:
            raise ValidationError({error["column"]: error["message"] for error in state.report.errors})
        values = state.values
        if state.companion is None:
            instance.gender, instance.birth_date, instance.village = (
                values["gender"],
                values["birth_date"],
                state.village,
            )
            state.account = {
                "username": self.new_username(state.report.name),
                "full_name": state.report.name,
                "phone": values.get("phone", ""),
            }
            state.report.changes = [state.account["username"]]
            return
        user = instance.user
        changes = []
        if user.full_name != state.report.name:
            user.full_name = state.report.name
            changes.append("full_name")
        if values.get("phone") and user.phone != values["phone"]:
            user.phone = values["phone"]
            changes.append("phone")
        if instance.village_id != state.village.pk or state.village.pk is None:
            instance.village = state.village
            changes.append("village")
        enrollment = self.enrollments.get(instance.pk)
        if enrollment is None:
            changes.append("enrollment")
        elif enrollment != Enrollment.Status.ACTIVE:
            state.report.warnings.append(
                _("Already in this cohort with the status %(status)s; the enrollment stays as it is.")
                % {"status": Enrollment.Status(enrollment).label}
            )
        state.report.changes = changes

    def new_username(self, full_name: str) -> str:
        base = username_base(full_name)
        username, number = base, 1
        while username in self.usernames:
            number += 1
            username = f"{base}{number}"
        self.usernames.add(username)
        return username

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not import_validation_errors and instance.pk is not None and not self.state.report.changes

    def save_instance(self, instance, is_create, row, **kwargs):
        state = self.state
        if is_create:
            self.plan.new_companions.append((instance, state.account))
            self.plan.enroll.append(instance)
            return
        changes = [change for change in state.report.changes if change != "enrollment"]
        if changes:
            self.plan.updated.append((instance, changes))
        if "enrollment" in state.report.changes:
            self.plan.enroll.append(instance)

    def after_import_row(self, row, row_result, **kwargs):
        report = self.state.report
        report.status = {
            RowResult.IMPORT_TYPE_NEW: "new",
            RowResult.IMPORT_TYPE_UPDATE: "updated",
            RowResult.IMPORT_TYPE_SKIP: "unchanged",
        }.get(row_result.import_type, "error")
        if row_result.errors:  # an exception the checks did not foresee: shown, never swallowed
            report.error("", str(row_result.errors[0].error))
        enrolled = self.state.companion is None or self.enrollments.get(self.state.companion.pk) in (
            None,
            Enrollment.Status.ACTIVE,
        )
        if report.status != "error" and enrolled:
            self.village_rows[self.state.village.code].append(report)
        number = kwargs.get("row_number", 0)
        if self.progress and number % 250 == 0:
            self.progress(number, self.total)

    def after_import(self, dataset, result, **kwargs):
        self.warn_crowded_villages()

    def warn_crowded_villages(self) -> None:
        """More than COMPANIONS_PER_VILLAGE active companions of one village in the cohort is a warning."""
        active = Enrollment.objects.filter(cohort=self.cohort, status=Enrollment.Status.ACTIVE)
        counts = Counter(
            code
            for nik, code in active.values_list("companion__nik", "companion__village__code")
            if nik not in self.seen_niks  # those in the file are counted where the file puts them
        )
        for code, reports in self.village_rows.items():
            total = counts[code] + len(reports)
            if total > COMPANIONS_PER_VILLAGE:
                for report in reports:
                    report.warnings.append(
                        _(
                            "%(count)s active companions of %(village)s in this cohort; "
                            "a village usually sends %(usual)s."
                        )
                        % {"count": total, "village": report.village, "usual": COMPANIONS_PER_VILLAGE}
                    )

    # Writing is the service's: the bulk hooks only keep what the rows collected.
    def bulk_create(self, *args, **kwargs):
        self.create_instances.clear()

    def bulk_update(self, *args, **kwargs):
        self.update_instances.clear()

    def bulk_delete(self, *args, **kwargs):
        self.delete_instances.clear()


def village_key(name: str, kecamatan: str, kabupaten: str) -> tuple[str, str, str]:
    return region_key(name), region_key(kecamatan), region_key(kabupaten)


def region_name(value: str) -> str:
    """A desa or kecamatan name as the village table keeps it: without "Desa" or "Kec." in front."""
    text = text_cell(value)
    return re.sub(r"^(desa|ds\.?|kecamatan|kec\.?)\s+", "", text, flags=re.IGNORECASE).strip()


def chunks(values: list, size: int = QUERY_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def roster_check(
    *, cohort: Cohort, data: bytes, filename: str, progress: Progress | None = None
) -> tuple[RosterReport, RosterPlan]:
    """Read and check the whole file; return what it would do and what to write. Writes nothing."""
    try:
        dataset, labels, unknown = read_roster(data, filename)
    except RosterFileError as error:
        return RosterReport(file_errors=[str(error)]), RosterPlan()
    resource = RosterResource(cohort=cohort, labels=labels, progress=progress, total=len(dataset))
    resource.import_data(dataset, dry_run=False, use_transactions=False)
    resource.report.unknown_columns = unknown
    if progress:
        progress(len(dataset), len(dataset))
    return resource.report, resource.plan


def roster_row_count(data: bytes, filename: str) -> int:
    """About how many rows the file has, without reading them: enough to choose the background."""
    if data[:2] == b"PK":
        import openpyxl

        try:
            sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
            return max((sheet.max_row or 1) - 1, 0)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            return 0
    return data.rstrip(b"\r\n").count(b"\n")  # the lines after the header
