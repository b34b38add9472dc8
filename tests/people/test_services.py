"""Creating accounts, companions and villages through people.services."""

import datetime

import pytest

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils import translation

from people.models import Companion, User, Village
from people.services import companion_create, user_create, village_upsert
from tests.factories import TEST_PASSWORD, CompanionFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db

DUPLICATE_NIK_ID = "Pendamping dengan NIK ini sudah ada."
NIK_FORMAT_ID = "NIK harus terdiri dari tepat 16 angka."
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
