"""Roster import services: preview a file, import it all or nothing, and the jobs that run them.

A roster import never deletes or withdraws anyone: companions are matched by NIK, created or
brought up to date, and enrolled in the cohort when they are not yet. Importing the same file
again changes nothing. Imported accounts get no usable password (no hash per row): companions
get their first login through the handover.
"""

import secrets

from django_tasks import task

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from courses.models import Cohort, Enrollment

from .models import Companion, ImportJob, User, Village
from .resources import Progress, RosterPlan, roster_check, roster_row_count
from .roster_cells import BACKGROUND_ROWS, RosterReport
from .services import COMPANION

BATCH = 500


def roster_preview(*, cohort: Cohort, data: bytes, filename: str, progress: Progress | None = None) -> RosterReport:
    """What importing the file would do, row by row. Writes nothing."""
    report, _plan = roster_check(cohort=cohort, data=data, filename=filename, progress=progress)
    return report


def roster_import(
    *, cohort: Cohort, data: bytes, filename: str, by: User | None, progress: Progress | None = None
) -> RosterReport:
    """Check the file again and, when no row has an error, write every row in one transaction."""
    report, plan = roster_check(cohort=cohort, data=data, filename=filename, progress=progress)
    if report.has_errors:
        return report
    counts = report.counts()
    if not counts["new"] and not counts["updated"]:
        report.written = True  # all of it is in already: nothing to write, nothing to log
        return report
    try:
        roster_write(cohort=cohort, plan=plan, by=by, filename=filename, counts=counts)
    except IntegrityError:
        # Someone else wrote a companion with the same NIK, phone or username meanwhile.
        report.file_errors.append(
            _("The companions changed while the file was imported; nothing was written. Try again.")
        )
        return report
    report.written = True
    return report


@transaction.atomic
def roster_write(*, cohort: Cohort, plan: RosterPlan, by: User | None, filename: str, counts: dict) -> None:
    """Write a checked plan in bulk; the database's constraints stand behind the checks."""
    Village.objects.bulk_create(plan.new_villages, batch_size=BATCH)
    users = User.objects.bulk_create(
        [
            User(**account, password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30))
            for _companion, account in plan.new_companions
        ],
        batch_size=BATCH,
    )
    group = Group.objects.get(name=COMPANION)
    Membership = User.groups.through
    Membership.objects.bulk_create([Membership(user_id=user.pk, group_id=group.pk) for user in users], BATCH)
    companions = [companion for companion, _account in plan.new_companions]
    for companion, user in zip(companions, users, strict=True):
        companion.user = user
    Companion.objects.bulk_create(companions, batch_size=BATCH)
    changed_users = [companion.user for companion in plan.changed("full_name", "phone")]
    User.objects.bulk_update(changed_users, ["full_name", "phone"], batch_size=BATCH)
    Companion.objects.bulk_update(plan.changed("village"), ["village"], batch_size=BATCH)
    Enrollment.objects.bulk_create(
        [Enrollment(cohort=cohort, companion=companion) for companion in plan.enroll], batch_size=BATCH
    )
    log_import(plan=plan, by=by)
    log(
        instance=cohort,
        action="wagtail.edit",
        user=by,
        data={"fields": ["enrollments"], "roster": {"file": filename, **counts}},
    )


def log_import(*, plan: RosterPlan, by: User | None) -> None:
    """The audit entries the services would write one by one, in bulk: no NIK in them.

    New and changed villages and companions get one entry each; the enrollments, one entry on
    the cohort (roster_write), which keeps 10,000 rows from costing 10,000 more inserts.
    """
    now = timezone.now()
    types = ContentType.objects.get_for_models(Village, Companion, Enrollment)

    def entry(instance, action: str, data: dict | None = None) -> ModelLogEntry:
        return ModelLogEntry(
            content_type=types[type(instance)],
            label=str(instance)[:255],
            action=action,
            data=data or {},
            timestamp=now,
            user=by,
            object_id=str(instance.pk),
        )

    entries = [entry(village, "wagtail.create") for village in plan.new_villages]
    entries += [entry(companion, "wagtail.create") for companion, _account in plan.new_companions]
    entries += [entry(companion, "wagtail.edit", {"fields": sorted(fields)}) for companion, fields in plan.updated]
    ModelLogEntry.objects.bulk_create(entries, batch_size=BATCH)


def import_job_create(*, cohort: Cohort, filename: str, data: bytes, by: User) -> ImportJob:
    """Keep the uploaded file for its check, preview and import."""
    return ImportJob.objects.create(
        cohort=cohort,
        created_by=by,
        filename=filename[:255],
        data=data,
        language=translation.get_language() or "id",
        total=roster_row_count(data, filename),
    )


def import_job_start(*, job: ImportJob, confirm: bool = False) -> ImportJob:
    """Check (or, with confirm, import) the job's file: in this request when small, else in the background."""
    status = ImportJob.Status.IMPORTING if confirm else ImportJob.Status.CHECKING
    ImportJob.objects.filter(pk=job.pk).update(status=status, processed=0)
    if job.total > BACKGROUND_ROWS:
        roster_job_task.enqueue(job.pk, confirm)
    else:
        import_job_run(job_id=job.pk, confirm=confirm)
    job.refresh_from_db()
    return job


@task()
def roster_job_task(job_id: int, confirm: bool) -> None:
    """The background worker's side of import_job_start."""
    import_job_run(job_id=job_id, confirm=confirm)


def import_job_run(*, job_id: int, confirm: bool) -> ImportJob:
    """The work of one job, with progress saved as it goes; run by the request or by the worker."""
    job = ImportJob.objects.select_related("cohort", "created_by").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed=done, total=total)

    file = {"cohort": job.cohort, "data": bytes(job.data), "filename": job.filename, "progress": progress}
    with translation.override(job.language):
        try:
            report = roster_import(**file, by=job.created_by) if confirm else roster_preview(**file)
        except Exception:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.FAILED,
                result={"file_errors": [_("The import stopped on an unexpected error; nothing was written.")]},
                data=b"",  # nothing runs a failed job again: its NIKs need not stay
            )
            raise
    job.result = report.as_dict()
    job.status = ImportJob.Status.DONE if report.written else ImportJob.Status.CHECKED
    job.processed = job.total = len(report.rows)
    if report.written:
        job.data = b""  # the NIKs are in the database now; the file need not stay
    job.save(update_fields=["result", "status", "processed", "total", "data"])
    return job
