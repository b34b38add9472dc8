"""The way in without e-mail, on a 360-px phone: the link, the code page, the first password."""

import pytest

from django.urls import reverse

from tests.e2e.test_companion_pages import assert_fits_taps_and_passes_axe
from tests.people.factories import companion_without_password, handed_code, handed_link

pytestmark = pytest.mark.django_db


def test_a_companion_opens_the_link_chooses_a_password_and_is_in(site_url, phone):
    companion = companion_without_password(user__username="sri", user__full_name="Sri Rahayu")
    token = handed_link(companion.user).secret

    phone.goto(site_url + reverse("people:access-link", args=[token]))
    assert phone.get_by_role("heading", name="Selamat datang, Sri").is_visible()
    assert_fits_taps_and_passes_axe(phone)
    phone.get_by_role("button").first.click()

    assert phone.url.endswith(reverse("people:set-password"))
    assert_fits_taps_and_passes_axe(phone)
    phone.locator("#id_new_password1").fill("Sawah-hijau-2017")
    phone.locator("#id_new_password2").fill("Sawah-hijau-2017")
    phone.locator("main button[type=submit]").click()
    assert phone.url == site_url + "/"

    phone.goto(site_url + reverse("people:access-link", args=[token]))
    assert_fits_taps_and_passes_axe(phone)  # the used link's page


def test_the_code_page_is_easy_to_tap(site_url, phone):
    companion = companion_without_password(user__username="wulan")
    handed_code(companion.user)
    phone.goto(site_url + reverse("login"))
    assert_fits_taps_and_passes_axe(phone)
    phone.locator(f"a[href='{reverse('people:access-code')}']").click()
    assert_fits_taps_and_passes_axe(phone)
    phone.locator("#id_identifier").fill("wulan")
    phone.locator("#id_code").fill("AAAA-AAAA")
    phone.locator("main button[type=submit]").click()
    assert phone.get_by_role("alert").is_visible()
    assert_fits_taps_and_passes_axe(phone)
