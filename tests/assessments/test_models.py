from decimal import Decimal
from fractions import Fraction

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from assessments.models import Attempt, Choice, Question, QuizKind, QuizPage
from assessments.selectors import final_scores
from assessments.specs import ChoiceSpec, QuestionKind
from tests.assessments.factories import ChoiceFactory, QuestionFactory, QuizPageFactory, single_choice
from tests.factories import CohortFactory, EnrollmentFactory, ModulePageFactory, ProgramPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_question_to_spec_keeps_the_editors_choice_order_and_exact_weights(program):
    quiz = QuizPageFactory(parent=program)
    question = QuestionFactory(quiz=quiz, kind=QuestionKind.MULTIPLE_CHOICE.value, text="Pilih dua.")
    ChoiceFactory(question=question, text="B", weight=Decimal("0.5"), sort_order=2)
    ChoiceFactory(question=question, text="A", weight=Decimal("-1"), sort_order=1, feedback="Bukan.")
    spec = question.to_spec()
    assert spec.kind is QuestionKind.MULTIPLE_CHOICE
    assert spec.choices == (ChoiceSpec("A", Fraction(-1), "Bukan."), ChoiceSpec("B", Fraction(1, 2)))


def test_short_answer_spec_takes_one_accepted_answer_a_line(program):
    quiz = QuizPageFactory(parent=program)
    question = QuestionFactory(
        quiz=quiz, kind=QuestionKind.SHORT_ANSWER.value, accepted_answers="JKK dan JKM\n\n  jaminan kecelakaan kerja \n"
    )
    assert question.to_spec().accepted_answers == ("JKK dan JKM", "jaminan kecelakaan kerja")


def test_quiz_pass_mark_falls_back_to_the_programs():
    program = ProgramPageFactory(pass_mark=65)
    assert QuizPageFactory(parent=program).effective_pass_mark == 65
    assert QuizPageFactory(parent=program, pass_mark=80).effective_pass_mark == 80


def test_module_quiz_knows_its_program(program):
    module = ModulePageFactory(parent=program)
    quiz = QuizPageFactory(parent=module, kind=QuizKind.MODULE_QUIZ)
    assert quiz.program.pk == program.pk


def test_post_test_asks_the_pre_tests_questions_in_order(program):
    pre = QuizPageFactory(parent=program)
    second, first = single_choice(pre, sort_order=2), single_choice(pre, sort_order=1)
    post = QuizPageFactory(parent=program, kind=QuizKind.POST_TEST, question_source=pre)
    assert list(post.question_rows()) == [first, second]


def test_choice_weight_outside_minus_one_to_one_is_refused_by_the_database(program):
    question = QuestionFactory(quiz=QuizPageFactory(parent=program))
    with pytest.raises(IntegrityError), transaction.atomic():
        Choice.objects.create(question=question, text="Terlalu", weight=Decimal("1.5"))
    with pytest.raises(ValidationError) as error:
        Choice(question=question, text="Terlalu", weight=Decimal("-1.5")).full_clean()
    assert "weight" in error.value.message_dict


def test_only_one_open_attempt_per_enrollment_and_quiz(enrollment, program):
    quiz = QuizPageFactory(parent=program)
    Attempt.objects.create(quiz=quiz, enrollment=enrollment, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(quiz=quiz, enrollment=enrollment, number=2)


def test_final_scores_is_the_best_submitted_score_of_the_kind_in_the_enrollments_program(enrollment, program):
    pre = QuizPageFactory(parent=program, kind=QuizKind.PRE_TEST, attempts_allowed=2)
    post = QuizPageFactory(parent=program, kind=QuizKind.POST_TEST)
    other = QuizPageFactory(parent=ProgramPageFactory(), kind=QuizKind.POST_TEST)
    done = {"submitted_at": "2017-11-02T10:00+07:00"}
    Attempt.objects.create(quiz=pre, enrollment=enrollment, number=1, score=Decimal("40"), **done)
    Attempt.objects.create(quiz=pre, enrollment=enrollment, number=2, score=Decimal("55.5"), **done)
    Attempt.objects.create(quiz=post, enrollment=enrollment, number=1, score=None)  # still open
    Attempt.objects.create(quiz=other, enrollment=enrollment, number=1, score=Decimal("99"), **done)
    stranger = EnrollmentFactory(cohort=CohortFactory(program=program))
    assert final_scores([enrollment.pk, stranger.pk], QuizKind.PRE_TEST) == {enrollment.pk: Decimal("55.50")}
    assert final_scores([enrollment.pk], QuizKind.POST_TEST) == {}


def quiz_form(**fields):
    question = {
        "kind": "single_choice",
        "name": "Q01",
        "text": "Siapa yang mengawasi penempatan PMI?",
        "module": "",
        "accepted_answers": "",
        "correct": "",
        "feedback_right": "",
        "feedback_wrong": "",
        "general_feedback": "",
        "choices": inline_formset(
            [
                {"text": "BP2MI", "weight": "1", "feedback": "Benar."},
                {"text": "Calo", "weight": "0", "feedback": ""},
            ]
        ),
    }
    data = {
        "title": "Pre-test",
        "slug": "pre-test",
        "kind": "pre_test",
        "intro": rich_text(""),
        "jp_hours": "1",
        "pass_mark": "",
        "attempts_allowed": "1",
        "time_limit_minutes": "45",
        "feedback_timing": "never",
        "question_source": "",
        "questions": inline_formset([question]),
    }
    data.update(fields)
    return nested_form_data(data)


def test_editor_writes_questions_with_their_choices_in_one_form(client, program):
    """Nested InlinePanels: Question is a ClusterableModel, so its choices are a formset inside each question."""
    client.force_login(UserFactory(is_superuser=True))
    url = f"/admin/pages/add/assessments/quizpage/{program.pk}/"
    response = client.post(url, {**quiz_form(), "action-publish": "action-publish"})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    quiz = QuizPage.objects.get(slug="pre-test")
    question = Question.objects.get(quiz=quiz)
    assert [(c.text, c.weight) for c in question.ordered_choices()] == [("BP2MI", Decimal(1)), ("Calo", Decimal(0))]
    assert quiz.live and quiz.jp_hours == 1 and quiz.time_limit_minutes == 45


def test_module_quiz_under_the_program_is_refused_with_a_reason(client, program):
    client.force_login(UserFactory(is_superuser=True))
    url = f"/admin/pages/add/assessments/quizpage/{program.pk}/"
    response = client.post(url, quiz_form(kind="module_quiz"))
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == ["Kuis modul diletakkan di bawah modulnya."]
