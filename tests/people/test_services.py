"""Creating accounts, companions and villages through people.services."""

import datetime

import pytest

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from wagtail.models import ModelLogEntry

from people.models import Companion, User, Village
from people.services import (
    companion_create,
    companion_update,
    user_create,
    user_update,
    village_update,
    village_upsert,
)
from tests.factories import TEST_PASSWORD, CompanionFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db

DUPLICATE_NIK_ID = "Pendamping dengan NIK ini sudah ada."
NIK_FORMAT_ID = "NIK harus terdiri dari tepat 16 angka."
USERNAME_TAKEN_ID = "Nama pengguna ini sudah dipakai."
PHONE_TAKEN_ID = "Nomor HP ini sudah dipakai akun lain."
NIK_AGE_ID = "Pemilik NIK ini belum berumur 17 tahun, belum cukup umur untuk KTP. Periksa kembali NIK-nya."
NIK_DATE_ID = (
    "Angka ke-7 sampai ke-12 NIK harus berupa tanggal lahir yang benar "
    "(DDMMYY: tanggal, bulan, tahun; untuk perempuan, tanggal ditambah 40)."
)


def create_companion(**overrides) -> Companion:
    arguments = {
        "username": "siti",
        "full_name": "Siti Aminah",
        "nik": "3307104108900001",
        "phone": "0812-3456-7890",
        "village": VillageFactory(code="33.07.10.2004"),
        "password": TEST_PASSWORD,
    }
    arguments.update(overrides)
    return companion_create(**arguments)


def test_companion_create_reads_a_womans_gender_and_birth_date_from_the_nik():
    companion = create_companion(nik="3307104108900001")
    companion.refresh_from_db()
    assert companion.gender == Companion.Gender.FEMALE
    assert companion.birth_date == datetime.date(1990, 8, 1)


def test_companion_create_reads_a_mans_gender_and_birth_date_from_the_nik():
    companion = create_companion(username="budi", full_name="Budi Santoso", nik="3307102512850003")
    companion.refresh_from_db()
    assert companion.gender == Companion.Gender.MALE
    assert companion.birth_date == datetime.date(1985, 12, 25)


def test_companion_create_stores_the_phone_as_e164_on_the_account():
    companion = create_companion(phone="0812-3456-7890")
    assert User.objects.get(username="siti").phone == "+6281234567890"
    assert companion.phone == "+6281234567890"


def test_companion_create_puts_the_account_in_the_companion_group():
    companion = create_companion()
    assert list(companion.user.groups.values_list("name", flat=True)) == ["Companion"]


def test_companion_create_sets_a_password_the_companion_can_log_in_with():
    companion = create_companion(password=TEST_PASSWORD)
    assert companion.user.check_password(TEST_PASSWORD)
    assert companion.user.full_name == "Siti Aminah"


def test_companion_create_refuses_a_nik_already_taken_and_creates_no_account():
    CompanionFactory(nik="3307104108900001")
    users_before = User.objects.count()
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        create_companion(nik="3307104108900001")
    assert raised.value.message_dict == {"nik": [DUPLICATE_NIK_ID]}
    assert User.objects.count() == users_before
    assert not User.objects.filter(username="siti").exists()
    assert Companion.objects.count() == 1


@pytest.mark.parametrize(
    ("nik", "message"),
    [("33071041089000", NIK_FORMAT_ID), ("3307103102900001", NIK_DATE_ID)],
    ids=["too-short", "31-february"],
)
def test_companion_create_refuses_a_malformed_nik_and_creates_no_account(nik, message):
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        create_companion(nik=nik)
    assert raised.value.messages == [message]
    assert not User.objects.filter(username="siti").exists()
    assert not Companion.objects.exists()


def test_companion_create_rolls_back_the_account_when_the_companion_row_is_refused():
    unsaved_village = VillageFactory.build(code="33.07.10.2004")
    with pytest.raises(ValidationError) as raised:
        create_companion(village=unsaved_village)
    assert set(raised.value.message_dict) == {"village"}
    assert not User.objects.filter(username="siti").exists()
    assert not Companion.objects.exists()


def test_village_upsert_creates_the_village_then_updates_its_names():
    created = village_upsert(
        code="33.07.10.2004", name="Kalidesel", kecamatan="Watumalang", kabupaten="Wonosobo", provinsi="Jawa Tengah"
    )
    updated = village_upsert(
        code="33.07.10.2004",
        name="Kali Desel",
        kecamatan="Watu Malang",
        kabupaten="Kabupaten Wonosobo",
        provinsi="Jawa Tengah",
        code_version="kepmendagri-300.2.2-2138-2025",
    )
    assert updated.pk == created.pk
    assert Village.objects.count() == 1
    village = Village.objects.get(code="33.07.10.2004")
    assert (village.name, village.kecamatan, village.kabupaten, village.provinsi) == (
        "Kali Desel",
        "Watu Malang",
        "Kabupaten Wonosobo",
        "Jawa Tengah",
    )
    assert village.code_version == "kepmendagri-300.2.2-2138-2025"


def test_village_upsert_keeps_the_code_table_when_none_is_given():
    village_upsert(code="33.07.10.2004", name="Kalidesel", kecamatan="W", kabupaten="Wonosobo", provinsi="Jawa Tengah")
    village = Village.objects.get(code="33.07.10.2004")
    assert village.code_version == "permendagri-137-2017"


def test_village_upsert_refuses_a_malformed_code():
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        village_upsert(code="33.70.10.2004", name="X", kecamatan="Y", kabupaten="Z", provinsi="Jawa Tengah")
    assert raised.value.message_dict == {
        "code": ["Bagian kabupaten pada kode desa bernilai 01 sampai 69 (kabupaten) atau 71 sampai 99 (kota)."]
    }
    assert not Village.objects.exists()


def test_user_create_with_password_hash_stores_that_hash():
    password_hash = make_password("kata-sandi-bersama")
    user = user_create(username="pelatih1", full_name="Pelatih Satu", password_hash=password_hash)
    user.refresh_from_db()
    assert user.password == password_hash
    assert user.check_password("kata-sandi-bersama")


def test_user_create_with_password_hashes_it():
    user = user_create(username="pelatih2", full_name="Pelatih Dua", password=TEST_PASSWORD)
    user.refresh_from_db()
    assert user.password != TEST_PASSWORD
    assert user.check_password(TEST_PASSWORD)


def test_user_create_puts_the_account_in_the_named_groups():
    user = user_create(username="koordinator", full_name="Koor", password=TEST_PASSWORD, groups=("Coordinator",))
    assert list(user.groups.values_list("name", flat=True)) == ["Coordinator"]


def test_user_create_without_phone_leaves_it_empty():
    user = user_create(username="tanpa-hp", full_name="Tanpa HP", password=TEST_PASSWORD)
    assert user.phone == ""


def test_user_create_refuses_a_landline():
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        user_create(username="kantor", full_name="Kantor", password=TEST_PASSWORD, phone="021-5551234")
    assert raised.value.messages == ["Masukkan nomor HP Indonesia, misalnya 0812-3456-7890 atau +62 812 3456 7890."]
    assert not User.objects.filter(username="kantor").exists()


def test_user_create_refuses_a_phone_already_in_use():
    UserFactory(username="budi", phone="+6281234567890")
    with pytest.raises(ValidationError):
        user_create(username="siti", full_name="Siti", password=TEST_PASSWORD, phone="0812 3456 7890")
    assert not User.objects.filter(username="siti").exists()


def test_user_create_reports_a_phone_already_in_use_on_the_phone_field():
    UserFactory(username="budi", phone="+6281234567890")
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        user_create(username="siti", full_name="Siti", password=TEST_PASSWORD, phone="0812 3456 7890")
    assert list(raised.value.message_dict) == ["phone"]
    assert "people_user_phone_unique" not in " ".join(raised.value.messages)


def log_entries(instance, action="wagtail.edit"):
    return ModelLogEntry.objects.for_instance(instance).filter(action=action)


# Usernames are one name whatever their case


def test_database_refuses_a_username_that_differs_only_in_case():
    UserFactory(username="budi")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="BUDI", full_name="Budi Lain")


def test_user_create_refuses_a_username_that_differs_only_in_case_on_the_username_field():
    UserFactory(username="budi")
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        user_create(username="BUDI", full_name="Budi Lain", password=TEST_PASSWORD)
    assert raised.value.message_dict == {"username": [USERNAME_TAKEN_ID]}
    assert User.objects.filter(username__iexact="budi").count() == 1


def test_user_create_gives_one_message_for_the_very_same_username():
    UserFactory(username="budi")
    with pytest.raises(ValidationError) as raised:
        user_create(username="budi", full_name="Budi Lain", password=TEST_PASSWORD)
    assert list(raised.value.message_dict) == ["username"]
    assert len(raised.value.message_dict["username"]) == 1


def test_user_update_refuses_a_username_another_account_has_in_another_case():
    UserFactory(username="budi")
    siti = UserFactory(username="siti")
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        user_update(user=siti, by=None, username="Budi")
    assert raised.value.message_dict == {"username": [USERNAME_TAKEN_ID]}
    siti.refresh_from_db()
    assert siti.username == "siti"


def test_user_may_change_the_case_of_their_own_username():
    budi = UserFactory(username="budi")
    user_update(user=budi, by=None, username="Budi")
    budi.refresh_from_db()
    assert budi.username == "Budi"


# Passwords


def test_user_create_runs_the_password_validators():
    with pytest.raises(ValidationError) as raised:
        user_create(username="baru", full_name="Baru", password="12345678")
    assert list(raised.value.message_dict) == ["password"]
    assert not User.objects.filter(username="baru").exists()


def test_companion_create_refuses_a_numeric_password_and_creates_nothing():
    with pytest.raises(ValidationError) as raised:
        create_companion(password="12345678")
    assert list(raised.value.message_dict) == ["password"]
    assert not User.objects.exists() and not Companion.objects.exists()


def test_user_update_runs_the_password_validators_and_keeps_the_old_password():
    user = UserFactory(username="budi", groups=["Coordinator"])
    with pytest.raises(ValidationError) as raised:
        user_update(user=user, by=None, password="budi")
    assert list(raised.value.message_dict) == ["password"]
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


# user_update


def test_user_update_saves_the_changes_and_logs_who_made_them():
    coordinator = UserFactory(groups=["Coordinator"])
    user = UserFactory(username="budi", full_name="Budi", phone="")
    user_update(user=user, by=coordinator, full_name=" Budi Santoso ", phone="0812 3456 7890", groups=["Trainer"])
    user.refresh_from_db()
    assert (user.full_name, user.phone) == ("Budi Santoso", "+6281234567890")
    assert list(user.groups.values_list("name", flat=True)) == ["Trainer"]
    entry = log_entries(user).get()
    assert entry.user_id == coordinator.pk
    assert entry.data == {"fields": ["full_name", "groups", "phone"]}


def test_user_update_without_a_real_change_writes_nothing():
    user = UserFactory(username="budi", full_name="Budi", groups=["Trainer"])
    user_update(user=user, by=None, full_name="Budi", groups=["Trainer"])
    assert not log_entries(user).exists()


def test_user_update_deactivates_an_account():
    user = UserFactory(username="budi")
    user_update(user=user, by=None, is_active=False)
    user.refresh_from_db()
    assert not user.is_active


def test_user_update_refuses_a_phone_in_use_on_the_phone_field():
    UserFactory(username="budi", phone="+6281234567890")
    siti = UserFactory(username="siti", phone="")
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        user_update(user=siti, by=None, phone="0812-3456-7890")
    assert raised.value.message_dict == {"phone": [PHONE_TAKEN_ID]}


def test_update_services_refuse_a_field_they_do_not_know():
    with pytest.raises(TypeError):
        user_update(user=UserFactory(), by=None, date_joined=datetime.datetime(2017, 1, 1))


# companion_create and companion_update


def test_companion_create_refuses_a_holder_under_17_and_creates_nothing():
    born = datetime.date.today() - datetime.timedelta(days=16 * 365)
    nik = f"330710{born:%d%m%y}0001"
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        create_companion(nik=nik)
    assert raised.value.message_dict == {"nik": [NIK_AGE_ID]}
    assert not User.objects.exists()


def test_companion_create_logs_the_account_and_the_companion():
    coordinator = UserFactory(groups=["Coordinator"])
    companion = create_companion(by=coordinator)
    assert log_entries(companion, "wagtail.create").get().user_id == coordinator.pk
    assert log_entries(companion.user, "wagtail.create").get().user_id == coordinator.pk


def test_companion_update_with_a_new_nik_rereads_gender_and_birth_date():
    companion = CompanionFactory(nik="3307100108900001")
    companion_update(companion=companion, by=None, nik="3307105508900001")
    companion.refresh_from_db()
    assert (companion.nik, companion.gender, companion.birth_date) == (
        "3307105508900001",
        "F",
        datetime.date(1990, 8, 15),
    )
    assert log_entries(companion).get().data == {"fields": ["nik"]}


def test_companion_update_checks_a_new_nik_against_the_day_of_registration():
    companion = CompanionFactory(nik="3307100108900001")
    User.objects.filter(pk=companion.user.pk).update(date_joined=datetime.datetime(2017, 10, 30, tzinfo=datetime.UTC))
    companion.refresh_from_db()
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        companion_update(companion=companion, by=None, nik="3307100111000001")  # 17 on 1 November 2017
    assert raised.value.message_dict == {"nik": [NIK_AGE_ID]}
    companion.refresh_from_db()
    assert companion.nik == "3307100108900001"


def test_companion_update_refuses_a_nik_another_companion_has():
    CompanionFactory(nik="3307104108900001")
    companion = CompanionFactory(nik="3307100108900001")
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        companion_update(companion=companion, by=None, nik="3307104108900001")
    assert raised.value.message_dict == {"nik": [DUPLICATE_NIK_ID]}


def test_companion_update_changes_the_persons_name_on_the_account():
    companion = CompanionFactory(user=UserFactory(username="siti", full_name="Siti", groups=["Companion"]))
    companion_update(companion=companion, by=None, full_name="Siti Aminah")
    assert User.objects.get(username="siti").full_name == "Siti Aminah"
    assert log_entries(companion.user).get().data == {"fields": ["full_name"]}
    assert not log_entries(companion).exists()


def test_village_update_saves_only_a_real_change():
    village = VillageFactory(code="33.07.10.2004", name="Kuripan")
    village_update(village=village, by=None, name="Kuripan", kecamatan=village.kecamatan)
    assert not log_entries(village).exists()
    village_update(village=village, by=None, name=" Kali Desel ")
    village.refresh_from_db()
    assert village.name == "Kali Desel"
    assert log_entries(village).get().data == {"fields": ["name"]}
