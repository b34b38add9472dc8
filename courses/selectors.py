"""Reads that span the page tree, cohorts and progress. Each costs a fixed number of queries."""

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Length, Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from wagtail import hooks
from wagtail.models import ModelLogEntry, Page, ReferenceIndex, Site

from .cache import curriculum_version
from .models import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    Cohort,
    Enrollment,
    LessonPage,
    LessonProgress,
    ModulePage,
    ProgramPage,
    Session,
    can_read_program,
    reads_every_program,
)
from .services import REPLACED_ACTION, SUCCESSOR_ACTION

STEP = Page.steplen


@dataclass
class LessonItem:
    id: int
    title: str
    minutes: int
    done: bool


# Apps above courses (assessments: its quizzes) add their steps to the outline through this
# Wagtail hook, so courses imports none of them: a function(program=, enrollment=) returning
# (page path, QuizStep) pairs in tree order.
OUTLINE_STEPS_HOOK = "courses_outline_steps"


@dataclass
class QuizStep:
    """A step of the outline beside the lessons, with the reader's state: not started, in progress or
    done (with its best score). `place` is "first" (opens day 1), "module" (follows its module's
    lessons) or "last" (closes the last day); `template` draws it."""

    id: int
    title: str
    kind: str
    jp_hours: int
    place: str
    template: str
    state: str = "not_started"
    score: Decimal | None = None

    @property
    def done(self) -> bool:
        return self.state == "done"


@dataclass
class ModuleItem:
    page: ModulePage
    lessons: list[LessonItem] = field(default_factory=list)
    quizzes: list[QuizStep] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(lesson.done for lesson in self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.lessons)) if self.lessons else 0

    @property
    def complete(self) -> bool:
        return bool(self.lessons) and self.done_count == len(self.lessons)


@dataclass
class DayItem:
    """A day: the quizzes that open it (pre-test), its modules, those that close it (post-test, evaluation)."""

    number: int
    date: datetime.date | None
    modules: list[ModuleItem] = field(default_factory=list)
    quizzes_first: list[QuizStep] = field(default_factory=list)
    quizzes_last: list[QuizStep] = field(default_factory=list)

    @property
    def quizzes(self) -> list[QuizStep]:
        inside = [quiz for module in self.modules for quiz in module.quizzes]
        return self.quizzes_first + inside + self.quizzes_last

    @property
    def jp_hours(self) -> int:
        return sum(module.page.jp_hours for module in self.modules) + sum(quiz.jp_hours for quiz in self.quizzes)


@dataclass
class ProgramOutline:
    program: ProgramPage
    enrollment: Enrollment | None
    days: list[DayItem]

    @property
    def modules(self) -> list[ModuleItem]:
        return [module for day in self.days for module in day.modules]

    @property
    def lessons(self) -> list[LessonItem]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def quizzes(self) -> list[QuizStep]:
        return [quiz for day in self.days for quiz in day.quizzes]

    @property
    def jp_hours(self) -> int:
        """The program's JP: its modules' and its quizzes' (pre-test, module quizzes, post-test, evaluation)."""
        return sum(day.jp_hours for day in self.days)

    @property
    def done_count(self) -> int:
        return sum(lesson.done for lesson in self.lessons)

    @property
    def percent(self) -> int:
        lessons = self.lessons
        return round(100 * self.done_count / len(lessons)) if lessons else 0

    @property
    def next_lesson(self) -> LessonItem | None:
        return next((lesson for lesson in self.lessons if not lesson.done), None)


def active_enrollments(*, user) -> QuerySet[Enrollment]:
    return Enrollment.objects.active().of_user(user)


def user_is_staff_reader(user) -> bool:
    """Trainers and coordinators read every program, to prepare and to check."""
    return reads_every_program(user)


def user_can_read_program(*, user, program: ProgramPage | None) -> bool:
    return can_read_program(user=user, program_ids=[program.pk if program is not None else None])


def ended_enrollments(*, user) -> list[Enrollment]:
    """The user's withdrawn or replaced places, newest cohort first, so the home page can say why it is empty."""
    return list(
        Enrollment.objects.of_user(user)
        .exclude(status=Enrollment.Status.ACTIVE)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )


def enrollments_for_home(*, user) -> list[Enrollment]:
    return list(
        active_enrollments(user=user)
        .filter(cohort__program__live=True)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )


def program_outline(*, user, program: ProgramPage, enrollment: Enrollment | None = None) -> ProgramOutline:
    """Days → modules → lessons and quizzes of a program with the user's progress, in five queries.

    The pre-test opens day 1, a module quiz follows its module's lessons, the post-test and the
    evaluation close the last day.
    """
    if enrollment is None and user.is_authenticated:
        enrollment = active_enrollments(user=user).in_program(program).select_related("cohort").first()
    modules = list(
        ModulePage.objects.live()
        .child_of(program)
        .order_by("path")
        .only("id", "path", "title", "slug", "url_path", "code", "day", "jp_hours", "trainer_institution")
    )
    lessons = (
        LessonPage.objects.live()
        .descendant_of(program)
        .order_by("path")
        .values_list("id", "path", "title", "reading_minutes")
    )
    done_ids = set()
    if enrollment is not None:
        done_ids = set(LessonProgress.objects.filter(enrollment=enrollment).values_list("lesson_id", flat=True))

    items = {module.path: ModuleItem(page=module) for module in modules}
    for lesson_id, path, title, minutes in lessons:
        module = items.get(path[:-STEP])
        if module is not None:
            module.lessons.append(LessonItem(id=lesson_id, title=title, minutes=minutes, done=lesson_id in done_ids))

    start = enrollment.cohort.start_date if enrollment else None
    days: dict[int, DayItem] = {}

    def day(number: int) -> DayItem:
        if number not in days:
            date = start + datetime.timedelta(days=number - 1) if start else None
            days[number] = DayItem(number=number, date=date)
        return days[number]

    for module in items.values():
        day(module.page.day).modules.append(module)
    first, last = (min(days), max(days)) if days else (1, program.days or 1)
    for path, quiz in outline_steps(program=program, enrollment=enrollment):
        if quiz.place == "module":
            module = items.get(path[:-STEP])
            if module is not None:
                module.quizzes.append(quiz)
        elif quiz.place == "first":
            day(first).quizzes_first.append(quiz)
        else:
            day(last).quizzes_last.append(quiz)
    return ProgramOutline(program=program, enrollment=enrollment, days=[days[n] for n in sorted(days)])


def outline_steps(*, program: ProgramPage, enrollment: Enrollment | None) -> list[tuple[str, QuizStep]]:
    """The steps the apps above courses place in the program's outline."""
    return [
        item
        for provide in hooks.get_hooks(OUTLINE_STEPS_HOOK)
        for item in provide(program=program, enrollment=enrollment)
    ]


def module_lessons(*, user, module: ModulePage) -> list[LessonItem]:
    done_ids = set(
        LessonProgress.objects.filter(
            enrollment__in=active_enrollments(user=user), lesson__path__startswith=module.path
        ).values_list("lesson_id", flat=True)
    )
    return [
        LessonItem(id=lesson_id, title=title, minutes=minutes, done=lesson_id in done_ids)
        for lesson_id, title, minutes in LessonPage.objects.live()
        .child_of(module)
        .order_by("path")
        .values_list("id", "title", "reading_minutes")
    ]


def _in_live_module() -> Exists:
    """Whether the lesson's module is published too: unpublishing a module leaves its lessons live."""
    return Exists(Page.objects.filter(live=True, path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP)))


def _neighbour(*, after: bool) -> QuerySet[LessonPage]:
    """The readable lesson just before or after the outer one in the same program, in tree order."""
    program_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - 2 * STEP)
    siblings = LessonPage.objects.live().filter(
        _in_live_module(), path__startswith=program_path, depth=OuterRef("depth")
    )
    if after:
        return siblings.filter(path__gt=OuterRef("path")).order_by("path")
    return siblings.filter(path__lt=OuterRef("path")).order_by("-path")


@dataclass
class LessonReading:
    """Everything a reader's lesson page shows that is the same for every reader."""

    id: int
    title: str
    intro: str
    reading_minutes: int
    program_id: int
    module_title: str
    module_url: str  # empty when the module is outside the default site
    previous_id: int | None
    previous_title: str | None
    next_id: int | None
    next_title: str | None
    body_html: str
    cache_key: str = ""


def lesson_reading(*, lesson_id: int) -> LessonReading | None:
    """A live lesson with its module, program and neighbours, rendered; cached per curriculum version."""
    key = f"lesson-reading:{lesson_id}:{curriculum_version()}:{get_language()}"
    fragments = caches["fragments"]
    reading = fragments.get(key)
    if reading is None:
        reading = _lesson_reading_uncached(lesson_id)
        if reading is not None:
            reading.cache_key = key
        fragments.set(key, reading or MISSING)
    return None if reading == MISSING else reading


MISSING = "missing"  # cached too, so requests for unknown lessons cost no query either


def _lesson_reading_uncached(lesson_id: int) -> LessonReading | None:
    module_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP)
    program_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - 2 * STEP)
    module = Page.objects.filter(path=module_path, live=True)
    after, before = _neighbour(after=True), _neighbour(after=False)
    lesson = (
        LessonPage.objects.live()
        .filter(pk=lesson_id)
        .annotate(
            module_title=Subquery(module.values("title")[:1]),
            module_url_path=Subquery(module.values("url_path")[:1]),
            site_root_path=Subquery(Site.objects.filter(is_default_site=True).values("root_page__url_path")[:1]),
            program_id=Subquery(ProgramPage.objects.filter(path=program_path, live=True).values("id")[:1]),
            next_id=Subquery(after.values("id")[:1]),
            next_title=Subquery(after.values("title")[:1]),
            previous_id=Subquery(before.values("id")[:1]),
            previous_title=Subquery(before.values("title")[:1]),
        )
        .first()
    )
    if lesson is None or lesson.program_id is None or lesson.module_title is None:
        return None  # the lesson, its module or its program is not published
    return LessonReading(
        id=lesson.pk,
        title=lesson.title,
        intro=lesson.intro,
        reading_minutes=lesson.reading_minutes,
        program_id=lesson.program_id,
        module_title=lesson.module_title,
        module_url=_site_url(lesson.module_url_path, site_root_path=lesson.site_root_path),
        previous_id=lesson.previous_id,
        previous_title=lesson.previous_title,
        next_id=lesson.next_id,
        next_title=lesson.next_title,
        body_html=render_to_string("courses/includes/lesson_body.html", {"page": lesson}),
    )


def _site_url(url_path: str, *, site_root_path: str | None) -> str:
    """A page's address on the default site, as `Page.url` gives it, from values already read."""
    if not site_root_path or not url_path.startswith(site_root_path):
        return ""
    return reverse("wagtail_serve", args=[url_path[len(site_root_path) :]])


def reader_enrollment(*, user_id: int, program_id: int, lesson_id: int) -> tuple[int | None, bool]:
    """The user's active enrollment in the program, and whether they finished the lesson.

    This runs on every lesson view, and compiling the ORM query cost more than running it; so
    the query is compiled once per database vendor from the access rule's own queryset
    (`Enrollment.objects.active().of_user().in_program()`) and then run as plain SQL.
    """
    sql, order = _reader_enrollment_sql(connection.vendor)
    values = {"user": user_id, "program": program_id, "lesson": lesson_id}
    with connection.cursor() as cursor:
        cursor.execute(sql, [values[item] if isinstance(item, str) else item.value for item in order])
        row = cursor.fetchone()
    return (row[0], bool(row[1])) if row else (None, False)


@dataclass(frozen=True)
class _Constant:
    value: object


# Stand-ins for the three values, recognised in the compiled query's parameters.
_STAND_INS = {-7_000_001: "user", -7_000_002: "program", -7_000_003: "lesson"}


@functools.cache
def _reader_enrollment_sql(vendor: str) -> tuple[str, list]:
    stand_in = {name: number for number, name in _STAND_INS.items()}
    queryset = (
        Enrollment.objects.active()
        .of_user(stand_in["user"])
        .in_program(stand_in["program"])
        .annotate(done=Exists(LessonProgress.objects.filter(enrollment=OuterRef("pk"), lesson_id=stand_in["lesson"])))
        .order_by()
        .values_list("id", "done")[:1]
    )
    sql, params = queryset.query.sql_with_params()
    order = [_STAND_INS[param] if param in _STAND_INS else _Constant(param) for param in params]
    return sql, order


def programs_linking(*, obj) -> set[int]:
    """The published programs with a readable page that links `obj` (a document, say).

    Read from Wagtail's reference index, which records what every page's fields and
    StreamField blocks choose or link; a page counts when it and its ancestors up to the
    program are live.
    """
    page_ids = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    paths = set(Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids]).values_list("path", flat=True))
    programs = [
        (program_id, program_path)
        for program_id, program_path in ProgramPage.objects.live().values_list("id", "path")
        if any(path.startswith(program_path) for path in paths)
    ]
    between = {path[:end] for path in paths for _id, start in programs for end in range(len(start), len(path), STEP)}
    hidden = set(Page.objects.filter(path__in=between, live=False).values_list("path", flat=True))
    readable = [path for path in paths if not any(path.startswith(prefix) for prefix in hidden)]
    return {program_id for program_id, program_path in programs if any(p.startswith(program_path) for p in readable)}


def document_readable(*, user, document) -> bool:
    """Staff read every document; a companion those linked from the programs they are enrolled in."""
    if not user.is_authenticated:
        return False
    # Staff also read documents that no lesson links yet; the rest follows the curriculum's rule.
    return reads_every_program(user) or can_read_program(user=user, program_ids=programs_linking(obj=document))


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """A correlated COUNT of `queryset`'s rows, 0 when there are none."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def attendance_shares(enrollment_ids: Iterable[int] | QuerySet) -> dict[int, Fraction]:
    """{enrollment id: sessions attended (present or late) / the cohort's sessions}, in one query.

    0 when the cohort has no session. `enrollment_ids` may be a queryset of ids, which stays a
    subquery; ids of no enrollment map to 0 too.
    """
    if not isinstance(enrollment_ids, QuerySet):
        enrollment_ids = list(enrollment_ids)
    rows = (
        Enrollment.objects.filter(pk__in=enrollment_ids)
        .annotate(
            sessions=_count(Session.objects.filter(cohort=OuterRef("cohort_id")), "cohort"),
            attended=_count(
                Attendance.objects.filter(
                    enrollment=OuterRef("pk"), session__cohort=OuterRef("cohort_id"), status__in=ATTENDED
                ),
                "enrollment",
            ),
        )
        .values_list("pk", "sessions", "attended")
    )
    shares = {pk: Fraction(attended, sessions) if sessions else Fraction(0) for pk, sessions, attended in rows}
    if isinstance(enrollment_ids, list):
        for pk in enrollment_ids:
            shares.setdefault(pk, Fraction(0))
    return shares


MARK_ATTENDANCE = "courses.change_attendance"


def attendance_access(*, user, cohort) -> str | None:
    """ "mark" for coordinators; "read" for the cohort's own trainers; None for everyone else."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.has_perm(MARK_ATTENDANCE):
        return "mark"
    if user.has_perm("courses.view_session") and cohort.trainers.filter(pk=user.pk).exists():
        return "read"
    return None


def staff_cohorts(*, user) -> QuerySet[Cohort]:
    """The cohorts whose sessions the user opens: all for coordinators, the trained ones for trainers."""
    cohorts = Cohort.objects.select_related("program")
    if user.has_perm(MARK_ATTENDANCE):
        return cohorts
    if user.has_perm("courses.view_session"):
        return cohorts.filter(trainers=user)
    return cohorts.none()


def cohort_sessions(*, cohort) -> list[Session]:
    """The cohort's sessions in time order, each with `marked` and `attended` counts of active companions."""
    active = Q(attendance__enrollment__status=Enrollment.Status.ACTIVE)
    return list(
        cohort.sessions.order_by("starts_at").annotate(
            marked=Count("attendance", filter=active),
            attended=Count("attendance", filter=active & Q(attendance__status__in=ATTENDED)),
        )
    )


@dataclass
class AttendanceRow:
    enrollment_id: int
    full_name: str
    username: str
    village: str
    status: str | None
    method: str | None

    @property
    def status_label(self) -> str:
        return AttendanceStatus(self.status).label if self.status else ""


def session_attendance_rows(*, session: Session) -> list[AttendanceRow]:
    """Every active companion of the session's cohort, by name, with their mark (None when unmarked): one query."""
    mark = Attendance.objects.filter(session=session, enrollment=OuterRef("pk"))
    rows = (
        Enrollment.objects.active()
        .filter(cohort_id=session.cohort_id)
        .annotate(mark_status=Subquery(mark.values("status")[:1]), mark_method=Subquery(mark.values("method")[:1]))
        .order_by("companion__user__full_name", "pk")
        .values_list(
            "pk",
            "companion__user__full_name",
            "companion__user__username",
            "companion__village__name",
            "mark_status",
            "mark_method",
        )
    )
    return [AttendanceRow(*row) for row in rows]


@dataclass(frozen=True)
class Replacement:
    """One side of a replacement as enrollment_replace logged it: the other enrollment, the reason."""

    other: Enrollment
    replaced_by: bool  # True: this enrollment was replaced by `other`; False: it replaces `other`
    reason: str
    at: datetime.datetime


def enrollment_replacements(*, enrollment_ids) -> dict[int, Replacement]:
    """Who replaced whom, for each of these enrollments that was replaced or replaces another. Two queries."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Enrollment),
        action__in=[REPLACED_ACTION, SUCCESSOR_ACTION],
        object_id__in=[str(pk) for pk in enrollment_ids],
    ).order_by("timestamp", "pk")
    links = {}
    for entry in entries:
        replaced_by = "replaced_by" in entry.data
        other = entry.data["replaced_by" if replaced_by else "replaces"]
        links[int(entry.object_id)] = (other, replaced_by, entry.data.get("reason", ""), entry.timestamp)
    others = Enrollment.objects.select_related("companion__user").in_bulk([link[0] for link in links.values()])
    return {
        pk: Replacement(other=others[other], replaced_by=replaced_by, reason=reason, at=at)
        for pk, (other, replaced_by, reason, at) in links.items()
        if other in others
    }
