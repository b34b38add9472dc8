"""Two writers that race past a check: the database constraint keeps one row, the loser is told.

Each writer is a thread with its own database connection, so the data is committed
(`transaction=True`) and the writes really meet in the database, on SQLite and on PostgreSQL.
"""

import threading

import pytest

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import translation

from courses.models import Enrollment, LessonProgress
from courses.services import enrollment_create
from tests.factories import CohortFactory, CompanionFactory, EnrollmentFactory, LessonPageFactory, ModulePageFactory

# The flush after a transactional test empties every table; restore the migrations' rows
# (roles, the root page, the default site) for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 30


class Race:
    """Runs calls in threads that each pass a check before any of them writes.

    `after_check` is called by each thread once it has made the check; it waits until every
    thread has made it, then lets the first thread write and the others only after it finished.
    That is how the database orders them anyway (PostgreSQL holds the second insert until the
    first commits, SQLite queues the second write transaction); waiting here also keeps SQLite's
    in-memory test database, which refuses a second writer instead of queueing it, in the race.
    """

    def __init__(self, size: int):
        self.checked = threading.Barrier(size, timeout=TIMEOUT)
        self.first_done = threading.Event()
        self.seat = threading.local()

    def after_check(self):
        self.checked.wait()
        if self.seat.index > 0 and not self.first_done.wait(TIMEOUT):
            raise TimeoutError("the first writer never finished")

    def run(self, *calls) -> tuple[list, list]:
        results, errors = [None] * len(calls), [None] * len(calls)

        def seat(index, call):
            self.seat.index = index
            try:
                results[index] = call()
            except Exception as error:  # noqa: BLE001 - the test asserts on it
                errors[index] = error
            finally:
                if index == 0:
                    self.first_done.set()
                connections.close_all()  # this thread's own connection

        threads = [threading.Thread(target=seat, args=(index, call)) for index, call in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
        return results, errors


def test_double_click_on_done_records_one_progress_and_answers_both(monkeypatch):
    enrollment = EnrollmentFactory()
    lesson = LessonPageFactory(parent=ModulePageFactory(parent=enrollment.cohort.program))
    race = Race(2)
    lookups = []
    lookup = QuerySet.first

    def first_then_wait(queryset):
        found = lookup(queryset)
        if queryset.model is LessonProgress:
            lookups.append(found)
            race.after_check()
        return found

    monkeypatch.setattr(QuerySet, "first", first_then_wait)
    clicks = [Client(), Client()]
    for client in clicks:
        client.force_login(enrollment.companion.user)
    url = reverse("courses:lesson-complete", args=[lesson.pk])

    responses, errors = race.run(*(lambda client=client: client.post(url) for client in clicks))

    assert errors == [None, None]
    assert lookups == [None, None]  # both clicks found no progress, so both inserted
    assert [response.status_code for response in responses] == [302, 302]
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).count() == 1


def test_enrolling_twice_at_once_keeps_one_and_tells_the_other(monkeypatch):
    cohort, companion = CohortFactory(), CompanionFactory()
    race = Race(2)
    full_clean = Enrollment.full_clean

    def full_clean_then_wait(enrollment, *args, **kwargs):
        full_clean(enrollment, *args, **kwargs)
        race.after_check()

    monkeypatch.setattr(Enrollment, "full_clean", full_clean_then_wait)

    def enroll():
        with translation.override("id"):
            return enrollment_create(cohort=cohort, companion=companion)

    results, errors = race.run(enroll, enroll)

    assert isinstance(results[0], Enrollment) and errors[0] is None
    assert isinstance(errors[1], ValidationError), errors[1]
    assert errors[1].messages == ["Pendamping ini sudah terdaftar di angkatan ini."]
    assert Enrollment.objects.filter(cohort=cohort, companion=companion).count() == 1
