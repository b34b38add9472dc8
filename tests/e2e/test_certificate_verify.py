"""The verify page a QR code opens, on a 360-px phone: readable, easy to tap, clean under axe-core."""

import pytest

from certificates.services import certificate_revoke
from tests.certificates.factories import CertificateFactory
from tests.e2e.test_companion_pages import assert_fits_taps_and_passes_axe
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    return CertificateFactory(holder_name="Ni Luh Ayu Sukmawati D’Souza-Fernandes", village="Kuripan")


def test_a_scanned_valid_certificate_reads_well_on_a_phone(site_url, phone, certificate):
    phone.goto(site_url + certificate.get_absolute_url())
    assert_fits_taps_and_passes_axe(phone)
    assert phone.get_by_text(certificate.holder_name).is_visible()
    assert phone.get_by_text(certificate.number, exact=True).is_visible()
    assert phone.get_by_text("30 Oktober 2017 – 2 November 2017, Jakarta").is_visible()
    assert certificate.enrollment.companion.nik not in phone.content()
    assert phone.locator(".verdict-valid").is_visible()
    assert phone.get_by_role("status").inner_text().startswith("Sertifikat sah")


def test_a_revoked_certificate_says_so_with_its_date(site_url, phone, certificate):
    certificate_revoke(certificate=certificate, by=UserFactory(groups=["Coordinator"]), reason="Contoh.")
    phone.goto(site_url + certificate.get_absolute_url())
    assert_fits_taps_and_passes_axe(phone)
    assert phone.locator(".verdict-revoked").is_visible()
    assert phone.get_by_role("status").inner_text().startswith("Sertifikat dicabut")


def test_checking_by_number_and_name_from_the_landing_page(site_url, phone, certificate):
    phone.goto(site_url)
    phone.locator("#id_number").fill(certificate.number)
    phone.locator("#id_name").fill("ni luh ayu sukmawati d’souza-fernandes")
    phone.locator(".check-form button").click()
    assert phone.locator(".verdict-valid").is_visible()

    phone.locator("#id_name").fill("Orang Lain")
    phone.locator(".check-form button").click()
    assert phone.locator(".verdict-unknown").is_visible()
    assert_fits_taps_and_passes_axe(phone)
    assert phone.get_by_label("Nama pemegang").input_value() == "Orang Lain"
    assert phone.get_by_role("status").inner_text().startswith("Sertifikat tidak ditemukan")
