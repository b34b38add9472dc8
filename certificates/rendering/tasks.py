"""Render queued certificates: each job's HTML to a signed PDF, stored and marked on its certificate.

A job is what `certificates.services.render_job` made when the work was queued: the certificate's
id and edition, its HTML, the signature's reason and place, and the e-mail to send when there is
an address. A render that fails is tried again, then marked failed with its error for the
coordinator's screen; none goes missing silently.
"""

import logging
import secrets

from django_tasks import task

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..pdf import render_pdf
from ..signing import sign_pdf
from .models import CertificateFile, RenderStatus

logger = logging.getLogger(__name__)

QUEUE = "certificates"


@task(queue_name=QUEUE)
def render_certificates(jobs: list[dict]) -> dict:
    """Render each job, trying each up to CERTIFICATE_RENDER_ATTEMPTS times; the others go on."""
    rendered, failed = [], []
    for job in jobs:
        error = None
        for _attempt in range(settings.CERTIFICATE_RENDER_ATTEMPTS):
            try:
                render(job)
            except Exception as problem:  # noqa: BLE001 - recorded on the certificate below
                error = f"{type(problem).__name__}: {problem}"
            else:
                error = None
                break
        if error is None:
            rendered.append(job["certificate_id"])
        else:
            CertificateFile.objects.filter(pk=job["certificate_id"], revision=job["revision"]).update(
                render_status=RenderStatus.FAILED, render_error=error[:2000]
            )
            failed.append(job["certificate_id"])
    return {"rendered": rendered, "failed": failed}


def wanted(job: dict, *, again: bool = False):
    """The job's edition, unless the certificate was revoked or reissued since the job was made, or
    (unless `again`) the edition has its PDF already: a job queued twice renders and mails once."""
    editions = CertificateFile.objects.filter(pk=job["certificate_id"], revision=job["revision"], revoked_at=None)
    return editions if again else editions.exclude(render_status=RenderStatus.DONE)


def render(job: dict, *, again: bool = False) -> bool:
    """Render, sign, store, mark and mail one certificate; False, doing none of it, when it is not `wanted`.

    An error is recorded on the certificate and raised again.
    """
    pk = job["certificate_id"]
    if not wanted(job, again=again).exists():
        return False
    try:
        pdf = pdf_bytes(job)
    except Exception as error:
        CertificateFile.objects.filter(pk=pk).update(
            render_attempts=F("render_attempts") + 1, render_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    storage = CertificateFile._meta.get_field("pdf").storage
    stored = storage.save(f"{job['year']}/{pk}-{job['revision']}-{secrets.token_hex(4)}.pdf", ContentFile(pdf))
    with transaction.atomic():
        current = wanted(job, again=again).select_for_update().first()
        if current is None:  # revoked, reissued or rendered by another job meanwhile
            storage.delete(stored)
            return False
        replaced = current.pdf.name
        current.pdf.name = stored
        current.render_status = RenderStatus.DONE
        current.render_attempts = F("render_attempts") + 1
        current.render_error = ""
        current.rendered_at = timezone.now()
        current.save(update_fields=["pdf", "render_status", "render_attempts", "render_error", "rendered_at"])
    if replaced and replaced != stored:
        storage.delete(replaced)
    if job.get("email"):
        send(job["email"], pdf)
    return True


def pdf_bytes(job: dict) -> bytes:
    """The job's PDF, signed when the settings name a key."""
    return sign_pdf(render_pdf(job["html"]), reason=job["reason"], location=job["location"])


def send(email: dict, pdf: bytes) -> bool:
    """E-mail the companion their PDF; a failure is logged, not raised: the certificate stands."""
    message = EmailMessage(subject=email["subject"], body=email["body"], to=[email["to"]])
    message.attach(email["filename"], pdf, "application/pdf")
    try:
        message.send()
    except Exception:
        logger.exception("Could not e-mail certificate %s", email["filename"])
        return False
    return True
