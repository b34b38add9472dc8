"""Every write to cohorts, enrollments and progress goes through here."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wagtail.models import Page

from people.models import Companion

from .models import Cohort, Enrollment, LessonPage, LessonProgress, ProgramPage


@transaction.atomic
def cohort_create(
    *,
    program: ProgramPage,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    venue: str = "",
    trainers=(),
) -> Cohort:
    cohort = Cohort(program=program, name=name, start_date=start_date, end_date=end_date, venue=venue)
    cohort.full_clean()
    cohort.save()
    cohort.trainers.set(trainers)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, trainers=None) -> Cohort:
    """Save a cohort whose fields were changed in the admin form, checking its rules first."""
    cohort.full_clean()
    cohort.save()
    if trainers is not None:
        cohort.trainers.set(trainers)
    return cohort


def enrollment_create(*, cohort: Cohort, companion: Companion, status: str = Enrollment.Status.ACTIVE) -> Enrollment:
    """Enroll a companion once per cohort; enrolling again raises a ValidationError."""
    return _enrollment_save(Enrollment(cohort=cohort, companion=companion, status=status))


def enrollment_update(*, enrollment: Enrollment) -> Enrollment:
    """Save a changed enrollment (a withdrawal, a move to another cohort), keeping one per cohort."""
    return _enrollment_save(enrollment)


def _enrollment_save(enrollment: Enrollment) -> Enrollment:
    enrollment.full_clean()
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        # Two requests raced past full_clean(); the constraint keeps one.
        raise ValidationError(_("This companion is already enrolled in this cohort.")) from None
    return enrollment


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
