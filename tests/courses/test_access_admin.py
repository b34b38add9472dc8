"""The coordinator's login-access screens: links for WhatsApp, resets, corrections, login sheets."""

import re
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from django.test import Client
from django.urls import reverse

from wagtail.models import ModelLogEntry

from courses.models import Enrollment
from people.models import AccessGrant
from tests.factories import TEST_PASSWORD, CohortFactory, EnrollmentFactory, UserFactory
from tests.people.factories import companion_without_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    return UserFactory(groups=["Coordinator"])


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, name="Angkatan I 2017")


@pytest.fixture
def sri(cohort):
    companion = companion_without_password(
        user__username="sri", user__full_name="Sri Rahayu", user__phone="+6281200000001"
    )
    EnrollmentFactory(cohort=cohort, companion=companion)
    return companion


def test_the_cohort_screen_lists_its_active_companions_in_few_queries(
    coordinator_client, cohort, sri, django_assert_max_num_queries
):
    others = [EnrollmentFactory(cohort=cohort) for _ in range(20)]
    withdrawn = EnrollmentFactory(cohort=cohort, status=Enrollment.Status.WITHDRAWN)
    with django_assert_max_num_queries(20):
        response = coordinator_client.get(reverse("access:cohort", args=[cohort.pk]))
    assertContains(response, "Sri Rahayu")
    for enrollment in others:
        assertContains(response, enrollment.companion.user.username)
    assert withdrawn.companion.user.username not in response.content.decode()


def test_a_login_link_comes_as_a_whatsapp_address_with_the_link_in_the_message(coordinator_client, sri):
    response = coordinator_client.post(reverse("access:link", args=[sri.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # the link is a key to the account
    parts = urlsplit(response.context["wa_url"])
    assert (parts.netloc, parts.path) == ("wa.me", "/6281200000001")
    text = parse_qs(parts.query)["text"][0]
    link = re.search(r"http://testserver/masuk/tautan/[\w-]+/", text).group()
    assert "sri" in text
    # The link in the message logs Sri in, once.
    phone = Client()
    assertRedirects(phone.post(link), reverse("people:set-password"), fetch_redirect_response=False)
    assert phone.session["_auth_user_id"] == str(sri.user_id)


def test_the_whatsapp_message_is_in_indonesian_whatever_the_admin_language(coordinator_client, sri):
    coordinator_client.cookies["django_language"] = "en"
    response = coordinator_client.post(reverse("access:link", args=[sri.pk]))
    text = parse_qs(urlsplit(response.context["wa_url"]).query)["text"][0]
    assert text.startswith("Halo Sri, ini tautan untuk masuk ke Balai")


def test_a_companion_without_a_phone_gets_the_message_to_copy(coordinator_client, cohort):
    companion = companion_without_password(user__phone="")
    response = coordinator_client.post(reverse("access:link", args=[companion.pk]))
    assert response.context["wa_url"] == ""
    assert "/masuk/tautan/" in response.context["message"]


def test_resetting_access_ends_the_password_and_gives_a_new_link(coordinator_client, coordinator, sri):
    sri.user.set_password(TEST_PASSWORD)
    sri.user.save()
    response = coordinator_client.post(reverse("access:reset", args=[sri.pk]))
    assert response.status_code == 200
    assert "/masuk/tautan/" in response.context["url"]
    assert not Client().login(username="sri", password=TEST_PASSWORD)
    assert ModelLogEntry.objects.filter(
        object_id=str(sri.user_id), action="people.access_reset", user=coordinator
    ).exists()


def test_the_confirmation_pages_change_nothing(coordinator_client, sri, cohort):
    for name, pk in (("access:link", sri.pk), ("access:reset", sri.pk), ("access:sheet", cohort.pk)):
        assert coordinator_client.get(reverse(name, args=[pk])).status_code == 200
    assert not AccessGrant.objects.exists()


def test_the_coordinator_corrects_a_name_and_phone_through_the_service(coordinator_client, coordinator, sri):
    response = coordinator_client.post(
        reverse("access:edit", args=[sri.pk]), {"full_name": "Sri Rahayu Ningsih", "phone": "0813-1111-2222"}
    )
    assertRedirects(response, reverse("access:companion", args=[sri.pk]), fetch_redirect_response=False)
    sri.user.refresh_from_db()
    assert (sri.user.full_name, sri.user.phone) == ("Sri Rahayu Ningsih", "+6281311112222")
    entry = ModelLogEntry.objects.get(object_id=str(sri.user_id), action="wagtail.edit")
    assert (entry.user, entry.data["fields"]) == (coordinator, ["full_name", "phone"])


def test_a_phone_another_account_uses_is_refused_on_the_form(coordinator_client, sri):
    UserFactory(phone="+6281311112222")
    response = coordinator_client.post(
        reverse("access:edit", args=[sri.pk]), {"full_name": "Sri Rahayu", "phone": "0813-1111-2222"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    sri.user.refresh_from_db()
    assert sri.user.phone == "+6281200000001"


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "lembar.pdf"
    path.write_bytes(content)
    pdftotext = shutil.which("pdftotext")  # poppler-utils
    return subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_the_login_sheet_gives_every_active_companion_a_working_code(coordinator_client, cohort, sri, tmp_path):
    wulan = companion_without_password(user__username="wulan", user__full_name="Wulan Kusuma")
    EnrollmentFactory(cohort=cohort, companion=wulan)
    response = coordinator_client.post(reverse("access:sheet", args=[cohort.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == 'attachment; filename="lembar-masuk-angkatan-i-2017.pdf"'
    text = pdf_text(response.content, tmp_path)
    for person in ("Sri Rahayu", "Wulan Kusuma", "sri", "wulan", str(sri.village)):
        assert person in text
    codes = re.findall(r"\b[3-9A-Y]{4}-[3-9A-Y]{4}\b", text)
    assert len(codes) == 2
    assert AccessGrant.objects.filter(kind="code", revoked_at__isnull=True, used_at__isnull=True).count() == 2
    # Each code works for one account, and only once.
    phone = Client()
    logged_in = {}
    for code in codes:
        for username in ("sri", "wulan"):
            if username not in logged_in:
                phone.post(reverse("people:access-code"), {"identifier": username, "code": code})
                if "_auth_user_id" in phone.session:
                    logged_in[username] = code
                    phone.logout()
    assert sorted(logged_in) == ["sri", "wulan"]


def test_the_login_sheet_is_in_indonesian_whatever_the_admin_language(coordinator_client, cohort, sri, tmp_path):
    coordinator_client.cookies["django_language"] = "en"
    text = pdf_text(coordinator_client.post(reverse("access:sheet", args=[cohort.pk])).content, tmp_path)
    assert "Lembar masuk: Angkatan I 2017" in text and "Login sheet" not in text


def test_printing_again_kills_the_earlier_sheets_codes(coordinator_client, cohort, sri, tmp_path):
    first = pdf_text(coordinator_client.post(reverse("access:sheet", args=[cohort.pk])).content, tmp_path)
    coordinator_client.post(reverse("access:sheet", args=[cohort.pk]))
    (old_code,) = re.findall(r"\b[3-9A-Y]{4}-[3-9A-Y]{4}\b", first)
    phone = Client()
    phone.post(reverse("people:access-code"), {"identifier": "sri", "code": old_code})
    assert "_auth_user_id" not in phone.session


def test_the_login_sheet_of_many_companions_has_several_per_page(coordinator_client, cohort, tmp_path):
    for _ in range(24):
        EnrollmentFactory(cohort=cohort)
    response = coordinator_client.post(reverse("access:sheet", args=[cohort.pk]))
    pages = pdf_text(response.content, tmp_path).count("\f")
    assert 2 <= pages <= 4  # ten slips to an A4 page


def test_the_training_menu_shows_login_access_to_coordinators_only(client, coordinator):
    client.force_login(coordinator)
    assertContains(client.get(reverse("wagtailadmin_home")), reverse("access:index"))
    client.force_login(UserFactory(groups=["Trainer"]))
    assert reverse("access:index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_companion_list_leads_to_each_companions_login_access(coordinator_client, sri):
    response = coordinator_client.get(reverse("companion:index"))
    assertContains(response, reverse("access:companion", args=[sri.pk]))
    page = coordinator_client.get(reverse("access:companion", args=[sri.pk]))
    for action in ("access:link", "access:reset", "access:edit"):
        assertContains(page, reverse(action, args=[sri.pk]))
