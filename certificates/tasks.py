"""Background work of certificates: rendering PDFs, retried, and never silently missing."""

from django_tasks import task

from django.conf import settings

from .services import certificate_render, certificate_render_failed


@task()
def render_certificates(certificate_ids: list[int]) -> dict:
    """Render each certificate, trying each up to CERTIFICATE_RENDER_ATTEMPTS times.

    A certificate that still fails is marked failed with its error, for the coordinator's
    screen to list and render again; the others in the batch go on.
    """
    rendered, failed = [], []
    for certificate_id in certificate_ids:
        error = None
        for _attempt in range(settings.CERTIFICATE_RENDER_ATTEMPTS):
            try:
                certificate_render(certificate_id=certificate_id)
            except Exception as problem:  # noqa: BLE001 - recorded on the certificate below
                error = f"{type(problem).__name__}: {problem}"
            else:
                error = None
                break
        if error is None:
            rendered.append(certificate_id)
        else:
            certificate_render_failed(certificate_id=certificate_id, error=error)
            failed.append(certificate_id)
    return {"rendered": rendered, "failed": failed}
