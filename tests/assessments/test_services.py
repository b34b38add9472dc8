import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from assessments.models import Attempt, QuizKind, Response
from assessments.services import (
    attempt_start,
    attempt_submit,
    attempts_finish_expired,
    quiz_window_create,
    response_save,
)
from courses.models import Enrollment
from tests.assessments.conftest import answer_key
from tests.assessments.factories import QuizPageFactory, QuizWindowFactory, single_choice
from tests.factories import CohortFactory, EnrollmentFactory, ModulePageFactory, ProgramPageFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def refusal(call, **kwargs) -> list[str]:
    with translation.override("id"), pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.messages


def test_start_draws_the_order_once_and_sets_the_deadline(quiz, enrollment):
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    assert attempt.number == 1
    assert attempt.deadline == NOW + datetime.timedelta(minutes=45)
    assert sorted(attempt.question_order) == sorted(q.pk for q in quiz.question_rows())
    first = attempt.question_order[0]
    assert len(attempt.choice_order[str(first)]) == 4
    # Starting again continues the same attempt, in the same order.
    again = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW + datetime.timedelta(minutes=1))
    assert again.pk == attempt.pk and again.question_order == attempt.question_order


def test_deadline_is_the_window_close_when_it_comes_before_the_time_limit(quiz, enrollment):
    QuizWindowFactory(quiz=quiz, cohort=enrollment.cohort, opens_at=NOW, closes_at=NOW + datetime.timedelta(minutes=10))
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    assert attempt.deadline == NOW + datetime.timedelta(minutes=10)


def test_shuffled_quiz_keeps_every_question_and_choice(quiz, enrollment):
    quiz.shuffle_questions = quiz.shuffle_choices = True
    quiz.save()
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    rows = {q.pk: q for q in quiz.question_rows()}
    assert set(attempt.question_order) == set(rows)
    for pk, question in rows.items():
        assert sorted(attempt.choice_order[str(pk)]) == sorted(c.pk for c in question.choices.all())


def test_a_withdrawn_companion_cannot_start(quiz, enrollment):
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()
    assert refusal(attempt_start, quiz=quiz, enrollment=enrollment, by=None) == ["Keikutsertaan Anda tidak aktif lagi."]


def test_a_companion_of_another_program_cannot_start(quiz):
    other = EnrollmentFactory(cohort=CohortFactory(program=ProgramPageFactory()))
    assert refusal(attempt_start, quiz=quiz, enrollment=other, by=None) == [
        "Kuis ini bukan bagian dari pelatihan Anda."
    ]


def test_a_quiz_cannot_start_before_its_window_opens_or_after_it_closes(quiz, enrollment):
    opens = datetime.datetime(2017, 11, 2, 8, 0, tzinfo=datetime.UTC) + datetime.timedelta(hours=-7)
    QuizWindowFactory(
        quiz=quiz, cohort=enrollment.cohort, opens_at=opens, closes_at=opens + datetime.timedelta(hours=1)
    )
    early = refusal(attempt_start, quiz=quiz, enrollment=enrollment, by=None, now=opens - datetime.timedelta(minutes=1))
    assert early == ["Kuis ini dibuka pada 2 November 2017 08.00 WIB."]
    late = refusal(attempt_start, quiz=quiz, enrollment=enrollment, by=None, now=opens + datetime.timedelta(hours=1))
    assert late == ["Kuis ini ditutup pada 2 November 2017 09.00 WIB."]
    assert not Attempt.objects.exists()


def test_without_a_window_a_quiz_is_open_over_the_cohorts_days(quiz):
    cohort = CohortFactory(
        program=quiz.get_parent().specific, start_date=datetime.date(2017, 10, 30), end_date=datetime.date(2017, 11, 2)
    )
    enrollment = EnrollmentFactory(cohort=cohort)
    wib = timezone.get_default_timezone()
    assert attempt_start(
        quiz=quiz, enrollment=enrollment, by=None, now=datetime.datetime(2017, 10, 30, 0, 0, tzinfo=wib)
    )
    Attempt.objects.all().delete()
    late = datetime.datetime(2017, 11, 2, 23, 59, tzinfo=wib)
    assert refusal(attempt_start, quiz=quiz, enrollment=enrollment, by=None, now=late) == [
        "Kuis ini ditutup pada 2 November 2017 23.59 WIB."
    ]


def test_attempts_allowed_holds(quiz, enrollment):
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    attempt_submit(attempt=attempt, by=None, now=NOW)
    assert refusal(attempt_start, quiz=quiz, enrollment=enrollment, by=None, now=NOW) == [
        "Anda sudah menggunakan semua kesempatan mengerjakan kuis ini."
    ]
    quiz.attempts_allowed = 2
    quiz.save()
    assert attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW).number == 2


def test_full_marks_and_pass(quiz, enrollment):
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    for question_id, answer in answer_key(quiz).items():
        response_save(attempt=attempt, question_id=question_id, answer=answer, now=NOW)
    attempt = attempt_submit(attempt=attempt, by=None, now=NOW)
    assert (attempt.score, attempt.passed) == (Decimal("100.00"), True)
    assert attempt.submitted_at == NOW


def test_scores_map_choice_ids_to_the_editors_order_whatever_the_shuffle(quiz, enrollment):
    quiz.shuffle_choices = True
    quiz.save()
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    key = answer_key(quiz)
    first = quiz.question_rows()[0]
    wrong = next(c.pk for c in first.ordered_choices() if c.weight == 0)
    response_save(attempt=attempt, question_id=first.pk, answer=wrong, now=NOW)
    for question_id, answer in list(key.items())[1:]:
        response_save(attempt=attempt, question_id=question_id, answer=answer, now=NOW)
    attempt = attempt_submit(attempt=attempt, by=None, now=NOW)
    assert attempt.score == Decimal("75.00") and attempt.passed is True  # the program's pass mark, 70
    assert Response.objects.get(attempt=attempt, question=first).score == 0


def test_saving_the_same_answer_twice_keeps_one_response(quiz, enrollment):
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    question_id, answer = next(iter(answer_key(quiz).items()))
    response_save(attempt=attempt, question_id=question_id, answer=answer, now=NOW)
    response_save(attempt=attempt, question_id=question_id, answer=answer, now=NOW)
    assert Response.objects.filter(attempt=attempt).count() == 1


@pytest.mark.parametrize(
    ("position", "answer", "message"),
    [
        (0, 999_999, "Pilih salah satu pilihan pada soal ini."),
        (0, True, "Pilih salah satu pilihan pada soal ini."),
        (2, "ya", "Jawab benar atau salah."),
        (3, 12, "Tulis jawaban sebagai teks."),
        (3, "x" * 2001, "Jawaban paling banyak 2000 karakter."),
    ],
)
def test_an_answer_of_the_wrong_shape_is_refused(quiz, enrollment, position, answer, message):
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    question = list(quiz.question_rows())[position]
    assert refusal(response_save, attempt=attempt, question_id=question.pk, answer=answer, now=NOW) == [message]
    assert not Response.objects.exists()


def test_a_question_of_another_quiz_is_refused(quiz, enrollment, program):
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    stranger = single_choice(QuizPageFactory(parent=program))
    assert refusal(response_save, attempt=attempt, question_id=stranger.pk, answer=None, now=NOW) == [
        "Soal ini bukan bagian dari percobaan Anda."
    ]


def test_second_submit_returns_the_same_result_and_never_changes_the_score(quiz, enrollment):
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    key = answer_key(quiz)
    first = attempt_submit(attempt=attempt, by=None, answers=key, now=NOW)
    assert first.score == Decimal("100.00")
    wrong = dict.fromkeys(key)
    second = attempt_submit(attempt=attempt, by=None, answers=wrong, now=NOW + datetime.timedelta(minutes=1))
    assert (second.pk, second.score, second.submitted_at) == (first.pk, first.score, first.submitted_at)
    assert Attempt.objects.count() == 1


def test_no_answer_is_saved_after_submitting(quiz, enrollment):
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    attempt_submit(attempt=attempt, by=None, now=NOW)
    question_id = attempt.question_order[0]
    assert refusal(response_save, attempt=attempt, question_id=question_id, answer=None, now=NOW) == [
        "Percobaan ini sudah dikirim."
    ]


def test_after_the_deadline_what_was_saved_is_scored_and_late_answers_are_not(quiz, enrollment):
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    key = list(answer_key(quiz).items())
    for question_id, answer in key[:2]:
        response_save(attempt=attempt, question_id=question_id, answer=answer, now=NOW)
    late = attempt.deadline + datetime.timedelta(seconds=1)
    message = refusal(response_save, attempt=attempt, question_id=key[2][0], answer=key[2][1], now=late)
    assert message == ["Waktu habis: jawaban yang tersimpan sudah dikirim."]
    attempt.refresh_from_db()
    assert attempt.score == Decimal("50.00") and attempt.passed is False
    assert attempt.submitted_at == attempt.deadline
    assert attempt_submit(attempt=attempt, by=None, answers=dict(key), now=late).score == Decimal("50.00")


def test_the_expiry_command_scores_attempts_left_open(quiz, enrollment):
    attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=None, now=NOW)
    assert attempts_finish_expired(now=NOW) == 0
    assert attempts_finish_expired(now=attempt.deadline) == 1
    attempt.refresh_from_db()
    assert attempt.score == Decimal("0.00") and attempt.submitted_at == attempt.deadline
    assert Response.objects.filter(attempt=attempt).count() == 4  # unanswered questions are recorded as such


def test_an_evaluation_is_recorded_without_a_score(program, enrollment):
    from assessments.specs import QuestionKind
    from tests.assessments.factories import QuestionFactory

    evaluation = QuizPageFactory(parent=program, kind=QuizKind.EVALUATION)
    likert = QuestionFactory(quiz=evaluation, kind=QuestionKind.LIKERT.value)
    text = QuestionFactory(quiz=evaluation, kind=QuestionKind.FREE_TEXT.value)
    attempt = attempt_start(quiz=evaluation, enrollment=enrollment, by=None, now=NOW)
    assert refusal(response_save, attempt=attempt, question_id=likert.pk, answer=5, now=NOW) == [
        "Pilih nilai 1 sampai 4."
    ]
    response_save(attempt=attempt, question_id=likert.pk, answer=4, now=NOW)
    response_save(attempt=attempt, question_id=text.pk, answer="  Materi sangat berguna. ", now=NOW)
    attempt = attempt_submit(attempt=attempt, by=None, now=NOW)
    assert attempt.score is None and attempt.passed is None
    assert Response.objects.get(question=text).answer == "Materi sangat berguna."


def test_a_window_belongs_to_a_cohort_of_the_quizs_program(quiz):
    module_quiz = QuizPageFactory(parent=ModulePageFactory(parent=quiz.get_parent()), kind=QuizKind.MODULE_QUIZ)
    stranger = CohortFactory(program=ProgramPageFactory())
    with translation.override("id"), pytest.raises(ValidationError) as error:
        quiz_window_create(quiz=module_quiz, cohort=stranger, opens_at=NOW, closes_at=NOW, by=None)
    assert error.value.message_dict == {"cohort": ["Angkatan ini mengikuti program lain dari program kuis ini."]}
