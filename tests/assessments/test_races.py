"""Two starts of one quiz at once (a double click, two tabs): one attempt, both sent to it.

Threads with their own connections meet in the database (see tests/courses/test_races.py);
run on PostgreSQL too (`DATABASE_URL=$(bash .ci/postgres)`), where the second insert waits for
the first to commit and then fails on the constraint "one open attempt per enrollment and quiz".
"""

import datetime

import pytest

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Attempt
from assessments.services import attempt_start, attempt_submit
from tests.assessments.factories import QuizPageFactory, single_choice
from tests.courses.test_races import Race
from tests.factories import CohortFactory, EnrollmentFactory, ProgramPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def open_quiz(**fields):
    program = ProgramPageFactory()
    quiz = QuizPageFactory(parent=program, **fields)
    single_choice(quiz)
    today = datetime.date.today()
    cohort = CohortFactory(program=program, start_date=today, end_date=today + datetime.timedelta(days=1))
    return quiz, EnrollmentFactory(cohort=cohort)


def wait_after_the_open_attempt_check(monkeypatch, race: Race):
    """Each thread reads the attempts so far, finds none open, and only then lets the others write."""
    read = services.attempts_of

    def read_then_wait(**kwargs):
        attempts = read(**kwargs)
        race.after_check()
        return attempts

    monkeypatch.setattr(services, "attempts_of", read_then_wait)


def test_double_click_on_start_makes_one_attempt_and_sends_both_clicks_to_it(monkeypatch):
    quiz, enrollment = open_quiz()
    race = Race(2)
    wait_after_the_open_attempt_check(monkeypatch, race)
    clicks = [Client(), Client()]
    for client in clicks:
        client.force_login(enrollment.companion.user)
    url = reverse("assessments:quiz-start", args=[quiz.pk])

    responses, errors = race.run(*(lambda client=client: client.post(url) for client in clicks))

    assert errors == [None, None]
    attempt = Attempt.objects.get(quiz=quiz, enrollment=enrollment)
    target = reverse("assessments:attempt", args=[attempt.pk])
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, target), (302, target)]


def test_a_second_attempt_started_twice_at_once_is_made_once(monkeypatch):
    quiz, enrollment = open_quiz(attempts_allowed=2)
    attempt_submit(attempt=attempt_start(quiz=quiz, enrollment=enrollment, by=None), by=None)
    race = Race(2)
    wait_after_the_open_attempt_check(monkeypatch, race)

    def start():
        return attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=timezone.now())

    results, errors = race.run(start, start)

    assert errors == [None, None]
    assert results[0].pk == results[1].pk and results[0].number == 2
    assert Attempt.objects.filter(quiz=quiz, enrollment=enrollment).count() == 2
