import pytest

from courses.models import LessonProgress
from tests.factories import (
    TEST_PASSWORD,
    CohortFactory,
    CompanionFactory,
    EnrollmentFactory,
    LessonPageFactory,
    ModulePageFactory,
    ProgramPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def training():
    program = ProgramPageFactory(title="Bimtek Pendamping Desmigratif 2017", slug="bimtek-2017")
    module = ModulePageFactory(parent=program, title="Kebijakan Program Desmigratif", code="M01", day=1, jp_hours=2)
    first = LessonPageFactory(parent=module, title="Mengenal Program Desmigratif", slug="mengenal")
    second = LessonPageFactory(parent=module, title="Empat Pilar Desmigratif", slug="empat-pilar")
    companion = CompanionFactory(
        user=UserFactory(username="pendamping001", full_name="Sri Rahayu", phone="+6281234567890", groups=["Companion"])
    )
    enrollment = EnrollmentFactory(cohort=CohortFactory(program=program, name="Angkatan I 2017"), companion=companion)
    return enrollment, first, second


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_companion_logs_in_by_phone_reads_a_lesson_and_goes_on(site_url, phone, training):
    enrollment, first, second = training
    phone.goto(site_url)
    phone.get_by_role("link", name="Masuk").click()

    phone.get_by_label("Nama pengguna atau nomor HP").fill("0812-3456-7890")
    phone.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Masuk").click()

    assert phone.get_by_role("heading", name="Pelatihan saya").is_visible()
    assert phone.get_by_text("Senin, 30 Oktober 2017").is_visible()
    assert phone.get_by_text("0% selesai (0 dari 2 pelajaran)").is_visible()
    assert fits_the_screen(phone)

    phone.get_by_role("link", name="Mulai: Mengenal Program Desmigratif").click()
    assert phone.get_by_role("heading", name="Mengenal Program Desmigratif").is_visible()
    assert fits_the_screen(phone)

    phone.get_by_role("button", name="Tandai selesai dan lanjutkan").click()
    assert phone.get_by_role("heading", name="Empat Pilar Desmigratif").is_visible()
    assert phone.get_by_text("Pelajaran ditandai selesai.").is_visible()
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=first).exists()

    phone.get_by_role("link", name="Pelatihan saya").first.click()
    assert phone.get_by_text("50% selesai (1 dari 2 pelajaran)").is_visible()
    assert phone.get_by_role("link", name="Lanjutkan: Empat Pilar Desmigratif").is_visible()


def test_wrong_password_is_explained_in_indonesian_on_the_form(site_url, phone, training):
    phone.goto(f"{site_url}/masuk/")
    phone.get_by_label("Nama pengguna atau nomor HP").fill("pendamping001")
    phone.get_by_label("Kata sandi").fill("salah")
    phone.get_by_role("button", name="Masuk").click()
    alert = phone.get_by_role("alert")
    assert "Nama pengguna, nomor HP, atau kata sandi salah." in alert.inner_text()
    assert phone.get_by_label("Nama pengguna atau nomor HP").input_value() == "pendamping001"
