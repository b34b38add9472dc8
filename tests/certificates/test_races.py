"""Certificate numbers under concurrent issuing: unique and gapless, on SQLite and on PostgreSQL.

Four coordinators issue the certificates of four cohorts of one program at the same moment;
each cohort is locked by its own issuer, so they meet only at the program's number counter.
Each issuer is a thread with its own connection (`transaction=True`: the data is committed).
On PostgreSQL all four take their numbers at once and the counter's row lock orders them;
SQLite allows one writer at a time, so there the issuers take turns, as they would in production.
"""

import threading
from decimal import Decimal

import pytest

from django.db import connection, connections, transaction

from certificates import services
from certificates.models import Certificate, NumberCounter
from certificates.services import certificates_issue
from tests.certificates.factories import record_results
from tests.courses.factories import SessionFactory
from tests.factories import CohortFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 60
ISSUERS = 4
PER_COHORT = 3


@pytest.fixture
def cohorts(training, settings):
    """Four cohorts of the training's program, three eligible companions in each.

    The PDFs are queued to a backend that keeps them: numbering is the point here.
    """
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "certificates"]}
    }
    cohorts = [CohortFactory(program=training.program, name=f"Angkatan {n}") for n in range(1, ISSUERS + 1)]
    for cohort in cohorts:
        sessions = [SessionFactory(cohort=cohort) for _ in range(2)]
        for _ in range(PER_COHORT):
            enrollment = EnrollmentFactory(cohort=cohort)
            record_results(enrollment, sessions=sessions, attended=2, post_test=training.post_test, score=Decimal(90))
    return cohorts


def run_at_once(calls):
    """Run each call in its own thread, at once (one after another on SQLite). Returns the errors."""
    errors = [None] * len(calls)
    serial = threading.Lock() if connection.vendor == "sqlite" else None

    def seat(index, call):
        try:
            if serial:
                with serial:
                    call()
            else:
                call()
        except Exception as error:  # noqa: BLE001 - the test asserts on it
            errors[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=seat, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return errors


def gate_before_numbering(monkeypatch, size):
    """Hold every issuer just before its first number until all have arrived (PostgreSQL only)."""
    if connection.vendor == "sqlite":
        return
    barrier = threading.Barrier(size, timeout=TIMEOUT)
    arrived = threading.local()
    take = services.number_take

    def take_together(**kwargs):
        if not getattr(arrived, "done", False):
            arrived.done = True
            barrier.wait()
        return take(**kwargs)

    monkeypatch.setattr(services, "number_take", take_together)


def test_concurrent_issuers_get_unique_gapless_numbers(cohorts, coordinator, monkeypatch):
    gate_before_numbering(monkeypatch, ISSUERS)
    calls = [lambda cohort=cohort: certificates_issue(cohort=cohort, by=coordinator) for cohort in cohorts]

    errors = run_at_once(calls)

    assert errors == [None] * ISSUERS
    total = ISSUERS * PER_COHORT
    sequences = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    assert len(set(Certificate.objects.values_list("number", flat=True))) == total
    assert NumberCounter.objects.get().last == total


def test_an_issue_that_rolls_back_gives_its_numbers_back(cohorts, coordinator, monkeypatch):
    gate_before_numbering(monkeypatch, ISSUERS)

    def issue_then_fail(cohort):
        with transaction.atomic():
            certificates_issue(cohort=cohort, by=coordinator)
            raise RuntimeError("the coordinator's connection dropped")

    calls = [lambda cohort=cohort: certificates_issue(cohort=cohort, by=coordinator) for cohort in cohorts[1:]]
    errors = run_at_once([lambda: issue_then_fail(cohorts[0]), *calls])

    assert isinstance(errors[0], RuntimeError) and errors[1:] == [None] * (ISSUERS - 1)
    total = (ISSUERS - 1) * PER_COHORT
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == list(range(1, total + 1))
    assert NumberCounter.objects.get().last == total
    assert not Certificate.objects.filter(enrollment__cohort=cohorts[0]).exists()
