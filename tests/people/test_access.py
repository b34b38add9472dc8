"""Login handover without e-mail: one-time links and codes, then a password of one's own."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

from people import access
from people.models import AccessGrant
from people.services import AccessRefused, access_link_redeem, access_reset
from people.views import CODE_REFUSED, LINK_REFUSED
from tests.factories import TEST_PASSWORD, CompanionFactory, UserFactory
from tests.people.factories import companion_without_password, handed_code, handed_link

pytestmark = pytest.mark.django_db

# The Indonesian messages, as listed under TRANSLATIONS in the branch's report (await the catalogue).
LINK_USED_ID = "Tautan masuk ini sudah dipakai. Jika Anda sudah membuat kata sandi, masuklah dengannya."
ASK_FOR_A_NEW_LINK_ID = "Minta tautan baru ke panitia pelatihan."
NEW_PASSWORD = "Sawah-hijau-2017"
THROTTLED_ID = "Terlalu banyak percobaan gagal. Tunggu {minutes} menit, lalu coba lagi."


def link_url(token: str) -> str:
    return reverse("people:access-link", args=[token])


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def companion(db):
    return companion_without_password(user__username="sri", user__full_name="Sri Rahayu", user__phone="+6281200000001")


# The secrets themselves.


def test_codes_are_eight_characters_without_look_alikes():
    codes = {access.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 8 and set(code) <= set(access.CODE_ALPHABET) for code in codes)
    assert not set("01OILSZ25B8") & set(access.CODE_ALPHABET)


def test_a_typed_code_ignores_case_spaces_and_the_dash():
    assert access.code_typed(" 7kqm-r4tx ") == "7KQMR4TX"
    assert access.code_display("7KQMR4TX") == "7KQM-R4TX"


def test_only_a_hash_of_the_token_is_stored(companion):
    issued = handed_link(companion.user)
    stored = AccessGrant.objects.get()
    assert issued.secret not in stored.token_hash
    assert stored.token_hash == access.link_hash(issued.secret)


def test_a_grant_lasts_the_configured_number_of_days(companion, settings):
    settings.ACCESS_GRANT_DAYS = 3
    grant = handed_link(companion.user).grant
    assert grant.expires_at - grant.created_at == datetime.timedelta(days=3)


# Links.


def test_opening_a_link_shows_a_button_and_does_not_use_it(client, companion):
    # WhatsApp fetches a link to show its preview: a GET must leave it usable.
    token = handed_link(companion.user).secret
    for _ in range(2):
        response = client.get(link_url(token))
        assert response.status_code == 200
        assertContains(response, "Sri")
    assert logged_in_user_id(client) is None
    assert AccessGrant.objects.get().used_at is None


def test_a_link_logs_in_once_and_then_asks_for_a_password(client, companion):
    token = handed_link(companion.user).secret
    response = client.post(link_url(token))
    assertRedirects(response, reverse("people:set-password"), fetch_redirect_response=False)
    assert logged_in_user_id(client) == str(companion.user_id)
    assert AccessGrant.objects.get().used_at is not None

    client.logout()
    again = client.post(link_url(token))
    assert again.status_code == 410
    assert logged_in_user_id(client) is None
    assert client.get(link_url(token)).status_code == 410


def test_a_used_link_says_so_in_indonesian_and_points_to_the_committee(client, companion):
    token = handed_link(companion.user).secret
    client.post(link_url(token))
    client.logout()
    response = client.get(link_url(token))
    assertContains(response, LINK_USED_ID, status_code=410)
    assertContains(response, ASK_FOR_A_NEW_LINK_ID, status_code=410)


def test_a_link_is_used_once_even_when_redeemed_twice(companion):
    token = handed_link(companion.user).secret
    assert access_link_redeem(token=token) == companion.user
    with pytest.raises(AccessRefused) as refused:
        access_link_redeem(token=token)
    assert refused.value.reason == AccessGrant.State.USED


def test_an_expired_link_is_refused(client, companion):
    issued_at = timezone.now() - datetime.timedelta(days=settings.ACCESS_GRANT_DAYS, minutes=1)
    token = handed_link(companion.user, now=issued_at).secret
    assert client.get(link_url(token)).status_code == 410
    response = client.post(link_url(token))
    assert response.status_code == 410
    assert response.context["message"] == LINK_REFUSED[AccessGrant.State.EXPIRED]
    assert logged_in_user_id(client) is None


def test_a_link_still_works_just_before_it_expires(companion):
    issued_at = timezone.now() - datetime.timedelta(days=settings.ACCESS_GRANT_DAYS, minutes=-1)
    token = handed_link(companion.user, now=issued_at).secret
    assert access_link_redeem(token=token) == companion.user


def test_an_unknown_token_is_not_found(client, companion):
    handed_link(companion.user)
    assert client.get(link_url("bukan-token-yang-benar")).status_code == 404
    assert client.post(link_url("bukan-token-yang-benar")).status_code == 404


def test_a_new_link_kills_the_old_one(client, companion):
    old = handed_link(companion.user).secret
    new = handed_link(companion.user).secret
    assert client.post(link_url(old)).status_code == 410
    assertRedirects(client.post(link_url(new)), reverse("people:set-password"), fetch_redirect_response=False)
    assert AccessGrant.objects.filter(used_at__isnull=True, revoked_at__isnull=True).count() == 0


def test_reset_kills_the_old_link_the_password_and_every_session(client, db):
    person = CompanionFactory(user__username="budi").user
    person.set_password(TEST_PASSWORD)
    person.save()
    old = handed_link(person).secret
    phone = client.__class__()
    phone.force_login(person)

    new = access_reset(user=person, by=UserFactory(groups=["Coordinator"])).secret

    assert client.post(link_url(old)).status_code == 410
    assert not client.login(username="budi", password=TEST_PASSWORD)
    assert phone.get(reverse("home")).context["user"].is_anonymous  # logged out on the other phone too
    assertRedirects(client.post(link_url(new)), reverse("people:set-password"), fetch_redirect_response=False)


def test_a_new_link_leaves_a_chosen_password_working(client, db):
    # The demo companions have the password "desmigratif"; a link for them must not take it away.
    person = CompanionFactory(user__username="demo").user
    person.set_password(settings.BALAI_DEMO_PASSWORD)
    person.save()
    token = handed_link(person).secret
    assert client.login(username="demo", password=settings.BALAI_DEMO_PASSWORD)
    client.logout()
    assertRedirects(client.post(link_url(token)), reverse("people:set-password"), fetch_redirect_response=False)


def test_an_inactive_account_cannot_use_its_link(client, companion):
    token = handed_link(companion.user).secret
    companion.user.is_active = False
    companion.user.save()
    assert client.post(link_url(token)).status_code == 410
    assert logged_in_user_id(client) is None


def test_issuing_and_using_access_is_in_the_audit_log(client, companion):
    coordinator = UserFactory(groups=["Coordinator"])
    token = handed_link(companion.user, by=coordinator).secret
    client.post(link_url(token))
    entries = ModelLogEntry.objects.filter(object_id=str(companion.user_id)).order_by("timestamp", "pk")
    assert [(entry.action, entry.user_id) for entry in entries] == [
        ("people.access_issue", coordinator.pk),
        ("people.access_use", companion.user_id),
    ]
    assert token not in str([entry.data for entry in entries])


# Codes.


def enter_code(client, identifier, code):
    return client.post(reverse("people:access-code"), {"identifier": identifier, "code": code})


@pytest.mark.parametrize("identifier", ["sri", "SRI", "0812-0000-0001"])
def test_a_code_logs_in_by_username_or_phone_typed_loosely(client, companion, identifier):
    code = handed_code(companion.user).secret
    typed = f" {code[:4].lower()}-{code[4:]} "
    response = enter_code(client, identifier, typed)
    assertRedirects(response, reverse("people:set-password"), fetch_redirect_response=False)
    assert logged_in_user_id(client) == str(companion.user_id)


def test_a_code_works_once(client, companion):
    code = handed_code(companion.user).secret
    enter_code(client, "sri", code)
    client.logout()
    response = enter_code(client, "sri", code)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert logged_in_user_id(client) is None


def test_a_code_is_only_good_for_its_own_account(client, companion):
    code = handed_code(companion.user).secret
    other = companion_without_password(user__username="wulan")
    handed_code(other.user)
    response = enter_code(client, "wulan", code)
    assert response.context["form"].non_field_errors()
    assert logged_in_user_id(client) is None


def test_wrong_codes_are_throttled_and_even_the_right_one_then_waits(client, companion):
    code = handed_code(companion.user).secret
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = enter_code(client, "sri", "AAAA-AAAA")
        assert response.context["form"].non_field_errors()
    response = enter_code(client, "sri", code)
    assert logged_in_user_id(client) is None
    assert response.context["form"].non_field_errors() == [THROTTLED_ID.format(minutes=15)]
    assert AccessGrant.objects.get().used_at is None  # the code was never checked


def test_wrong_codes_and_wrong_passwords_count_together(client, companion):
    code = handed_code(companion.user).secret
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "sri", "password": "salah-sekali"})
    enter_code(client, "sri", code)
    assert logged_in_user_id(client) is None


# The password chosen after a link or a code.


def test_nothing_else_opens_before_the_password_is_chosen(client, companion):
    client.post(link_url(handed_link(companion.user).secret))
    for path in (reverse("home"), "/admin/", reverse("people:access-code")):
        assertRedirects(client.get(path), reverse("people:set-password"), fetch_redirect_response=False)
    assert client.get(reverse("people:set-password")).status_code == 200
    assertRedirects(client.post(reverse("logout")), reverse("home"), fetch_redirect_response=False)


def test_the_password_must_pass_djangos_validators(client, companion):
    client.post(link_url(handed_link(companion.user).secret))
    response = client.post(reverse("people:set-password"), {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].errors
    companion.user.refresh_from_db()
    assert not companion.user.has_usable_password()


def test_a_chosen_password_opens_the_site_and_works_next_time(client, companion):
    client.post(link_url(handed_link(companion.user).secret))
    response = client.post(
        reverse("people:set-password"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert logged_in_user_id(client) == str(companion.user_id)  # still logged in after the change
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    assert client.login(username="sri", password=NEW_PASSWORD)
    assert ModelLogEntry.objects.filter(object_id=str(companion.user_id), action="wagtail.edit").get().data == {
        "fields": ["password"]
    }


def test_the_password_page_is_closed_to_a_session_not_from_a_link(client, companion):
    # Otherwise whoever holds an unlocked phone could change the password without the old one.
    client.force_login(companion.user)
    assertRedirects(client.get(reverse("people:set-password")), reverse("home"), fetch_redirect_response=False)
    client.post(reverse("people:set-password"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    companion.user.refresh_from_db()
    assert not companion.user.has_usable_password()


def test_the_login_page_offers_the_code_page(client):
    assertContains(client.get(reverse("login")), reverse("people:access-code"))


def test_the_whatsapp_address_carries_the_number_without_plus_and_the_text():
    url = access.wa_me_url(phone="+6281200000001", text="Halo Sri, tautan: https://balai.test/masuk/tautan/x/")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281200000001")
    assert parse_qs(parts.query)["text"] == ["Halo Sri, tautan: https://balai.test/masuk/tautan/x/"]


def test_a_new_code_replaces_the_old_one(client, companion):
    old = handed_code(companion.user).secret
    new = handed_code(companion.user).secret
    assert enter_code(client, "sri", old).context["form"].non_field_errors() == [CODE_REFUSED["revoked"]]
    assertRedirects(enter_code(client, "sri", new), reverse("people:set-password"), fetch_redirect_response=False)
