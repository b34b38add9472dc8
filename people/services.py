"""Every write to accounts, companions and villages goes through here."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Companion, User, Village
from .validators import nik_birth_date, normalize_phone

COMPANION = "Companion"  # the group made by migration lms.0001_roles


def village_upsert(
    *, code: str, name: str, kecamatan: str, kabupaten: str, provinsi: str, code_version: str = ""
) -> Village:
    """Create the village or bring its names up to date; the Kemendagri code identifies it."""
    village = Village.objects.filter(code=code).first() or Village(code=code)
    village.name, village.kecamatan, village.kabupaten, village.provinsi = name, kecamatan, kabupaten, provinsi
    if code_version:
        village.code_version = code_version
    village.full_clean()
    village.save()
    return village


def user_create(
    *,
    username: str,
    full_name: str,
    password: str = "",
    password_hash: str = "",
    email: str = "",
    phone: str = "",
    groups: tuple[str, ...] = (),
) -> User:
    """Create an account. `password_hash` (from make_password) saves hashing the same password per row."""
    try:
        phone = normalize_phone(phone) if phone.strip() else ""
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
    if phone and User.objects.filter(phone=phone).exists():
        raise ValidationError({"phone": _("Another account already uses this mobile number.")}, code="phone_taken")
    user = User(username=username.strip(), full_name=full_name.strip(), email=email.strip(), phone=phone)
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    return user


@transaction.atomic
def companion_create(
    *,
    username: str,
    full_name: str,
    nik: str,
    phone: str,
    village: Village,
    password: str = "",
    password_hash: str = "",
    email: str = "",
) -> Companion:
    """An account in the Companion group and its companion record; gender and birth date come from the NIK."""
    nik = nik.strip()
    try:
        birth_date, gender = nik_birth_date(nik)
    except ValidationError as error:
        raise ValidationError({"nik": error.messages}) from None
    if Companion.objects.filter(nik=nik).exists():
        raise ValidationError({"nik": _("A companion with this NIK already exists.")})
    user = user_create(
        username=username,
        full_name=full_name,
        password=password,
        password_hash=password_hash,
        email=email,
        phone=phone,
        groups=(COMPANION,),
    )
    companion = Companion(user=user, nik=nik, gender=gender, birth_date=birth_date, village=village)
    companion.full_clean()
    companion.save()
    return companion


def village_update(*, village: Village) -> Village:
    """Save a village changed in the admin, checking its code first."""
    village.full_clean()
    village.save()
    return village


def companion_update(*, companion: Companion) -> Companion:
    """Save a companion changed in the admin; gender and birth date follow the (corrected) NIK."""
    companion.nik = companion.nik.strip()
    try:
        companion.birth_date, companion.gender = nik_birth_date(companion.nik)
    except ValidationError as error:
        raise ValidationError({"nik": error.messages}) from None
    companion.full_clean()
    companion.save()
    return companion
