"""Accounts, companions and villages in the Wagtail admin."""

import datetime

import pytest

from django.urls import reverse

from people.models import Companion, User, Village
from tests.factories import CompanionFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client):
    client.force_login(UserFactory(groups=["Coordinator"]))
    return client


@pytest.fixture
def admin_client_(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def test_user_edit_form_keeps_the_active_checkbox(admin_client_):
    user = UserFactory(groups=["Companion"])
    html = admin_client_.get(reverse("wagtailusers_users:edit", args=[user.pk])).content.decode()
    assert 'name="is_active"' in html and 'name="full_name"' in html and 'name="first_name"' not in html


def test_phone_typed_in_the_user_admin_is_stored_as_e164(admin_client_):
    response = admin_client_.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "baru",
            "full_name": "Peserta Baru",
            "email": "",
            "phone": "0812 3456 7890",
            "password1": "kata-sandi-panjang-1",
            "password2": "kata-sandi-panjang-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="baru").phone == "+6281234567890"


def test_coordinator_adds_a_companion_with_an_account(coordinator_client):
    village = VillageFactory(code="33.07.10.2004", name="Kuripan")
    response = coordinator_client.post(
        reverse("companion:add"),
        {
            "username": "pendamping241",
            "full_name": "Siti Aminah",
            "phone": "+62 813 1111 2222",
            "password": "mulai-belajar-17",
            "nik": "3307105508900000",
            "village": village.pk,
        },
    )
    assert response.status_code == 302
    companion = Companion.objects.get(user__username="pendamping241")
    assert companion.gender == "F" and companion.birth_date == datetime.date(1990, 8, 15)
    assert companion.user.phone == "+6281311112222"
    assert companion.user.groups.filter(name="Companion").exists()
    assert companion.user.check_password("mulai-belajar-17")


def test_malformed_nik_in_the_admin_is_refused_next_to_the_field(coordinator_client):
    village = VillageFactory()
    response = coordinator_client.post(
        reverse("companion:add"),
        {
            "username": "salahnik",
            "full_name": "Salah NIK",
            "phone": "081311112222",
            "password": "mulai-belajar-17",
            "nik": "3307103102900000",
            "village": village.pk,
        },
    )
    assert response.status_code == 200
    assert "Angka ke-7 sampai ke-12 NIK harus berupa tanggal lahir yang benar" in response.content.decode()
    assert not User.objects.filter(username="salahnik").exists()


def test_corrected_nik_updates_gender_and_birth_date(coordinator_client):
    companion = CompanionFactory(nik="3307100108900001")
    response = coordinator_client.post(
        reverse("companion:edit", args=[companion.pk]), {"nik": "3307105508900001", "village": companion.village.pk}
    )
    assert response.status_code == 302
    companion.refresh_from_db()
    assert (companion.gender, companion.birth_date) == ("F", datetime.date(1990, 8, 15))


def test_village_with_a_bad_code_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("village:add"),
        {
            "code": "33.70.10.2004",
            "name": "Salah",
            "kecamatan": "X",
            "kabupaten": "Y",
            "provinsi": "Jawa Tengah",
            "code_version": "kemendagri-2019",
        },
    )
    assert response.status_code == 200
    assert not Village.objects.filter(name="Salah").exists()
