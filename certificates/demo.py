"""Demo certificates for Angkatan I 2017, called by `load_demo_data` after attendance and quizzes.

Rerun-safe: the template and the demo signing key are made once, certificates are issued only
to eligible companions who have none, and one certificate is revoked only if none is yet. The
PDFs are rendered by the background worker that `make run` starts.
"""

from pathlib import Path

from django.conf import settings

from assessments.models import Attempt, QuizKind
from courses.models import Cohort
from people.models import User

from .models import Certificate, CertificateTemplate, CohortCertificateRule
from .services import certificate_revoke, certificate_template_create, certificates_issue, cohort_rule_update
from .signing import make_demo_key

TEMPLATE_TITLE = "Sertifikat Bimtek Pendamping Desmigratif 2017"
REVOKED_REASON = (
    "Contoh pencabutan: desa mengganti pendamping ini setelah pelatihan, dan sertifikat diterbitkan atas nama "
    "yang salah."
)


def demo_signing_key() -> None:
    """The self-signed demo key, made where the dev settings name it if it is not there yet."""
    key = Path(settings.CERTIFICATE_SIGNING_KEY) if settings.CERTIFICATE_SIGNING_KEY else None
    if settings.CERTIFICATE_DEMO_KEY and key is not None and not key.exists():
        make_demo_key(
            key,
            passphrase=settings.CERTIFICATE_SIGNING_PASSPHRASE,
            common_name="Direktur Jenderal Binapenta & PKK (kunci demo)",
        )


def load_certificates(cohort: Cohort) -> int:
    """Issue the cohort's eligible companions their certificates and revoke one; returns how many were issued."""
    demo_signing_key()
    template = CertificateTemplate.objects.filter(title=TEMPLATE_TITLE).first() or certificate_template_create(
        title=TEMPLATE_TITLE, signing_place="Jakarta"
    )
    if not CohortCertificateRule.objects.filter(cohort=cohort).exists():
        sat_post_test = Attempt.objects.filter(
            enrollment__cohort=cohort, quiz__kind=QuizKind.POST_TEST, submitted_at__isnull=False
        ).exists()
        # Without the quiz demo's post-test results, attendance alone decides who is eligible.
        cohort_rule_update(cohort=cohort, by=None, template=template, post_test_required=sat_post_test)
    coordinator = User.objects.filter(username="koordinator").first()
    issued = certificates_issue(cohort=cohort, by=coordinator)
    certificates = Certificate.objects.filter(enrollment__cohort=cohort)
    if not certificates.filter(revoked_at__isnull=False).exists():
        last = certificates.order_by("-sequence").first()
        if last is not None:
            certificate_revoke(certificate=last, by=coordinator, reason=REVOKED_REASON)
    return len(issued)
