"""The render columns of a certificate, as the render worker sees them.

`CertificateFile` is an unmanaged model of the `certificates_certificate` table, with only the
columns a render reads and writes: the worker can then use the ORM and row locks without importing
`certificates.models`, whose foreign keys reach Wagtail's pages and images. The table belongs
to `certificates.Certificate`; a test holds the two models' columns together.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivateStorage(FileSystemStorage):
    """Files with no public address: only views that check who asks hand them out."""

    def url(self, name):
        raise ValueError("Certificate files have no public URL; use certificates:download.")


def certificate_storage() -> FileSystemStorage:
    """Rendered PDFs live outside MEDIA_ROOT, so no web server can hand them out by their path."""
    return PrivateStorage(location=settings.CERTIFICATE_ROOT)


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class CertificateFile(models.Model):
    revision = models.PositiveSmallIntegerField()
    pdf = models.FileField(storage=certificate_storage, upload_to="%Y", blank=True)
    render_status = models.CharField(max_length=10, choices=RenderStatus.choices, default=RenderStatus.PENDING)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    render_error = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        managed = False
        db_table = "certificates_certificate"

    def __str__(self):
        return f"{self.pk} ({self.revision})"
