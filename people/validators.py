"""Pure validators for Indonesian identifiers: NIK, mobile phone numbers, Kemendagri region codes.

Each `parse_*`/`normalize_*` function raises ValidationError with a message in the active
language; the Django validators below wrap them for model fields and forms.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIK_PATTERN = re.compile(r"[0-9]{16}")
# PP.KK.CC.TDDD: province, kabupaten (01-69) or kota (71-99), kecamatan, village whose first
# digit is 1 kelurahan, 2 desa, 3 desa adat (Permendagri 137/2017; Wikidata P2588).
VILLAGE_CODE_PATTERN = re.compile(r"[1-9][0-9]\.[0-9]{2}\.[0-9]{2}\.[123][0-9]{3}")
PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
PHONE_NATIONAL_DIGITS = re.compile(r"8[0-9]{8,11}")
KTP_AGE = 17


def nik_birth_date(nik: str) -> tuple[datetime.date | None, str]:
    """Return the (birth date, gender) that digits 7-12 of a NIK encode.

    Women have 40 added to the day. The year has two digits; the century is chosen so the
    person is not born in the future. Only ASCII digits count: `\\d` would let other scripts'
    digits through. Raises ValidationError when the NIK is malformed.
    """
    nik = (nik or "").strip()
    if not NIK_PATTERN.fullmatch(nik):
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_format")
    if nik[:2] == "00" or nik[2:4] == "00" or nik[4:6] == "00":
        raise ValidationError(_("The first six digits of a NIK must be a region code."), code="nik_region")
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = "M"
    if day > 40:
        day -= 40
        gender = "F"
    try:
        born = datetime.date(2000 + year, month, day)
        if born > datetime.date.today():
            born = datetime.date(1900 + year, month, day)
    except ValueError:
        raise ValidationError(
            _("Digits 7 to 12 of a NIK must be a real birth date (DDMMYY, day plus 40 for women)."),
            code="nik_date",
        ) from None
    return born, gender


def validate_nik(value: str) -> None:
    nik_birth_date(value)


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    """Whole years from `birth_date` to `today`; someone born on 29 February ages on 1 March."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def validate_ktp_age(nik: str, *, today: datetime.date) -> None:
    """Refuse a NIK whose holder is under KTP_AGE on `today`: too young for the KTP it is read from.

    Every child has a NIK (on the family card), but the KTP a companion registers with is issued
    at 17 (UU 24/2013, Art. 63), so a younger holder means a mistyped NIK or the wrong person.
    """
    birth_date = nik_birth_date(nik)[0]
    if age_on(birth_date, today) < KTP_AGE:
        raise ValidationError(_("The NIK's holder is under 17, too young for a KTP. Check the NIK."), code="nik_age")


def mask_nik(nik: str) -> str:
    """Show the region and the last two digits only, as UU 27/2022 (PDP) asks: 3307 10•• •••• ••00."""
    if not nik or len(nik) != 16:
        return "•" * 16
    return f"{nik[:4]} {nik[4:6]}•• •••• ••{nik[-2:]}"


def normalize_phone(value: str) -> str:
    """Return an Indonesian mobile number in E.164 (+628…) from 0812…, +62 812…, 62812… or 812…."""
    raw = PHONE_SEPARATORS.sub("", value or "")
    if raw.startswith("+62"):
        national = raw[3:]
    elif raw.startswith("62"):
        national = raw[2:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        national = raw
    if not PHONE_NATIONAL_DIGITS.fullmatch(national):
        raise ValidationError(
            _("Enter an Indonesian mobile number, for example 0812-3456-7890 or +62 812 3456 7890."),
            code="phone_format",
        )
    return f"+62{national}"


def validate_phone(value: str) -> None:
    normalize_phone(value)


def validate_village_code(value: str) -> None:
    if not VILLAGE_CODE_PATTERN.fullmatch(value or ""):
        raise ValidationError(
            _("A village code has the form PP.KK.CC.DDDD, for example 33.07.10.2004."),
            code="village_code_format",
        )
    kabupaten = int(value[3:5])
    if kabupaten in (0, 70):
        raise ValidationError(
            _("The kabupaten part of a village code is 01 to 69 (kabupaten) or 71 to 99 (kota)."),
            code="village_code_kabupaten",
        )
    if value[6:8] == "00":
        raise ValidationError(_("The kecamatan part of a village code cannot be 00."), code="village_code_kecamatan")
