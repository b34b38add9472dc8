"""Factories for certificates, their templates and cohort rules."""

import datetime

import factory

from certificates.models import Certificate, CertificateTemplate, CohortCertificateRule
from tests.factories import CohortFactory, EnrollmentFactory


class CertificateTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateTemplate

    title = factory.Sequence(lambda n: f"Templat {n}")
    signatory_name = "Nama Penandatangan"


class CohortCertificateRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortCertificateRule

    cohort = factory.SubFactory(CohortFactory)


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate as issued, with the holder's facts copied from the enrollment."""

    class Meta:
        model = Certificate

    enrollment = factory.SubFactory(EnrollmentFactory)
    program = factory.LazyAttribute(lambda c: c.enrollment.cohort.program)
    sequence = factory.Sequence(lambda n: n + 1)
    year = 2017
    number = factory.LazyAttribute(lambda c: f"{c.sequence:03d}/BIMTEK-DESMIG/XI/2017")
    holder_name = factory.LazyAttribute(lambda c: c.enrollment.companion.user.full_name)
    village = factory.LazyAttribute(lambda c: c.enrollment.companion.village.name)
    kecamatan = factory.LazyAttribute(lambda c: c.enrollment.companion.village.kecamatan)
    kabupaten = factory.LazyAttribute(lambda c: c.enrollment.companion.village.kabupaten)
    provinsi = factory.LazyAttribute(lambda c: c.enrollment.companion.village.provinsi)
    program_title = factory.LazyAttribute(lambda c: c.enrollment.cohort.program.title)
    cohort_name = factory.LazyAttribute(lambda c: c.enrollment.cohort.name)
    start_date = datetime.date(2017, 10, 30)
    end_date = datetime.date(2017, 11, 2)
    place = "Jakarta"
    dated = datetime.date(2017, 11, 2)
    total_jp = 36
    modules = factory.LazyFunction(
        lambda: [["M01", "Kebijakan Program Desmigratif", 2], ["", "Pre-test dan post-test", 2]]
    )
    issued_at = factory.LazyFunction(lambda: datetime.datetime(2017, 11, 2, 15, 0, tzinfo=datetime.UTC))


def record_results(enrollment, *, sessions, attended: int, post_test, score) -> None:
    """Mark `attended` of the cohort's `sessions` present, the rest absent, and a submitted post-test score."""
    from django.utils import timezone

    from courses.models import AttendanceStatus
    from tests.assessments.factories import AttemptFactory
    from tests.courses.factories import AttendanceFactory

    for index, session in enumerate(sessions):
        status = AttendanceStatus.PRESENT if index < attended else AttendanceStatus.ABSENT
        AttendanceFactory(session=session, enrollment=enrollment, status=status)
    if score is not None:
        AttemptFactory(quiz=post_test, enrollment=enrollment, submitted_at=timezone.now(), score=score)
