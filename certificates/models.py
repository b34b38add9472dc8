"""Certificates (sertifikat) of a cohort: their template, the cohort's rule, the records and their numbers."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from .numbering import validate_number_format
from .rendering.models import RenderStatus, certificate_storage
from .wording import validate_wording

CODE_BYTES = 12  # 96 random bits, 16 characters of URL-safe base64


def new_verification_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def default_wording() -> str:
    """The wording in Bahasa Indonesia, as certificates are printed, whatever the editor's admin language."""
    with translation.override("id"):
        return gettext(
            "has taken part in the {program} ({cohort}) from {dates} in {place}, a total of {jp} JP (lesson hours), "
            "and has passed it."
        )


class CertificateTemplate(models.Model):
    """How a certificate looks and what it says. A cohort picks one; without a choice the first is used."""

    title = models.CharField(_("title"), max_length=120, help_text=_("A name for this design, for coordinators."))
    issuer = models.TextField(
        _("issuing body"),
        default="KEMENTERIAN KETENAGAKERJAAN REPUBLIK INDONESIA\nDIREKTORAT JENDERAL BINAPENTA & PKK",
        help_text=_("The letterhead, one line each: ministry, then unit."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("Printed above the letterhead. A small PNG keeps the PDF light."),
    )
    heading = models.CharField(_("heading"), max_length=60, default="SERTIFIKAT", help_text=_("The big word."))
    holder_role = models.CharField(
        _("holder's role"),
        max_length=120,
        default="Pendamping Desa Migran Produktif",
        blank=True,
        help_text=_("Printed under the holder's name."),
    )
    wording = models.TextField(
        _("wording"),
        default=default_wording,
        validators=[validate_wording],
        help_text=_(
            "The sentence after the name. Placeholders: {name}, {village}, {kabupaten}, {program}, {cohort}, "
            "{dates}, {place}, {jp}."
        ),
    )
    signing_place = models.CharField(
        _("place of signing"),
        max_length=60,
        blank=True,
        help_text=_('The city before the date, as in "Jakarta, 2 November 2017". Empty: the cohort\'s venue.'),
    )
    signatory_name = models.CharField(
        _("signatory's name"), max_length=120, blank=True, help_text=_("Empty leaves a line to sign by hand.")
    )
    signatory_position = models.CharField(
        _("signatory's position"),
        max_length=200,
        default="Direktur Jenderal Pembinaan Penempatan Tenaga Kerja dan Perluasan Kesempatan Kerja",
        help_text=_("The office that signs."),
    )
    signatory_signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signature image"),
        help_text=_("A scanned signature on a transparent background."),
    )
    second_signatory_name = models.CharField(_("second signatory's name"), max_length=120, blank=True)
    second_signatory_position = models.CharField(
        _("second signatory's position"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the certificate has one signatory."),
    )
    second_signatory_signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("second signature image"),
    )
    border_color = models.CharField(
        _("border colour"),
        max_length=7,
        default="#1d4e89",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}\Z", _("Give a colour as # and six hex digits."))],
        help_text=_("The colour of the double border, such as #1d4e89."),
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("background image"),
        help_text=_("Printed faintly behind the front page. Optional; it makes the PDF heavier."),
    )
    back_page = models.BooleanField(
        _("back page"), default=True, help_text=_("A second page listing the modules with their JP and the total.")
    )
    number_format = models.CharField(
        _("number format"),
        max_length=80,
        blank=True,
        validators=[validate_number_format],
        help_text=_(
            "Empty: {seq:03d}/BIMTEK-DESMIG/{month_roman}/{year}. Placeholders: {seq}, {month_roman}, {month}, {year}."
        ),
    )

    panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [FieldPanel("issuer"), FieldPanel("logo"), FieldPanel("heading"), FieldPanel("holder_role")],
            heading=_("Letterhead"),
        ),
        FieldPanel("wording"),
        MultiFieldPanel(
            [
                FieldPanel("signing_place"),
                FieldPanel("signatory_name"),
                FieldPanel("signatory_position"),
                FieldPanel("signatory_signature"),
                FieldPanel("second_signatory_name"),
                FieldPanel("second_signatory_position"),
                FieldPanel("second_signatory_signature"),
            ],
            heading=_("Signatories"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("border_color"),
                FieldPanel("background"),
                FieldPanel("back_page"),
                FieldPanel("number_format"),
            ],
            heading=_("Layout and number"),
        ),
    ]

    class Meta:
        ordering = ["pk"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self):
        return self.title

    @property
    def effective_number_format(self) -> str:
        return self.number_format or settings.CERTIFICATE_NUMBER_FORMAT

    @property
    def signatories(self) -> list[dict]:
        rows = [(self.signatory_name, self.signatory_position, self.signatory_signature)]
        if self.second_signatory_position or self.second_signatory_name:
            rows.append((self.second_signatory_name, self.second_signatory_position, self.second_signatory_signature))
        return [{"name": name, "position": position, "signature": image} for name, position, image in rows]


class CohortCertificateRule(models.Model):
    """A cohort's own eligibility rule and template; empty fields follow the program."""

    cohort = models.OneToOneField(
        "courses.Cohort", on_delete=models.CASCADE, related_name="certificate_rule", verbose_name=_("cohort")
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Empty: the program's minimum attendance."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("post-test pass mark"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Empty: the program's pass mark."),
    )
    post_test_required = models.BooleanField(
        _("post-test required"),
        default=True,
        help_text=_("Turn off only for a cohort that sat no post-test: attendance alone then decides."),
    )
    modules_complete = models.BooleanField(
        _("all modules complete"),
        default=False,
        help_text=_("Also require every lesson of every module to be marked done."),
    )
    template = models.ForeignKey(
        CertificateTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohort_rules",
        verbose_name=_("template"),
        help_text=_("Empty: the first template."),
    )

    class Meta:
        verbose_name = _("cohort certificate rule")
        verbose_name_plural = _("cohort certificate rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_attendance_percent__lte=100), name="certificates_rule_attendance_range"
            ),
            models.CheckConstraint(condition=models.Q(pass_mark__lte=100), name="certificates_rule_pass_mark_range"),
        ]

    def __str__(self):
        return str(self.cohort)


class NumberCounter(models.Model):
    """The last sequence number given in a program and year; issuing locks this row."""

    program = models.ForeignKey(
        "courses.ProgramPage", on_delete=models.PROTECT, related_name="+", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("certificate number counter")
        verbose_name_plural = _("certificate number counters")
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="certificates_counter_one_per_program_year"),
        ]

    def __str__(self):
        return f"{self.program_id}/{self.year}: {self.last}"


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def of_user(self, user):
        return self.filter(enrollment__companion__user=user)


class Certificate(models.Model):
    """A certificate given to one enrollment. The holder's facts are copied at issue, as printed."""

    RenderStatus = RenderStatus

    enrollment = models.OneToOneField(
        "courses.Enrollment", on_delete=models.PROTECT, related_name="certificate", verbose_name=_("enrollment")
    )
    program = models.ForeignKey(
        "courses.ProgramPage", on_delete=models.PROTECT, related_name="+", verbose_name=_("program")
    )
    template = models.ForeignKey(
        CertificateTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("template"),
    )
    number = models.CharField(_("number"), max_length=80)
    sequence = models.PositiveIntegerField(_("sequence"))
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("verification code"), max_length=32, unique=True, default=new_verification_code)

    holder_name = models.CharField(_("name"), max_length=150)
    village = models.CharField(_("village"), max_length=100)
    kecamatan = models.CharField(_("kecamatan"), max_length=100)
    kabupaten = models.CharField(_("kabupaten/kota"), max_length=100)
    provinsi = models.CharField(_("province"), max_length=100)
    program_title = models.CharField(_("program"), max_length=255)
    cohort_name = models.CharField(_("cohort"), max_length=120)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200)
    dated = models.DateField(_("date on the certificate"))
    total_jp = models.PositiveSmallIntegerField(_("total JP"))
    modules = models.JSONField(_("modules"), default=list, help_text=_("[code, title, JP] of each module, as printed."))
    post_test_score = models.DecimalField(_("post-test score"), max_digits=5, decimal_places=2, null=True, blank=True)

    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"))
    revision = models.PositiveSmallIntegerField(_("edition"), default=1, help_text=_("Raised by each reissue."))
    reissued_at = models.DateTimeField(_("reissued at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    pdf = models.FileField(_("PDF"), storage=certificate_storage, upload_to="%Y", blank=True)
    render_status = models.CharField(
        _("PDF status"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.PENDING
    )
    render_attempts = models.PositiveSmallIntegerField(_("render attempts"), default=0)
    render_error = models.TextField(_("render error"), blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["program", "year", "sequence"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                name="certificates_number_unique",
                violation_error_message=_("This certificate number is already taken."),
            ),
            models.UniqueConstraint(
                fields=["program", "year", "sequence"],
                name="certificates_sequence_unique",
                violation_error_message=_("This sequence number is already taken in this program and year."),
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoked_reason=""),
                name="certificates_revoked_with_reason",
                violation_error_message=_("A revoked certificate needs a reason."),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify", args=[self.code])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def file_name(self) -> str:
        """The name a download is saved under: the number, with its slashes made safe."""
        return "sertifikat-" + self.number.replace("/", "-") + ".pdf"
