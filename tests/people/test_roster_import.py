"""Roster import: messy files from the provinces, the preview, all-or-nothing confirm, re-import."""

import datetime

import pytest

from django.contrib.auth.hashers import is_password_usable
from django.core.exceptions import ValidationError
from django.utils import translation

from wagtail.models import ModelLogEntry

from courses.models import Enrollment
from people.models import Companion, User, Village
from people.resources import read_roster
from people.roster import roster_import, roster_preview
from people.roster_cells import date_from_cell, nik_from_cell, phone_from_cell
from tests.factories import CohortFactory, CompanionFactory, EnrollmentFactory, UserFactory, VillageFactory
from tests.people.roster_files import HEADERS, csv_bytes, nik, person, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source; the Indonesian ones in test_roster_indonesian.py."""
    with translation.override("en"):
        yield


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, name="Angkatan I 2017")


@pytest.fixture
def kuripan(db):
    return VillageFactory(
        code="33.07.10.2004", name="Kuripan", kecamatan="Watumalang", kabupaten="Wonosobo", provinsi="Jawa Tengah"
    )


@pytest.fixture
def coordinator(db):
    return UserFactory(groups=["Coordinator"])


def two_villages_rows(count=2, start=1, **overrides):
    """`count` clean rows, two per village (villages 33.07.10.2004, .2005, …), so no crowding warning."""
    rows = []
    for index in range(start, start + count):
        code = f"33.07.10.{2004 + (index - start) // 2:04d}"
        name = "Kuripan" if code == "33.07.10.2004" else f"Desa {code[-4:]}"
        rows.append(person(index, **{"Kode Wilayah": code, "Desa": name, **overrides}))
    return rows


def errors_of(report) -> list[tuple[int, str, str]]:
    return [(row.row, error["column"], error["message"]) for row in report.rows for error in row.errors]


def test_semicolon_csv_with_bom_is_previewed_without_writing(cohort, kuripan):
    data = csv_bytes(two_villages_rows(4), delimiter=";", bom=True)

    report = roster_preview(cohort=cohort, data=data, filename="angkatan-1.csv")

    assert report.counts() == {"new": 4, "updated": 0, "unchanged": 0, "error": 0}
    assert not report.has_errors and not report.written
    assert not Companion.objects.exists() and not User.objects.filter(username__startswith="pendamping").exists()
    assert not Village.objects.exclude(pk=kuripan.pk).exists()


def test_confirm_creates_companions_villages_accounts_and_enrollments(cohort, kuripan, coordinator):
    data = csv_bytes(two_villages_rows(4), delimiter=";", bom=True)

    report = roster_import(cohort=cohort, data=data, filename="angkatan-1.csv", by=coordinator)

    assert report.written
    companion = Companion.objects.select_related("user", "village").get(nik=nik(day=2, serial=1))
    assert companion.user.full_name == "Pendamping Uji 1"
    assert companion.user.phone == "+6281200010001"
    assert companion.village == kuripan
    assert companion.birth_date == datetime.date(1990, 8, 2) and companion.gender == "M"
    assert companion.user.groups.get().name == "Companion"
    assert Village.objects.get(code="33.07.10.2005").kabupaten == "Kab. Wonosobo"
    assert Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ACTIVE).count() == 4
    created = ModelLogEntry.objects.filter(action="wagtail.create", user=coordinator)
    assert created.filter(content_type__model="companion").count() == 4
    assert ModelLogEntry.objects.filter(object_id=str(cohort.pk), content_type__model="cohort").exists()


def test_imported_accounts_have_no_usable_password_and_distinct_usernames(cohort, kuripan):
    rows = two_villages_rows(2)
    rows[1]["Nama"] = rows[0]["Nama"]  # two people with one name
    roster_import(cohort=cohort, data=csv_bytes(rows), filename="r.csv", by=None)

    users = User.objects.filter(companion__isnull=False).order_by("username")
    assert [user.username for user in users] == ["pendamping.uji", "pendamping.uji2"]
    assert not any(is_password_usable(user.password) for user in users)
    assert len({user.password for user in users}) == 2


def test_windows_1252_csv_keeps_accented_names(cohort, kuripan):
    rows = two_villages_rows(1, **{"Nama": "Yosé Fauzi’s"})
    report = roster_import(cohort=cohort, data=csv_bytes(rows, encoding="cp1252"), filename="r.csv", by=None)

    assert report.written
    assert User.objects.get(companion__isnull=False).full_name == "Yosé Fauzi’s"


def test_xlsx_nik_that_excel_made_a_number_is_recovered(cohort, kuripan):
    rows = two_villages_rows(2)
    rows[0]["NIK"] = int(rows[0]["NIK"])
    rows[1]["NIK"] = float(rows[1]["NIK"])
    rows[1]["No HP"] = 81234567890  # Excel dropped the leading 0

    report = roster_import(cohort=cohort, data=xlsx_bytes(rows), filename="r.xlsx", by=None)

    assert report.written, report.lines()
    assert set(Companion.objects.values_list("nik", flat=True)) == {nik(day=2, serial=1), nik(day=3, serial=2)}
    assert User.objects.filter(phone="+6281234567890").exists()


def test_nik_shortened_by_excel_is_refused_with_its_row_and_column(cohort, kuripan):
    rows = two_villages_rows(2)
    rows[1]["NIK"] = "3.30710E+15"

    report = roster_preview(cohort=cohort, data=csv_bytes(rows, delimiter=";"), filename="r.csv")

    assert errors_of(report) == [
        (
            3,
            "NIK",
            "Excel turned this NIK into the number 3.30710E+15 and lost digits; they cannot be recovered. "
            "Format the NIK column as Text in Excel and type the NIK again.",
        )
    ]
    assert report.counts()["new"] == 1


def test_nik_in_scientific_notation_that_kept_16_digits_is_recovered():
    assert nik_from_cell("3.307104108900001E+15") == "3307104108900001"
    assert nik_from_cell("3307104108900001.0") == "3307104108900001"
    assert nik_from_cell(" 3307 1041 0890 0001 ") == "3307104108900001"


def test_sixteen_digit_nik_with_an_impossible_date_is_refused(cohort, kuripan):
    rows = two_villages_rows(1, NIK="3307103213900001", **{"Tanggal Lahir": ""})

    report = roster_preview(cohort=cohort, data=csv_bytes(rows), filename="r.csv")

    assert errors_of(report) == [
        (2, "NIK", "Digits 7 to 12 of a NIK must be a real birth date (DDMMYY, day plus 40 for women).")
    ]


def test_duplicate_nik_in_one_file_is_an_error_on_the_later_row(cohort, kuripan):
    rows = two_villages_rows(2)
    rows[1]["NIK"], rows[1]["Tanggal Lahir"] = rows[0]["NIK"], rows[0]["Tanggal Lahir"]

    report = roster_preview(cohort=cohort, data=csv_bytes(rows), filename="r.csv")

    assert errors_of(report) == [(3, "NIK", "This NIK is also in row 2. Each companion appears once.")]


def test_three_companions_from_one_village_is_a_warning_not_an_error(cohort, kuripan):
    rows = [person(index) for index in (1, 2, 3)]

    report = roster_import(cohort=cohort, data=csv_bytes(rows), filename="r.csv", by=None)

    assert report.written
    assert [row.warnings for row in report.rows] == [
        ["3 active companions of Kuripan, Wonosobo in this cohort; a village usually sends 2."]
    ] * 3


def test_a_third_companion_counts_those_already_in_the_cohort(cohort, kuripan):
    for _ in range(2):
        EnrollmentFactory(cohort=cohort, companion=CompanionFactory(village=kuripan))

    row = person(1, NIK=nik(day=2, serial=9001))  # not a NIK the factory gave
    report = roster_preview(cohort=cohort, data=csv_bytes([row]), filename="r.csv")

    assert report.rows[0].warnings == [
        "3 active companions of Kuripan, Wonosobo in this cohort; a village usually sends 2."
    ]


def test_unknown_columns_are_reported_and_the_known_ones_imported(cohort, kuripan):
    rows = [{**row, "Keterangan": "utusan desa", "Email": "x@example.org"} for row in two_villages_rows(2)]

    report = roster_import(cohort=cohort, data=csv_bytes(rows), filename="r.csv", by=None)

    assert report.written
    assert report.unknown_columns == ["Keterangan", "Email"]


def test_headers_are_matched_without_case_or_extra_spaces(cohort, kuripan):
    headers = ["  NAMA ", "nik", "JENIS  KELAMIN", "Tgl. Lahir", "No.  HP", "desa", "Kec.", "Kabupaten / Kota"]
    headers += ["PROVINSI", "kode wilayah"]
    rows = [dict(zip(headers, person(1).values(), strict=True))]

    report = roster_import(cohort=cohort, data=csv_bytes(rows, headers=headers), filename="r.csv", by=None)

    assert report.written, report.lines()
    assert report.unknown_columns == []


def test_a_file_without_the_nik_column_is_refused_as_a_whole(cohort):
    headers = [header for header in HEADERS if header != "NIK"]

    report = roster_preview(cohort=cohort, data=csv_bytes([person(1)], headers=headers), filename="r.csv")

    assert report.file_errors == ["The file has no column NIK. The first row must hold the column names."]
    assert report.has_errors


def test_empty_rows_are_skipped_and_rows_keep_their_numbers_in_the_file(cohort, kuripan):
    rows = two_villages_rows(2)
    rows[1]["NIK"] = "123"
    data = xlsx_bytes(rows, blank_rows=(2,))  # an empty row between the header and the first person

    report = roster_preview(cohort=cohort, data=data, filename="r.xlsx")

    assert [row.row for row in report.rows] == [3, 4]
    assert errors_of(report) == [(4, "NIK", "A NIK has exactly 16 digits.")]


def test_csv_empty_lines_and_trailing_separators_are_skipped(cohort, kuripan):
    data = csv_bytes(two_villages_rows(1), delimiter=";") + b"\r\n;;;;;;;;;\r\n\r\n"

    assert read_roster(data, "r.csv")[0].height == 1


def test_birth_date_or_gender_that_contradict_the_nik_are_errors(cohort, kuripan):
    rows = two_villages_rows(2)
    rows[0]["Tanggal Lahir"] = "30/10/1985"
    rows[1]["Jenis Kelamin"] = "P"

    report = roster_preview(cohort=cohort, data=csv_bytes(rows), filename="r.csv")

    assert errors_of(report) == [
        (2, "Tanggal Lahir", "30/10/1985 is not the birth date in the NIK (02/08/1990). Check both."),
        (3, "Jenis Kelamin", "The NIK says laki-laki. For women the NIK adds 40 to the day of birth; check both."),
    ]


def test_nik_from_another_kecamatan_is_a_warning(cohort, kuripan):
    rows = [person(1, NIK=nik(region="330707", day=2, serial=1))]

    report = roster_preview(cohort=cohort, data=csv_bytes(rows), filename="r.csv")

    assert report.rows[0].status == "new"
    assert report.rows[0].warnings == [
        "The NIK was issued in region 330707, not in the village's kecamatan 330710. "
        "That happens after a move; check the NIK."
    ]


def test_holder_under_17_is_refused(cohort, kuripan):
    young = nik(day=1, month=1, year=datetime.date.today().year % 100 - 5, serial=1)
    report = roster_preview(
        cohort=cohort, data=csv_bytes([person(1, NIK=young, **{"Tanggal Lahir": ""})]), filename="r.csv"
    )

    assert errors_of(report) == [(2, "NIK", "The NIK's holder is under 17, too young for a KTP. Check the NIK.")]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("30/10/1985", datetime.date(1985, 10, 30)),
        ("1985-10-30", datetime.date(1985, 10, 30)),
        ("30-10-1985", datetime.date(1985, 10, 30)),
        ("3/1/1985", datetime.date(1985, 1, 3)),
        (31350, datetime.date(1985, 10, 30)),
        ("31350", datetime.date(1985, 10, 30)),
        (31350.0, datetime.date(1985, 10, 30)),
        (datetime.datetime(1985, 10, 30, 0, 0), datetime.date(1985, 10, 30)),
    ],
)
def test_dates_in_every_form_a_roster_uses(cell, expected):
    assert date_from_cell(cell) == expected


def test_a_date_that_is_no_date_says_how_to_write_one():
    with pytest.raises(ValidationError) as error:
        date_from_cell("31/02/1985")
    assert error.value.messages == ["Write the date as 30/10/1985 (day/month/year) or 1985-10-30."]


@pytest.mark.parametrize(
    "cell", ["0812-3456-7890", "+62 812 3456 7890", "62812 3456 7890", "812.3456.7890", 81234567890]
)
def test_phones_in_any_common_form_are_stored_as_plus_62(cell):
    assert phone_from_cell(cell) == "+6281234567890"


def test_village_is_found_by_name_kecamatan_and_kabupaten_ignoring_prefixes_and_case(cohort, kuripan):
    row = person(
        1,
        **{
            "Kode Wilayah": "",
            "Desa": "desa KURIPAN",
            "Kecamatan": "Kec. Watumalang",
            "Kabupaten/Kota": "KAB. wonosobo",
        },
    )

    report = roster_import(cohort=cohort, data=csv_bytes([row]), filename="r.csv", by=None)

    assert report.written
    assert Companion.objects.get().village == kuripan
    assert Village.objects.count() == 1


def test_unknown_village_without_a_code_asks_for_the_code(cohort, kuripan):
    row = person(1, **{"Kode Wilayah": "", "Desa": "Sukamaju"})

    report = roster_preview(cohort=cohort, data=csv_bytes([row]), filename="r.csv")

    assert errors_of(report) == [
        (
            2,
            "Desa",
            "No village Sukamaju in Kecamatan Watumalang, Kab. Wonosobo is known. Add its kode wilayah.",
        )
    ]


def test_a_row_with_an_error_means_nothing_is_written(cohort, kuripan):
    rows = two_villages_rows(3)
    rows[2]["No HP"] = "12345"

    report = roster_import(cohort=cohort, data=csv_bytes(rows), filename="r.csv", by=None)

    assert not report.written
    assert errors_of(report) == [
        (4, "No HP", "Enter an Indonesian mobile number, for example 0812-3456-7890 or +62 812 3456 7890.")
    ]
    assert not Companion.objects.exists()
    assert not Enrollment.objects.exists()
    assert Village.objects.count() == 1
    assert not User.objects.filter(full_name__startswith="Pendamping Uji").exists()


def test_importing_the_same_file_again_changes_nothing(cohort, kuripan):
    data = xlsx_bytes(two_villages_rows(4))
    roster_import(cohort=cohort, data=data, filename="r.xlsx", by=None)
    users = list(User.objects.order_by("pk").values())
    entries = ModelLogEntry.objects.count()

    report = roster_import(cohort=cohort, data=data, filename="r.xlsx", by=None)

    assert report.counts() == {"new": 0, "updated": 0, "unchanged": 4, "error": 0}
    assert list(User.objects.order_by("pk").values()) == users
    assert Enrollment.objects.count() == 4
    assert ModelLogEntry.objects.count() == entries


def test_reimport_updates_by_nik_and_never_withdraws_those_missing_from_the_file(cohort, kuripan, coordinator):
    roster_import(cohort=cohort, data=csv_bytes(two_villages_rows(4)), filename="r.csv", by=None)
    rows = two_villages_rows(3)
    rows[0]["Nama"] = "Pendamping Uji Satu"
    rows[1]["No HP"] = "0813 9999 0000"

    report = roster_import(cohort=cohort, data=csv_bytes(rows), filename="r.csv", by=coordinator)

    assert [row.status for row in report.rows] == ["updated", "updated", "unchanged"]
    assert [row.changes for row in report.rows[:2]] == [["full_name"], ["phone"]]
    assert User.objects.filter(full_name="Pendamping Uji Satu", phone="+6281200010001").exists()
    assert Companion.objects.get(nik=nik(day=3, serial=2)).user.phone == "+6281399990000"
    assert Enrollment.objects.filter(status=Enrollment.Status.ACTIVE).count() == 4
    assert ModelLogEntry.objects.filter(action="wagtail.edit", content_type__model="companion").count() == 2


def test_a_known_companion_from_another_cohort_is_enrolled_here(cohort, kuripan, program):
    other = CohortFactory(program=program, name="Angkatan II 2017")
    roster_import(cohort=other, data=csv_bytes(two_villages_rows(2)), filename="r.csv", by=None)

    report = roster_import(cohort=cohort, data=csv_bytes(two_villages_rows(2)), filename="r.csv", by=None)

    assert report.counts()["updated"] == 2
    assert Enrollment.objects.filter(cohort=cohort).count() == 2
    assert Companion.objects.count() == 2


def test_a_phone_of_another_account_is_an_error(cohort, kuripan):
    UserFactory(phone="+6281200010001")

    report = roster_preview(cohort=cohort, data=csv_bytes([person(1)]), filename="r.csv")

    assert errors_of(report) == [(2, "No HP", "Another account already uses this mobile number.")]


def test_a_code_whose_village_has_another_name_is_a_warning(cohort, kuripan):
    report = roster_preview(cohort=cohort, data=csv_bytes([person(1, Desa="Kalikajar")]), filename="r.csv")

    assert report.rows[0].status == "new"
    assert report.rows[0].warnings == [
        "The code 33.07.10.2004 is the village Kuripan, not Kalikajar; the row goes to Kuripan."
    ]


def test_names_longer_than_the_database_keeps_are_errors(cohort, kuripan):
    row = person(1, Nama="A" * 151, **{"Kode Wilayah": "33.07.10.2099", "Kecamatan": "K" * 101})

    report = roster_preview(cohort=cohort, data=csv_bytes([row]), filename="r.csv")

    assert errors_of(report) == [
        (2, "Nama", "At most 150 characters."),
        (2, "Kecamatan", "At most 100 characters."),
    ]


def test_a_job_that_stops_on_an_unexpected_error_keeps_no_file(cohort, kuripan, coordinator, monkeypatch):
    from people import roster
    from people.models import ImportJob

    job = roster.import_job_create(
        cohort=cohort, filename="a.csv", data=csv_bytes(two_villages_rows(2)), by=coordinator
    )

    def broken(**_file):
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster, "roster_preview", broken)
    with pytest.raises(RuntimeError):
        roster.import_job_run(job_id=job.pk, confirm=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and bytes(job.data) == b""
    assert not Companion.objects.exists()
