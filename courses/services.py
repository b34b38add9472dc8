"""Every write to cohorts, enrollments and progress goes through here."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.models import Page

from people.models import Companion, User
from people.services import apply_changes, checked_save, known_changes, log_change
from people.throttle import LoginThrottled, counter_give_back, counter_take

from .models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Cohort,
    Enrollment,
    LessonPage,
    LessonProgress,
    ProgramPage,
    Session,
)

COHORT_FIELDS = ("program", "name", "start_date", "end_date", "venue", "trainers")
ENROLLMENT_FIELDS = ("cohort", "companion", "status")
SESSION_FIELDS = ("cohort", "day", "starts_at", "ends_at", "title", "module", "jp_hours", "checkin_code")
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


def checkin_code_new(*, taken: set[str]) -> str:
    """A random six-digit code that no session in `taken` (the cohort's codes) has; adds it to `taken`."""
    while True:
        code = f"{secrets.randbelow(1_000_000):06d}"
        if code not in taken:
            taken.add(code)
            return code


def wib(date: datetime.date, time: datetime.time) -> datetime.datetime:
    """A date and clock time in the site's time zone (WIB) as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(date, time), timezone.get_default_timezone())


@transaction.atomic
def sessions_generate(*, cohort: Cohort, by: User | None) -> list[Session]:
    """Create the cohort's sessions from its program's schedule, dated from the cohort's first day.

    A schedule row whose day and title the cohort already has a session for is skipped, so a
    second run changes nothing and keeps what coordinators edited since (times, codes); a row
    added to the schedule later is added to the cohort. Returns the new sessions.
    """
    slots = list(cohort.program.schedule.order_by("day", "starts", "sort_order"))
    if not slots:
        raise ValidationError(_("The program has no schedule yet: add its rows on the program page."))
    days = (cohort.end_date - cohort.start_date).days + 1
    beyond = sorted({slot.day for slot in slots if slot.day > days})
    if beyond:
        raise ValidationError(
            _("The schedule has sessions on day %(day)d, but this cohort lasts %(days)d days.")
            % {"day": beyond[0], "days": days}
        )
    existing = cohort.sessions.values_list("day", "title", "checkin_code")
    have = {(day, title) for day, title, _code in existing}
    codes = {code for _day, _title, code in existing}
    new = []
    for slot in slots:
        if (slot.day, slot.title) in have:
            continue
        have.add((slot.day, slot.title))
        date = cohort.start_date + datetime.timedelta(days=slot.day - 1)
        new.append(
            Session(
                cohort=cohort,
                day=slot.day,
                starts_at=wib(date, slot.starts),
                ends_at=wib(date, slot.ends),
                title=slot.title,
                module_id=slot.module_id,
                jp_hours=slot.jp_hours,
                checkin_code=checkin_code_new(taken=codes),
            )
        )
    Session.objects.bulk_create(new)
    for session in new:
        log(instance=session, action="wagtail.create", user=by)
    return new


def session_create(*, by: User | None, checkin_code: str = "", **fields) -> Session:
    """One session added by hand (SESSION_FIELDS); a check-in code is drawn when none is given."""
    fields = known_changes(fields, SESSION_FIELDS)
    if not checkin_code:
        taken = set(Session.objects.filter(cohort=fields["cohort"]).values_list("checkin_code", flat=True))
        checkin_code = checkin_code_new(taken=taken)
    session = Session(checkin_code=checkin_code, **fields)
    checked_save(session)
    log(instance=session, action="wagtail.create", user=by)
    return session


@transaction.atomic
def session_update(*, session: Session, by: User | None, **changes) -> Session:
    """Change a session (SESSION_FIELDS). Its attendance stays with it, so it stays in its cohort."""
    changes = known_changes(changes, SESSION_FIELDS)
    if "cohort" in changes and changes["cohort"].pk != session.cohort_id and session.attendance.exists():
        raise ValidationError(
            {"cohort": _("Attendance is already recorded for this session: it can no longer move to another cohort.")}
        )
    changed = apply_changes(session, changes)
    if changed:
        checked_save(session)
        log_change(instance=session, by=by, changed=changed)
    return session


@transaction.atomic
def session_delete(*, session: Session, by: User | None) -> None:
    """Remove a session that has no attendance yet (one generated by mistake, say)."""
    if session.attendance.exists():
        raise ValidationError(_("Attendance is already recorded for this session: it cannot be deleted."))
    log(instance=session, action="wagtail.delete", user=by)
    session.delete()


def _active_in_cohort(*, session: Session, enrollment: Enrollment) -> None:
    if enrollment.cohort_id != session.cohort_id:
        raise ValidationError(_("This companion is not in this session's cohort."))
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(_("This enrollment is no longer active."))


@transaction.atomic
def attendance_mark(*, session: Session, enrollment: Enrollment, status: str, by: User | None) -> Attendance:
    """Record or correct one companion's attendance at a session, as the staff member `by`.

    Marking the status it already has changes nothing; a change keeps who made it and when, on
    the row and in the audit log with the old and new status.
    """
    _active_in_cohort(session=session, enrollment=enrollment)
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Choose present, late, excused or absent."))
    status = AttendanceStatus(status)
    now = timezone.now()
    marked = Attendance.objects.select_for_update().filter(session=session, enrollment=enrollment)
    attendance = marked.first()
    if attendance is None:
        attendance = Attendance(
            session=session,
            enrollment=enrollment,
            status=status,
            method=AttendanceMethod.MANUAL,
            marked_by=by,
            marked_at=now,
        )
        try:
            with transaction.atomic():
                attendance.save()
        except IntegrityError:
            # Marked by someone else between the read and the write: correct theirs instead.
            attendance = marked.get()
        else:
            log(instance=attendance, action="wagtail.create", user=by, data={"status": status.value})
            return attendance
    if attendance.status == status:
        return attendance
    old = attendance.status
    attendance.status, attendance.method, attendance.marked_by, attendance.marked_at = (
        status,
        AttendanceMethod.MANUAL,
        by,
        now,
    )
    checked_save(attendance)
    log_change(instance=attendance, by=by, changed=["status"], status=[old, status.value])
    return attendance


@transaction.atomic
def attendance_mark_all_present(*, session: Session, by: User | None) -> int:
    """Mark every active companion of the cohort not yet marked for the session present; returns how many.

    Companions already marked (late, excused, absent or present) keep their mark.
    """
    unmarked = list(
        Enrollment.objects.active()
        .filter(cohort_id=session.cohort_id)
        .exclude(attendance__session=session)
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                enrollment_id=pk,
                status=AttendanceStatus.PRESENT,
                method=AttendanceMethod.MANUAL,
                marked_by=by,
                marked_at=now,
            )
            for pk in unmarked
        ],
        ignore_conflicts=True,  # one marked in the meantime keeps that mark
    )
    if unmarked:
        log_change(instance=session, by=by, changed=["attendance"], marked_present=unmarked)
    return len(unmarked)


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    created: bool  # False: the companion was already recorded for this session


def checkin_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    """When self check-in for the session is open: from CHECKIN_OPENS_MINUTES_BEFORE its start to its end."""
    return session.starts_at - datetime.timedelta(minutes=settings.CHECKIN_OPENS_MINUTES_BEFORE), session.ends_at


def attendance_check_in(*, user: User, code: str, now: datetime.datetime | None = None) -> CheckIn:
    """A companion checks themselves in with the six-digit code of a session of their cohort.

    Accepted within the session's check-in window, for the companion's active enrollment in
    the session's cohort, once: a second check-in returns the first (created=False). Every
    wrong code takes a place in the companion's counter (CHECKIN_FAILURE_LIMIT per login
    window); past the limit no code is checked at all, so the million codes cannot be tried.
    """
    now = now or timezone.now()
    key = f"checkin:user-{user.pk}"
    try:
        counter_take(key=key, limit=settings.CHECKIN_FAILURE_LIMIT)
    except LoginThrottled:
        minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
        raise ValidationError(
            _("Too many wrong codes. Try again in %(minutes)d minutes, or ask the committee to mark you.")
            % {"minutes": minutes},
            code="throttled",
        ) from None
    code = "".join(code.split())
    enrollments = {e.cohort_id: e for e in Enrollment.objects.active().of_user(user).select_related("cohort")}
    sessions = list(Session.objects.filter(checkin_code=code, cohort_id__in=enrollments)) if code.isdigit() else []
    if not sessions:
        raise ValidationError(_("This code does not match any of your sessions. Check the code on the screen."))
    counter_give_back(key=key)  # the code is right: a tap too early or too late is no guess
    session = min(sessions, key=lambda s: abs(s.starts_at - now))
    opens, closes = checkin_window(session)
    if now < opens:
        raise ValidationError(
            _("Check-in for this session opens at %(time)s WIB.")
            % {"time": timezone.localtime(opens).strftime("%H.%M")},
            code="early",
        )
    if now > closes:
        raise ValidationError(_("This session has ended: check-in is closed."), code="closed")
    late = now > session.starts_at + datetime.timedelta(minutes=settings.CHECKIN_LATE_AFTER_MINUTES)
    attendance = Attendance(
        session=session,
        enrollment=enrollments[session.cohort_id],
        status=AttendanceStatus.LATE if late else AttendanceStatus.PRESENT,
        method=AttendanceMethod.SELF,
        marked_by=user,
        marked_at=now,
    )
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        existing = Attendance.objects.get(session=session, enrollment=enrollments[session.cohort_id])
        return CheckIn(attendance=existing, created=False)
    log(instance=attendance, action="wagtail.create", user=user, data={"status": attendance.status, "method": "self"})
    return CheckIn(attendance=attendance, created=True)
