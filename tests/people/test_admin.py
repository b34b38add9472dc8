"""Accounts, companions and villages in the Wagtail admin."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from wagtail.models import ModelLogEntry

from people.models import Companion, User, Village
from tests.factories import TEST_PASSWORD, CompanionFactory, UserFactory, VillageFactory

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


def new_companion_form(village, **overrides) -> dict:
    data = {
        "username": "pendamping241",
        "full_name": "Siti Aminah",
        "phone": "0813-1111-2222",
        "password": "mulai-belajar-17",
        "nik": "3307105508900000",
        "village": village.pk,
    }
    data.update(overrides)
    return data


def test_phone_already_in_use_is_shown_on_the_phone_field_and_the_form_keeps_its_values(coordinator_client):
    UserFactory(username="budi", phone="+6281311112222")
    village = VillageFactory()
    response = coordinator_client.post(reverse("companion:add"), new_companion_form(village))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["phone"] == ["Nomor HP ini sudah dipakai akun lain."]
    assert form["username"].value() == "pendamping241" and form["nik"].value() == "3307105508900000"
    html = response.content.decode()
    assert 'value="pendamping241"' in html and 'value="Siti Aminah"' in html
    assert not User.objects.filter(username="pendamping241").exists()


def test_username_taken_in_another_case_is_shown_on_the_username_field(coordinator_client):
    UserFactory(username="budi")
    response = coordinator_client.post(reverse("companion:add"), new_companion_form(VillageFactory(), username="BUDI"))
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["Nama pengguna ini sudah dipakai."]
    assert not Companion.objects.exists()


def test_new_companion_form_refuses_a_numeric_password(coordinator_client):
    response = coordinator_client.post(
        reverse("companion:add"), new_companion_form(VillageFactory(), password="12345678")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["Kata sandi ini seluruhnya terdiri dari angka."]
    assert not User.objects.filter(username="pendamping241").exists()


def test_new_companion_under_17_is_refused_on_the_nik_field(coordinator_client):
    born = datetime.date.today() - datetime.timedelta(days=16 * 365)
    response = coordinator_client.post(
        reverse("companion:add"), new_companion_form(VillageFactory(), nik=f"330710{born:%d%m%y}0001")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["nik"] == [
        "Pemilik NIK ini belum berumur 17 tahun, belum cukup umur untuk KTP. Periksa kembali NIK-nya."
    ]
    assert not Companion.objects.exists()


def test_companion_edit_logs_the_changed_fields_against_the_stored_record(coordinator_client):
    companion = CompanionFactory(nik="3307100108900001")
    other_village = VillageFactory()
    coordinator_client.post(
        reverse("companion:edit", args=[companion.pk]), {"nik": companion.nik, "village": other_village.pk}
    )
    companion.refresh_from_db()
    assert companion.village == other_village
    entry = ModelLogEntry.objects.for_instance(companion).get(action="wagtail.edit")
    assert entry.data == {"fields": ["village"]}


def user_form(**overrides) -> dict:
    data = {
        "username": "baru",
        "full_name": "Peserta Baru",
        "email": "",
        "phone": "",
        "password1": "kata-sandi-panjang-1",
        "password2": "kata-sandi-panjang-1",
    }
    data.update(overrides)
    return data


def test_user_admin_creates_the_account_through_the_service_with_an_audit_entry(admin_client_):
    response = admin_client_.post(reverse("wagtailusers_users:add"), user_form())
    assert response.status_code == 302
    user = User.objects.get(username="baru")
    assert user.check_password("kata-sandi-panjang-1")
    assert ModelLogEntry.objects.for_instance(user).filter(action="wagtail.create").exists()


def test_user_admin_refuses_a_numeric_password(admin_client_):
    response = admin_client_.post(
        reverse("wagtailusers_users:add"), user_form(password1="12345678", password2="12345678")
    )
    assert response.status_code == 200
    assert "Kata sandi ini seluruhnya terdiri dari angka." in response.content.decode()
    assert not User.objects.filter(username="baru").exists()


def test_user_admin_refuses_a_username_taken_in_another_case_next_to_the_field(admin_client_):
    UserFactory(username="budi")
    response = admin_client_.post(reverse("wagtailusers_users:add"), user_form(username="BUDI"))
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["Nama pengguna ini sudah dipakai."]
    assert not User.objects.filter(username="BUDI").exists()


def test_user_admin_edit_goes_through_the_service(admin_client_):
    user = UserFactory(username="budi", full_name="Budi", groups=["Trainer"])
    trainer = user.groups.get()
    response = admin_client_.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "username": "budi",
            "full_name": "Budi Santoso",
            "email": "",
            "phone": "0812 3456 7890",
            "is_active": "on",
            "groups": [trainer.pk],
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user.refresh_from_db()
    assert (user.full_name, user.phone) == ("Budi Santoso", "+6281234567890")
    entry = ModelLogEntry.objects.for_instance(user).get(action="wagtail.edit")
    assert entry.data == {"fields": ["full_name", "phone"]}
    assert user.check_password(TEST_PASSWORD)


def test_bulk_deactivation_goes_through_the_service(admin_client_):
    users = [UserFactory(username="budi"), UserFactory(username="siti")]
    url = reverse("wagtail_bulk_action", args=["people", "user", "set_active_state"])
    query = "&".join(f"id={user.pk}" for user in users)
    response = admin_client_.post(f"{url}?{query}", {"mark_as_active": "False"})
    assert response.status_code == 302
    for user in users:
        user.refresh_from_db()
        assert not user.is_active
        assert ModelLogEntry.objects.for_instance(user).get(action="wagtail.edit").data == {"fields": ["is_active"]}


def exported(client, viewset: str, export_format: str) -> list[list]:
    """The rows of an export; in XLSX no cell may be stored as a formula (text stays text)."""
    response = client.get(reverse(f"{viewset}:index"), {"export": export_format})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        return list(csv.reader(io.StringIO(content.decode())))
    sheet = load_workbook(io.BytesIO(content)).active
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_exported_companions_cannot_run_as_formulas(coordinator_client):
    user = UserFactory(full_name='=HYPERLINK("http://x")', phone="+6281234567890", groups=["Companion"])
    CompanionFactory(user=user, nik="3307100108900001")
    _heading, row = exported(coordinator_client, "companion", "csv")
    user, nik, _gender, _birth_date, phone, _village = row
    assert (user, phone, nik) == ('\'=HYPERLINK("http://x")', "'+6281234567890", "3307100108900001")
    # In XLSX the same cells are stored as text, shown as typed: no quote before the phone.
    _heading, row = exported(coordinator_client, "companion", "xlsx")
    user, nik, _gender, _birth_date, phone, _village = row
    assert (user, phone, nik) == ('=HYPERLINK("http://x")', "+6281234567890", "3307100108900001")


def test_exported_villages_cannot_run_as_formulas(coordinator_client):
    VillageFactory(code="33.07.10.2004", name="@SUM(1+1)", kecamatan="-2+3", kabupaten="\tWonosobo")
    _heading, row = exported(coordinator_client, "village", "csv")
    assert row[1:4] == ["'@SUM(1+1)", "'-2+3", "'\tWonosobo"]
    _heading, row = exported(coordinator_client, "village", "xlsx")
    assert row[1:4] == ["@SUM(1+1)", "-2+3", "\tWonosobo"]


def test_coordinator_filters_companions_by_province(client):
    from tests.factories import CompanionFactory, UserFactory, VillageFactory

    CompanionFactory(user__full_name="Sri Jateng", village=VillageFactory(provinsi="Jawa Tengah"))
    CompanionFactory(user__full_name="Made Bali", village=VillageFactory(code="51.01.01.2001", provinsi="Bali"))
    client.force_login(UserFactory(groups=["Coordinator"]))
    html = client.get(reverse("companion:index") + "?provinsi=Bali").content.decode()
    assert "Made Bali" in html and "Sri Jateng" not in html
    assert "Provinsi" in html and "Desa provinsi" not in html
