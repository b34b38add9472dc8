import datetime

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from wagtail.models import ModelLogEntry

from courses.models import Cohort, Enrollment, LessonProgress
from courses.services import (
    cohort_create,
    cohort_update,
    enrollment_create,
    enrollment_replace,
    enrollment_update,
    enrollment_withdraw,
    lesson_mark_done,
    page_publish_child,
)
from tests.factories import (
    CohortFactory,
    CompanionFactory,
    EnrollmentFactory,
    LessonPageFactory,
    ModulePageFactory,
    ProgramPageFactory,
    UserFactory,
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


def edits(instance):
    return ModelLogEntry.objects.for_instance(instance).filter(action="wagtail.edit")


@pytest.fixture
def coordinator(db):
    return UserFactory(groups=["Coordinator"])


def test_cohort_update_changes_the_trainers_and_logs_it(coordinator):
    cohort = CohortFactory()
    trainer = UserFactory(groups=["Trainer"])
    cohort_update(cohort=cohort, by=coordinator, trainers=[trainer], venue=" Bogor ")
    cohort.refresh_from_db()
    assert list(cohort.trainers.all()) == [trainer] and cohort.venue == "Bogor"
    assert edits(cohort).get().data == {"fields": ["trainers", "venue"]}


def test_cohort_update_refuses_to_end_before_it_starts_and_keeps_the_dates():
    cohort = CohortFactory(start_date=datetime.date(2017, 10, 30), end_date=datetime.date(2017, 11, 2))
    with pytest.raises(ValidationError):
        cohort_update(cohort=cohort, by=None, end_date=datetime.date(2017, 10, 1))
    cohort.refresh_from_db()
    assert cohort.end_date == datetime.date(2017, 11, 2)


def test_status_change_to_withdrawn_is_logged_with_old_and_new_status_and_the_reason(coordinator):
    enrollment = EnrollmentFactory()
    enrollment_update(enrollment=enrollment, by=coordinator, reason="Sakit", status=Enrollment.Status.WITHDRAWN)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.WITHDRAWN
    entry = edits(enrollment).get()
    assert entry.user_id == coordinator.pk
    assert entry.data == {"fields": ["status"], "status": ["active", "withdrawn"], "reason": "Sakit"}


def test_enrollment_withdraw_refuses_an_enrollment_no_longer_active():
    enrollment = EnrollmentFactory(status=Enrollment.Status.WITHDRAWN)
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        enrollment_withdraw(enrollment=enrollment, by=None, reason="Dua kali")
    assert raised.value.messages == ["Pendaftaran peserta ini sudah tidak aktif."]
    assert not edits(enrollment).exists()


def test_enrollment_replace_marks_the_old_one_replaced_and_enrolls_the_successor(coordinator):
    enrollment = EnrollmentFactory()
    successor = CompanionFactory()
    new = enrollment_replace(
        enrollment=enrollment, by=coordinator, successor=successor, reason="Bekerja ke luar negeri"
    )
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.REPLACED
    assert (new.cohort, new.companion, new.status) == (enrollment.cohort, successor, Enrollment.Status.ACTIVE)
    assert edits(enrollment).get().data["reason"] == "Bekerja ke luar negeri"


def test_enrollment_moves_to_another_cohort_of_the_same_program(coordinator):
    enrollment = EnrollmentFactory()
    later = CohortFactory(program=enrollment.cohort.program, name="Angkatan II")
    enrollment_update(enrollment=enrollment, by=coordinator, cohort=later)
    enrollment.refresh_from_db()
    assert enrollment.cohort == later
    assert edits(enrollment).get().data == {"fields": ["cohort"]}


def test_enrollment_cannot_move_to_a_cohort_of_another_program():
    enrollment = EnrollmentFactory()
    first_cohort = enrollment.cohort
    with pytest.raises(ValidationError) as raised:
        enrollment_update(enrollment=enrollment, by=None, cohort=CohortFactory())
    assert list(raised.value.message_dict) == ["cohort"]
    enrollment.refresh_from_db()
    assert enrollment.cohort == first_cohort


def test_enrollment_stays_with_its_companion():
    enrollment = EnrollmentFactory()
    first_companion = enrollment.companion
    with pytest.raises(ValidationError) as raised:
        enrollment_update(enrollment=enrollment, by=None, companion=CompanionFactory())
    assert list(raised.value.message_dict) == ["companion"]
    enrollment.refresh_from_db()
    assert enrollment.companion == first_companion


def test_enrollment_cannot_move_into_a_cohort_where_the_companion_already_is():
    enrollment = EnrollmentFactory()
    other = EnrollmentFactory(companion=enrollment.companion, cohort=CohortFactory(program=enrollment.cohort.program))
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        enrollment_update(enrollment=enrollment, by=None, cohort=other.cohort)
    assert raised.value.messages == ["Pendamping ini sudah terdaftar di angkatan ini."]


def test_a_cohort_with_companions_keeps_its_program(enrollment):
    from courses.models import Cohort
    from courses.services import cohort_update
    from tests.factories import ProgramPageFactory

    cohort, original = enrollment.cohort, enrollment.cohort.program_id
    with pytest.raises(ValidationError) as error:
        cohort_update(cohort=cohort, by=None, program=ProgramPageFactory(title="Program lain"))
    assert list(error.value.message_dict) == ["program"]
    assert Cohort.objects.get(pk=cohort.pk).program_id == original


def test_an_empty_cohort_may_change_its_program(db):
    from courses.services import cohort_update
    from tests.factories import CohortFactory, ProgramPageFactory

    cohort, other = CohortFactory(), ProgramPageFactory(title="Program lain")
    assert cohort_update(cohort=cohort, by=None, program=other).program_id == other.pk
