"""Factories for sessions and attendance (the attendance branch's models)."""

import datetime
import zoneinfo

import factory

from django.utils import timezone

from courses.models import Attendance, AttendanceMethod, AttendanceStatus, ScheduleSlot, Session
from tests.factories import CohortFactory, EnrollmentFactory, ProgramPageFactory

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    day = 1
    starts_at = factory.Sequence(
        lambda n: datetime.datetime(2017, 10, 30, 8, 0, tzinfo=WIB) + datetime.timedelta(hours=n)
    )
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(minutes=90))
    title = factory.Sequence(lambda n: f"Sesi {n}")
    jp_hours = 2
    checkin_code = factory.Sequence(lambda n: f"{(n * 7919) % 1_000_000:06d}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    enrollment = factory.SubFactory(EnrollmentFactory, cohort=factory.SelfAttribute("..session.cohort"))
    status = AttendanceStatus.PRESENT
    method = AttendanceMethod.MANUAL
    marked_at = factory.LazyFunction(timezone.now)


class ScheduleSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleSlot

    program = factory.SubFactory(ProgramPageFactory)
    day = 1
    starts = datetime.time(8, 0)
    ends = datetime.time(9, 30)
    title = factory.Sequence(lambda n: f"Jadwal {n}")
    jp_hours = 2
