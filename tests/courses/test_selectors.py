import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import LessonProgress
from courses.selectors import lesson_reading, program_outline, reader_enrollment
from tests.factories import EnrollmentFactory, LessonPageFactory, ModulePageFactory

pytestmark = pytest.mark.django_db


def build_curriculum(program, *, modules, lessons_per_module):
    built = []
    for number in range(modules):
        module = ModulePageFactory(parent=program, code=f"M{number:02d}", day=1 + number % 4, jp_hours=2)
        built += [LessonPageFactory(parent=module) for _ in range(lessons_per_module)]
    return built


def count_queries(client, url):
    client.get(url)  # warm the caches, as on a running site
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_the_curriculum(companion_client, enrollment, program):
    lessons = build_curriculum(program, modules=2, lessons_per_module=2)
    small = (
        count_queries(companion_client, "/"),
        count_queries(companion_client, f"/belajar/pelajaran/{lessons[0].pk}/"),
    )
    more = build_curriculum(program, modules=6, lessons_per_module=3)
    for lesson in more[:5]:
        LessonProgress.objects.create(enrollment=enrollment, lesson=lesson)
    for _ in range(5):
        EnrollmentFactory(cohort=enrollment.cohort)
    large = (
        count_queries(companion_client, "/"),
        count_queries(companion_client, f"/belajar/pelajaran/{lessons[0].pk}/"),
    )
    assert large == small
    assert small[0] <= 12 and small[1] <= 12


def test_outline_groups_modules_by_day_with_progress(enrollment, program):
    lessons = build_curriculum(program, modules=4, lessons_per_module=2)
    LessonProgress.objects.create(enrollment=enrollment, lesson=lessons[0])
    LessonProgress.objects.create(enrollment=enrollment, lesson=lessons[1])
    outline = program_outline(user=enrollment.companion.user, program=program)
    assert [day.number for day in outline.days] == [1, 2, 3, 4]
    assert outline.days[0].modules[0].complete
    assert outline.days[0].modules[0].percent == 100
    assert outline.percent == 25
    assert outline.next_lesson.id == lessons[2].id
    assert outline.jp_hours == 4 * 2
    assert str(outline.days[1].date) == "2017-10-31"


def test_reader_enrollment_finds_the_active_enrollment_and_progress(enrollment, program):
    lesson = build_curriculum(program, modules=1, lessons_per_module=1)[0]
    user_id = enrollment.companion.user_id
    assert reader_enrollment(user_id=user_id, program_id=program.pk, lesson_id=lesson.pk) == (enrollment.pk, False)
    LessonProgress.objects.create(enrollment=enrollment, lesson=lesson)
    assert reader_enrollment(user_id=user_id, program_id=program.pk, lesson_id=lesson.pk) == (enrollment.pk, True)
    enrollment.status = "withdrawn"
    enrollment.save()
    assert reader_enrollment(user_id=user_id, program_id=program.pk, lesson_id=lesson.pk) == (None, False)


def test_lesson_pager_crosses_into_the_next_module(companion_client, program):
    lessons = build_curriculum(program, modules=2, lessons_per_module=1)
    html = companion_client.get(reverse("courses:lesson", args=[lessons[0].pk])).content.decode()
    assert f'href="/belajar/pelajaran/{lessons[1].pk}/" rel="next"' in html


def test_lesson_reading_gives_its_modules_address_in_its_one_query(program):
    module = ModulePageFactory(parent=program)
    lesson = LessonPageFactory(parent=module)
    with CaptureQueriesContext(connection) as queries:
        reading = lesson_reading(lesson_id=lesson.pk)
    assert reading.module_url == module.url
    assert len(queries) == 1
