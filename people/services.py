"""Every write to accounts, companions and villages goes through here.

Create services take the new record's data; update services take the record as stored and the
changes as keyword arguments, compare old and new, and save only what differs. Each writes its
own audit-log entry; `by` is the person acting, None when the system does (the demo, an import).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import LogContext, log

from . import access
from .backends import find_user
from .models import AccessGrant, Companion, User, Village
from .throttle import LoginAttempt, account_identity, login_attempt_begin, login_attempt_succeeded
from .validators import nik_birth_date, normalize_phone, validate_ktp_age

COMPANION = "Companion"  # the group made by migration lms.0001_roles

ACCOUNT_FIELDS = ("username", "full_name", "email", "phone", "password", "is_active", "is_superuser", "groups")
# The person behind a companion: changed through companion_update, saved on the account.
PERSON_FIELDS = ("username", "full_name", "email", "phone")
COMPANION_FIELDS = ("nik", "village")
VILLAGE_FIELDS = ("code", "name", "kecamatan", "kabupaten", "provinsi", "code_version")

# Constraints on an expression or with a condition report to no field; these codes belong to one.
CONSTRAINT_FIELDS = {"username_taken": "username", "phone_taken": "phone"}


def errors_on_fields(error: ValidationError) -> ValidationError:
    """Move the non-field errors of the constraints named in CONSTRAINT_FIELDS onto their field.

    A field that receives one loses its own "unique" error, which would say the same again.
    """
    if not hasattr(error, "error_dict"):
        return error
    placed: dict[str, list[ValidationError]] = {}
    for field, errors in error.error_dict.items():
        for item in errors:
            target = CONSTRAINT_FIELDS.get(item.code, field) if field == NON_FIELD_ERRORS else field
            placed.setdefault(target, []).append(item)
    for field, errors in placed.items():
        if any(item.code in CONSTRAINT_FIELDS for item in errors):
            placed[field] = [item for item in errors if item.code != "unique"]
    return ValidationError(placed)


def checked_save(instance: models.Model) -> None:
    """full_clean() then save(); a twin written between the two still ends as a ValidationError."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise errors_on_fields(error) from None
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        try:
            instance.full_clean()
        except ValidationError as error:
            raise errors_on_fields(error) from None
        raise


def known_changes(changes: dict, fields: Iterable[str]) -> dict:
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    return dict(changes)


def apply_changes(instance: models.Model, changes: dict) -> list[str]:
    """Set the fields whose value differs from the instance's and return their names."""
    changed = []
    for field, value in changes.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    return changed


def log_change(*, instance: models.Model, by: User | None, changed: Iterable[str], **data) -> None:
    """One "edited" entry naming the changed fields; values stay out, a NIK among them (UU 27/2022)."""
    log(instance=instance, action="wagtail.edit", user=by, data={"fields": sorted(changed), **data})


def phone_normalized(phone: str) -> str:
    try:
        return normalize_phone(phone) if phone.strip() else ""
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None


def password_set(user: User, password: str) -> None:
    """Hash the password after Django's password validators accept it for this account."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)


def nik_facts(nik: str, *, registered_on: datetime.date, companion: Companion | None = None) -> tuple:
    """The (birth date, gender) of a NIK a companion may register with; errors on the nik field."""
    try:
        birth_date, gender = nik_birth_date(nik)
        validate_ktp_age(nik, today=registered_on)
    except ValidationError as error:
        raise ValidationError({"nik": error.messages}) from None
    twins = Companion.objects.filter(nik=nik)
    if companion is not None:
        twins = twins.exclude(pk=companion.pk)
    if twins.exists():
        raise ValidationError({"nik": _("A companion with this NIK already exists.")})
    return birth_date, gender


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    by: User | None = None,
    password: str = "",
    password_hash: str = "",
    email: str = "",
    phone: str = "",
    is_superuser: bool = False,
    groups: Iterable[str] = (),
) -> User:
    """Create an account. `password_hash` (from make_password) saves hashing the same password per row."""
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        email=email.strip(),
        phone=phone_normalized(phone),
        is_superuser=is_superuser,
    )
    if password_hash:
        user.password = password_hash
    else:
        password_set(user, password)
    checked_save(user)
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    log(instance=user, action="wagtail.create", user=by)
    return user


@transaction.atomic
def user_update(*, user: User, by: User | None, **changes) -> User:
    """Change an account: any of ACCOUNT_FIELDS; `groups` by name, `password` in plain text."""
    changes = known_changes(changes, ACCOUNT_FIELDS)
    groups = changes.pop("groups", None)
    password = changes.pop("password", "")
    for field in ("username", "full_name", "email"):
        if field in changes:
            changes[field] = changes[field].strip()
    if "phone" in changes:
        changes["phone"] = phone_normalized(changes["phone"])
    changed = apply_changes(user, changes)
    if password:
        password_set(user, password)
        changed.append("password")
    if changed:
        checked_save(user)
    if groups is not None:
        wanted = set(Group.objects.filter(name__in=groups))
        if wanted != set(user.groups.all()):
            user.groups.set(wanted)
            changed.append("groups")
    if changed:
        log_change(instance=user, by=by, changed=changed)
    return user


@transaction.atomic
def companion_create(
    *,
    username: str,
    full_name: str,
    nik: str,
    phone: str,
    village: Village,
    by: User | None = None,
    password: str = "",
    password_hash: str = "",
    email: str = "",
) -> Companion:
    """An account in the Companion group and its companion record; gender and birth date come from the NIK."""
    nik = nik.strip()
    birth_date, gender = nik_facts(nik, registered_on=timezone.localdate())
    user = user_create(
        username=username,
        full_name=full_name,
        by=by,
        password=password,
        password_hash=password_hash,
        email=email,
        phone=phone,
        groups=(COMPANION,),
    )
    companion = Companion(user=user, nik=nik, gender=gender, birth_date=birth_date, village=village)
    checked_save(companion)
    log(instance=companion, action="wagtail.create", user=by)
    return companion


@transaction.atomic
def companion_update(*, companion: Companion, by: User | None, **changes) -> Companion:
    """Change a companion (COMPANION_FIELDS) or the person's account (PERSON_FIELDS).

    A new NIK brings its gender and birth date, and is checked against the day the companion
    was registered.
    """
    changes = known_changes(changes, COMPANION_FIELDS + PERSON_FIELDS)
    person = {field: changes.pop(field) for field in PERSON_FIELDS if field in changes}
    if "nik" in changes:
        changes["nik"] = changes["nik"].strip()
    changed = apply_changes(companion, changes)
    if "nik" in changed:
        registered_on = timezone.localdate(companion.user.date_joined)
        companion.birth_date, companion.gender = nik_facts(
            companion.nik, registered_on=registered_on, companion=companion
        )
    if changed:
        checked_save(companion)
        log_change(instance=companion, by=by, changed=changed)
    if person:
        user_update(user=companion.user, by=by, **person)
    return companion


def village_create(
    *,
    code: str,
    name: str,
    kecamatan: str,
    kabupaten: str,
    provinsi: str,
    code_version: str = "",
    by: User | None = None,
) -> Village:
    village = Village(code=code.strip())
    apply_changes(village, village_names(name, kecamatan, kabupaten, provinsi, code_version))
    checked_save(village)
    log(instance=village, action="wagtail.create", user=by)
    return village


def village_update(*, village: Village, by: User | None, **changes) -> Village:
    """Change a village's code or names (VILLAGE_FIELDS)."""
    changes = {field: value.strip() for field, value in known_changes(changes, VILLAGE_FIELDS).items()}
    changed = apply_changes(village, changes)
    if changed:
        checked_save(village)
        log_change(instance=village, by=by, changed=changed)
    return village


def village_upsert(
    *,
    code: str,
    name: str,
    kecamatan: str,
    kabupaten: str,
    provinsi: str,
    code_version: str = "",
    by: User | None = None,
) -> Village:
    """Create the village or bring its names up to date; the Kemendagri code identifies it."""
    village = Village.objects.filter(code=code.strip()).first()
    if village is None:
        return village_create(
            code=code,
            name=name,
            kecamatan=kecamatan,
            kabupaten=kabupaten,
            provinsi=provinsi,
            code_version=code_version,
            by=by,
        )
    return village_update(village=village, by=by, **village_names(name, kecamatan, kabupaten, provinsi, code_version))


def village_names(name: str, kecamatan: str, kabupaten: str, provinsi: str, code_version: str = "") -> dict:
    names = {"name": name, "kecamatan": kecamatan, "kabupaten": kabupaten, "provinsi": provinsi}
    if code_version:  # none given keeps the stored (or default) code table
        names["code_version"] = code_version
    return {field: value.strip() for field, value in names.items()}


@dataclass(frozen=True)
class IssuedAccess:
    """A grant and its secret (the link's token or the code), which exists only in this object."""

    grant: AccessGrant
    secret: str


class AccessRefused(Exception):
    """A link or code that does not let anyone in; `reason` is an AccessGrant.State or "unknown"/"inactive"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def access_grants_issue(
    *, users: Sequence[User], kind: str, by: User | None, now: datetime.datetime | None = None
) -> list[IssuedAccess]:
    """A new login link or code for each account; any grant still live for them stops working.

    One grant per account is live at a time (a constraint), so a link sent earlier, or a code on
    a sheet printed earlier, is revoked here. Each account gets its own audit-log entry.
    """
    now = now or timezone.now()
    ids = [user.pk for user in users]
    # The account rows are locked first, so two coordinators issuing at once queue, not collide.
    list(User.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    AccessGrant.objects.filter(user_id__in=ids, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    expires_at = now + datetime.timedelta(days=settings.ACCESS_GRANT_DAYS)
    issued = []
    for user in users:
        if kind == AccessGrant.Kind.LINK:
            secret = access.new_link_token()
            token_hash = access.link_hash(secret)
        else:
            secret = access.new_code()
            token_hash = access.code_hash(user.pk, secret)
        grant = AccessGrant(
            user=user, kind=kind, token_hash=token_hash, created_by=by, created_at=now, expires_at=expires_at
        )
        issued.append(IssuedAccess(grant=grant, secret=secret))
    AccessGrant.objects.bulk_create([item.grant for item in issued])
    for user in users:
        # A context of its own: Wagtail's history shows one entry per context and action, across all accounts.
        with LogContext(user=by):
            log(instance=user, action="people.access_issue", user=by, data={"kind": kind})
    return issued


def access_link_issue(*, user: User, by: User | None) -> IssuedAccess:
    """A one-time login link for one account; the password, if any, keeps working."""
    return access_grants_issue(users=[user], kind=AccessGrant.Kind.LINK, by=by)[0]


@transaction.atomic
def access_reset(*, user: User, by: User | None) -> IssuedAccess:
    """A lost phone or a forgotten password: the password stops working, every session ends, a new link.

    Making the password unusable changes the hash that each session is checked against, so the
    account is logged out everywhere.
    """
    user.set_unusable_password()
    user.save(update_fields=["password"])
    issued = access_link_issue(user=user, by=by)
    log(instance=user, action="people.access_reset", user=by)
    return issued


def _grant_check(grant: AccessGrant | None, *, now: datetime.datetime) -> User:
    """The account a live grant lets in, or AccessRefused with the reason it does not."""
    if grant is None:
        raise AccessRefused("unknown")
    state = grant.state(now)
    if state != AccessGrant.State.LIVE:
        raise AccessRefused(state)
    if not grant.user.is_active:
        raise AccessRefused("inactive")
    return grant.user


def _grant_use(grant: AccessGrant | None, *, now: datetime.datetime) -> User:
    """Mark the grant used, or raise AccessRefused; one conditional UPDATE, so two clicks use it once."""
    _grant_check(grant, now=now)
    live = AccessGrant.objects.filter(pk=grant.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
    if not live.update(used_at=now):
        grant.refresh_from_db()
        raise AccessRefused(grant.state(now))
    log(instance=grant.user, action="people.access_use", user=grant.user, data={"kind": grant.kind})
    return grant.user


def access_link_check(*, token: str) -> User:
    """The account a login link would let in, without using it; AccessRefused otherwise."""
    return _grant_check(access_link_find(token), now=timezone.now())


def access_link_find(token: str) -> AccessGrant | None:
    """The grant a link's token points to, whatever its state."""
    hashes = [access.link_hash(token, secret=secret) for secret in access.secrets_in_use()]
    return AccessGrant.objects.select_related("user").filter(kind=AccessGrant.Kind.LINK, token_hash__in=hashes).first()


@transaction.atomic
def access_link_redeem(*, token: str, now: datetime.datetime | None = None) -> User:
    """The account a login link lets in, once; raises AccessRefused with the reason otherwise.

    No throttle: a token has 256 random bits, beyond guessing.
    """
    return _grant_use(access_link_find(token), now=now or timezone.now())


def access_code_redeem(*, identifier: str, code: str, address: str, now: datetime.datetime | None = None) -> User:
    """The account whose username or phone and login code were typed, once.

    Every try counts in the login throttle (people/throttle.py), the same counters as passwords:
    past a limit it raises LoginThrottled before the code is checked.
    """
    now = now or timezone.now()
    user = find_user(identifier)
    attempt = LoginAttempt(account=account_identity(user=user, typed=identifier), address=address)
    login_attempt_begin(attempt=attempt)
    typed = access.code_typed(code)
    grant = None
    if user is not None and typed:
        hashes = [access.code_hash(user.pk, typed, secret=secret) for secret in access.secrets_in_use()]
        grant = (
            AccessGrant.objects.select_related("user")
            .filter(user=user, kind=AccessGrant.Kind.CODE, token_hash__in=hashes)
            .first()
        )
    with transaction.atomic():
        user = _grant_use(grant, now=now)
    login_attempt_succeeded(attempt=attempt)
    return user
