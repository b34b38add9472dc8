import datetime

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from courses.models import Cohort, Enrollment, LessonProgress
from courses.services import cohort_create, enrollment_create, lesson_mark_done, page_publish_child
from tests.factories import (
    CohortFactory,
    CompanionFactory,
    EnrollmentFactory,
    LessonPageFactory,
    ModulePageFactory,
    ProgramPageFactory,
)

pytestmark = pytest.mark.django_db


def test_companion_is_enrolled_once_per_cohort():
    enrollment = EnrollmentFactory()
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        enrollment_create(cohort=enrollment.cohort, companion=enrollment.companion)
    assert Enrollment.objects.count() == 1
    assert raised.value.messages == ["Pendamping ini sudah terdaftar di angkatan ini."]


def test_database_refuses_a_second_enrollment_in_the_same_cohort():
    enrollment = EnrollmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(cohort=enrollment.cohort, companion=enrollment.companion)


def test_same_companion_may_join_another_cohort():
    enrollment = EnrollmentFactory()
    other = enrollment_create(cohort=CohortFactory(), companion=enrollment.companion)
    assert other.status == Enrollment.Status.ACTIVE


def test_cohort_cannot_end_before_it_starts():
    program = ProgramPageFactory()
    with pytest.raises(ValidationError):
        cohort_create(
            program=program,
            name="Angkatan terbalik",
            start_date=datetime.date(2017, 11, 2),
            end_date=datetime.date(2017, 10, 30),
        )
    assert not Cohort.objects.exists()


def test_marking_a_lesson_done_twice_records_it_once(enrollment):
    lesson = LessonPageFactory(parent=ModulePageFactory(parent=enrollment.cohort.program))
    first = lesson_mark_done(enrollment=enrollment, lesson=lesson)
    second = lesson_mark_done(enrollment=enrollment, lesson=lesson)
    assert first.pk == second.pk
    assert LessonProgress.objects.count() == 1


def test_lesson_of_another_program_cannot_be_marked_done(enrollment):
    foreign_lesson = LessonPageFactory()
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        lesson_mark_done(enrollment=enrollment, lesson=foreign_lesson)
    assert raised.value.messages == ["Pelajaran ini bukan bagian dari pelatihan Anda."]
    assert not LessonProgress.objects.exists()


def test_withdrawn_companion_cannot_mark_lessons_done(enrollment):
    lesson = LessonPageFactory(parent=ModulePageFactory(parent=enrollment.cohort.program))
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()
    with pytest.raises(ValidationError):
        lesson_mark_done(enrollment=enrollment, lesson=lesson)
    assert not LessonProgress.objects.exists()


def test_publishing_a_child_twice_keeps_the_first(program):
    from courses.models import ModulePage

    first = page_publish_child(
        parent=program, page=ModulePage(title="Modul A", slug="m01", code="M01", day=1, jp_hours=2)
    )
    again = page_publish_child(parent=program, page=ModulePage(title="Lain", slug="m01", code="M99", day=2, jp_hours=1))
    assert again.pk == first.pk and again.title == "Modul A"
    assert first.live_revision_id is not None
    assert ModulePage.objects.child_of(program).count() == 1


def test_companion_factory_makes_valid_companions():
    companion = CompanionFactory()
    companion.full_clean()
