"""Factories of the dashboard's tests: submitted quiz attempts with a score."""

import datetime
from decimal import Decimal

from assessments.models import Attempt, QuizPage
from tests.assessments.factories import AttemptFactory, QuizPageFactory


def quiz_of(program, kind: str) -> QuizPage:
    """The program's quiz of `kind`, made on first use."""
    quiz = QuizPage.objects.child_of(program).filter(kind=kind).first()
    return quiz or QuizPageFactory(parent=program, kind=kind, title=kind.replace("_", "-").title())


def submit(enrollment, *, kind: str, score: Decimal) -> Attempt:
    """A submitted attempt at the enrollment's program's quiz of `kind`, numbered after the earlier ones."""
    quiz = quiz_of(enrollment.cohort.program, kind)
    number = Attempt.objects.filter(enrollment=enrollment, quiz=quiz).count() + 1
    return AttemptFactory(
        quiz=quiz,
        enrollment=enrollment,
        number=number,
        submitted_at=datetime.datetime(2017, 10, 30, 9, 0, tzinfo=datetime.UTC),
        score=score,
        passed=score >= quiz.effective_pass_mark,
    )
