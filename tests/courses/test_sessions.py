"""A cohort's sessions: generated from its program's schedule, edited in the admin through services."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from wagtail.models import ModelLogEntry

from courses.models import Session
from courses.services import sessions_generate
from tests.courses.factories import WIB, AttendanceFactory, ScheduleSlotFactory, SessionFactory
from tests.factories import CohortFactory, ModulePageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their source language, so these tests hold before and after the catalogue."""
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator(db):
    return UserFactory(groups=["Coordinator"])


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def schedule(program):
    module = ModulePageFactory(parent=program, code="M01", day=1)
    return [
        ScheduleSlotFactory(
            program=program, day=1, starts=datetime.time(8, 30), ends=datetime.time(9, 15), title="Pre-test", jp_hours=1
        ),
        ScheduleSlotFactory(
            program=program,
            day=1,
            starts=datetime.time(10, 15),
            ends=datetime.time(11, 45),
            title="Kebijakan",
            module=module,
        ),
        ScheduleSlotFactory(
            program=program,
            day=4,
            starts=datetime.time(11, 15),
            ends=datetime.time(12, 0),
            title="Post-test",
            jp_hours=1,
        ),
    ]


def test_sessions_are_generated_from_the_schedule_on_the_cohorts_dates_in_wib(program, coordinator):
    slots = schedule(program)
    cohort = CohortFactory(program=program, start_date=datetime.date(2017, 10, 30), end_date=datetime.date(2017, 11, 2))

    created = sessions_generate(cohort=cohort, by=coordinator)

    sessions = list(cohort.sessions.order_by("starts_at"))
    assert sessions == created
    assert [(s.day, s.title, s.jp_hours, s.module_id) for s in sessions] == [
        (1, "Pre-test", 1, None),
        (1, "Kebijakan", 2, slots[1].module_id),
        (4, "Post-test", 1, None),
    ]
    assert sessions[0].starts_at == datetime.datetime(2017, 10, 30, 8, 30, tzinfo=WIB)
    assert sessions[2].ends_at == datetime.datetime(2017, 11, 2, 12, 0, tzinfo=WIB)
    assert sessions[2].starts_at.astimezone(datetime.UTC).hour == 4  # 11:15 WIB is 04:15 UTC
    codes = [s.checkin_code for s in sessions]
    assert all(len(code) == 6 and code.isdigit() for code in codes) and len(set(codes)) == 3
    assert ModelLogEntry.objects.filter(action="wagtail.create", user=coordinator).count() == 3


def test_generating_again_changes_nothing_and_keeps_edits(program):
    schedule(program)
    cohort = CohortFactory(program=program)
    sessions_generate(cohort=cohort, by=None)
    moved = cohort.sessions.get(title="Kebijakan")
    moved.starts_at += datetime.timedelta(minutes=30)
    moved.save()
    before = list(cohort.sessions.order_by("pk").values())

    assert sessions_generate(cohort=cohort, by=None) == []
    assert list(cohort.sessions.order_by("pk").values()) == before


def test_a_row_added_to_the_schedule_later_is_added_to_the_cohort(program):
    schedule(program)
    cohort = CohortFactory(program=program)
    sessions_generate(cohort=cohort, by=None)
    ScheduleSlotFactory(program=program, day=2, title="Diskusi Kelompok")
    assert [s.title for s in sessions_generate(cohort=cohort, by=None)] == ["Diskusi Kelompok"]
    assert cohort.sessions.count() == 4


def test_generation_needs_a_schedule_that_fits_the_cohorts_days(program):
    cohort = CohortFactory(
        program=program, start_date=datetime.date(2017, 10, 30), end_date=datetime.date(2017, 10, 31)
    )
    with pytest.raises(ValidationError) as error:
        sessions_generate(cohort=cohort, by=None)
    assert error.value.messages == ["The program has no schedule yet: add its rows on the program page."]
    schedule(program)
    with pytest.raises(ValidationError) as error:
        sessions_generate(cohort=cohort, by=None)
    assert error.value.messages == ["The schedule has sessions on day 4, but this cohort lasts 2 days."]
    assert not cohort.sessions.exists()


def test_coordinator_generates_sessions_from_the_admin(coordinator_client, program):
    schedule(program)
    cohort = CohortFactory(program=program)
    assert reverse("session:generate") in coordinator_client.get(reverse("session:index")).content.decode()
    assert coordinator_client.get(reverse("session:generate")).status_code == 200
    response = coordinator_client.post(reverse("session:generate"), {"cohort": cohort.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("session:index") + f"?cohort={cohort.pk}"
    assert cohort.sessions.count() == 3
    listing = coordinator_client.get(response["Location"]).content.decode()
    assert "Kebijakan" in listing


def test_coordinator_edits_a_session_through_the_service_with_an_audit_entry(coordinator_client, coordinator):
    session = SessionFactory(title="Pembukaan")
    data = {
        "cohort": session.cohort_id,
        "day": 1,
        "starts_at": "2017-10-30 09:00",
        "ends_at": "2017-10-30 10:00",
        "title": "Pembukaan & arahan",
        "module": "",
        "jp_hours": 0,
        "checkin_code": session.checkin_code,
    }
    response = coordinator_client.post(reverse("session:edit", args=[session.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert session.title == "Pembukaan & arahan"
    assert session.starts_at == datetime.datetime(2017, 10, 30, 9, 0, tzinfo=WIB)
    entry = ModelLogEntry.objects.get(object_id=str(session.pk), action="wagtail.edit")
    assert entry.user == coordinator
    assert entry.data["fields"] == ["ends_at", "jp_hours", "starts_at", "title"]


def test_a_session_with_attendance_cannot_be_deleted(coordinator_client):
    attendance = AttendanceFactory()
    response = coordinator_client.post(reverse("session:delete", args=[attendance.session_id]))
    assert response.status_code == 302
    assert Session.objects.filter(pk=attendance.session_id).exists()
    empty = SessionFactory()
    coordinator_client.post(reverse("session:delete", args=[empty.pk]))
    assert not Session.objects.filter(pk=empty.pk).exists()


def test_coordinator_adds_a_session_by_hand_and_gets_a_code(coordinator_client):
    cohort = CohortFactory()
    data = {
        "cohort": cohort.pk,
        "day": 2,
        "starts_at": "2017-10-31 19:30",
        "ends_at": "2017-10-31 21:00",
        "title": "Malam keakraban",
        "module": "",
        "jp_hours": 0,
    }
    response = coordinator_client.post(reverse("session:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    session = cohort.sessions.get()
    assert len(session.checkin_code) == 6 and session.checkin_code.isdigit()


def test_the_schedule_is_edited_on_the_program_page(client, program):
    ScheduleSlotFactory(program=program, title="Pre-test")
    client.force_login(UserFactory(groups=["Trainer"]))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[program.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="schedule-0-title"' in html and 'value="Pre-test"' in html


def test_the_session_list_costs_the_same_queries_for_more_cohorts(coordinator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        SessionFactory()
    coordinator_client.get(reverse("session:index"))
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(reverse("session:index"))
    for _ in range(6):
        SessionFactory()
    with CaptureQueriesContext(connection) as more:
        coordinator_client.get(reverse("session:index"))
    assert len(more) == len(few)
