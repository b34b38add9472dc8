"""The curriculum as Wagtail pages (program → module → lesson), cohorts and lesson progress."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from .blocks import LessonStreamBlock

READ_ANY_PROGRAM = "courses.read_any_program"


def reads_every_program(user) -> bool:
    """Trainers and coordinators (the roles holding `read_any_program`) read every program."""
    return user.is_active and user.has_perm(READ_ANY_PROGRAM)


def can_read_program(*, user, program_ids) -> bool:
    """The one access rule of the curriculum: staff, or a companion actively enrolled in one of the programs."""
    program_ids = [pk for pk in program_ids if pk is not None]
    if not program_ids or not user.is_authenticated:
        return False
    return Enrollment.objects.active().of_user(user).in_programs(program_ids).exists() or reads_every_program(user)


class ReaderOnlyPage(Page):
    """A curriculum page: readable by staff and by companions enrolled in its program only."""

    promote_panels = [FieldPanel("slug")]  # a login-only site has no use for search-engine fields

    class Meta:
        abstract = True

    def get_program(self):
        """The published program this page belongs to; None when it (or this page's module) is not live."""
        return ProgramPage.objects.live().ancestor_of(self, inclusive=True).first()

    def serve(self, request, *args, **kwargs):
        return self.refuse_stranger(request) or super().serve(request, *args, **kwargs)

    def refuse_stranger(self, request):
        """A redirect to the login for visitors, 404 for those who may not read; None for readers."""
        if getattr(request, "is_preview", False):  # the admin's preview view checked its permission
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        program = self.get_program()
        if not can_read_program(user=request.user, program_ids=[program.pk if program else None]):
            raise Http404
        return None


class ProgramPage(ReaderOnlyPage):
    """A curriculum, such as the four-day Bimtek Pendamping Desmigratif."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("What the training is for and who takes it, in a few sentences."),
    )
    organizer = models.CharField(
        _("organizer"),
        max_length=200,
        blank=True,
        help_text=_("The unit that runs the training, for example Ditjen Binapenta & PKK, Kemnaker."),
    )
    days = models.PositiveSmallIntegerField(_("days"), default=4, help_text=_("How many days the training lasts."))
    pass_mark = models.PositiveSmallIntegerField(
        _("post-test pass mark"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("The lowest post-test score, out of 100, that passes."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of sessions a companion must attend to receive a certificate."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("organizer"),
        MultiFieldPanel(
            [
                FieldPanel("days"),
                FieldPanel("pass_mark"),
                FieldPanel("min_attendance_percent"),
            ],
            heading=_("Rules"),
        ),
        InlinePanel(
            "schedule",
            heading=_("Schedule"),
            label=_("Session"),
            help_text=_("Each cohort's sessions are generated from these rows, dated from the cohort's first day."),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.ModulePage", "assessments.QuizPage"]

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        permissions = [("read_any_program", _("Can read every program, enrolled or not"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(pass_mark__lte=100), name="courses_program_pass_mark_range"),
            models.CheckConstraint(
                condition=models.Q(min_attendance_percent__lte=100), name="courses_program_attendance_range"
            ),
        ]

    def get_program(self):
        return self if self.live else None


class ModulePage(ReaderOnlyPage):
    """One module of a program (mata pelatihan), taught in JP: jam pelajaran of 45 minutes."""

    code = models.CharField(_("code"), max_length=10, help_text=_("A short code such as M04."))
    day = models.PositiveSmallIntegerField(_("day"), help_text=_("The day of the training, from 1."))
    jp_hours = models.PositiveSmallIntegerField(_("JP"), help_text=_("Jam pelajaran: lesson hours of 45 minutes."))
    objectives = models.TextField(
        _("learning objectives"),
        blank=True,
        help_text=_("One objective a line: what a companion can do after the module."),
    )
    trainer_institution = models.CharField(
        _("trainer's institution"),
        max_length=200,
        blank=True,
        help_text=_("The agency that teaches the module, for example BPJS Ketenagakerjaan."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("code"),
        FieldPanel("day"),
        FieldPanel("jp_hours"),
        FieldPanel("trainer_institution"),
        FieldPanel("objectives"),
    ]

    parent_page_types = ["courses.ProgramPage"]
    subpage_types = ["courses.LessonPage", "assessments.QuizPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.CheckConstraint(condition=models.Q(day__gte=1), name="courses_module_day_from_one"),
        ]

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]


class ScheduleSlot(Orderable):
    """One row of a program's timetable (a module, the pre-test, the opening): day and clock times in WIB.

    `sessions_generate` turns the rows into each cohort's sessions on real dates.
    """

    program = ParentalKey(ProgramPage, on_delete=models.CASCADE, related_name="schedule", verbose_name=_("program"))
    day = models.PositiveSmallIntegerField(_("day"), help_text=_("The day of the training, from 1."))
    starts = models.TimeField(_("starts"), help_text=_("Clock time in WIB, for example 08:00."))
    ends = models.TimeField(_("ends"), help_text=_("Clock time in WIB, for example 09:30."))
    title = models.CharField(_("title"), max_length=255, help_text=_("What happens in this session."))
    module = models.ForeignKey(
        ModulePage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("module"),
        help_text=_("The module taught, if any; leave empty for the opening, the pre-test and the like."),
    )
    jp_hours = models.PositiveSmallIntegerField(
        _("JP"), default=0, help_text=_("Jam pelajaran the session counts for: lesson hours of 45 minutes.")
    )

    panels = [
        FieldRowPanel([FieldPanel("day"), FieldPanel("starts"), FieldPanel("ends"), FieldPanel("jp_hours")]),
        FieldPanel("title"),
        FieldPanel("module"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("schedule row")
        verbose_name_plural = _("schedule")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")),
                name="courses_slot_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(day__gte=1),
                name="courses_slot_day_from_one",
                violation_error_message=_("Days are counted from 1."),
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.starts:%H:%M} {self.title}"


class LessonPage(ReaderOnlyPage):
    """A lesson a companion reads. Companions read it at `courses:lesson`, a lean view."""

    intro = models.CharField(
        _("summary"), max_length=250, blank=True, help_text=_("One sentence on what the lesson teaches.")
    )
    reading_minutes = models.PositiveSmallIntegerField(
        _("reading time (minutes)"), default=10, help_text=_("About how long the lesson takes to read.")
    )
    body = StreamField(
        LessonStreamBlock(),
        verbose_name=_("content"),
        blank=True,
        help_text=_("Short sections: headings, text, pictures, callouts, key points and glossary terms."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("reading_minutes"),
        FieldPanel("body"),
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_reader_url(self) -> str:
        return reverse("courses:lesson", args=[self.pk])

    def serve(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False):
            return Page.serve(self, request, *args, **kwargs)
        return self.refuse_stranger(request) or redirect(self.get_reader_url())


class Cohort(models.Model):
    """An angkatan: one run of a program, such as Angkatan I 2017 in Jakarta."""

    program = models.ForeignKey(
        ProgramPage,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("program"),
        help_text=_("The curriculum this cohort follows."),
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("For example Angkatan I 2017."))
    start_date = models.DateField(_("first day"), help_text=_("Day 1 of the program falls on this date."))
    end_date = models.DateField(_("last day"), help_text=_("The day of the post-test and the closing."))
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("City or building."))
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="trained_cohorts",
        verbose_name=_("trainers"),
        limit_choices_to={"groups__name": "Trainer"},
        help_text=_("Accounts in the Trainer role who teach this cohort."),
    )

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"],
                name="courses_cohort_unique_name",
                violation_error_message=_("This program already has a cohort with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="courses_cohort_dates_ordered",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self):
        return self.name


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Enrollment.Status.ACTIVE)

    def of_user(self, user):
        return self.filter(companion__user=user)

    def in_program(self, program):
        return self.filter(cohort__program=program)

    def in_programs(self, program_ids):
        return self.filter(cohort__program__in=program_ids)


class Enrollment(models.Model):
    """A companion's place in a cohort. One per companion and cohort."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REPLACED = "replaced", _("Replaced")

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("cohort"),
        help_text=_("The angkatan."),
    )
    companion = models.ForeignKey(
        "people.Companion",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("companion"),
        help_text=_("Search by name, username or village."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        help_text=_("Withdrawn or replaced companions keep their record but can no longer study here."),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "companion"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "companion"],
                name="courses_enrollment_one_per_cohort",
                violation_error_message=_("This companion is already enrolled in this cohort."),
            ),
        ]

    def __str__(self):
        return f"{self.companion} — {self.cohort}"


class LessonProgress(models.Model):
    """A lesson a companion marked as done within an enrollment. Written by `lesson_mark_done`."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress", verbose_name=_("enrollment")
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson"))
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="courses_progress_once_per_lesson"),
        ]

    def __str__(self):
        return f"{self.enrollment} — {self.lesson}"


class Session(models.Model):
    """One sitting of a cohort's training (a module, the pre-test, the opening), at a set time in WIB.

    Generated from the program's schedule by `sessions_generate`; coordinators may edit it after.
    `checkin_code` is the six-digit code shown on the projector for companions' self check-in.
    """

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("cohort"),
        help_text=_("The angkatan."),
    )
    day = models.PositiveSmallIntegerField(_("day"), help_text=_("The day of the training, from 1."))
    starts_at = models.DateTimeField(_("starts at"), help_text=_("In WIB."))
    ends_at = models.DateTimeField(_("ends at"), help_text=_("In WIB."))
    title = models.CharField(_("title"), max_length=255, help_text=_("What happens in this session."))
    module = models.ForeignKey(
        ModulePage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("module"),
        help_text=_("The module taught in this session, if any."),
    )
    jp_hours = models.PositiveSmallIntegerField(
        _("JP"), default=0, help_text=_("Jam pelajaran this session counts for: lesson hours of 45 minutes.")
    )
    checkin_code = models.CharField(
        _("check-in code"), max_length=6, help_text=_("Six digits companions type to check themselves in.")
    )

    class Meta:
        ordering = ["cohort", "starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="courses_session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(day__gte=1),
                name="courses_session_day_from_one",
                violation_error_message=_("Days are counted from 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(checkin_code__regex=r"^[0-9]{6}\Z"),
                name="courses_session_code_six_digits",
                violation_error_message=_("The check-in code is six digits."),
            ),
            models.UniqueConstraint(
                fields=["cohort", "checkin_code"],
                name="courses_session_code_unique_in_cohort",
                violation_error_message=_("Another session of this cohort has this check-in code."),
            ),
        ]

    def __str__(self):
        return f"{self.cohort} — {self.title}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


# The statuses that count as attending a session.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class AttendanceMethod(models.TextChoices):
    MANUAL = "manual", _("Marked by staff")
    SELF = "self", _("Self check-in")


class Attendance(models.Model):
    """A companion's attendance at one session; written by the attendance services only."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("session"))
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("enrollment")
    )
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    method = models.CharField(_("method"), max_length=10, choices=AttendanceMethod.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        ordering = ["session", "enrollment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrollment"],
                name="courses_attendance_once_per_session",
                violation_error_message=_("This companion's attendance at this session is already recorded."),
            ),
        ]
        # The dashboard counts attendance per enrollment and per session from these alone (bench/bench_dashboard.py).
        indexes = [
            models.Index(fields=["enrollment", "status"], name="courses_att_enrollment_status"),
            models.Index(fields=["session", "status"], name="courses_att_session_status"),
        ]

    def __str__(self):
        return f"{self.enrollment} — {self.session.title}: {self.get_status_display()}"
