"""The figures of the progress screens and the dashboard, as tables (see tables.py).

Each function costs a fixed number of queries however many companions, sessions and answers
there are: the counting and averaging is done by the database (COUNT, SUM, AVG over correlated
subqueries), and Python only folds a few grouped rows.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length, Substr
from django.utils.translation import gettext as _

from wagtail.models import Page

from assessments.models import Attempt, QuizKind
from courses.models import ATTENDED, Attendance, Cohort, Enrollment, LessonPage, LessonProgress, Session

from .tables import Chart, Column, Kind, Table, percent, score

STEP = Page.steplen


@dataclass(frozen=True)
class CertificateCounts:
    issued: int = 0
    eligible: int = 0


def certificate_counts(*, enrollments: QuerySet[Enrollment]) -> CertificateCounts:
    """Certificates issued to, and companions eligible among, `enrollments` (active ones).

    The hook the certificates app fills: until it is merged there are no certificates, so both
    are zero. Replace the body with one query over its Certificate model and eligibility rule.
    """
    return CertificateCounts()


def _count(queryset: QuerySet, group_by: str):
    """A correlated COUNT of `queryset`'s rows, 0 when there are none."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _best_score(kind: str):
    """The best submitted score of the enrollment's quizzes of `kind`: what `final_scores` returns."""
    best = (
        Attempt.objects.filter(
            enrollment=OuterRef("pk"),
            quiz__kind=kind,
            quiz__path__startswith=OuterRef("cohort__program__path"),
            submitted_at__isnull=False,
            score__isnull=False,
        )
        .order_by()
        .values("enrollment")
        .annotate(best=Max("score"))
        .values("best")
    )
    return Subquery(best)


def live_lessons() -> QuerySet[LessonPage]:
    """Lessons a companion can read: live, in a live module (as the companion's outline counts them)."""
    module_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP)
    return LessonPage.objects.live().filter(Exists(Page.objects.filter(live=True, path=module_path)))


def lesson_totals(program_ids) -> dict[int, int]:
    """{program id: lessons a companion can read in it}, in two queries."""
    programs = dict(Page.objects.filter(pk__in=list(program_ids)).values_list("path", "pk"))
    totals = dict.fromkeys(programs.values(), 0)
    for path in live_lessons().filter(depth__gt=2).values_list("path", flat=True):
        program_id = programs.get(path[: -2 * STEP])
        if program_id is not None:
            totals[program_id] += 1
    return totals


def annotate_figures(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Each enrollment with its sessions, sessions attended, lessons done, best pre/post-test, passed."""
    return enrollments.annotate(
        n_sessions=_count(Session.objects.filter(cohort=OuterRef("cohort_id")), "cohort"),
        n_attended=_count(
            Attendance.objects.filter(
                enrollment=OuterRef("pk"), session__cohort=OuterRef("cohort_id"), status__in=ATTENDED
            ),
            "enrollment",
        ),
        n_done=_count(
            LessonProgress.objects.filter(enrollment=OuterRef("pk"), lesson__in=live_lessons().values("pk")),
            "enrollment",
        ),
        pre=_best_score(QuizKind.PRE_TEST),
        post=_best_score(QuizKind.POST_TEST),
        post_passed=Case(
            When(
                Exists(
                    Attempt.objects.filter(
                        enrollment=OuterRef("pk"), quiz__kind=QuizKind.POST_TEST, passed=True
                    ).exclude(submitted_at=None)
                ),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


@dataclass
class Group:
    """Sums over the active enrollments of one group (a province, a kabupaten, everything)."""

    enrolled: int = 0
    sessions: int = 0
    attended: int = 0
    done: int = 0
    lessons: int = 0
    pre_sum: float = 0
    pre_n: int = 0
    post_sum: float = 0
    post_n: int = 0
    passed: int = 0

    def add(self, row: dict, *, lessons: int) -> None:
        self.enrolled += row["enrolled"]
        self.sessions += row["sessions"] or 0
        self.attended += row["attended"] or 0
        self.done += row["done"] or 0
        self.lessons += lessons * row["enrolled"]
        self.pre_sum += float(row["pre_sum"] or 0)
        self.pre_n += row["pre_n"]
        self.post_sum += float(row["post_sum"] or 0)
        self.post_n += row["post_n"]
        self.passed += row["passed"] or 0

    def figures(self) -> list:
        return [
            self.enrolled,
            percent(self.attended, self.sessions),
            percent(self.done, self.lessons),
            score(self.pre_sum / self.pre_n) if self.pre_n else None,
            score(self.post_sum / self.post_n) if self.post_n else None,
            percent(self.passed, self.post_n),
        ]


def figure_columns() -> list[Column]:
    return [
        Column(_("Active companions"), Kind.COUNT),
        Column(_("Attendance (%)"), Kind.PERCENT),
        Column(_("Lessons done (%)"), Kind.PERCENT),
        Column(_("Pre-test mean"), Kind.SCORE),
        Column(_("Post-test mean"), Kind.SCORE),
        Column(_("Post-test passed (%)"), Kind.PERCENT),
    ]


def regional_groups(enrollments: QuerySet[Enrollment]) -> dict[tuple[str, str], Group]:
    """{(provinsi, kabupaten): Group} of the active `enrollments`, in one grouped query (plus lesson totals)."""
    rows = list(
        annotate_figures(enrollments.active())
        .values("companion__village__provinsi", "companion__village__kabupaten", "cohort__program_id")
        .annotate(
            enrolled=Count("pk"),
            sessions=Sum("n_sessions"),
            attended=Sum("n_attended"),
            done=Sum("n_done"),
            pre_sum=Sum("pre"),
            pre_n=Count("pre"),
            post_sum=Sum("post"),
            post_n=Count("post"),
            passed=Sum("post_passed"),
        )
        .order_by()
    )
    totals = lesson_totals({row["cohort__program_id"] for row in rows})
    groups: dict[tuple[str, str], Group] = defaultdict(Group)
    for row in rows:
        key = (row["companion__village__provinsi"], row["companion__village__kabupaten"])
        groups[key].add(row, lessons=totals.get(row["cohort__program_id"], 0))
    return groups


@dataclass
class Dashboard:
    cohorts: list[Cohort]
    summary: Table
    by_day: Table
    lessons: Table
    tests: Table
    by_provinsi: Table
    by_kabupaten: Table
    cohort_list: Table

    def tables(self) -> list[Table]:
        return [
            self.summary,
            self.by_day,
            self.lessons,
            self.tests,
            self.by_provinsi,
            self.by_kabupaten,
            self.cohort_list,
        ]

    def table(self, slug: str) -> Table | None:
        return next((table for table in self.tables() if table.slug == slug), None)


def dashboard(*, cohorts: QuerySet[Cohort]) -> Dashboard:
    """Every figure of the dashboard for `cohorts` (one cohort or many), in a fixed number of queries."""
    enrollments = Enrollment.objects.filter(cohort__in=cohorts)
    groups = regional_groups(enrollments)
    everything = Group()
    provinces: dict[str, Group] = defaultdict(Group)
    for (provinsi, _kabupaten), group in groups.items():
        for target in (everything, provinces[provinsi]):
            for name in Group.__dataclass_fields__:
                setattr(target, name, getattr(target, name) + getattr(group, name))

    cohort_rows = list(
        cohorts.select_related("program")
        .annotate(n_active=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ACTIVE)))
        .order_by("-start_date", "name")
    )
    ended = enrollments.exclude(status=Enrollment.Status.ACTIVE).count()
    certificates = certificate_counts(enrollments=enrollments.active())
    enrolled, attendance, lessons_done, pre_mean, post_mean, passed = everything.figures()

    summary = Table(
        slug="ringkasan",
        title=_("At a glance"),
        columns=[
            Column(_("Cohorts"), Kind.COUNT),
            Column(_("Active companions"), Kind.COUNT),
            Column(_("Withdrawn or replaced"), Kind.COUNT),
            Column(_("Attendance (%)"), Kind.PERCENT),
            Column(_("Lessons done (%)"), Kind.PERCENT),
            Column(_("Pre-test mean"), Kind.SCORE),
            Column(_("Post-test mean"), Kind.SCORE),
            Column(_("Post-test passed (%)"), Kind.PERCENT),
            Column(_("Certificates issued"), Kind.COUNT),
            Column(_("Eligible for a certificate"), Kind.COUNT),
        ],
        rows=[
            [
                len(cohort_rows),
                enrolled,
                ended,
                attendance,
                lessons_done,
                pre_mean,
                post_mean,
                passed,
                certificates.issued,
                certificates.eligible,
            ]
        ],
    )
    return Dashboard(
        cohorts=cohort_rows,
        summary=summary,
        by_day=attendance_by_day(cohorts=cohorts),
        lessons=lesson_progress(enrollments=enrollments.active()),
        tests=test_results(everything),
        by_provinsi=Table(
            slug="provinsi",
            title=_("By province"),
            columns=[Column(_("Province")), *figure_columns()],
            rows=[[provinsi, *provinces[provinsi].figures()] for provinsi in sorted(provinces)],
            chart=Chart(label_column=0, value_column=2),
            note=_("Bars: attendance."),
        ),
        by_kabupaten=Table(
            slug="kabupaten",
            title=_("By kabupaten/kota"),
            columns=[Column(_("Province")), Column(_("Kabupaten/kota")), *figure_columns()],
            rows=[
                [provinsi, kabupaten, *groups[(provinsi, kabupaten)].figures()]
                for provinsi, kabupaten in sorted(groups)
            ],
        ),
        cohort_list=Table(
            slug="angkatan",
            title=_("Cohorts"),
            columns=[
                Column(_("Cohort")),
                Column(_("Program")),
                Column(_("First day")),
                Column(_("Last day")),
                Column(_("Active companions"), Kind.COUNT),
            ],
            rows=[
                [cohort.name, cohort.program.title, cohort.start_date, cohort.end_date, cohort.n_active]
                for cohort in cohort_rows
            ],
        ),
    )


def attendance_by_day(*, cohorts: QuerySet[Cohort]) -> Table:
    """Per day of the training: sessions, attendances (present or late) of active companions, and
    their share of the attendances there should have been (sessions × active companions)."""
    active_in_cohort = _count(Enrollment.objects.active().filter(cohort=OuterRef("cohort_id")), "cohort")
    attended_session = _count(
        Attendance.objects.filter(
            session=OuterRef("pk"), status__in=ATTENDED, enrollment__status=Enrollment.Status.ACTIVE
        ),
        "session",
    )
    rows = (
        Session.objects.filter(cohort__in=cohorts)
        .annotate(expected=active_in_cohort, attended=attended_session)
        .values("day")
        .annotate(sessions=Count("pk"), expected=Sum("expected"), attended=Sum("attended"))
        .order_by("day")
    )
    return Table(
        slug="kehadiran-harian",
        title=_("Attendance per day"),
        columns=[
            Column(_("Day")),
            Column(_("Sessions"), Kind.COUNT),
            Column(_("Present or late"), Kind.COUNT),
            Column(_("Expected"), Kind.COUNT),
            Column(_("Attendance (%)"), Kind.PERCENT),
        ],
        rows=[
            [
                _("Day %(number)s") % {"number": row["day"]},
                row["sessions"],
                row["attended"] or 0,
                row["expected"] or 0,
                percent(row["attended"] or 0, row["expected"]),
            ]
            for row in rows
        ],
        chart=Chart(label_column=0, value_column=4),
    )


def lesson_band(done: int, total: int) -> int:
    """0: not started, 1: under half, 2: half or more, 3: all done (of the lessons readable now)."""
    done = min(done, total)
    if done == 0:
        return 0
    if done == total:
        return 3
    return 2 if 2 * done >= total else 1


def lesson_progress(*, enrollments: QuerySet[Enrollment]) -> Table:
    """How many active companions have done none, under half, half or more, and all of their lessons."""
    rows = list(
        annotate_figures(enrollments).values("cohort__program_id", "n_done").annotate(companions=Count("pk")).order_by()
    )
    totals = lesson_totals({row["cohort__program_id"] for row in rows})
    counts = [0, 0, 0, 0]
    for row in rows:
        counts[lesson_band(row["n_done"], totals.get(row["cohort__program_id"], 0))] += row["companions"]
    whole = sum(counts)
    labels = [_("Not started"), _("Under half"), _("Half or more"), _("All done")]
    return Table(
        slug="kemajuan-pelajaran",
        title=_("Lesson progress"),
        columns=[Column(_("Lessons done")), Column(_("Companions"), Kind.COUNT), Column(_("Share (%)"), Kind.PERCENT)],
        rows=[[label, count, percent(count, whole)] for label, count in zip(labels, counts, strict=True)],
        chart=Chart(label_column=0, value_column=2),
    )


def test_results(group: Group) -> Table:
    pre_mean = score(group.pre_sum / group.pre_n) if group.pre_n else None
    post_mean = score(group.post_sum / group.post_n) if group.post_n else None
    return Table(
        slug="nilai",
        title=_("Pre-test and post-test"),
        columns=[
            Column(_("Test")),
            Column(_("Companions with a score"), Kind.COUNT),
            Column(_("Mean score"), Kind.SCORE),
            Column(_("Passed (%)"), Kind.PERCENT),
        ],
        rows=[
            [_("Pre-test"), group.pre_n, pre_mean, None],
            [_("Post-test"), group.post_n, post_mean, percent(group.passed, group.post_n)],
        ],
        chart=Chart(label_column=0, value_column=2),
    )


def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


def progress_table(*, enrollments: QuerySet[Enrollment], slug: str = "kemajuan", by_cohort: bool = False) -> Table:
    """A row per enrollment: lessons done of the program's, attendance, best pre-test and post-test.

    The same sums the dashboard makes, row by row (`annotate_figures`), in two queries.
    """
    rows = list(
        annotate_figures(enrollments)
        .select_related("companion__user", "companion__village", "cohort")
        .order_by("cohort__start_date", "companion__user__full_name", "pk")
    )
    totals = lesson_totals({enrollment.cohort.program_id for enrollment in rows})
    lead = [Column(_("Cohort"))] if by_cohort else [Column(_("Name")), Column(_("Username"))]
    table = Table(
        slug=slug,
        title=_("Progress"),
        columns=[
            *lead,
            Column(_("Village")),
            Column(_("Kabupaten/kota")),
            Column(_("Province")),
            Column(_("Status")),
            Column(_("Lessons done"), Kind.COUNT),
            Column(_("Lessons"), Kind.COUNT),
            Column(_("Attendance (%)"), Kind.PERCENT),
            Column(_("Pre-test"), Kind.SCORE),
            Column(_("Post-test"), Kind.SCORE),
            Column(_("Post-test passed")),
        ],
    )
    for enrollment in rows:
        companion, village = enrollment.companion, enrollment.companion.village
        total = totals.get(enrollment.cohort.program_id, 0)
        who = [enrollment.cohort.name] if by_cohort else [companion.user.full_name, companion.user.username]
        table.rows.append(
            [
                *who,
                village.name,
                village.kabupaten,
                village.provinsi,
                enrollment.get_status_display(),
                min(enrollment.n_done, total),
                total,
                percent(enrollment.n_attended, enrollment.n_sessions),
                score(enrollment.pre),
                score(enrollment.post),
                _yes_no(enrollment.post_passed) if enrollment.post is not None else None,
            ]
        )
    return table


def roster_table(*, cohort: Cohort, personal: bool) -> Table:
    """The cohort's companions; the NIK, birth date and phone only when `personal` (coordinators)."""
    enrollments = cohort.enrollments.select_related("companion__user", "companion__village").order_by(
        "companion__user__full_name", "pk"
    )
    private = [Column(_("NIK")), Column(_("Birth date")), Column(_("Mobile phone"))] if personal else []
    table = Table(
        slug="peserta",
        title=_("Companions"),
        columns=[
            Column(_("Name")),
            Column(_("Username")),
            *private,
            Column(_("Gender")),
            Column(_("Village")),
            Column(_("Region code")),
            Column(_("Kecamatan")),
            Column(_("Kabupaten/kota")),
            Column(_("Province")),
            Column(_("Status")),
            Column(_("Enrolled at (WIB)"), Kind.DATETIME),
        ],
    )
    for enrollment in enrollments:
        companion, village = enrollment.companion, enrollment.companion.village
        personal_values = [companion.nik, companion.birth_date, companion.user.phone] if personal else []
        table.rows.append(
            [
                companion.user.full_name,
                companion.user.username,
                *personal_values,
                companion.get_gender_display(),
                village.name,
                village.code,
                village.kecamatan,
                village.kabupaten,
                village.provinsi,
                enrollment.get_status_display(),
                enrollment.enrolled_at,
            ]
        )
    return table


def attendance_table(*, cohort: Cohort) -> Table:
    """Every companion × session of the cohort, with the status recorded or "not recorded"."""
    sessions = list(cohort.sessions.order_by("starts_at", "pk"))
    enrollments = list(
        cohort.enrollments.select_related("companion__user").order_by("companion__user__full_name", "pk")
    )
    marks = {
        (mark.session_id, mark.enrollment_id): mark
        for mark in Attendance.objects.filter(session__cohort=cohort).select_related("marked_by")
    }
    table = Table(
        slug="kehadiran",
        title=_("Attendance"),
        columns=[
            Column(_("Name")),
            Column(_("Username")),
            Column(_("Day")),
            Column(_("Session")),
            Column(_("Starts at (WIB)"), Kind.DATETIME),
            Column(_("Attendance")),
            Column(_("Recorded by")),
            Column(_("Recorded at (WIB)"), Kind.DATETIME),
        ],
    )
    for enrollment in enrollments:
        user = enrollment.companion.user
        for session in sessions:
            mark = marks.get((session.pk, enrollment.pk))
            recorded_by = ""
            if mark is not None:
                recorded_by = str(mark.marked_by) if mark.marked_by else mark.get_method_display()
            table.rows.append(
                [
                    user.full_name,
                    user.username,
                    session.day,
                    session.title,
                    session.starts_at,
                    mark.get_status_display() if mark else _("Not recorded"),
                    recorded_by,
                    mark.marked_at if mark else None,
                ]
            )
    return table


def results_table(*, cohort: Cohort) -> Table:
    """Every submitted quiz attempt of the cohort's companions, with its score."""
    attempts = (
        Attempt.objects.filter(enrollment__cohort=cohort)
        .exclude(submitted_at=None)
        .select_related("enrollment__companion__user", "quiz")
        .order_by("enrollment__companion__user__full_name", "enrollment_id", "quiz__path", "number")
    )
    table = Table(
        slug="hasil",
        title=_("Results"),
        columns=[
            Column(_("Name")),
            Column(_("Username")),
            Column(_("Quiz")),
            Column(_("Kind")),
            Column(_("Attempt"), Kind.COUNT),
            Column(_("Submitted at (WIB)"), Kind.DATETIME),
            Column(_("Score"), Kind.SCORE),
            Column(_("Passed")),
        ],
    )
    for attempt in attempts:
        user = attempt.enrollment.companion.user
        table.rows.append(
            [
                user.full_name,
                user.username,
                attempt.quiz.title,
                attempt.quiz.get_kind_display(),
                attempt.number,
                attempt.submitted_at,
                score(attempt.score),
                None if attempt.passed is None else _yes_no(attempt.passed),
            ]
        )
    return table


COHORT_TABLES = {
    "peserta": lambda cohort, personal: roster_table(cohort=cohort, personal=personal),
    "kehadiran": lambda cohort, personal: attendance_table(cohort=cohort),
    "kemajuan": lambda cohort, personal: progress_table(enrollments=cohort.enrollments.all()),
    "hasil": lambda cohort, personal: results_table(cohort=cohort),
}


def cohort_table(*, cohort: Cohort, slug: str, personal: bool) -> Table | None:
    """One of the cohort's companion-level tables (roster, attendance, progress, results) by its slug."""
    build = COHORT_TABLES.get(slug)
    return build(cohort, personal) if build else None
