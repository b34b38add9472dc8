"""NIK, phone and village-code validators are pure functions: no database here."""

import datetime
import types

import pytest

from django.core.exceptions import ValidationError
from django.utils import translation

from people import validators
from people.validators import (
    mask_nik,
    nik_birth_date,
    normalize_phone,
    validate_nik,
    validate_phone,
    validate_village_code,
)

# The Indonesian messages, copied from locale/id/LC_MESSAGES/django.po.
NIK_FORMAT_ID = "NIK harus terdiri dari tepat 16 angka."
NIK_REGION_ID = "Enam angka pertama NIK harus berupa kode wilayah."
NIK_DATE_ID = (
    "Angka ke-7 sampai ke-12 NIK harus berupa tanggal lahir yang benar "
    "(DDMMYY: tanggal, bulan, tahun; untuk perempuan, tanggal ditambah 40)."
)
PHONE_FORMAT_ID = "Masukkan nomor HP Indonesia, misalnya 0812-3456-7890 atau +62 812 3456 7890."
VILLAGE_FORMAT_ID = "Kode desa berbentuk PP.KK.CC.DDDD, misalnya 33.07.10.2004."
VILLAGE_KABUPATEN_ID = "Bagian kabupaten pada kode desa bernilai 01 sampai 69 (kabupaten) atau 71 sampai 99 (kota)."
VILLAGE_KECAMATAN_ID = "Bagian kecamatan pada kode desa tidak boleh 00."


def indonesian_messages(function, value) -> list[str]:
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        function(value)
    return raised.value.messages


def frozen_today(monkeypatch, today: datetime.date) -> None:
    """Make `datetime.date.today()` inside people.validators return `today`."""

    class FrozenDate(datetime.date):
        @classmethod
        def today(cls):
            return cls(today.year, today.month, today.day)

    monkeypatch.setattr(validators, "datetime", types.SimpleNamespace(date=FrozenDate))


# NIK


def test_nik_of_a_man_gives_his_birth_date_and_gender_m():
    assert nik_birth_date("3307100108900001") == (datetime.date(1990, 8, 1), "M")


def test_nik_of_a_woman_has_forty_added_to_the_day():
    assert nik_birth_date("3307104108900001") == (datetime.date(1990, 8, 1), "F")


def test_nik_of_a_woman_born_on_the_31st_has_day_71():
    assert nik_birth_date("3307107112850002") == (datetime.date(1985, 12, 31), "F")


def test_nik_with_surrounding_spaces_is_read():
    assert nik_birth_date(" 3307100108900001 ") == (datetime.date(1990, 8, 1), "M")


def test_validate_nik_accepts_a_valid_nik():
    assert validate_nik("3307104108900001") is None


@pytest.mark.parametrize(
    "nik",
    ["330710010890001", "33071001089000011", "", "330710010890000A", "3307-10-010890-01", "3307 1001 0890 0001"],
    ids=["15-digits", "17-digits", "empty", "letter", "dashes", "inner-spaces"],
)
def test_nik_that_is_not_16_digits_is_rejected(nik):
    assert indonesian_messages(validate_nik, nik) == [NIK_FORMAT_ID]


def test_nik_format_error_has_its_code():
    with pytest.raises(ValidationError) as raised:
        nik_birth_date("abc")
    assert raised.value.code == "nik_format"


@pytest.mark.parametrize(
    "nik",
    ["0007100108900001", "3300100108900001", "3307000108900001"],
    ids=["province-00", "kabupaten-00", "kecamatan-00"],
)
def test_nik_whose_region_part_is_00_is_rejected(nik):
    assert indonesian_messages(validate_nik, nik) == [NIK_REGION_ID]


@pytest.mark.parametrize(
    "nik",
    [
        "3307103102900001",  # 31 February
        "3307107102900001",  # 31 February, woman
        "3307103201900001",  # day 32
        "3307103601900001",  # day 36: neither a man's nor a woman's day
        "3307107201900001",  # day 72: a woman's 32nd
        "3307100001900001",  # day 00
        "3307100113900001",  # month 13
        "3307100100900001",  # month 00
    ],
)
def test_nik_whose_digits_7_to_12_are_not_a_real_date_is_rejected(nik):
    assert indonesian_messages(validate_nik, nik) == [NIK_DATE_ID]


def test_nik_year_is_in_this_century_when_that_is_not_in_the_future(monkeypatch):
    frozen_today(monkeypatch, datetime.date(2026, 6, 1))
    assert nik_birth_date("3307100101050001") == (datetime.date(2005, 1, 1), "M")
    assert nik_birth_date("3307100101260001") == (datetime.date(2026, 1, 1), "M")


def test_nik_year_is_in_the_last_century_when_this_one_would_be_in_the_future(monkeypatch):
    frozen_today(monkeypatch, datetime.date(2026, 6, 1))
    assert nik_birth_date("3307100101270001") == (datetime.date(1927, 1, 1), "M")


def test_nik_dated_later_this_year_is_not_a_birth_date_in_the_future(monkeypatch):
    frozen_today(monkeypatch, datetime.date(2026, 6, 1))
    born, _gender = nik_birth_date("3307101508260001")
    assert born <= datetime.date(2026, 6, 1)


def test_nik_in_arabic_indic_digits_is_rejected():
    assert indonesian_messages(validate_nik, "٣٣٠٧١٠٠١٠٨٩٠٠٠٠١") == [NIK_FORMAT_ID]


def test_mask_nik_shows_the_region_and_the_last_two_digits_only():
    assert mask_nik("3307100108900000") == "3307 10•• •••• ••00"


def test_mask_nik_hides_everything_when_the_nik_is_malformed():
    assert mask_nik("33071001") == "•" * 16
    assert mask_nik("") == "•" * 16


# Phone


@pytest.mark.parametrize(
    "phone",
    ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "81234567890", "(0812) 3456.7890", "+6281234567890"],
)
def test_mobile_number_in_any_usual_form_becomes_e164(phone):
    assert normalize_phone(phone) == "+6281234567890"


def test_shortest_and_longest_mobile_numbers_are_accepted():
    assert normalize_phone("0812345678") == "+62812345678"
    assert normalize_phone("0812345678901") == "+62812345678901"


@pytest.mark.parametrize(
    "phone",
    [
        "081234567",  # too short: 8 and eight digits
        "08123456789012",  # too long: 8 and twelve digits
        "+62 812 3456 7890 12",
        "021-5551234",  # Jakarta landline
        "+62 21 555 1234",
        "0812-abcd-7890",
        "nomor saya",
        "",
    ],
)
def test_what_is_not_an_indonesian_mobile_number_is_rejected(phone):
    assert indonesian_messages(validate_phone, phone) == [PHONE_FORMAT_ID]


def test_phone_error_has_its_code():
    with pytest.raises(ValidationError) as raised:
        normalize_phone("021-5551234")
    assert raised.value.code == "phone_format"


def test_mobile_number_with_arabic_indic_digits_is_rejected():
    assert indonesian_messages(validate_phone, "08١٢٣٤٥٦٧٨٩٠") == [PHONE_FORMAT_ID]


# Village code


@pytest.mark.parametrize("code", ["33.07.10.2004", "33.71.01.1001", "11.01.01.3001", "94.99.99.2999"])
def test_well_formed_village_code_is_accepted(code):
    assert validate_village_code(code) is None


@pytest.mark.parametrize(
    "code",
    ["33.07.10.4004", "33.07.10.0004", "3307102004", "03.07.10.2004", "33.7.10.2004", "33-07-10-2004", ""],
    ids=["village-type-4", "village-type-0", "no-dots", "province-03", "one-digit-kabupaten", "dashes", "empty"],
)
def test_village_code_of_the_wrong_form_is_rejected(code):
    assert indonesian_messages(validate_village_code, code) == [VILLAGE_FORMAT_ID]


@pytest.mark.parametrize("code", ["33.70.10.2004", "33.00.10.2004"])
def test_village_code_whose_kabupaten_is_00_or_70_is_rejected(code):
    assert indonesian_messages(validate_village_code, code) == [VILLAGE_KABUPATEN_ID]


def test_village_code_whose_kecamatan_is_00_is_rejected():
    assert indonesian_messages(validate_village_code, "33.07.00.2004") == [VILLAGE_KECAMATAN_ID]


NIK_AGE_ID = "Pemilik NIK ini belum berumur 17 tahun, belum cukup umur untuk KTP. Periksa kembali NIK-nya."


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (datetime.date(2000, 10, 30), datetime.date(2017, 10, 30), 17),
        (datetime.date(2000, 10, 31), datetime.date(2017, 10, 30), 16),
        (datetime.date(2000, 2, 29), datetime.date(2017, 2, 28), 16),
        (datetime.date(2000, 2, 29), datetime.date(2017, 3, 1), 17),
    ],
    ids=["birthday", "day-before-birthday", "leap-day-not-yet", "leap-day-on-1-march"],
)
def test_age_counts_whole_years(born, today, age):
    assert validators.age_on(born, today) == age


def test_nik_of_a_holder_who_turned_17_that_day_is_accepted():
    validators.validate_ktp_age("3307103010000001", today=datetime.date(2017, 10, 30))


def test_nik_of_a_holder_under_17_is_refused_with_the_indonesian_message():
    with translation.override("id"), pytest.raises(ValidationError) as raised:
        validators.validate_ktp_age("3307107110000001", today=datetime.date(2017, 10, 30))  # a woman, 31-10-2000
    assert raised.value.messages == [NIK_AGE_ID]
    assert raised.value.error_list[0].code == "nik_age"


def test_nik_of_a_child_is_refused():
    with pytest.raises(ValidationError):
        validators.validate_ktp_age("3307100101100001", today=datetime.date(2017, 10, 30))
