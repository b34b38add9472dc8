from fractions import Fraction

import pytest

from django.core.exceptions import ValidationError
from django.utils import translation

from courses.models import AttendanceStatus
from courses.selectors import attendance_shares
from tests.courses.factories import AttendanceFactory, SessionFactory
from tests.factories import CohortFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their source language, so these tests hold before and after the catalogue."""
    with translation.override("en"):
        yield


def test_attendance_share_counts_present_and_late_over_the_cohorts_sessions(django_assert_num_queries):
    cohort = CohortFactory()
    sessions = SessionFactory.create_batch(4, cohort=cohort)
    keen, late, away = EnrollmentFactory.create_batch(3, cohort=cohort)
    for session in sessions:
        AttendanceFactory(session=session, enrollment=keen, status=AttendanceStatus.PRESENT)
    AttendanceFactory(session=sessions[0], enrollment=late, status=AttendanceStatus.LATE)
    AttendanceFactory(session=sessions[1], enrollment=late, status=AttendanceStatus.PRESENT)
    AttendanceFactory(session=sessions[2], enrollment=late, status=AttendanceStatus.EXCUSED)
    AttendanceFactory(session=sessions[0], enrollment=away, status=AttendanceStatus.ABSENT)
    empty = EnrollmentFactory(cohort=CohortFactory())

    with django_assert_num_queries(1):
        shares = attendance_shares([keen.pk, late.pk, away.pk, empty.pk])

    assert shares == {keen.pk: Fraction(1), late.pk: Fraction(1, 2), away.pk: Fraction(0), empty.pk: Fraction(0)}


def test_attendance_shares_take_a_queryset_of_ids_in_one_query(django_assert_num_queries):
    session = SessionFactory()
    SessionFactory(cohort=session.cohort)
    attendance = AttendanceFactory(session=session)
    ids = type(attendance.enrollment).objects.filter(cohort=session.cohort).values("pk")
    with django_assert_num_queries(1):
        assert attendance_shares(ids) == {attendance.enrollment_id: Fraction(1, 2)}


def test_a_session_ends_after_it_starts():
    session = SessionFactory.build(cohort=CohortFactory())
    session.ends_at = session.starts_at
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert error.value.messages == ["A session must end after it starts."]


@pytest.mark.parametrize("code", ["12345", "1234567", "12a456", "12345\n"])
def test_a_checkin_code_is_six_digits(code):
    session = SessionFactory.build(cohort=CohortFactory(), checkin_code=code)
    with pytest.raises(ValidationError):
        session.full_clean()


def test_attendance_is_recorded_once_per_session_and_companion():
    attendance = AttendanceFactory()
    twin = AttendanceFactory.build(session=attendance.session, enrollment=attendance.enrollment)
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "This companion's attendance at this session is already recorded." in error.value.messages
