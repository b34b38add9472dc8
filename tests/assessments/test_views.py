import datetime
import json
import re
from decimal import Decimal

import pytest

from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, FeedbackTiming, QuizKind, Response
from assessments.services import attempt_start
from assessments.specs import QuestionKind
from tests.assessments.conftest import answer_key
from tests.assessments.factories import (
    ChoiceFactory,
    QuestionFactory,
    QuizPageFactory,
    QuizWindowFactory,
    single_choice,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def started(client, quiz) -> Attempt:
    response = client.post(reverse("assessments:quiz-start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz)
    assert response.status_code == 302 and response["Location"] == reverse("assessments:attempt", args=[attempt.pk])
    return attempt


def secret_quiz(program, questions: int):
    """A quiz whose answer key, weights and feedback are made of marker words that must never leak."""
    quiz = QuizPageFactory(parent=program, kind=QuizKind.PRE_TEST)
    for number in range(questions):
        kind = [
            QuestionKind.SINGLE_CHOICE,
            QuestionKind.MULTIPLE_CHOICE,
            QuestionKind.TRUE_FALSE,
            QuestionKind.SHORT_ANSWER,
        ][number % 4]
        question = QuestionFactory(
            quiz=quiz,
            kind=kind.value,
            text=f"Soal {number} tentang perlindungan pekerja migran Indonesia di luar negeri?",
            correct=True if kind is QuestionKind.TRUE_FALSE else None,
            accepted_answers="RAHASIAJAWABAN" if kind is QuestionKind.SHORT_ANSWER else "",
            feedback_right="RAHASIABENAR",
            feedback_wrong="RAHASIASALAH",
            general_feedback="RAHASIAUMUM",
        )
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            for index, weight in enumerate(["0.75000", "0.25000", "-0.50000", "0.00000"]):
                ChoiceFactory(
                    question=question,
                    text=f"Pilihan jawaban {index} yang cukup panjang",
                    weight=Decimal(weight),
                    feedback="RAHASIAPILIHAN",
                )
    return quiz


def test_attempt_page_carries_no_answer_key_weight_or_feedback(companion_client, program):
    quiz = secret_quiz(program, 8)
    attempt = started(companion_client, quiz)
    html = companion_client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert html.count('<fieldset class="question"') == 8
    assert "RAHASIA" not in html
    for weight in ("0.75", "0.25", "-0.5", "0.5"):
        assert f'"{weight}' not in html and f">{weight}" not in html
    save = companion_client.post(
        reverse("assessments:attempt-save", args=[attempt.pk]),
        json.dumps({"question": attempt.question_order[0], "answer": None}),
        content_type="application/json",
    )
    assert "RAHASIA" not in save.content.decode()
    assert set(save.json()) == {"question", "saved", "saved_at"}


def test_attempt_page_is_private_and_never_cached(companion_client, quiz):
    attempt = started(companion_client, quiz)
    response = companion_client.get(reverse("assessments:attempt", args=[attempt.pk]))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store", "no-cache"} <= cache_control


def attempt_page_cost(client, program, questions: int) -> tuple[int, int]:
    quiz = secret_quiz(program, questions)
    attempt = started(client, quiz)
    url = reverse("assessments:attempt", args=[attempt.pk])
    for question_id in attempt.question_order[:3]:
        Response.objects.create(attempt=attempt, question_id=question_id, answer=None)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    attempt.submitted_at = timezone.now()
    attempt.save()
    return len(queries), len(response.content)


def static_size(html: str) -> int:
    paths = re.findall(r'(?:href|src)="/static/([^"]+)"', html)
    return sum(len(open(finders.find(path), "rb").read()) for path in paths)


def test_attempt_page_costs_the_same_queries_for_4_or_20_questions_and_weighs_under_40_kb(companion_client, program):
    small_queries, _small = attempt_page_cost(companion_client, program, 4)
    large_queries, large_bytes = attempt_page_cost(companion_client, program, 20)
    assert small_queries == large_queries <= 8
    attempt = Attempt.objects.order_by("pk").last()
    attempt.submitted_at = None
    attempt.save()
    html = companion_client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert large_bytes + static_size(html) <= 40 * 1024


def test_autosave_takes_json_or_a_form_and_saving_twice_keeps_one_answer(companion_client, quiz):
    attempt = started(companion_client, quiz)
    url = reverse("assessments:attempt-save", args=[attempt.pk])
    key = answer_key(quiz)
    first, second = list(key)[:2]
    response = companion_client.post(
        url, json.dumps({"question": first, "answer": key[first]}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["saved"] is True
    for _ in range(2):
        response = companion_client.post(url, {"question": second, "answer": json.dumps(key[second])})
        assert response.status_code == 200
    assert dict(Response.objects.filter(attempt=attempt).values_list("question_id", "answer")) == {
        first: key[first],
        second: key[second],
    }


def test_autosave_refuses_an_answer_that_does_not_fit(companion_client, quiz):
    attempt = started(companion_client, quiz)
    url = reverse("assessments:attempt-save", args=[attempt.pk])
    response = companion_client.post(
        url, json.dumps({"question": attempt.question_order[0], "answer": "x" * 3000}), content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["saved"] is False
    response = companion_client.post(url, "not json", content_type="application/json")
    assert response.status_code == 400


def test_autosave_after_the_deadline_scores_the_attempt_and_points_to_the_result(companion_client, quiz):
    attempt = started(companion_client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    response = companion_client.post(
        reverse("assessments:attempt-save", args=[attempt.pk]),
        json.dumps({"question": attempt.question_order[0], "answer": None}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["result_url"] == reverse("assessments:attempt-result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.score == Decimal("0.00")


def test_the_plain_form_submits_every_answer_and_a_double_click_changes_nothing(companion_client, quiz):
    attempt = started(companion_client, quiz)
    form = {
        f"q{question_id}": str(answer).lower() if isinstance(answer, bool) else str(answer)
        for question_id, answer in answer_key(quiz).items()
    }
    url = reverse("assessments:attempt-submit", args=[attempt.pk])
    first = companion_client.post(url, form)
    assert first.status_code == 303 and first["Location"] == reverse("assessments:attempt-result", args=[attempt.pk])
    second = companion_client.post(url, {})
    assert second.status_code == 303
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00") and attempt.passed
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_json_submit_answers_with_the_score(companion_client, quiz):
    attempt = started(companion_client, quiz)
    url = reverse("assessments:attempt-submit", args=[attempt.pk])
    answers = {str(question_id): answer for question_id, answer in answer_key(quiz).items()}
    response = companion_client.post(url, json.dumps({"answers": answers}), content_type="application/json")
    assert response.json() == {
        "submitted": True,
        "score": "100.00",
        "passed": True,
        "result_url": reverse("assessments:attempt-result", args=[attempt.pk]),
    }
    again = companion_client.post(url, json.dumps({}), content_type="application/json")
    assert again.json()["score"] == "100.00"


def test_result_shows_score_pass_mark_topics_and_feedback_when_allowed(companion_client, program, enrollment):
    from tests.factories import ModulePageFactory

    module = ModulePageFactory(parent=program, code="M08", title="Jaminan Sosial")
    quiz = QuizPageFactory(parent=program, pass_mark=80, feedback_timing=FeedbackTiming.IMMEDIATELY)
    right = single_choice(quiz, right=0, module=module, general_feedback="BPJS Ketenagakerjaan melindungi PMI.")
    single_choice(quiz, right=1, module=module)
    attempt = started(companion_client, quiz)
    answers = {right.pk: right.ordered_choices()[0].pk}
    companion_client.post(
        reverse("assessments:attempt-submit", args=[attempt.pk]), {f"q{k}": v for k, v in answers.items()}
    )
    html = companion_client.get(reverse("assessments:attempt-result", args=[attempt.pk])).content.decode()
    assert "Nilai 50" in html
    assert "Belum lulus: nilai lulus 80." in html
    assert "M08 Jaminan Sosial" in html
    assert "BPJS Ketenagakerjaan melindungi PMI." in html


@pytest.mark.parametrize("timing", [FeedbackTiming.NEVER, FeedbackTiming.AFTER_CLOSE])
def test_result_keeps_the_correct_answers_back_until_the_quiz_allows(companion_client, program, enrollment, timing):
    quiz = QuizPageFactory(parent=program, feedback_timing=timing)
    single_choice(quiz, right=2, general_feedback="RAHASIAUMUM")
    QuizWindowFactory(quiz=quiz, cohort=enrollment.cohort)
    attempt = started(companion_client, quiz)
    companion_client.post(reverse("assessments:attempt-submit", args=[attempt.pk]), {})
    html = companion_client.get(reverse("assessments:attempt-result", args=[attempt.pk])).content.decode()
    assert "RAHASIAUMUM" not in html and "Pilihan 3" not in html


def test_staff_preview_shows_the_questions_and_records_nothing(client, quiz):
    client.force_login(UserFactory(groups=["Trainer"]))
    html = client.get(reverse("assessments:quiz-preview", args=[quiz.pk])).content.decode()
    assert "Lembaga yang melindungi PMI?" in html
    assert 'action="' not in html.split('id="quiz"')[1].split(">")[0]
    assert not Attempt.objects.exists()
    assert client.post(reverse("assessments:quiz-start", args=[quiz.pk])).status_code == 404


def test_companion_cannot_preview_or_open_another_companions_attempt(companion_client, quiz, enrollment):
    from tests.factories import EnrollmentFactory

    assert companion_client.get(reverse("assessments:quiz-preview", args=[quiz.pk])).status_code == 404
    other = EnrollmentFactory(cohort=enrollment.cohort)
    theirs = attempt_start(quiz=quiz, enrollment=other, by=None)
    for name in ("attempt", "attempt-result"):
        assert companion_client.get(reverse(f"assessments:{name}", args=[theirs.pk])).status_code == 404
    assert companion_client.post(reverse("assessments:attempt-submit", args=[theirs.pk])).status_code == 404


def test_a_closed_quiz_cannot_be_started_and_says_when_it_opens(companion_client, quiz, enrollment):
    opens = timezone.now() + datetime.timedelta(days=1)
    QuizWindowFactory(
        quiz=quiz, cohort=enrollment.cohort, opens_at=opens, closes_at=opens + datetime.timedelta(hours=1)
    )
    html = companion_client.get(reverse("assessments:quiz", args=[quiz.pk])).content.decode()
    assert "Mulai kuis" not in html and "Kuis sedang tidak dibuka." in html
    response = companion_client.post(reverse("assessments:quiz-start", args=[quiz.pk]), follow=True)
    assert "Kuis ini dibuka pada" in response.content.decode()
    assert not Attempt.objects.exists()


def test_offline_worker_is_served_under_the_attempts_address(client):
    response = client.get(reverse("assessments:offline-worker"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert reverse("assessments:offline-worker").startswith("/belajar/percobaan/")


def test_the_countdown_shows_only_within_the_last_day(companion_client, quiz, enrollment):
    """A 45-minute test counts down; a quiz open for weeks shows the closing date instead."""
    html = companion_client.get(reverse("assessments:attempt", args=[started(companion_client, quiz).pk])).content
    assert b'id="timer"' in html

    QuizWindowFactory(quiz=quiz, cohort=enrollment.cohort, closes_at=timezone.now() + datetime.timedelta(days=30))
    quiz.time_limit_minutes = None
    quiz.save()
    Attempt.objects.all().delete()
    html = companion_client.get(reverse("assessments:attempt", args=[started(companion_client, quiz).pk])).content
    assert b'id="timer"' not in html and b"Kirim paling lambat" in html
