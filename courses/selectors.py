"""Reads that span the page tree, cohorts and progress. Each costs a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from wagtail.models import Page, Site

from people.models import Companion

from .cache import curriculum_version
from .models import Cohort, Enrollment, LessonPage, LessonProgress, ModulePage, ProgramPage

STEP = Page.steplen


@dataclass
class LessonItem:
    id: int
    title: str
    minutes: int
    done: bool


@dataclass
class ModuleItem:
    page: ModulePage
    lessons: list[LessonItem] = field(default_factory=list)

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
    number: int
    date: datetime.date | None
    modules: list[ModuleItem] = field(default_factory=list)

    @property
    def jp_hours(self) -> int:
        return sum(module.page.jp_hours for module in self.modules)


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
    def jp_hours(self) -> int:
        """The program's JP: its modules' plus those the pre-test and post-test count for."""
        return sum(day.jp_hours for day in self.days) + self.program.assessment_jp_hours

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
    return Enrollment.objects.filter(companion__user=user, status=Enrollment.Status.ACTIVE)


def user_is_staff_reader(user) -> bool:
    """Trainers and coordinators read every program, to prepare and to check."""
    return user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def user_can_read_program(*, user, program: ProgramPage | None) -> bool:
    if program is None or not user.is_authenticated:
        return False
    if active_enrollments(user=user).filter(cohort__program=program).exists():
        return True
    return user_is_staff_reader(user)


def enrollments_for_home(*, user) -> list[Enrollment]:
    return list(
        active_enrollments(user=user)
        .filter(cohort__program__live=True)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )


def program_outline(*, user, program: ProgramPage, enrollment: Enrollment | None = None) -> ProgramOutline:
    """Days → modules → lessons of a program with the user's progress, in three queries."""
    if enrollment is None and user.is_authenticated:
        enrollment = active_enrollments(user=user).filter(cohort__program=program).select_related("cohort").first()
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
    for module in items.values():
        number = module.page.day
        if number not in days:
            date = start + datetime.timedelta(days=number - 1) if start else None
            days[number] = DayItem(number=number, date=date)
        days[number].modules.append(module)
    return ProgramOutline(program=program, enrollment=enrollment, days=[days[n] for n in sorted(days)])


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

    Plain SQL, because this runs on every lesson view and compiling the equivalent ORM query
    cost more than running it.
    """
    with connection.cursor() as cursor:
        cursor.execute(READER_ENROLLMENT_SQL, [lesson_id, user_id, Enrollment.Status.ACTIVE, program_id])
        row = cursor.fetchone()
    return (row[0], bool(row[1])) if row else (None, False)


# Table names come from the models, values are parameters.
READER_ENROLLMENT_SQL = f"""
SELECT enrollment.id,
       EXISTS (SELECT 1 FROM {LessonProgress._meta.db_table} progress
               WHERE progress.enrollment_id = enrollment.id AND progress.lesson_id = %s)
FROM {Enrollment._meta.db_table} enrollment
JOIN {Companion._meta.db_table} companion ON companion.id = enrollment.companion_id
JOIN {Cohort._meta.db_table} cohort ON cohort.id = enrollment.cohort_id
WHERE companion.user_id = %s AND enrollment.status = %s AND cohort.program_id = %s
LIMIT 1
"""
