"""Every write to certificates goes through here: issue, render, revoke, reissue, notify.

Issuing writes the records (number, snapshot of the holder) in one transaction; the PDFs are
rendered afterwards by the `render_certificates` background task. Each service logs its own
audit entry; `by` is the person acting, None when the system does (the demo, a task).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from courses.models import Cohort, Enrollment
from people.models import User
from people.services import apply_changes, checked_save, known_changes, log_change

from .models import Certificate, CertificateTemplate, CohortCertificateRule, NumberCounter
from .numbering import format_number
from .selectors import Standing, cohort_standings, cohort_template, program_modules, program_quizzes_with_jp
from .sharing import verify_url

RENDER_BATCH = 20  # certificates per background task, so several workers share a cohort


def certificate_template_create(*, title: str, by: User | None = None, **fields) -> CertificateTemplate:
    template = CertificateTemplate(title=title.strip(), **fields)
    checked_save(template)
    log(instance=template, action="wagtail.create", user=by)
    return template


RULE_FIELDS = ("min_attendance_percent", "pass_mark", "post_test_required", "modules_complete", "template")


@transaction.atomic
def cohort_rule_update(*, cohort: Cohort, by: User | None, **changes) -> CohortCertificateRule:
    """Set the cohort's own thresholds (None follows the program), module rule and template."""
    changes = known_changes(changes, RULE_FIELDS)
    rule = CohortCertificateRule.objects.filter(cohort=cohort).first()
    if rule is None:
        rule = CohortCertificateRule(cohort=cohort)
        apply_changes(rule, changes)
        checked_save(rule)
        log(instance=rule, action="wagtail.create", user=by)
        return rule
    changed = apply_changes(rule, changes)
    if changed:
        checked_save(rule)
        log_change(instance=rule, by=by, changed=changed)
    return rule


def number_take(*, program_id: int, year: int) -> int:
    """The next sequence number of a program and year, with the counter row locked until commit.

    A rolled-back issue gives its number back with the rest of its transaction: no gaps.
    """
    counters = NumberCounter.objects.filter(program_id=program_id, year=year)
    if not counters.exists():
        try:
            with transaction.atomic():
                NumberCounter.objects.create(program_id=program_id, year=year, last=0)
        except IntegrityError:  # another issuer created it first
            pass
    counter = counters.select_for_update().get()
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def holder_snapshot(enrollment: Enrollment) -> dict:
    """The holder's facts as they are now: what the certificate prints, whatever changes later."""
    companion, cohort = enrollment.companion, enrollment.cohort
    village = companion.village
    return {
        "holder_name": companion.user.get_full_name(),
        "village": village.name,
        "kecamatan": village.kecamatan,
        "kabupaten": village.kabupaten,
        "provinsi": village.provinsi,
        "program_title": cohort.program.title,
        "cohort_name": cohort.name,
        "start_date": cohort.start_date,
        "end_date": cohort.end_date,
        "place": cohort.venue or "Jakarta",
        "dated": cohort.end_date,
    }


def modules_snapshot(cohort: Cohort) -> tuple[list[list], int]:
    """[code, title, JP] of each live module, then of each quiz that counts JP; and the total JP."""
    rows = [[module.code, module.title, module.jp_hours] for module in program_modules(cohort.program)]
    rows += [["", quiz.title, quiz.jp_hours] for quiz in program_quizzes_with_jp(cohort.program)]
    return rows, sum(row[2] for row in rows)


def _issue(
    *, standing: Standing, cohort: Cohort, template: CertificateTemplate | None, modules, total_jp, by, now
) -> Certificate:
    enrollment = standing.enrollment
    snapshot = holder_snapshot(enrollment)
    dated = snapshot["dated"]
    sequence = number_take(program_id=cohort.program_id, year=dated.year)
    number_format = template.effective_number_format if template else settings.CERTIFICATE_NUMBER_FORMAT
    certificate = Certificate(
        enrollment=enrollment,
        program_id=cohort.program_id,
        template=template,
        number=format_number(number_format, seq=sequence, dated=dated),
        sequence=sequence,
        year=dated.year,
        modules=modules,
        total_jp=total_jp,
        post_test_score=standing.facts.post_test,
        issued_by=by,
        issued_at=now,
        **snapshot,
    )
    certificate.full_clean()
    certificate.save()
    log(instance=certificate, action="wagtail.create", user=by, data={"number": certificate.number})
    return certificate


def render_later(certificate_ids: list[int]) -> None:
    """Queue the PDFs once the records are committed, in batches several render workers can share.

    Each batch's jobs (HTML, signature, e-mail) are made here, after the commit, so the render
    worker needs no Wagtail; the first batch is queued before the next is made.
    """
    from .rendering.tasks import render_certificates

    def enqueue(batch: list[int]) -> None:
        jobs = render_jobs(batch)
        if jobs:
            render_certificates.enqueue(jobs=jobs)

    for start in range(0, len(certificate_ids), RENDER_BATCH):
        batch = certificate_ids[start : start + RENDER_BATCH]
        transaction.on_commit(lambda batch=batch: enqueue(batch))


def render_jobs(certificate_ids: list[int]) -> list[dict]:
    """The render jobs of these certificates; one whose HTML cannot be made is marked failed instead."""
    from .pdf import template_images

    certificates = Certificate.objects.filter(pk__in=certificate_ids, revoked_at=None).select_related(
        "template", "enrollment__companion__user"
    )
    jobs, images = [], {}  # the pictures of each template, looked up once for the batch
    for certificate in certificates.order_by("sequence"):
        try:
            if certificate.template_id not in images:
                images[certificate.template_id] = template_images(certificate.template or CertificateTemplate())
            jobs.append(render_job(certificate, images=images[certificate.template_id]))
        except Exception as error:  # noqa: BLE001 - shown on the coordinator's screen, to render again
            certificate_render_failed(certificate_id=certificate.pk, error=f"{type(error).__name__}: {error}")
    return jobs


def render_job(certificate: Certificate, *, images: dict | None = None) -> dict:
    """What the render worker needs for one certificate: its HTML, its signature's words, its e-mail."""
    from .pdf import certificate_html

    url = verify_url(certificate)
    with translation.override("id"):
        reason = _("Certificate %(number)s") % {"number": certificate.number}
    return {
        "certificate_id": certificate.pk,
        "revision": certificate.revision,
        "year": certificate.year,
        "html": certificate_html(
            certificate=certificate,
            template=certificate.template or CertificateTemplate(),
            verify_url=url,
            images=images,
        ),
        "reason": reason,
        "location": certificate.place,
        "email": certificate_email(certificate, verify_url=url),
    }


def certificate_email(certificate: Certificate, *, verify_url: str) -> dict | None:
    """The e-mail that brings the companion their PDF and link, when they have an address."""
    email = certificate.enrollment.companion.user.email
    if not email:
        return None
    with translation.override("id"):
        subject = _("Your certificate %(number)s") % {"number": certificate.number}
        body = render_to_string(
            "certificates/email/certificate_ready.txt",
            {"certificate": certificate, "verify_url": verify_url, "reissued": certificate.revision > 1},
        )
    return {"to": email, "subject": subject, "body": body, "filename": certificate.file_name}


@transaction.atomic
def certificates_issue(
    *, cohort: Cohort, by: User | None, enrollment_ids: list[int] | None = None
) -> list[Certificate]:
    """Issue certificates to the eligible companions of the cohort (or to those named) that have none.

    The cohort row is locked first, so two coordinators pressing the button at once issue each
    certificate once. Naming an enrollment that is not eligible, or already has a certificate,
    raises a ValidationError with the reasons and issues nothing.
    """
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    standings = cohort_standings(cohort, enrollment_ids=enrollment_ids)
    if enrollment_ids is not None:
        refused = [
            _("%(name)s: %(reasons)s")
            % {"name": standing.enrollment.companion, "reasons": "; ".join(standing.verdict.reasons)}
            for standing in standings
            if not standing.verdict.eligible
        ]
        refused += [
            _("%(name)s already has certificate %(number)s.")
            % {"name": standing.enrollment.companion, "number": standing.certificate.number}
            for standing in standings
            if standing.certificate is not None
        ]
        if refused:
            raise ValidationError(refused)
    to_issue = [standing for standing in standings if standing.verdict.eligible and standing.certificate is None]
    if not to_issue:
        return []
    template = cohort_template(cohort)
    modules, total_jp = modules_snapshot(cohort)
    now = timezone.now()
    issued = [
        _issue(standing=standing, cohort=cohort, template=template, modules=modules, total_jp=total_jp, by=by, now=now)
        for standing in to_issue
    ]
    render_later([certificate.pk for certificate in issued])
    return issued


def certificate_issue(*, enrollment: Enrollment, by: User | None) -> Certificate:
    """Issue one companion's certificate; a ValidationError says why not."""
    return certificates_issue(cohort=enrollment.cohort, by=by, enrollment_ids=[enrollment.pk])[0]


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User | None, reason: str) -> Certificate:
    """Revoke with a reason: the verify page then says so, and the companion can no longer download it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking this certificate.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revoked_reason = reason
    certificate.full_clean()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    log_change(instance=certificate, by=by, changed=["revoked_at", "revoked_reason"], reason=reason)
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, by: User | None, reason: str = "") -> Certificate:
    """A new edition after a correction: the holder's facts read again, the same number, a new PDF.

    The old file is deleted once this commits, so it is never served again.
    """
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("A revoked certificate cannot be reissued."))
    enrollment = Enrollment.objects.select_related("companion__user", "companion__village", "cohort__program").get(
        pk=certificate.enrollment_id
    )
    snapshot = holder_snapshot(enrollment)
    snapshot.pop("dated")  # the date, like the number, stays as first issued
    old_file = certificate.pdf.name
    for field, value in snapshot.items():
        setattr(certificate, field, value)
    certificate.modules, certificate.total_jp = modules_snapshot(enrollment.cohort)
    certificate.revision += 1
    certificate.reissued_at = timezone.now()
    certificate.pdf = ""
    certificate.render_status = Certificate.RenderStatus.PENDING
    certificate.render_attempts = 0
    certificate.render_error = ""
    certificate.full_clean()
    certificate.save()
    log_change(
        instance=certificate,
        by=by,
        changed=["revision", *snapshot],
        reason=reason.strip(),
        edition=certificate.revision,
    )
    if old_file:
        transaction.on_commit(lambda: certificate.pdf.storage.delete(old_file))
    render_later([certificate.pk])
    return certificate


def certificates_render_again(*, cohort: Cohort, by: User | None) -> int:
    """Queue again every valid certificate of the cohort whose PDF is missing or failed.

    One still waiting in the queue is queued again too (its worker may have died); the render
    worker renders and mails each edition once whichever job comes first.
    """
    ids = list(
        Certificate.objects.filter(enrollment__cohort=cohort, revoked_at=None)
        .exclude(render_status=Certificate.RenderStatus.DONE)
        .values_list("pk", flat=True)
    )
    Certificate.objects.filter(pk__in=ids).update(
        render_status=Certificate.RenderStatus.PENDING, render_attempts=0, render_error=""
    )
    if ids:
        log(instance=cohort, action="wagtail.edit", user=by, data={"certificates_render_again": len(ids)})
        with transaction.atomic():
            render_later(ids)
    return len(ids)


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """Render (and sign, when a key is set) one certificate's PDF, as the render worker would."""
    from .rendering.tasks import pdf_bytes  # WeasyPrint loads only where PDFs are made

    return pdf_bytes(render_job(certificate))


def certificate_render(*, certificate_id: int) -> Certificate:
    """Render, store and mark one certificate now, in this process, by the render worker's path, even
    when its edition has a PDF already."""
    from .rendering.tasks import render

    certificate = Certificate.objects.select_related("template", "enrollment__companion__user").get(pk=certificate_id)
    render(render_job(certificate), again=True)
    certificate.refresh_from_db()
    return certificate


def certificate_render_failed(*, certificate_id: int, error: str) -> None:
    """Its PDF could not be made: mark it, so the coordinator's screen lists it with the error."""
    Certificate.objects.filter(pk=certificate_id).update(
        render_status=Certificate.RenderStatus.FAILED, render_error=error[:2000]
    )
    certificate = Certificate.objects.get(pk=certificate_id)
    log(instance=certificate, action="wagtail.edit", user=None, data={"render_failed": error[:500]})
