"""The figures of the progress screens and the dashboard, as tables (see tables.py).

Each function costs a fixed number of queries however many companions, sessions and answers
there are: the counting and averaging is done by the database (COUNT, SUM, AVG over correlated
subqueries), and Python only folds a few grouped rows.
"""

import datetime
from collections import defaultdict
from dataclasses import astuple, dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _

from wagtail.models import Page

from assessments.models import Attempt, QuizKind, QuizPage
from certificates.selectors import certificate_counts
from courses.models import ATTENDED, Attendance, Cohort, Enrollment, LessonPage, LessonProgress, ProgramPage, Session

from .tables import Chart, Column, Kind, Table, percent, score

STEP = Page.steplen


def live_lessons() -> QuerySet[LessonPage]:
    """Lessons a companion can read: live, in a live module (as the companion's outline counts them)."""
    module_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP)
    return LessonPage.objects.live().filter(Exists(Page.objects.filter(live=True, path=module_path)))


def _program_of(paths: dict[int, str], programs: dict[str, int]) -> dict[int, int]:
    """{page id: id of the program it lies in} for pages given by {id: tree path}."""
    found = {}
    for pk, path in paths.items():
        for depth in range(len(path) - STEP, 0, -STEP):
            if path[:depth] in programs:
                found[pk] = programs[path[:depth]]
                break
    return found


@dataclass
class Facts:
    """What the companions of some cohorts did, counted per enrollment by the database.

    Each dict comes from one grouped query (GROUP BY enrollment, session or quiz), so the
    number of queries is fixed; the sums per province, day or cohort are folded from these.
    Attendance counts an enrollment's marks "present" or "late": the attendance services only
    mark a companion at their own cohort's sessions, which `attendance_shares` also assumes.
    """

    sessions: dict[int, list[tuple[int, int]]]  # cohort id → [(session id, day)]
    attended: dict[int, int]  # enrollment id → sessions attended
    done: dict[int, int]  # enrollment id → readable lessons done
    lessons: dict[int, int]  # program id → readable lessons
    best: dict[tuple[int, str], Decimal]  # (enrollment id, quiz kind) → best submitted score in its program
    passed: set[int]  # enrollment ids with a passed post-test in their program

    def session_count(self, cohort_id: int) -> int:
        return len(self.sessions.get(cohort_id, ()))

    def lessons_done(self, enrollment_id: int, program_id: int) -> int:
        return min(self.done.get(enrollment_id, 0), self.lessons.get(program_id, 0))


def read_facts(*, enrollments: QuerySet[Enrollment], cohorts: QuerySet[Cohort] | None) -> Facts:
    """The Facts of `enrollments`, the enrollments of `cohorts` (None: of every cohort), in 8 queries."""
    if cohorts is None:  # no filter at all: the database reads each index once, in order
        of_enrollments, of_cohorts = {}, {}
    else:
        of_enrollments, of_cohorts = {"enrollment__in": enrollments.values("pk")}, {"cohort__in": cohorts.values("pk")}

    sessions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, cohort_id, day in Session.objects.filter(**of_cohorts).values_list("pk", "cohort_id", "day"):
        sessions[cohort_id].append((pk, day))
    attended = dict(
        Attendance.objects.filter(status__in=ATTENDED, **of_enrollments)
        .values_list("enrollment_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    done = dict(
        LessonProgress.objects.filter(lesson__in=live_lessons().values("pk"), **of_enrollments)
        .values_list("enrollment_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    programs = dict(ProgramPage.objects.values_list("path", "pk"))
    lessons = dict.fromkeys(programs.values(), 0)
    lesson_paths = dict(live_lessons().values_list("pk", "path"))
    for program_id in _program_of(lesson_paths, programs).values():
        lessons[program_id] += 1

    quizzes = {
        pk: (kind, path)
        for pk, kind, path in QuizPage.objects.filter(kind__in=SCORED_KINDS).values_list("pk", "kind", "path")
    }
    quiz_program = _program_of({pk: path for pk, (_kind, path) in quizzes.items()}, programs)
    enrollment_program = dict(enrollments.order_by().values_list("pk", "cohort__program_id"))
    best: dict[tuple[int, str], Decimal] = {}
    passed: set[int] = set()
    attempts = (
        Attempt.objects.filter(quiz__in=list(quizzes), submitted_at__isnull=False, **of_enrollments)
        .values_list("enrollment_id", "quiz_id")
        .annotate(best=Max("score"), passes=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    for enrollment_id, quiz_id, score_, passes in attempts:
        if quiz_program.get(quiz_id) != enrollment_program.get(enrollment_id):
            continue  # a quiz of another program: not this enrollment's result
        kind = quizzes[quiz_id][0]
        if score_ is not None and (best.get((enrollment_id, kind)) is None or score_ > best[(enrollment_id, kind)]):
            best[(enrollment_id, kind)] = score_
        if passes and kind == QuizKind.POST_TEST:
            passed.add(enrollment_id)
    return Facts(sessions=sessions, attended=attended, done=done, lessons=lessons, best=best, passed=passed)


SCORED_KINDS = (QuizKind.PRE_TEST, QuizKind.POST_TEST)


@dataclass
class Group:
    """Sums over the active enrollments of one group (a province, a kabupaten, everything)."""

    enrolled: int = 0
    sessions: int = 0
    attended: int = 0
    done: int = 0
    lessons: int = 0
    pre_sum: Decimal = Decimal(0)
    pre_n: int = 0
    post_sum: Decimal = Decimal(0)
    post_n: int = 0
    passed: int = 0

    def add(self, facts: Facts, *, enrollment_id: int, cohort_id: int, program_id: int) -> None:
        self.enrolled += 1
        self.sessions += facts.session_count(cohort_id)
        self.attended += facts.attended.get(enrollment_id, 0)
        self.done += facts.lessons_done(enrollment_id, program_id)
        self.lessons += facts.lessons.get(program_id, 0)
        pre = facts.best.get((enrollment_id, QuizKind.PRE_TEST))
        if pre is not None:
            self.pre_sum += pre
            self.pre_n += 1
        post = facts.best.get((enrollment_id, QuizKind.POST_TEST))
        if post is not None:
            self.post_sum += post
            self.post_n += 1
            self.passed += enrollment_id in facts.passed

    def as_list(self) -> list:
        """The sums as JSON keeps them (Decimal as text, so nothing is rounded by a float)."""
        return [str(value) if isinstance(value, Decimal) else value for value in astuple(self)]

    @classmethod
    def from_list(cls, values: list) -> "Group":
        return cls(*(Decimal(value) if isinstance(value, str) else value for value in values))

    def merge(self, other: "Group") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

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


@dataclass
class Dashboard:
    cohort_ids: list[int]
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


def dashboard(*, cohorts: QuerySet[Cohort] | None) -> Dashboard:
    """Every figure of the dashboard for `cohorts` (one or many; None: every cohort), read now."""
    return dashboard_of(dashboard_figures(cohorts=cohorts))


def dashboard_figures(*, cohorts: QuerySet[Cohort] | None) -> dict:
    """The sums behind the dashboard of `cohorts`, as JSON-ready data, in a fixed number of queries.

    Only sums go in (per kabupaten, day and cohort), never labels: `dashboard_of` writes the
    tables in the reader's language, so a stored copy of these reads the same in both languages.
    """
    enrollments = Enrollment.objects.all() if cohorts is None else Enrollment.objects.filter(cohort__in=cohorts)
    facts = read_facts(enrollments=enrollments, cohorts=cohorts)
    kabupaten: dict[tuple[str, str], Group] = defaultdict(Group)
    active_in_cohort: dict[int, int] = defaultdict(int)
    bands = [0, 0, 0, 0]
    ended = 0
    rows = enrollments.order_by().values_list(
        "pk",
        "status",
        "cohort_id",
        "cohort__program_id",
        "companion__village__provinsi",
        "companion__village__kabupaten",
    )
    for pk, status, cohort_id, program_id, provinsi, name in rows:
        if status != Enrollment.Status.ACTIVE:
            ended += 1
            continue
        kabupaten[(provinsi, name)].add(facts, enrollment_id=pk, cohort_id=cohort_id, program_id=program_id)
        active_in_cohort[cohort_id] += 1
        bands[lesson_band(facts.lessons_done(pk, program_id), facts.lessons.get(program_id, 0))] += 1
    cohort_rows = (
        (Cohort.objects.all() if cohorts is None else cohorts)
        .order_by("-start_date", "name")
        .values_list("pk", "name", "program__title", "start_date", "end_date")
    )
    issued, eligible = certificate_counts(list(enrollments.active().values_list("pk", flat=True)))
    return {
        "kabupaten": [[provinsi, name, *group.as_list()] for (provinsi, name), group in sorted(kabupaten.items())],
        "days": attendance_by_day(facts=facts, enrollments=enrollments, cohorts=cohorts, active=active_in_cohort),
        "bands": bands,
        "ended": ended,
        "cohorts": [
            [pk, name, title, start.isoformat(), end.isoformat(), active_in_cohort[pk]]
            for pk, name, title, start, end in cohort_rows
        ],
        "certificates": [issued, eligible],
    }


def dashboard_of(figures: dict) -> Dashboard:
    """The dashboard's tables from `dashboard_figures`' sums, read now or stored."""
    kabupaten = {(provinsi, name): Group.from_list(values) for provinsi, name, *values in figures["kabupaten"]}
    everything = Group()
    provinces: dict[str, Group] = defaultdict(Group)
    for (provinsi, _name), group in kabupaten.items():
        everything.merge(group)
        provinces[provinsi].merge(group)
    cohort_rows = [
        [name, title, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end), active]
        for _pk, name, title, start, end, active in figures["cohorts"]
    ]
    issued, eligible = figures["certificates"]
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
                figures["ended"],
                attendance,
                lessons_done,
                pre_mean,
                post_mean,
                passed,
                issued,
                eligible,
            ]
        ],
    )
    return Dashboard(
        cohort_ids=[row[0] for row in figures["cohorts"]],
        summary=summary,
        by_day=attendance_table_by_day(figures["days"]),
        lessons=lesson_progress(figures["bands"]),
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
            rows=[[provinsi, name, *kabupaten[(provinsi, name)].figures()] for provinsi, name in sorted(kabupaten)],
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
            rows=cohort_rows,
        ),
    )


def attendance_by_day(
    *, facts: Facts, enrollments: QuerySet[Enrollment], cohorts: QuerySet[Cohort] | None, active: dict[int, int]
) -> list[list[int]]:
    """[day, sessions, attendances (present or late) of active companions, the attendances there
    should have been (sessions × active companions)] per day of the training."""
    of_sessions = {} if cohorts is None else {"session__cohort__in": cohorts.values("pk")}
    marked = dict(
        Attendance.objects.filter(status__in=ATTENDED, **of_sessions)
        .values_list("session_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # Few companions withdraw: their marks are taken off rather than every mark joined to its enrollment.
    ended = Attendance.objects.filter(
        status__in=ATTENDED, enrollment__in=enrollments.exclude(status=Enrollment.Status.ACTIVE).values("pk")
    )
    for session_id, count in ended.values_list("session_id").annotate(n=Count("pk")).order_by():
        marked[session_id] = marked.get(session_id, 0) - count
    days: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # sessions, attended, expected
    for cohort_id, sessions in facts.sessions.items():
        for session_id, day in sessions:
            figures = days[day]
            figures[0] += 1
            figures[1] += marked.get(session_id, 0)
            figures[2] += active.get(cohort_id, 0)
    return [[day, *figures] for day, figures in sorted(days.items())]


def attendance_table_by_day(days: list[list[int]]) -> Table:
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
            [_("Day %(number)s") % {"number": day}, sessions, attended, expected, percent(attended, expected)]
            for day, sessions, attended, expected in days
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


def lesson_progress(bands: list[int]) -> Table:
    """How many active companions have done none, under half, half or more, and all of their lessons."""
    whole = sum(bands)
    labels = [_("Not started"), _("Under half"), _("Half or more"), _("All done")]
    return Table(
        slug="kemajuan-pelajaran",
        title=_("Lesson progress"),
        columns=[Column(_("Lessons done")), Column(_("Companions"), Kind.COUNT), Column(_("Share (%)"), Kind.PERCENT)],
        rows=[[label, count, percent(count, whole)] for label, count in zip(labels, bands, strict=True)],
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

    Read from the same Facts as the dashboard's sums, so a row adds up to the dashboard's figures.
    """
    rows = list(
        enrollments.select_related("companion__user", "companion__village", "cohort").order_by(
            "cohort__start_date", "companion__user__full_name", "pk"
        )
    )
    facts = read_facts(enrollments=enrollments, cohorts=Cohort.objects.filter(enrollments__in=enrollments.values("pk")))
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
        program_id = enrollment.cohort.program_id
        who = [enrollment.cohort.name] if by_cohort else [companion.user.full_name, companion.user.username]
        post = facts.best.get((enrollment.pk, QuizKind.POST_TEST))
        table.rows.append(
            [
                *who,
                village.name,
                village.kabupaten,
                village.provinsi,
                enrollment.get_status_display(),
                facts.lessons_done(enrollment.pk, program_id),
                facts.lessons.get(program_id, 0),
                percent(facts.attended.get(enrollment.pk, 0), facts.session_count(enrollment.cohort_id)),
                score(facts.best.get((enrollment.pk, QuizKind.PRE_TEST))),
                score(post),
                _yes_no(enrollment.pk in facts.passed) if post is not None else None,
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
