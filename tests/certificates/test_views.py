"""The verify page, the companion's download and home page, and the coordinator's certificate screens."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from django.conf import settings
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificate_revoke, certificates_issue
from tests.certificates.factories import CertificateFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(training, coordinator, django_capture_on_commit_callbacks):
    """Two companions with rendered certificates, and one who is not eligible."""
    training.companion("Budi Santoso")
    training.companion("Sri Rahayu")
    training.companion("Joko Absen", attended=3, score="65")
    with django_capture_on_commit_callbacks(execute=True):
        certificates_issue(cohort=training.cohort, by=coordinator)
    return {c.holder_name: c for c in Certificate.objects.select_related("enrollment__companion__user")}


def test_the_verify_page_shows_a_valid_certificate_without_the_nik(client):
    certificate = CertificateFactory()
    response = client.get(certificate.get_absolute_url())
    assert certificate.get_absolute_url() == f"/v/{certificate.code}/"
    assert response.status_code == 200
    html = response.content.decode()
    assert "verdict-valid" in html
    assert certificate.holder_name in html and certificate.number in html and certificate.program_title in html
    assert "30 Oktober 2017" in html and "2 November 2017" in html
    nik = certificate.enrollment.companion.nik
    assert nik not in html and nik[-4:] + "<" not in html


def test_the_verify_page_says_revoked_with_the_date(client, coordinator):
    certificate = CertificateFactory()
    certificate_revoke(certificate=certificate, by=coordinator, reason="Data kehadiran dipalsukan.")
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "verdict-revoked" in html and "verdict-valid" not in html
    assert certificate.number in html
    assert "dipalsukan" not in html  # the reason stays with the committee


def test_an_unknown_code_is_not_found(client):
    response = client.get(reverse("certificates:verify", args=["tidakAdaKodeIni0"]))
    assert response.status_code == 404
    assert "verdict-unknown" in response.content.decode()


def test_a_certificate_is_found_by_number_and_name_ignoring_case_and_spacing(client):
    certificate = CertificateFactory(holder_name="Sri Rahayu")
    url = reverse("certificates:check")
    found = client.get(url, {"number": f" {certificate.number} ", "name": "sri   RAHAYU"})
    assert found.status_code == 200 and "verdict-valid" in found.content.decode()
    wrong_name = client.get(url, {"number": certificate.number, "name": "Siti Rahayu"})
    assert wrong_name.status_code == 404 and "verdict-unknown" in wrong_name.content.decode()


def test_the_landing_page_has_the_check_form(client):
    html = client.get("/").content.decode()
    assert f'action="{reverse("certificates:check")}"' in html and 'name="number"' in html and 'name="name"' in html


def test_lookups_are_limited_per_address(client, settings):
    settings.CERTIFICATE_CHECK_LIMIT = 2
    certificate = CertificateFactory()
    url = reverse("certificates:check")
    query = {"number": certificate.number, "name": "salah"}
    assert [client.get(url, query).status_code for _ in range(3)] == [404, 404, 429]
    other = client.get(url, query, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404  # another address has its own count
    settings.CERTIFICATE_VERIFY_LIMIT = 1
    assert [client.get(certificate.get_absolute_url()).status_code for _ in range(2)] == [200, 429]


def test_a_companion_downloads_their_own_certificate(client, issued):
    certificate = issued["Budi Santoso"]
    client.force_login(certificate.enrollment.companion.user)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "sertifikat-001-BIMTEK-DESMIG-XI-2017.pdf" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]


def test_companion_cannot_open_another_companions_certificate(client, issued):
    mine, theirs = issued["Budi Santoso"], issued["Sri Rahayu"]
    client.force_login(mine.enrollment.companion.user)
    assert client.get(reverse("certificates:download", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("certificates:download", args=[theirs.pk + 1000])).status_code == 404


def test_a_revoked_certificate_is_no_longer_downloaded_by_its_holder(client, issued, coordinator):
    certificate = issued["Budi Santoso"]
    certificate_revoke(certificate=certificate, by=coordinator, reason="Salah terbit.")
    client.force_login(certificate.enrollment.companion.user)
    assert client.get(reverse("certificates:download", args=[certificate.pk])).status_code == 404
    html = client.get("/").content.decode()
    assert certificate.number in html and reverse("certificates:download", args=[certificate.pk]) not in html


def test_certificate_files_are_never_reachable_by_a_media_path(client, issued):
    certificate = issued["Budi Santoso"]
    path = certificate.pdf.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    client.force_login(UserFactory(groups=["Coordinator"]))
    assert client.get(settings.MEDIA_URL + certificate.pdf.name).status_code == 404
    with pytest.raises(ValueError):
        certificate.pdf.url  # noqa: B018 - no public address exists


def test_the_companions_home_page_lists_their_certificate_with_download_and_share(client, issued):
    certificate = issued["Sri Rahayu"]
    client.force_login(certificate.enrollment.companion.user)
    html = client.get("/").content.decode()
    assert 'class="my-certificates"' in html
    assert reverse("certificates:download", args=[certificate.pk]) in html
    assert "https://wa.me/?text=" in html and certificate.code in html
    assert issued["Budi Santoso"].number not in html


def test_the_coordinators_screen_shows_eligibility_with_reasons_and_share_links(
    client, training, coordinator, issued, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("certificates_admin:cohort", args=[training.cohort.pk])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Joko Absen" in html and "60 % &lt; 80 %" in html and "65 &lt; 70" in html
    assert issued["Budi Santoso"].number in html
    phone = issued["Budi Santoso"].enrollment.companion.user.phone.lstrip("+")
    assert f"https://wa.me/{phone}?text=" in html
    assert 'http-equiv="refresh"' not in html  # every PDF is ready: no more reloading


def test_the_screen_reloads_itself_while_pdfs_are_being_made(client, training, coordinator):
    training.companion("Budi Santoso")
    client.force_login(coordinator)
    response = client.post(reverse("certificates_admin:issue-all", args=[training.cohort.pk]))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    # Outside a committed transaction the render was never queued: the page waits for it.
    assert 'http-equiv="refresh"' in html and "<progress" in html
    assert Certificate.objects.get().render_status == Certificate.RenderStatus.PENDING


def test_the_zip_and_the_print_file_hold_every_valid_certificate(client, training, coordinator, issued):
    certificate_revoke(certificate=issued["Sri Rahayu"], by=coordinator, reason="Salah terbit.")
    client.force_login(coordinator)
    response = client.get(reverse("certificates_admin:zip", args=[training.cohort.pk]))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["sertifikat-001-BIMTEK-DESMIG-XI-2017.pdf"]
    printed = client.get(reverse("certificates_admin:print", args=[training.cohort.pk]))
    assert printed.status_code == 200
    assert len(PdfReader(io.BytesIO(b"".join(printed.streaming_content))).pages) == 2


def test_revoking_from_the_screen_needs_a_reason(client, coordinator, issued):
    certificate = issued["Budi Santoso"]
    client.force_login(coordinator)
    url = reverse("certificates_admin:revoke", args=[certificate.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    response = client.post(url, {"reason": "Peserta diganti."})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Peserta diganti." and certificate.revoked_by == coordinator


def test_reissuing_from_the_screen_keeps_the_number(client, coordinator, issued, django_capture_on_commit_callbacks):
    certificate = issued["Budi Santoso"]
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates_admin:reissue", args=[certificate.pk]), {"reason": "Ejaan."})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revision == 2 and certificate.number == "001/BIMTEK-DESMIG/XI/2017"


def test_trainers_do_not_open_the_certificate_screens(client, training):
    client.force_login(UserFactory(groups=["Trainer"]))
    response = client.get(reverse("certificates_admin:cohort", args=[training.cohort.pk]))
    assert response.status_code == 302 and response["Location"] == "/admin/"
