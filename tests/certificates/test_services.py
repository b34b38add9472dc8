"""Issuing, rendering, revoking and reissuing certificates through the services."""

import datetime

import pytest

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from wagtail.models import ModelLogEntry

from certificates.models import Certificate, NumberCounter
from certificates.selectors import cohort_standings
from certificates.services import (
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
    certificates_issue,
    certificates_render_again,
    cohort_rule_update,
)
from people.services import user_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def test_the_bulk_issue_numbers_the_eligible_in_order_of_name_and_skips_the_rest(
    training, coordinator, django_capture_on_commit_callbacks
):
    budi = training.companion("Budi Santoso")
    agus = training.companion("Agus Wibowo")
    training.companion("Joko Absen", attended=3)
    training.companion("Sri Gagal", score="65")

    with django_capture_on_commit_callbacks(execute=True):
        issued = certificates_issue(cohort=training.cohort, by=coordinator)

    assert [(c.holder_name, c.number) for c in issued] == [
        ("Agus Wibowo", "001/BIMTEK-DESMIG/XI/2017"),
        ("Budi Santoso", "002/BIMTEK-DESMIG/XI/2017"),
    ]
    assert {c.enrollment_id for c in issued} == {agus.pk, budi.pk}
    for certificate in Certificate.objects.all():
        assert certificate.render_status == Certificate.RenderStatus.DONE and certificate.pdf
        assert certificate.issued_by == coordinator
    assert NumberCounter.objects.get(program=training.program, year=2017).last == 2


def test_the_holders_facts_are_kept_as_they_were_at_issue(training, coordinator, django_capture_on_commit_callbacks):
    enrollment = training.companion("Siti Rahayu")
    with django_capture_on_commit_callbacks(execute=True):
        [certificate] = certificates_issue(cohort=training.cohort, by=coordinator)
    user_update(user=enrollment.companion.user, by=coordinator, full_name="Siti Rahayu Lestari")
    certificate.refresh_from_db()
    assert certificate.holder_name == "Siti Rahayu"
    assert certificate.village == "Desa Siti" and certificate.kabupaten == "Wonosobo"
    assert certificate.program_title == "Bimtek Pendamping Desmigratif 2017"
    assert certificate.dated == datetime.date(2017, 11, 2) and certificate.place == "Jakarta"
    assert certificate.total_jp == 8  # two modules of 3 JP and the post-test's 2
    assert [row[1] for row in certificate.modules] == ["Kebijakan Program Desmigratif", "Migrasi Aman", "Post-test"]


def test_issuing_again_gives_no_second_certificate(training, coordinator):
    training.companion("Budi Santoso")
    assert len(certificates_issue(cohort=training.cohort, by=coordinator)) == 1
    assert certificates_issue(cohort=training.cohort, by=coordinator) == []
    assert Certificate.objects.count() == 1


def test_issuing_one_who_is_not_eligible_says_why_and_issues_nothing(training, coordinator):
    enrollment = training.companion("Joko Absen", attended=3, score="65")
    with pytest.raises(ValidationError) as error:
        certificate_issue(enrollment=enrollment, by=coordinator)
    assert error.value.messages == [f"{enrollment.companion}: kehadiran 60 % < 80 %; nilai post-test 65 < 70"]
    assert not Certificate.objects.exists() and not NumberCounter.objects.filter(last__gt=0).exists()


def test_a_cohort_override_changes_who_is_eligible(training, coordinator):
    enrollment = training.companion("Joko Absen", attended=3, score="65")
    cohort_rule_update(cohort=training.cohort, by=coordinator, min_attendance_percent=60, pass_mark=60)
    [standing] = cohort_standings(training.cohort)
    assert standing.verdict.eligible
    assert certificate_issue(enrollment=enrollment, by=coordinator).number == "001/BIMTEK-DESMIG/XI/2017"


def test_all_modules_complete_is_asked_only_when_the_cohort_says_so(training, coordinator):
    training.companion("Budi Santoso")
    cohort_rule_update(cohort=training.cohort, by=coordinator, modules_complete=True)
    [standing] = cohort_standings(training.cohort)
    # M01 has an unread lesson; M02 has no lesson, so nothing to finish.
    assert standing.verdict.reasons == ("1 modul belum selesai",)


def test_revoking_needs_a_reason(training, coordinator):
    training.companion("Budi Santoso")
    [certificate] = certificates_issue(cohort=training.cohort, by=coordinator)
    with pytest.raises(ValidationError) as error:
        certificate_revoke(certificate=certificate, by=coordinator, reason="  ")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert error.value.message_dict == {"reason": ["Sebutkan alasan pencabutan sertifikat ini."]}


def test_a_revoked_certificate_records_who_when_and_why(training, coordinator):
    training.companion("Budi Santoso")
    [certificate] = certificates_issue(cohort=training.cohort, by=coordinator)
    certificate = certificate_revoke(certificate=certificate, by=coordinator, reason="Data kehadiran dipalsukan.")
    certificate.refresh_from_db()
    assert certificate.revoked_by == coordinator and certificate.revoked_at is not None
    assert certificate.revoked_reason == "Data kehadiran dipalsukan."
    entry = ModelLogEntry.objects.filter(object_id=str(certificate.pk), action="wagtail.edit").get()
    assert entry.data["reason"] == "Data kehadiran dipalsukan." and entry.user_id == coordinator.pk
    with pytest.raises(ValidationError):
        certificate_reissue(certificate=certificate, by=coordinator)


def test_a_reissue_keeps_the_number_and_replaces_the_file(training, coordinator, django_capture_on_commit_callbacks):
    enrollment = training.companion("Siti Rahayu")
    with django_capture_on_commit_callbacks(execute=True):
        [certificate] = certificates_issue(cohort=training.cohort, by=coordinator)
    certificate.refresh_from_db()
    old_file = certificate.pdf.name
    storage = certificate.pdf.storage
    assert storage.exists(old_file)

    user_update(user=enrollment.companion.user, by=coordinator, full_name="Siti Rahayu Lestari")
    with django_capture_on_commit_callbacks(execute=True):
        certificate_reissue(certificate=certificate, by=coordinator, reason="Nama kurang lengkap.")

    certificate.refresh_from_db()
    assert certificate.number == "001/BIMTEK-DESMIG/XI/2017" and certificate.revision == 2
    assert certificate.holder_name == "Siti Rahayu Lestari"
    assert certificate.pdf.name != old_file and storage.exists(certificate.pdf.name)
    assert not storage.exists(old_file)
    assert NumberCounter.objects.get().last == 1


def test_the_companion_is_emailed_the_pdf_when_they_have_an_address(
    training, coordinator, django_capture_on_commit_callbacks
):
    training.companion("Budi Santoso", email="budi@example.org")
    training.companion("Agus Tanpa Surel")
    with django_capture_on_commit_callbacks(execute=True):
        certificates_issue(cohort=training.cohort, by=coordinator)
    [message] = mail.outbox
    assert message.to == ["budi@example.org"]
    certificate = Certificate.objects.get(holder_name="Budi Santoso")
    assert certificate.number in message.subject
    assert f"http://testserver/v/{certificate.code}/" in message.body
    [(name, content, kind)] = message.attachments
    assert kind == "application/pdf" and content.startswith(b"%PDF")


def test_a_failing_render_is_retried_then_reported_and_can_be_queued_again(
    training, coordinator, django_capture_on_commit_callbacks, settings
):
    training.companion("Budi Santoso")
    settings.CERTIFICATE_SIGNING_KEY = "/tidak/ada/kunci.p12"  # every render fails on the missing key
    with django_capture_on_commit_callbacks(execute=True):
        [certificate] = certificates_issue(cohort=training.cohort, by=coordinator)
    certificate.refresh_from_db()
    assert certificate.render_status == Certificate.RenderStatus.FAILED
    assert certificate.render_attempts == settings.CERTIFICATE_RENDER_ATTEMPTS
    assert "kunci.p12" in certificate.render_error and not certificate.pdf

    settings.CERTIFICATE_SIGNING_KEY = ""
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_render_again(cohort=training.cohort, by=coordinator) == 1
    certificate.refresh_from_db()
    assert certificate.render_status == Certificate.RenderStatus.DONE and certificate.pdf
    assert certificate.render_error == ""


def test_the_verification_code_is_long_and_random(training, coordinator):
    training.companion("Budi Santoso")
    training.companion("Agus Wibowo")
    codes = [c.code for c in certificates_issue(cohort=training.cohort, by=coordinator)]
    assert all(len(code) == 16 for code in codes) and len(set(codes)) == 2
