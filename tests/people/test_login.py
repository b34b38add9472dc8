"""Logging in at /masuk/ with a username or a phone number, the pause after failures, the session user."""

import pytest
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from django.conf import settings
from django.test import Client
from django.urls import reverse

from people.models import User
from tests.factories import TEST_PASSWORD, LessonPageFactory, UserFactory

pytestmark = pytest.mark.django_db

# The Indonesian messages, copied from locale/id/LC_MESSAGES/django.po.
INVALID_LOGIN_ID = "Nama pengguna, nomor HP, atau kata sandi salah. Periksa lagi lalu coba kembali."
THROTTLED_ID = "Terlalu banyak percobaan gagal. Tunggu {minutes} menit, lalu coba lagi."


@pytest.fixture
def budi(db):
    # UserFactory saves the password only when it also sets groups (skip_postgeneration_save).
    return UserFactory(username="budi", full_name="Budi Santoso", phone="+6281234567890", groups=["Companion"])


def log_in(client, username, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def throttled_message() -> str:
    return THROTTLED_ID.format(minutes=settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)


@pytest.mark.parametrize("username", ["budi", "BUDI", " budi "])
def test_user_logs_in_with_the_username(client, budi, username):
    response = log_in(client, username)
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert logged_in_user_id(client) == str(budi.pk)


@pytest.mark.parametrize("phone", ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
def test_user_logs_in_with_the_phone_in_any_usual_form(client, budi, phone):
    response = log_in(client, phone)
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert logged_in_user_id(client) == str(budi.pk)


def test_wrong_password_is_refused_with_the_indonesian_message(client, budi):
    response = log_in(client, "budi", "bukan-kata-sandinya")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN_ID]
    assertContains(response, INVALID_LOGIN_ID)
    assert logged_in_user_id(client) is None


def test_unknown_phone_is_refused_with_the_same_message(client, budi):
    response = log_in(client, "0813-0000-0000")
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN_ID]
    assert logged_in_user_id(client) is None


def test_inactive_user_with_the_right_password_is_told_the_account_is_inactive(client):
    UserFactory(username="nonaktif", is_active=False, groups=["Companion"])
    response = log_in(client, "nonaktif")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Akun ini tidak aktif. Hubungi panitia pelatihan."]
    assert logged_in_user_id(client) is None


def test_inactive_user_with_a_wrong_password_learns_nothing_more(client):
    UserFactory(username="nonaktif", is_active=False, groups=["Companion"])
    response = log_in(client, "nonaktif", "salah")
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN_ID]
    assert logged_in_user_id(client) is None


def test_account_is_paused_after_the_failure_limit_even_with_the_right_password(client, budi):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        assert log_in(client, "budi", "salah").context["form"].non_field_errors() == [INVALID_LOGIN_ID]
    response = log_in(client, "budi", TEST_PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [throttled_message()]
    assertContains(response, "Tunggu 15 menit")
    assert logged_in_user_id(client) is None


def test_one_failure_fewer_than_the_limit_still_lets_the_user_in(client, budi):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, "budi", "salah")
    log_in(client, "budi", TEST_PASSWORD)
    assert logged_in_user_id(client) == str(budi.pk)


def test_failures_with_different_phone_forms_count_for_the_same_account(client, budi):
    forms = ["081234567890", "+62 812 3456 7890", "6281234567890", "0812-3456-7890", "81234567890"]
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, forms[attempt % len(forms)], "salah")
    response = log_in(client, "0812 3456 7890", TEST_PASSWORD)
    assert response.context["form"].non_field_errors() == [throttled_message()]
    assert logged_in_user_id(client) is None


def test_the_pause_is_for_that_account_only(client, budi):
    UserFactory(username="siti", groups=["Companion"])
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "budi", "salah")
    log_in(client, "siti", TEST_PASSWORD)
    assert logged_in_user_id(client) is not None


def test_a_successful_login_clears_the_failure_count(client, budi):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, "budi", "salah")
    log_in(client, "budi", TEST_PASSWORD)
    assert logged_in_user_id(client) == str(budi.pk)
    client.post(reverse("logout"))
    assert logged_in_user_id(client) is None

    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, "budi", "salah")
    log_in(client, "budi", TEST_PASSWORD)
    assert logged_in_user_id(client) == str(budi.pk)


def test_failures_by_username_also_pause_logins_by_phone(client, budi):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "budi", "salah")
    response = log_in(client, "0812-3456-7890", TEST_PASSWORD)
    assert response.context["form"].non_field_errors() == [throttled_message()]
    assert logged_in_user_id(client) is None


def test_login_page_is_in_indonesian_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assertContains(response, '<html lang="id">')
    assertContains(response, "<h1>Masuk</h1>", html=False)
    assertContains(response, "Nama pengguna atau nomor HP")
    assertContains(response, "Kata sandi")


def test_login_url_is_masuk():
    assert reverse("login") == "/masuk/"


def test_visitor_sees_the_landing_page_at_home(client):
    response = client.get("/")
    assert response.status_code == 200
    assertTemplateUsed(response, "lms/landing.html")
    assertContains(response, "Selamat datang")


def test_visitor_opening_a_lesson_is_sent_to_log_in(client):
    lesson = LessonPageFactory()
    url = reverse("courses:lesson", kwargs={"pk": lesson.pk})
    response = client.get(url)
    assertRedirects(response, f"{reverse('login')}?next={url}", fetch_redirect_response=False)


@pytest.mark.parametrize("how", ["save", "queryset update"])
def test_deactivated_user_is_a_visitor_at_the_next_request(client, budi, how):
    lesson = LessonPageFactory()
    lesson_url = reverse("courses:lesson", kwargs={"pk": lesson.pk})
    client.force_login(budi)
    response = client.get("/")
    assertTemplateUsed(response, "lms/my_training.html")

    if how == "save":
        budi.is_active = False
        budi.save()
    else:  # as Wagtail's bulk "set active state" does: no save(), no signal
        User.objects.filter(pk=budi.pk).update(is_active=False)

    response = client.get("/")
    assertTemplateUsed(response, "lms/landing.html")
    response = client.get(lesson_url)
    assertRedirects(response, f"{reverse('login')}?next={lesson_url}", fetch_redirect_response=False)


def test_account_deactivated_by_the_admins_bulk_action_is_out_at_its_next_request(client, budi):
    client.force_login(budi)
    assertTemplateUsed(client.get("/"), "lms/my_training.html")
    admin = Client()
    admin.force_login(UserFactory(username="admin", is_superuser=True))
    url = reverse("wagtail_bulk_action", args=("people", "user", "set_active_state")) + f"?id={budi.pk}"
    response = admin.post(url, {"mark_as_active": "False"})
    assert response.status_code == 302
    budi.refresh_from_db()
    assert budi.is_active is False
    assertTemplateUsed(client.get("/"), "lms/landing.html")


def test_changed_name_shows_at_the_next_request(client, budi):
    client.force_login(budi)
    assertContains(client.get("/"), "Budi Santoso")
    budi.full_name = "Budi Santoso Wibowo"
    budi.save()
    assertContains(client.get("/"), "Budi Santoso Wibowo")


def test_changed_password_ends_the_other_sessions(client, budi):
    client.force_login(budi)
    assertTemplateUsed(client.get("/"), "lms/my_training.html")
    budi.set_password("kata-sandi-baru-456")
    budi.save()
    assertTemplateUsed(client.get("/"), "lms/landing.html")
