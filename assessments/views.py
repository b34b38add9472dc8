"""What a companion opens to take a quiz: intro, attempt, autosave, submit, result. Plain Django views.

Every write calls one service. The attempt page is made for one reader and is never cached
(`never_cache`: private, no-store); it carries no answer key, weight or feedback.
"""

import datetime
import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from courses.models import can_read_program, reads_every_program

from .answers import answer_from_form
from .models import Attempt, Question, QuizPage
from .selectors import (
    attempt_result,
    attempt_sheet,
    own_attempt,
    quiz_enrollment,
    quiz_preview,
    window_times,
)
from .services import attempt_finish, attempt_start, attempt_submit, response_save


def readable_quiz(request, pk: int) -> QuizPage:
    """A live quiz of a live program the user may read (staff, or an active enrollment); else 404."""
    quiz = get_object_or_404(QuizPage.objects.live(), pk=pk)
    program = quiz.get_program()
    if not can_read_program(user=request.user, program_ids=[program.pk if program else None]):
        raise Http404
    return quiz


def attempt_for_request(request, pk: int, *, with_quiz: bool = True) -> Attempt:
    attempt = own_attempt(user=request.user, pk=pk, with_quiz=with_quiz)
    if attempt is None:
        raise Http404
    return attempt


@require_GET
@login_required
@never_cache
def quiz_detail(request, pk):
    """The quiz's introduction: its rules, the companion's attempts, and a start (or continue) button."""
    quiz = readable_quiz(request, pk)
    enrollment = quiz_enrollment(user=request.user, quiz=quiz)
    attempts, opens, closes = [], None, None
    if enrollment is not None:
        attempts = list(quiz.attempts.filter(enrollment=enrollment).order_by("number"))
        opens, closes = window_times(quiz=quiz, cohort=enrollment.cohort)
    now = timezone.now()
    under_way = next((a for a in attempts if a.submitted_at is None and not a.is_expired(now)), None)
    used = len(attempts)
    context = {
        "quiz": quiz,
        "enrollment": enrollment,
        "attempts": [a for a in attempts if a.submitted_at is not None or a.is_expired(now)],
        "under_way": under_way,
        "opens": opens,
        "closes": closes,
        "is_open": opens is not None and opens <= now < closes,
        "attempts_left": max(0, quiz.attempts_allowed - used),
        "pass_mark": quiz.effective_pass_mark,
        "question_count": quiz.question_rows().count(),
        "staff": reads_every_program(request.user),
    }
    return render(request, "assessments/quiz_detail.html", context)


@require_POST
@login_required
def quiz_start(request, pk):
    """Start an attempt (or continue the one under way) and open it."""
    quiz = readable_quiz(request, pk)
    enrollment = quiz_enrollment(user=request.user, quiz=quiz)
    if enrollment is None:
        raise Http404  # staff preview instead; they have nothing to start
    try:
        attempt = attempt_start(quiz=quiz, enrollment=enrollment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:quiz", pk=quiz.pk)
    return redirect("assessments:attempt", pk=attempt.pk)


@require_GET
@login_required
@never_cache
def quiz_preview_view(request, pk):
    """Trainers and coordinators see the questions as companions will; nothing is recorded."""
    if not reads_every_program(request.user):
        raise Http404
    quiz = get_object_or_404(QuizPage.objects.live(), pk=pk)
    return render(
        request,
        "assessments/attempt.html",
        {"quiz": quiz, "questions": quiz_preview(quiz=quiz), "preview": True},
    )


COUNTDOWN_WITHIN = datetime.timedelta(hours=24)


@require_GET
@login_required
@never_cache
def attempt_detail(request, pk):
    """The questions of an attempt under way, answered in one plain form that also works without JavaScript.

    A fixed number of queries whatever the number of questions; past the deadline the saved
    answers are scored and the companion is sent to the result.
    """
    attempt = attempt_for_request(request, pk)
    if attempt.submitted_at is None and attempt.is_expired():
        attempt_finish(attempt=attempt, by=request.user)
        messages.info(request, _("Time is up: your saved answers have been submitted."))
    if attempt.submitted_at is not None:
        return redirect("assessments:attempt-result", pk=attempt.pk)
    now = timezone.now()
    context = {
        "quiz": attempt.quiz,
        "attempt": attempt,
        "questions": attempt_sheet(attempt=attempt),
        "now": now,
        # A countdown helps within the day; a window closing weeks away reads better as a date.
        "countdown": attempt.deadline is not None and attempt.deadline - now <= COUNTDOWN_WITHIN,
    }
    return render(request, "assessments/attempt.html", context)


def _wants_json(request) -> bool:
    return request.content_type == "application/json" or "application/json" in request.headers.get("Accept", "")


@require_POST
@login_required
@never_cache
def attempt_save(request, pk):
    """Autosave one answer. The attempt page's script calls it on every change; so does the benchmark.

    Request (CSRF token in the `X-CSRFToken` header, or `csrfmiddlewaretoken` in a form):
      - JSON `{"question": <question id>, "answer": <answer>}` with `Content-Type: application/json`, or
      - a form with `question=<question id>` and `answer=<the answer as JSON text>`.
    The answer by kind: single choice a choice id; multiple choice a list of choice ids; true/false
    `true`/`false`; short answer and free text a string; Likert 1…4; `null` clears it.
    Answers (JSON): 200 `{"question": id, "saved": true, "saved_at": ISO time}`;
    400 `{"saved": false, "error": message}` for an answer that does not fit the question;
    409 `{"saved": false, "error": message, "result_url": …}` once the attempt is submitted or its time is up.
    """
    attempt = attempt_for_request(request, pk, with_quiz=False)
    try:
        if request.content_type == "application/json":
            data = json.loads(request.body)
            question_id, answer = data["question"], data.get("answer")
        else:
            question_id, answer = request.POST["question"], json.loads(request.POST.get("answer", "null"))
        question_id = int(question_id)
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"saved": False, "error": _("The answer could not be read.")}, status=400)
    try:
        response = response_save(attempt=attempt, question_id=question_id, answer=answer)
    except ValidationError as error:
        message = " ".join(error.messages)
        if Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=False).exists():
            url = reverse("assessments:attempt-result", args=[attempt.pk])
            return JsonResponse({"saved": False, "error": message, "result_url": url}, status=409)
        return JsonResponse({"saved": False, "error": message}, status=400)
    return JsonResponse({"question": question_id, "saved": True, "saved_at": response.saved_at.isoformat()})


def _form_answers(request, attempt: Attempt) -> dict:
    """The answers of the plain form: field `q<question id>` per question; absent fields are left as saved."""
    kinds = dict(Question.objects.filter(pk__in=attempt.question_order).values_list("pk", "kind"))
    return {
        question_id: answer_from_form(kind, request.POST.getlist(f"q{question_id}"))
        for question_id, kind in kinds.items()
        if f"q{question_id}" in request.POST
    }


@require_POST
@login_required
@never_cache
def attempt_submit_view(request, pk):
    """Submit the attempt. Submitting again (a double click, a second tab) returns the same result.

    Request: the attempt page's form (`q<question id>` fields, as a browser sends them, plus
    `csrfmiddlewaretoken`), or JSON `{"answers": {"<question id>": <answer>, …}}` (answers as for
    autosave; `{}` or no body submits what was saved).
    Answer: a 303 redirect to the result page; with JSON (`Accept: application/json` or a JSON body)
    200 `{"submitted": true, "score": "80.00" or null, "passed": true/false/null, "result_url": …}`.
    """
    attempt = attempt_for_request(request, pk)
    if request.content_type == "application/json":
        try:
            raw = json.loads(request.body or b"{}").get("answers") or {}
            answers = {int(key): value for key, value in raw.items()}
        except (ValueError, AttributeError):
            return JsonResponse({"submitted": False, "error": _("The answers could not be read.")}, status=400)
    else:
        answers = _form_answers(request, attempt)
    attempt = attempt_submit(attempt=attempt, by=request.user, answers=answers)
    url = reverse("assessments:attempt-result", args=[attempt.pk])
    if _wants_json(request):
        score = None if attempt.score is None else str(attempt.score)
        return JsonResponse({"submitted": True, "score": score, "passed": attempt.passed, "result_url": url})
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


@require_GET
@login_required
@never_cache
def attempt_result_view(request, pk):
    """The score, whether it passed, the result per topic and, when the quiz allows, feedback per question."""
    attempt = attempt_for_request(request, pk)
    if attempt.submitted_at is None and attempt.is_expired():
        attempt_finish(attempt=attempt, by=request.user)
    if attempt.submitted_at is None:
        return redirect("assessments:attempt", pk=attempt.pk)
    attempt = Attempt.objects.select_related("quiz", "enrollment__cohort").get(pk=attempt.pk)
    return render(request, "assessments/attempt_result.html", {"result": attempt_result(attempt=attempt)})


OFFLINE_SCRIPT = Path(__file__).parent / "static" / "assessments" / "offline-worker.js"


@require_GET
def offline_worker(request):
    """The service worker that keeps an attempt page readable offline.

    Served here rather than from /static/ because a worker only controls pages under its own
    address: this one covers /belajar/percobaan/.
    """
    response = HttpResponse(OFFLINE_SCRIPT.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
