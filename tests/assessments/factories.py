"""Factories for quizzes, their questions and windows, and attempts."""

import datetime
from decimal import Decimal

import factory

from assessments.models import Attempt, Choice, FeedbackTiming, Question, QuizKind, QuizPage, QuizWindow
from assessments.specs import QuestionKind
from tests.factories import PageFactory


class QuizPageFactory(PageFactory):
    class Meta:
        model = QuizPage

    title = factory.Sequence(lambda n: f"Pre-test {n}")
    slug = factory.Sequence(lambda n: f"kuis-{n}")
    kind = QuizKind.PRE_TEST
    feedback_timing = FeedbackTiming.IMMEDIATELY


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz = None
    kind = QuestionKind.SINGLE_CHOICE.value
    name = factory.Sequence(lambda n: f"Q{n:02d}")
    text = factory.Sequence(lambda n: f"Pertanyaan nomor {n}?")
    sort_order = factory.Sequence(int)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = None
    text = factory.Sequence(lambda n: f"Pilihan {n}")
    weight = Decimal(0)
    sort_order = factory.Sequence(int)


def single_choice(quiz, *, right=0, choices=4, module=None, **kwargs) -> Question:
    """A single-choice question whose choice number `right` (from 0) is the right one."""
    question = QuestionFactory(quiz=quiz, module=module, **kwargs)
    for index in range(choices):
        ChoiceFactory(question=question, weight=Decimal(1 if index == right else 0), text=f"Pilihan {index + 1}")
    return question


class QuizWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizWindow

    opens_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1))


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attempt

    number = 1
