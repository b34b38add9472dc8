"""Accounts, companions (pendamping) and their villages."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .validators import mask_nik, validate_nik, validate_phone, validate_village_code


class User(AbstractUser):
    """A person who logs in. One `full_name`, since many Indonesians have a single name."""

    first_name = None
    last_name = None
    full_name = models.CharField(
        _("full name"), max_length=150, blank=True, help_text=_("As on the KTP; a single name is fine.")
    )
    phone = models.CharField(
        _("mobile phone"),
        max_length=16,
        blank=True,
        validators=[validate_phone],
        help_text=_("Stored as +62…; the person may log in with it instead of the username."),
    )

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # The login looks usernames up without regard to case, so `BUDI` and `budi` are one name.
            models.UniqueConstraint(
                Lower("username"),
                name="people_user_username_lower_unique",
                violation_error_code="username_taken",
                violation_error_message=_("This username is taken."),
            ),
            models.UniqueConstraint(
                fields=["phone"],
                condition=~models.Q(phone=""),
                name="people_user_phone_unique",
                violation_error_code="phone_taken",
                violation_error_message=_("Another account already uses this mobile number."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.username


class Village(models.Model):
    """A desa identified by its Kemendagri code `PP.KK.CC.DDDD` (Permendagri 137/2017)."""

    code = models.CharField(
        _("Kemendagri code"),
        max_length=13,
        unique=True,
        validators=[validate_village_code],
        help_text=_("Province.kabupaten.kecamatan.village, for example 33.07.10.2004."),
    )
    name = models.CharField(_("village"), max_length=100, help_text=_("The desa's name, without 'Desa'."))
    kecamatan = models.CharField(_("kecamatan"), max_length=100, help_text=_("Sub-district."))
    kabupaten = models.CharField(_("kabupaten/kota"), max_length=100, help_text=_("Regency or city."))
    provinsi = models.CharField(_("province"), max_length=100, help_text=_("For example Jawa Tengah."))
    code_version = models.CharField(
        _("code table"),
        max_length=40,
        default="permendagri-137-2017",
        help_text=_("Codes change when regions split; this names the table the code comes from."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")

    def __str__(self):
        return f"{self.name}, {self.kabupaten}"


class Companion(models.Model):
    """A pendamping: a villager chosen by the musyawarah desa to help its people migrate safely."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="companion", verbose_name=_("user"))
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        unique=True,
        validators=[validate_nik],
        help_text=_("Nomor Induk Kependudukan: 16 digits from the KTP."),
    )
    gender = models.CharField(
        _("gender"),
        max_length=1,
        choices=Gender.choices,
        help_text=_("Read from the NIK: women have 40 added to the day."),
    )
    birth_date = models.DateField(_("birth date"), help_text=_("Read from the NIK."))
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        related_name="companions",
        verbose_name=_("village"),
        help_text=_("The village that chose this companion."),
    )

    class Meta:
        ordering = [Lower("user__full_name")]
        verbose_name = _("companion")
        verbose_name_plural = _("companions")
        constraints = [
            # \Z, not $: SQLite runs this through Python's re, where $ also matches before a final newline.
            models.CheckConstraint(condition=models.Q(nik__regex=r"^[0-9]{16}\Z"), name="people_companion_nik_digits"),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def phone(self) -> str:
        """The companion's phone lives on the account, where it also serves as a login."""
        return self.user.phone

    phone.fget.short_description = _("Mobile phone")

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)


class LoginCounter(models.Model):
    """Login attempts counted in one window, per account, per address, or per both.

    A row updated with F() under the transaction's lock, so concurrent attempts cannot
    overrun a limit or lose an increment, whichever worker process they reach.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("login counter")
        verbose_name_plural = _("login counters")

    def __str__(self):
        return f"{self.key}: {self.count}"


class ImportJob(models.Model):
    """A roster file on its way into a cohort: checked (the preview), then imported on confirmation.

    Large files are checked and imported by the background worker; `processed` of `total` rows
    shows its progress. The file is kept only until it is imported (it holds NIKs).
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(
        "courses.Cohort", on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("cohort")
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    filename = models.CharField(_("file"), max_length=255)
    data = models.BinaryField(_("file contents"), default=b"")
    language = models.CharField(_("language"), max_length=10, default="id")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    processed = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self):
        return f"{self.filename} → {self.cohort}"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def percent(self) -> int:
        return min(100, self.processed * 100 // self.total) if self.total else 0
