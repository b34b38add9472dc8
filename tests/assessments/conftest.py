import datetime

import pytest

from assessments.models import QuizKind
from assessments.specs import QuestionKind
from tests.assessments.factories import ChoiceFactory, QuestionFactory, QuizPageFactory, single_choice
from tests.factories import CohortFactory, EnrollmentFactory

# A cohort whose days span today, so quizzes without a window of their own are open.
TODAY = datetime.date.today()


@pytest.fixture
def enrollment(db, program):
    cohort = CohortFactory(
        program=program,
        start_date=TODAY - datetime.timedelta(days=1),
        end_date=TODAY + datetime.timedelta(days=2),
    )
    return EnrollmentFactory(cohort=cohort)


@pytest.fixture
def quiz(program):
    """A pre-test of four questions: two single choice (right: the first choice), one true/false, one short answer."""
    quiz = QuizPageFactory(parent=program, title="Pre-test", kind=QuizKind.PRE_TEST, time_limit_minutes=45)
    single_choice(quiz, right=0, text="Lembaga yang melindungi PMI?")
    single_choice(quiz, right=0, text="Singkatan LTSA?")
    QuestionFactory(quiz=quiz, kind=QuestionKind.TRUE_FALSE.value, correct=True, text="PMI berhak atas jaminan sosial.")
    QuestionFactory(quiz=quiz, kind=QuestionKind.SHORT_ANSWER.value, accepted_answers="JKK", text="Jaminan kecelakaan?")
    return quiz


def answer_key(quiz) -> dict:
    """The right answer to each question of `quiz`, in the stored shape."""
    answers = {}
    for question in quiz.question_rows():
        kind = QuestionKind(question.kind)
        if kind is QuestionKind.SINGLE_CHOICE:
            answers[question.pk] = next(c.pk for c in question.ordered_choices() if c.weight == 1)
        elif kind is QuestionKind.TRUE_FALSE:
            answers[question.pk] = question.correct
        elif kind is QuestionKind.SHORT_ANSWER:
            answers[question.pk] = question.accepted_answer_list[0]
    return answers


__all__ = ["ChoiceFactory", "answer_key"]
