"""The committee's attendance list and the companion's check-in on a 360-px phone."""

import datetime

import pytest

from django.utils import timezone

from courses.models import Attendance
from tests.courses.factories import SessionFactory
from tests.e2e.test_companion_pages import assert_fits_taps_and_passes_axe, log_in
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_now():
    now = timezone.now()
    session = SessionFactory(
        title="Kebijakan Program Desmigratif",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(minutes=85),
        checkin_code="246810",
    )
    enrollments = EnrollmentFactory.create_batch(3, cohort=session.cohort)
    return session, enrollments


def test_coordinator_marks_with_one_tap_on_a_phone_without_a_reload(site_url, phone, session_now):
    session, enrollments = session_now
    log_in(phone, site_url, UserFactory(groups=["Coordinator"]))
    phone.goto(f"{site_url}/panitia/sesi/{session.pk}/")
    assert_fits_taps_and_passes_axe(phone)

    phone.evaluate("window.notReloaded = true")
    late = phone.locator(f'button[value="{enrollments[0].pk}:late"]')
    late.click()
    phone.wait_for_selector(f'button[value="{enrollments[0].pk}:late"][aria-pressed="true"]')
    assert phone.evaluate("window.notReloaded") is True
    assert Attendance.objects.get().status == "late"

    phone.goto(f"{site_url}/panitia/sesi/{session.pk}/kode/")
    assert phone.locator(".big-code").inner_text() == "246 810"
    assert_fits_taps_and_passes_axe(phone)

    phone.goto(f"{site_url}/panitia/angkatan/{session.cohort_id}/")
    assert_fits_taps_and_passes_axe(phone)


def test_companion_checks_in_from_the_qr_link_on_a_phone(site_url, phone, session_now):
    session, enrollments = session_now
    log_in(phone, site_url, enrollments[1].companion.user)
    phone.goto(f"{site_url}/belajar/hadir/?kode=246810")
    assert_fits_taps_and_passes_axe(phone)
    phone.locator("form.stack button[type=submit]").click()
    assert phone.get_by_role("status").is_visible()
    assert Attendance.objects.get().enrollment == enrollments[1]
    assert_fits_taps_and_passes_axe(phone)
