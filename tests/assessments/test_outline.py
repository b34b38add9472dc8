from decimal import Decimal

import pytest

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Attempt, QuizKind
from assessments.services import attempt_start, attempt_submit
from courses.selectors import program_outline
from tests.assessments.conftest import answer_key
from tests.assessments.factories import QuizPageFactory, single_choice
from tests.factories import LessonPageFactory, ModulePageFactory

pytestmark = pytest.mark.django_db


def curriculum(program):
    day1 = ModulePageFactory(parent=program, code="M01", day=1, jp_hours=2)
    LessonPageFactory(parent=day1)
    day4 = ModulePageFactory(parent=program, code="M19", day=4, jp_hours=2)
    # Created in an order other than the outline's, to show the placement does not follow the tree.
    post = QuizPageFactory(parent=program, title="Post-test", kind=QuizKind.POST_TEST, jp_hours=1)
    module_quiz = QuizPageFactory(parent=day1, title="Kuis M01", kind=QuizKind.MODULE_QUIZ)
    pre = QuizPageFactory(parent=program, title="Pre-test", kind=QuizKind.PRE_TEST, jp_hours=1)
    evaluation = QuizPageFactory(parent=program, title="Evaluasi", kind=QuizKind.EVALUATION)
    for quiz in (pre, module_quiz, post):
        single_choice(quiz)
    return day1, day4, pre, module_quiz, post, evaluation


def test_quizzes_take_their_place_in_the_outline_with_their_jp(enrollment, program):
    _day1, _day4, pre, module_quiz, post, evaluation = curriculum(program)
    outline = program_outline(user=enrollment.companion.user, program=program)
    first, last = outline.days[0], outline.days[-1]
    assert [quiz.id for quiz in first.quizzes_first] == [pre.pk]
    assert [quiz.id for quiz in first.modules[0].quizzes] == [module_quiz.pk]
    assert [quiz.id for quiz in last.quizzes_last] == [post.pk, evaluation.pk]
    assert outline.jp_hours == 2 + 2 + 1 + 1
    assert first.jp_hours == 3


def test_outline_shows_each_quizs_state_and_best_score(enrollment, program):
    _day1, _day4, pre, module_quiz, post, _evaluation = curriculum(program)
    attempt_submit(attempt=attempt_start(quiz=pre, enrollment=enrollment, by=None), by=None, answers=answer_key(pre))
    attempt_start(quiz=module_quiz, enrollment=enrollment, by=None)
    steps = {quiz.id: quiz for quiz in program_outline(user=enrollment.companion.user, program=program).quizzes}
    assert (steps[pre.pk].state, steps[pre.pk].score) == ("done", Decimal("100.00"))
    assert steps[module_quiz.pk].state == "in_progress"
    assert steps[post.pk].state == "not_started"


def test_my_training_lists_quizzes_and_costs_a_constant_number_of_queries(companion_client, enrollment, program):
    _day1, _day4, pre, *_rest = curriculum(program)
    companion_client.get("/")
    with CaptureQueriesContext(connection) as few:
        html = companion_client.get("/").content.decode()
    assert "Pre-test" in html and "Kuis M01" in html and "Evaluasi" in html
    for number in range(6):
        QuizPageFactory(parent=program, title=f"Kuis tambahan {number}", kind=QuizKind.EVALUATION)
    attempt_start(
        quiz=program.get_children().type(QuizPageFactory._meta.model).first().specific, enrollment=enrollment, by=None
    )
    with CaptureQueriesContext(connection) as more:
        companion_client.get("/")
    assert len(more) == len(few) <= 12 + 2


def test_the_expiry_command_scores_what_was_saved(enrollment, program):
    quiz = QuizPageFactory(parent=program)
    single_choice(quiz)
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.started_at)
    call_command("finish_expired_attempts", verbosity=0)
    attempt.refresh_from_db()
    assert attempt.submitted_at == attempt.started_at and attempt.score == Decimal("0.00")
