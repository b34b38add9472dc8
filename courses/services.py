"""Every write to cohorts, enrollments and progress goes through here."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.models import Page

from people.models import Companion, User
from people.services import apply_changes, checked_save, known_changes, log_change

from .models import Cohort, Enrollment, LessonPage, LessonProgress, ProgramPage

COHORT_FIELDS = ("program", "name", "start_date", "end_date", "venue", "trainers")
ENROLLMENT_FIELDS = ("cohort", "companion", "status")
# The audit-log actions that link a replaced enrollment and its successor's (see wagtail_hooks). Two
# names, not one: Wagtail's history shows one entry per request and action, across all objects.
REPLACED_ACTION = "courses.enrollment_replaced"
SUCCESSOR_ACTION = "courses.enrollment_successor"


@transaction.atomic
def cohort_create(
    *,
    program: ProgramPage,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    venue: str = "",
    trainers=(),
    by: User | None = None,
) -> Cohort:
    cohort = Cohort(program=program, name=name.strip(), start_date=start_date, end_date=end_date, venue=venue.strip())
    checked_save(cohort)
    cohort.trainers.set(trainers)
    log(instance=cohort, action="wagtail.create", user=by)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, by: User | None, **changes) -> Cohort:
    """Change a cohort (COHORT_FIELDS); `trainers` is the whole new list of trainer accounts."""
    changes = known_changes(changes, COHORT_FIELDS)
    trainers = changes.pop("trainers", None)
    for field in ("name", "venue"):
        if field in changes:
            changes[field] = changes[field].strip()
    moving = "program" in changes and changes["program"].pk != cohort.program_id
    if moving and cohort.enrollments.exists():
        # Progress and results refer to the program's lessons: the same rule as moving one enrollment.
        raise ValidationError(
            {"program": _("This cohort has companions: its program can no longer change. Create a new cohort.")}
        )
    changed = apply_changes(cohort, changes)
    if changed:
        checked_save(cohort)
    if trainers is not None and set(trainers) != set(cohort.trainers.all()):
        cohort.trainers.set(trainers)
        changed.append("trainers")
    if changed:
        log_change(instance=cohort, by=by, changed=changed)
    return cohort


def enrollment_create(
    *, cohort: Cohort, companion: Companion, status: str = Enrollment.Status.ACTIVE, by: User | None = None
) -> Enrollment:
    """Enroll a companion once per cohort; enrolling again raises a ValidationError."""
    enrollment = Enrollment(cohort=cohort, companion=companion, status=status)
    checked_save(enrollment)
    log(instance=enrollment, action="wagtail.create", user=by)
    return enrollment


@transaction.atomic
def enrollment_update(*, enrollment: Enrollment, by: User | None, reason: str = "", **changes) -> Enrollment:
    """Change an enrollment (ENROLLMENT_FIELDS): the one place that says what may change and how.

    The companion stays: progress and attendance are theirs (enrollment_replace enrolls a
    successor). A move stays within the program, whose lessons the progress refers to. A status
    change (a withdrawal, a replacement, a return) is logged with its old and new value and the
    reason given.
    """
    changes = known_changes(changes, ENROLLMENT_FIELDS)
    if "companion" in changes and changes["companion"] != enrollment.companion:
        raise ValidationError(
            {
                "companion": _(
                    "An enrollment stays with its companion. To replace a companion, mark this "
                    "enrollment replaced and enroll the new one."
                )
            }
        )
    if "cohort" in changes and changes["cohort"].program_id != enrollment.cohort.program_id:
        raise ValidationError(
            {
                "cohort": _(
                    "An enrollment can move only to a cohort of the same program. Withdraw it and "
                    "enroll the companion in the other cohort."
                )
            }
        )
    old_status = enrollment.status
    changed = apply_changes(enrollment, changes)
    if not changed:
        return enrollment
    checked_save(enrollment)
    data = {"status": [old_status, enrollment.status]} if "status" in changed else {}
    if reason.strip():
        data["reason"] = reason.strip()
    log_change(instance=enrollment, by=by, changed=changed, **data)
    return enrollment


def enrollment_withdraw(*, enrollment: Enrollment, by: User | None, reason: str) -> Enrollment:
    """The companion leaves the cohort: their record stays, they can no longer study here."""
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(_("This enrollment is no longer active."))
    return enrollment_update(enrollment=enrollment, by=by, reason=reason, status=Enrollment.Status.WITHDRAWN)


@transaction.atomic
def enrollment_replace(*, enrollment: Enrollment, by: User | None, successor: Companion, reason: str) -> Enrollment:
    """The village sends `successor` in the companion's place; returns the successor's enrollment.

    Both enrollments' logs say who replaced whom (courses.selectors.enrollment_replacements reads them).
    """
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(_("This enrollment is no longer active."))
    enrollment_update(enrollment=enrollment, by=by, reason=reason, status=Enrollment.Status.REPLACED)
    try:
        new = enrollment_create(cohort=enrollment.cohort, companion=successor, by=by)
    except ValidationError as error:
        raise ValidationError({"successor": error.messages}) from None
    reason = reason.strip()
    log(instance=enrollment, action=REPLACED_ACTION, user=by, data={"replaced_by": new.pk, "reason": reason})
    log(instance=new, action=SUCCESSOR_ACTION, user=by, data={"replaces": enrollment.pk, "reason": reason})
    return new


def lesson_mark_done(*, enrollment: Enrollment, lesson: LessonPage) -> LessonProgress:
    """Record that the companion finished the lesson. Marking it again changes nothing."""
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(_("This enrollment is no longer active."))
    if not lesson.path.startswith(enrollment.cohort.program.path):
        raise ValidationError(_("This lesson is not part of your training."))
    progress = LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).first()
    if progress is not None:
        return progress
    try:
        with transaction.atomic():
            return LessonProgress.objects.create(enrollment=enrollment, lesson=lesson)
    except IntegrityError:
        # A double click: the other request wrote it first.
        return LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)


def page_publish_child(*, parent: Page, page: Page, user=None) -> Page:
    """Add `page` under `parent` unless a child with its slug exists, and publish it.

    Returns the existing child (untouched) or the new page. Publishing through a revision
    gives editors a history and lets readers' caches key on the live revision.
    """
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page
