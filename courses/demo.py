"""Demo sessions and attendance for Angkatan I 2017, called by `load_demo_data`.

Rerun-safe like the rest of the demo: the program's schedule is written once (when it has
none), sessions are generated once (when the cohort has none), and attendance is added only to
sessions that have none, so nothing a trainer or coordinator changed is undone.
"""

import csv
import datetime
from pathlib import Path

from django.db import transaction

from people.models import User

from .models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Cohort,
    Enrollment,
    ModulePage,
    ProgramPage,
    ScheduleSlot,
)
from .services import sessions_generate

SCHEDULE_CSV = Path(__file__).resolve().parents[1] / "lms" / "demo" / "schedule.csv"
# Every LOW_ATTENDER-th companion misses most of days 3 and 4 and so falls below the program's minimum.
LOW_ATTENDER = 20


def schedule_rows(path: Path = SCHEDULE_CSV) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def program_schedule_load(program: ProgramPage, rows: list[dict]) -> bool:
    """Give the program the schedule of `rows` (schedule.csv) unless it has one; True when written.

    Written as a new revision and published, as an editor would, unless the program has
    unpublished changes: those are the trainers' to publish.
    """
    if program.schedule.exists() or program.has_unpublished_changes:
        return False
    modules = {module.code: module for module in ModulePage.objects.child_of(program)}
    page = program.specific
    page.schedule = [
        ScheduleSlot(
            day=int(row["day"]),
            starts=datetime.time.fromisoformat(row["start_wib"]),
            ends=datetime.time.fromisoformat(row["end_wib"]),
            title=row["title_id"],
            module=modules.get(row["code"]),
            jp_hours=int(row["jp"]),
            sort_order=index,
        )
        for index, row in enumerate(rows)
    ]
    page.save_revision().publish()
    return True


def demo_status(person: int, session: int, day: int) -> str:
    """A plausible mark: most present, a few late, excused or absent; low attenders miss days 3 and 4."""
    if person % LOW_ATTENDER == 0 and day >= 3:
        return AttendanceStatus.ABSENT if session % 3 else AttendanceStatus.EXCUSED
    roll = (person * 37 + session * 11) % 100
    if roll < 6:
        return AttendanceStatus.LATE
    if roll < 8:
        return AttendanceStatus.EXCUSED
    if roll < 10:
        return AttendanceStatus.ABSENT
    return AttendanceStatus.PRESENT


@transaction.atomic
def load_sessions_and_attendance(cohort: Cohort) -> int:
    """The cohort's schedule, sessions and attendance; returns how many attendance rows were added."""
    program_schedule_load(cohort.program, schedule_rows())
    if not cohort.sessions.exists():
        if not cohort.program.schedule.exists():
            return 0
        sessions_generate(cohort=cohort, by=None)
    coordinator_id = User.objects.filter(username="koordinator").values_list("pk", flat=True).first()
    enrollments = list(
        Enrollment.objects.active().filter(cohort=cohort).order_by("pk").values_list("pk", "companion__user_id")
    )
    sessions = list(cohort.sessions.filter(attendance__isnull=True).order_by("starts_at"))
    rows = []
    for s_index, session in enumerate(sessions):
        for p_index, (enrollment_id, user_id) in enumerate(enrollments, start=1):
            status = demo_status(p_index, s_index, session.day)
            self_checked = status == AttendanceStatus.PRESENT and p_index % 3 != 0
            minutes = 25 if status == AttendanceStatus.LATE else p_index % 20 - 10
            rows.append(
                Attendance(
                    session=session,
                    enrollment_id=enrollment_id,
                    status=status,
                    method=AttendanceMethod.SELF if self_checked else AttendanceMethod.MANUAL,
                    marked_by_id=user_id if self_checked else coordinator_id,
                    marked_at=session.starts_at + datetime.timedelta(minutes=minutes),
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
