"""The dashboard and the progress screens: what each role sees, exports equal to screens, queries."""

import csv
import datetime
import io
import re
import zoneinfo
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from assessments.selectors import final_scores
from courses.models import AttendanceStatus, Cohort, Enrollment
from courses.selectors import attendance_shares
from lms.dashboard.selectors import dashboard, read_facts
from tests.courses.factories import AttendanceFactory, SessionFactory
from tests.factories import (
    CohortFactory,
    CompanionFactory,
    EnrollmentFactory,
    LessonPageFactory,
    LessonProgressFactory,
    ModulePageFactory,
    UserFactory,
    VillageFactory,
)
from tests.lms.factories import submit

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
DASHBOARD_TABLES = ["ringkasan", "kehadiran-harian", "kemajuan-pelajaran", "nilai", "provinsi", "kabupaten", "angkatan"]
COHORT_TABLES = ["peserta", "kehadiran", "kemajuan", "hasil"]


class Tables(HTMLParser):
    """The text of every cell of each `data-table` table (and the one-row summary list) on a page."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current = None
        self.cell = None
        self.summary = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-table" in attrs:
            self.current = attrs["data-table"]
            self.summary = tag == "dl"
            self.tables[self.current] = [[]] if self.summary else []
        elif self.current and tag == "tr" and not self.summary:
            self.tables[self.current].append([])
        elif self.current and (tag == "td" or (self.summary and tag == "dd")):
            self.cell = ""

    def handle_endtag(self, tag):
        if self.cell is not None and tag in ("td", "dd"):
            self.tables[self.current][-1].append(self.cell.strip())
            self.cell = None
        elif tag in ("table", "dl"):
            if self.current and not self.summary:
                self.tables[self.current] = [row for row in self.tables[self.current] if row]
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def screen_tables(response) -> dict[str, list[list[str]]]:
    assert response.status_code == 200
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


def xlsx_rows(response) -> tuple[list, list[list]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def csv_rows(response) -> tuple[list, list[list]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def same(screen: str, exported) -> bool:
    """Whether a screen cell ("1.234", "66,7", "–", "30 Oktober 2017") shows the exported value."""
    if exported is None or exported == "":
        return screen == "–"
    if isinstance(exported, datetime.datetime):  # XLSX: dates and times alike
        day = screen.startswith(f"{exported.day} ") and str(exported.year) in screen
        with_time = re.search(r"\d\d\.\d\d$", screen)
        return day and (
            screen.endswith(exported.strftime("%H.%M")) if with_time else exported.time() == datetime.time()
        )
    if isinstance(exported, int | float) or re.fullmatch(r"-?\d+(\.\d+)?", str(exported)):
        return float(screen.replace(".", "").replace(",", ".")) == float(exported)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", str(exported)):
        return str(exported)[:4] in screen
    return screen == str(exported)


def assert_screen_equals_exports(client, screen: list[list[str]], xlsx_url: str, csv_url: str) -> None:
    _header, xlsx_body = xlsx_rows(client.get(xlsx_url))
    _header, csv_body = csv_rows(client.get(csv_url))
    assert len(screen) == len(xlsx_body) == len(csv_body) > 0
    for shown, from_xlsx, from_csv in zip(screen, xlsx_body, csv_body, strict=True):
        assert all(same(s, x) for s, x in zip(shown, from_xlsx, strict=True)), (shown, from_xlsx)
        assert all(same(s, c) for s, c in zip(shown, from_csv, strict=True)), (shown, from_csv)


@pytest.fixture
def trainer():
    return UserFactory(groups=["Trainer"], full_name="Pelatih Satu")


@pytest.fixture
def coordinator_client(client):
    client.force_login(UserFactory(groups=["Coordinator"]))
    return client


def add_companion(cohort, *, name, provinsi="Jawa Tengah", kabupaten="Wonosobo", status=Enrollment.Status.ACTIVE, **kw):
    village = VillageFactory(provinsi=provinsi, kabupaten=kabupaten)
    companion = CompanionFactory(user__full_name=name, village=village, **kw)
    return EnrollmentFactory(cohort=cohort, companion=companion, status=status)


def build_cohort(program, *, name="Angkatan I 2017", trainer=None, companions=4):
    """A cohort with lessons, sessions over two days, attendance, progress and test scores."""
    module = ModulePageFactory(parent=program)
    lessons = [LessonPageFactory(parent=module) for _ in range(4)]
    cohort = CohortFactory(program=program, name=name)
    if trainer is not None:
        cohort.trainers.add(trainer)
    sessions = [
        SessionFactory(cohort=cohort, day=1),
        SessionFactory(cohort=cohort, day=1),
        SessionFactory(cohort=cohort, day=2),
    ]
    marks = [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT]
    enrollments = []
    for index in range(companions):
        provinsi, kabupaten = ("Nusa Tenggara Barat", "Lombok Timur") if index % 3 == 2 else ("Jawa Tengah", "Wonosobo")
        enrollment = add_companion(cohort, name=f"Peserta {name} {index}", provinsi=provinsi, kabupaten=kabupaten)
        enrollments.append(enrollment)
        for number, session in enumerate(sessions[: index % 3 + 1]):
            AttendanceFactory(session=session, enrollment=enrollment, status=marks[(index + number) % 3])
        for lesson in lessons[: index % 5]:
            LessonProgressFactory(enrollment=enrollment, lesson=lesson)
        submit(enrollment, kind="pre_test", score=Decimal(40 + 10 * index))
        if index % 2 == 0:
            submit(enrollment, kind="post_test", score=Decimal(60 + 10 * index))
    add_companion(cohort, name=f"Mundur {name}", status=Enrollment.Status.WITHDRAWN)
    return cohort, enrollments


def test_dashboard_figures_equal_their_xlsx_and_csv_exports(coordinator_client, program):
    build_cohort(program)
    build_cohort(program, name="Angkatan II 2018", companions=3)
    screen = screen_tables(coordinator_client.get(reverse("dashboard:index")))
    assert sorted(screen) == sorted(DASHBOARD_TABLES)
    for slug in DASHBOARD_TABLES:
        assert_screen_equals_exports(
            coordinator_client,
            screen[slug],
            reverse("dashboard:export", args=[slug, "xlsx"]),
            reverse("dashboard:export", args=[slug, "csv"]),
        )


def test_cohort_dashboard_figures_equal_their_exports(coordinator_client, program):
    cohort, _enrollments = build_cohort(program)
    build_cohort(program, name="Angkatan II 2018", companions=3)
    screen = screen_tables(coordinator_client.get(reverse("dashboard:cohort", args=[cohort.pk])))
    assert screen["ringkasan"][0][:2] == ["1", "4"]  # one cohort, its four active companions
    for slug in DASHBOARD_TABLES[:-1]:
        assert_screen_equals_exports(
            coordinator_client,
            screen[slug],
            reverse("dashboard:cohort_export", args=[cohort.pk, slug, "xlsx"]),
            reverse("dashboard:cohort_export", args=[cohort.pk, slug, "csv"]),
        )


def test_cohort_progress_screen_equals_its_export(coordinator_client, program):
    cohort, _enrollments = build_cohort(program)
    screen = screen_tables(coordinator_client.get(reverse("cohort:inspect", args=[cohort.pk])))
    assert len(screen["kemajuan"]) == 5  # four active companions and the one who withdrew
    assert_screen_equals_exports(
        coordinator_client,
        screen["kemajuan"],
        reverse("dashboard:cohort_table", args=[cohort.pk, "kemajuan", "xlsx"]),
        reverse("dashboard:cohort_table", args=[cohort.pk, "kemajuan", "csv"]),
    )


def test_progress_shows_lessons_attendance_and_scores_of_each_companion(coordinator_client, program):
    cohort, enrollments = build_cohort(program, companions=3)
    screen = screen_tables(coordinator_client.get(reverse("cohort:inspect", args=[cohort.pk])))
    rows = {row[0]: row for row in screen["kemajuan"]}
    # The second companion: 1 of 4 lessons; late at one of the cohort's 3 sessions, absent at another.
    second = rows["Peserta Angkatan I 2017 1"]
    assert second[6:12] == ["1", "4", "33,3", "50,0", "–", "–"]
    # The third: 2 lessons, attended 2 of 3 sessions, post-test 80 of a pass mark of 70.
    third = rows["Peserta Angkatan I 2017 2"]
    assert third[6:12] == ["2", "4", "66,7", "60,0", "80,0", "Ya"]


def test_progress_figures_agree_with_the_shared_selectors(program):
    """The dashboard's SQL sums read attendance and scores as certificates will (attendance_shares, final_scores)."""
    cohort, enrollments = build_cohort(program, companions=5)
    ids = [enrollment.pk for enrollment in enrollments]
    facts = read_facts(enrollments=Enrollment.objects.filter(pk__in=ids), cohorts=Cohort.objects.filter(pk=cohort.pk))
    shares = attendance_shares(ids)
    pre, post = final_scores(ids, "pre_test"), final_scores(ids, "post_test")
    for pk in ids:
        assert Fraction(facts.attended.get(pk, 0), facts.session_count(cohort.pk)) == shares[pk]
        assert facts.best.get((pk, "pre_test")) == pre.get(pk)
        assert facts.best.get((pk, "post_test")) == post.get(pk)


def test_companion_page_shows_their_progress_in_each_cohort(coordinator_client, program):
    cohort, enrollments = build_cohort(program, companions=2)
    response = coordinator_client.get(reverse("companion:inspect", args=[enrollments[0].companion_id]))
    screen = screen_tables(response)
    assert [row[0] for row in screen["kemajuan"]] == [cohort.name]
    assert enrollments[0].companion.nik in response.content.decode()


def test_trainer_sees_only_the_cohorts_they_train(client, program, trainer):
    own, _ = build_cohort(program, trainer=trainer, companions=2)
    other, _ = build_cohort(program, name="Angkatan II 2018", companions=3)
    client.force_login(trainer)
    screen = screen_tables(client.get(reverse("dashboard:index")))
    assert screen["ringkasan"][0][:2] == ["1", "2"]
    assert [row[0] for row in screen["angkatan"]] == [own.name]
    assert client.get(reverse("dashboard:cohort", args=[own.pk])).status_code == 200
    assert client.get(reverse("cohort:inspect", args=[own.pk])).status_code == 200
    for url in (
        reverse("dashboard:cohort", args=[other.pk]),
        reverse("dashboard:cohort_export", args=[other.pk, "provinsi", "csv"]),
        reverse("dashboard:cohort_table", args=[other.pk, "peserta", "xlsx"]),
        reverse("cohort:inspect", args=[other.pk]),
    ):
        assert client.get(url).status_code == 404, url
    _header, rows = csv_rows(client.get(reverse("dashboard:export", args=["angkatan", "csv"])))
    assert [row[0] for row in rows] == [own.name]


def test_trainer_has_no_button_to_change_their_cohort(client, program, trainer):
    own, _ = build_cohort(program, trainer=trainer, companions=1)
    client.force_login(trainer)
    assert client.get(reverse("cohort:edit", args=[own.pk])).status_code == 302
    assert (
        reverse("cohort:edit", args=[own.pk])
        not in client.get(reverse("cohort:inspect", args=[own.pk])).content.decode()
    )


def test_roster_export_has_the_nik_for_coordinators_only(client, program, trainer):
    cohort, enrollments = build_cohort(program, trainer=trainer, companions=2)
    nik = enrollments[0].companion.nik
    url = reverse("dashboard:cohort_table", args=[cohort.pk, "peserta", "csv"])
    client.force_login(UserFactory(groups=["Coordinator"]))
    header, rows = csv_rows(client.get(url))
    assert "NIK" in header and nik in [row[header.index("NIK")] for row in rows]
    client.force_login(trainer)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("dashboard:cohort_table", args=[cohort.pk, "peserta", fmt]))
        header, rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        assert "NIK" not in header
        assert nik not in str(rows)
        assert enrollments[0].companion.user.username in str(rows)


def test_exports_read_in_indonesian_with_times_in_wib(coordinator_client, program):
    cohort = CohortFactory(program=program)
    enrollment = add_companion(cohort, name="Siti Aminah")
    Enrollment.objects.filter(pk=enrollment.pk).update(
        enrolled_at=datetime.datetime(2017, 10, 1, 1, 30, tzinfo=datetime.UTC)
    )
    session = SessionFactory(cohort=cohort, starts_at=datetime.datetime(2017, 10, 30, 8, 0, tzinfo=WIB))
    AttendanceFactory(session=session, enrollment=enrollment, status=AttendanceStatus.PRESENT)

    header, rows = csv_rows(
        coordinator_client.get(reverse("dashboard:cohort_table", args=[cohort.pk, "peserta", "csv"]))
    )
    row = dict(zip(header, rows[0], strict=True))
    assert row["Jenis kelamin"] == "Laki-laki"
    assert row["Status"] == "Aktif"
    assert row["Terdaftar pada (WIB)"] == "2017-10-01 08:30"
    assert row["Nama pengguna"] == enrollment.companion.user.username

    header, rows = xlsx_rows(
        coordinator_client.get(reverse("dashboard:cohort_table", args=[cohort.pk, "kehadiran", "xlsx"]))
    )
    row = dict(zip(header, rows[0], strict=True))
    assert row["Kehadiran"] == "Hadir"
    assert row["Mulai (WIB)"] == datetime.datetime(2017, 10, 30, 8, 0)


def test_formula_like_names_are_neutralised_in_exports(coordinator_client, program):
    cohort = CohortFactory(program=program)
    add_companion(cohort, name='=HYPERLINK("http://contoh.test","klik")')
    response = coordinator_client.get(reverse("dashboard:cohort_table", args=[cohort.pk, "peserta", "csv"]))
    _header, rows = csv_rows(response)
    assert rows[0][0] == '\'=HYPERLINK("http://contoh.test","klik")'
    response = coordinator_client.get(reverse("dashboard:cohort_table", args=[cohort.pk, "peserta", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert (sheet["A2"].value, sheet["A2"].data_type) == ('=HYPERLINK("http://contoh.test","klik")', "s")


def test_results_export_lists_each_submitted_attempt(coordinator_client, program):
    cohort, enrollments = build_cohort(program, companions=2)
    header, rows = csv_rows(coordinator_client.get(reverse("dashboard:cohort_table", args=[cohort.pk, "hasil", "csv"])))
    assert len(rows) == 3  # two pre-tests, one post-test
    scores = sorted(float(row[header.index("Nilai")]) for row in rows)
    assert scores == [40.0, 50.0, 60.0]


def test_unknown_table_is_not_found(coordinator_client, program):
    cohort = CohortFactory(program=program)
    assert coordinator_client.get(reverse("dashboard:export", args=["tidak-ada", "csv"])).status_code == 404
    assert (
        coordinator_client.get(reverse("dashboard:cohort_table", args=[cohort.pk, "tidak-ada", "csv"])).status_code
        == 404
    )


def test_certificates_count_the_valid_ones_issued_and_the_eligible_by_each_cohorts_rule(program):
    from certificates.selectors import cohort_standings
    from certificates.services import certificate_revoke, certificates_issue, cohort_rule_update

    cohort, enrollments = build_cohort(program, companions=3)
    summary = dashboard(cohorts=Cohort.objects.filter(pk=cohort.pk)).summary
    eligible = sum(standing.verdict.eligible for standing in cohort_standings(cohort))  # the certificate screen's
    assert summary.rows[0][-2:] == [0, eligible] and eligible < 3

    cohort_rule_update(cohort=cohort, by=None, min_attendance_percent=0, pass_mark=0, post_test_required=False)
    first, second = certificates_issue(cohort=cohort, by=None, enrollment_ids=[e.pk for e in enrollments[:2]])
    certificate_revoke(certificate=second, by=None, reason="Salah nama")
    summary = dashboard(cohorts=Cohort.objects.filter(pk=cohort.pk)).summary
    assert summary.rows[0][-2:] == [1, 3]


def test_dashboard_queries_do_not_grow_with_the_data(coordinator_client, program, django_assert_num_queries):
    cohort, _ = build_cohort(program, companions=1)
    url = reverse("dashboard:index")
    coordinator_client.get(url)  # warm: the session, Wagtail's site and menu caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert coordinator_client.get(url).status_code == 200
    for number in range(3):
        build_cohort(program, name=f"Angkatan {number + 2}", companions=6)
    with django_assert_num_queries(len(small)):
        assert coordinator_client.get(url).status_code == 200
    cohort_url = reverse("dashboard:cohort", args=[cohort.pk])
    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(cohort_url)
    build_cohort(program, name="Angkatan 9", companions=2)
    with django_assert_num_queries(len(one)):
        coordinator_client.get(cohort_url)


def test_progress_screen_queries_do_not_grow_with_the_companions(
    coordinator_client, program, django_assert_num_queries
):
    cohort, _ = build_cohort(program, companions=1)
    url = reverse("cohort:inspect", args=[cohort.pk])
    coordinator_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        coordinator_client.get(url)
    for index in range(8):
        add_companion(cohort, name=f"Tambahan {index}")
    with django_assert_num_queries(len(small)):
        coordinator_client.get(url)


def test_coordinators_admin_home_shows_the_latest_cohorts(coordinator_client, program):
    cohort = CohortFactory(program=program, name="Angkatan I 2017")
    html = coordinator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("dashboard:cohort", args=[cohort.pk]) in html
    assert reverse("dashboard:index") in html


def test_cohort_list_links_each_cohort_to_its_progress_and_dashboard(coordinator_client, program):
    cohort = CohortFactory(program=program)
    html = coordinator_client.get(reverse("cohort:index")).content.decode()
    assert reverse("cohort:inspect", args=[cohort.pk]) in html
    assert reverse("dashboard:cohort", args=[cohort.pk]) in html
    assert "Kemajuan" in html
