"""Every companion page on a 360-px phone: big enough to tap, and clean under axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from django.test import Client

from courses.models import Enrollment, LessonProgress
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

MIN_TAP = 44  # CSS px, the size a thumb hits reliably

# Links, buttons and disclosure toggles; links inside running text (a lesson's or a programme's
# prose) are exempt, as WCAG's target-size rule exempts inline links.
TAP_TARGETS = ":is(a[href], button, summary, input[type=submit]):not(article *, .intro *)"


@pytest.fixture
def training():
    program = ProgramPageFactory(
        title="Bimtek Pendamping Desmigratif 2017",
        slug="bimtek-2017",
        intro="<p>Pelatihan dasar bagi pendamping desa migran produktif.</p>",
        organizer="Ditjen Binapenta & PKK, Kemnaker",
    )
    module = ModulePageFactory(
        parent=program,
        title="Kebijakan Program Desmigratif",
        code="M01",
        day=1,
        jp_hours=2,
        objectives="Menjelaskan empat pilar.",
    )
    first = LessonPageFactory(parent=module, title="Mengenal Program Desmigratif", slug="mengenal")
    second = LessonPageFactory(parent=module, title="Empat Pilar Desmigratif", slug="empat-pilar")
    later = ModulePageFactory(parent=program, title="Migrasi Aman", code="M02", day=2, jp_hours=3)
    LessonPageFactory(parent=later, title="Bekerja ke luar negeri", slug="bekerja")
    companion = CompanionFactory(
        user=UserFactory(username="pendamping001", full_name="Sri Rahayu", groups=["Companion"])
    )
    enrollment = EnrollmentFactory(cohort=CohortFactory(program=program, name="Angkatan I 2017"), companion=companion)
    return enrollment, module, first, second


def log_in(phone, site_url, user):
    """The browser gets the session of a login made through Django's test client."""
    client = Client()
    client.force_login(user)
    phone.context.add_cookies(
        [{"name": name, "value": morsel.value, "url": site_url} for name, morsel in client.cookies.items()]
    )


def small_tap_targets(phone) -> list[str]:
    """Every visible link or button smaller than MIN_TAP on either side, with the day outlines open."""
    phone.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
    small = []
    for target in phone.locator(TAP_TARGETS).all():
        box = target.bounding_box()
        if box is None:  # not rendered
            continue
        if box["width"] < MIN_TAP or box["height"] < MIN_TAP:
            small.append(f"{target.inner_text().strip()!r} {box['width']:.0f}×{box['height']:.0f}")
    return small


def axe_violations(phone) -> str:
    results = Axe().run(phone)
    return results.generate_report() if results.violations_count else ""


def assert_fits_taps_and_passes_axe(phone):
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The Content-Security-Policy allows only Balai's own script and style files.
    assert phone.locator("[style], style, script:not([src])").count() == 0
    assert phone.locator(TAP_TARGETS).count() > 0
    assert small_tap_targets(phone) == []
    assert axe_violations(phone) == ""


def test_companion_pages_are_easy_to_tap_and_pass_axe(site_url, phone, training):
    enrollment, module, first, second = training
    log_in(phone, site_url, enrollment.companion.user)

    phone.goto(site_url)
    assert phone.get_by_role("heading", name="Pelatihan saya").is_visible()
    assert_fits_taps_and_passes_axe(phone)

    phone.goto(site_url + enrollment.cohort.program.url)
    assert_fits_taps_and_passes_axe(phone)

    phone.goto(site_url + module.url)
    assert_fits_taps_and_passes_axe(phone)

    phone.goto(f"{site_url}/belajar/pelajaran/{first.pk}/")
    assert_fits_taps_and_passes_axe(phone)

    phone.get_by_role("button", name="Tandai selesai dan lanjutkan").click()
    assert phone.get_by_role("status").inner_text() == "Pelajaran ditandai selesai."
    assert phone.get_by_role("heading", name="Empat Pilar Desmigratif").is_visible()
    assert_fits_taps_and_passes_axe(phone)

    phone.goto(f"{site_url}/belajar/pelajaran/{first.pk}/")
    assert phone.get_by_text("Anda sudah menyelesaikan pelajaran ini.").is_visible()
    assert_fits_taps_and_passes_axe(phone)


def test_done_mark_is_announced_to_screen_readers(site_url, phone, training):
    enrollment, module, first, second = training
    LessonProgress.objects.create(enrollment=enrollment, lesson=first)
    log_in(phone, site_url, enrollment.companion.user)
    for url in (site_url, site_url + module.url):
        phone.goto(url)
        done = phone.locator(".lessons li").filter(has_text="Mengenal Program Desmigratif")
        assert "selesai" in done.aria_snapshot()
        not_done = phone.locator(".lessons li").filter(has_text="Empat Pilar Desmigratif")
        assert "selesai" not in not_done.aria_snapshot()
        assert axe_violations(phone) == ""


def test_visitor_and_error_pages_are_easy_to_tap_and_pass_axe(site_url, phone):
    phone.goto(site_url)
    assert_fits_taps_and_passes_axe(phone)

    phone.get_by_role("link", name="Masuk").click()
    phone.get_by_label("Nama pengguna atau nomor HP").fill("pendamping001")
    phone.get_by_label("Kata sandi").fill("salah")
    phone.get_by_role("button", name="Masuk").click()
    assert phone.get_by_role("alert").is_visible()
    assert_fits_taps_and_passes_axe(phone)

    phone.goto(f"{site_url}/tidak-ada/")
    assert phone.get_by_role("heading", name="Halaman tidak ditemukan").is_visible()
    assert_fits_taps_and_passes_axe(phone)


def test_withdrawn_companion_page_passes_axe(site_url, phone, training):
    enrollment = training[0]
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.WITHDRAWN)
    log_in(phone, site_url, enrollment.companion.user)
    phone.goto(site_url)
    assert phone.get_by_text("Angkatan I 2017").is_visible()
    assert_fits_taps_and_passes_axe(phone)


def test_pages_name_their_icon_so_the_browser_asks_for_no_other(site_url, phone):
    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    with phone.expect_response("**/favicon.svg") as icon:
        phone.goto(site_url)
    assert icon.value.status == 200
    assert icon.value.headers["content-type"].startswith("image/svg+xml")
    assert not any(url.endswith("/favicon.ico") for url in requested)


def test_staff_dashboard_is_easy_to_tap_and_passes_axe(site_url, phone, training):
    trainer = UserFactory(groups=["Trainer"])
    enrollment, *_pages = training
    enrollment.cohort.trainers.add(trainer)  # a trainer's home lists the cohorts they train
    log_in(phone, site_url, trainer)
    phone.goto(site_url)
    assert phone.get_by_role("link", name="Angkatan I 2017").is_visible()
    assert_fits_taps_and_passes_axe(phone)
