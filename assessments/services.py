"""Every write to quiz windows, attempts and responses goes through here.

Starting and submitting are logged in the audit log; saving one answer is not (it happens on
every change of an answer, and `Response.saved_at` records it). Two requests at once — a double
click, two tabs, a retry — meet in the database constraints of `Attempt` and `Response`, so a
companion never gets a second open attempt, a second response to a question or a changed score.
"""

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from courses.models import Cohort, Enrollment
from people.models import User
from people.services import apply_changes, checked_save, known_changes, log_change

from .answers import answer_problem, to_scoring
from .models import Attempt, Question, QuizPage, QuizWindow, Response
from .scoring import score_answer, score_attempt
from .selectors import expired_attempts, window_times
from .specs import QuestionKind

WINDOW_FIELDS = ("quiz", "cohort", "opens_at", "closes_at")


def _moment(value: datetime.datetime) -> str:
    """A time as companions read it: "2 November 2017 08.00 WIB"."""
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y')} {date_format(local, 'H.i')} WIB"


@transaction.atomic
def quiz_window_create(
    *, quiz: QuizPage, cohort: Cohort, opens_at: datetime.datetime, closes_at: datetime.datetime, by: User | None
) -> QuizWindow:
    """Open a quiz to one cohort between two times; one window per quiz and cohort."""
    window = QuizWindow(quiz=quiz, cohort=cohort, opens_at=opens_at, closes_at=closes_at)
    _check_window_program(window)
    checked_save(window)
    log(instance=window, action="wagtail.create", user=by)
    return window


@transaction.atomic
def quiz_window_update(*, window: QuizWindow, by: User | None, **changes) -> QuizWindow:
    """Change a window (WINDOW_FIELDS). Attempts under way keep the deadline they started with."""
    changed = apply_changes(window, known_changes(changes, WINDOW_FIELDS))
    if changed:
        _check_window_program(window)
        checked_save(window)
        log_change(instance=window, by=by, changed=changed)
    return window


def _check_window_program(window: QuizWindow) -> None:
    program = window.quiz.program
    if program is None or window.cohort.program_id != program.pk:
        raise ValidationError({"cohort": _("This cohort follows another program than the quiz.")})


def _refuse(message: str):
    raise ValidationError(message)


def attempt_start(
    *, quiz: QuizPage, enrollment: Enrollment, by: User | None, now: datetime.datetime | None = None
) -> Attempt:
    """Start an attempt, or return the one under way.

    Only an active enrollment in the quiz's program, while the cohort's window is open and
    attempts are left. The order of questions and choices is drawn now and kept. Two starts at
    once meet in the constraint "one open attempt per enrollment and quiz": the second returns
    the first's attempt.
    """
    now = now or timezone.now()
    if enrollment.status != Enrollment.Status.ACTIVE:
        _refuse(_("Your enrollment is no longer active."))
    program = quiz.program
    if not quiz.live or program is None or enrollment.cohort.program_id != program.pk:
        _refuse(_("This quiz is not part of your training."))
    opens, closes = window_times(quiz=quiz, cohort=enrollment.cohort)
    if now < opens:
        _refuse(_("This quiz opens on %(moment)s.") % {"moment": _moment(opens)})
    if now >= closes:
        _refuse(_("This quiz closed on %(moment)s.") % {"moment": _moment(closes)})

    attempts = attempts_of(quiz=quiz, enrollment=enrollment)
    open_attempt = next((attempt for attempt in attempts if attempt.submitted_at is None), None)
    if open_attempt is not None:
        if not open_attempt.is_expired(now):
            return open_attempt
        attempt_finish(attempt=open_attempt, by=by, now=now)
    used = max((attempt.number for attempt in attempts), default=0)
    if used >= quiz.attempts_allowed:
        _refuse(_("You have used every attempt at this quiz."))

    questions = list(quiz.question_rows())
    if not questions:
        _refuse(_("This quiz has no questions yet."))
    rng = random.SystemRandom()
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    choice_order = {}
    for question in questions:
        ids = [choice.pk for choice in question.ordered_choices()]
        if quiz.shuffle_choices and question.kind != QuestionKind.LIKERT:  # a scale keeps its order
            rng.shuffle(ids)
        choice_order[str(question.pk)] = ids
    deadline = closes
    if quiz.time_limit_minutes:
        deadline = min(closes, now + datetime.timedelta(minutes=quiz.time_limit_minutes))
    attempt = Attempt(
        quiz=quiz,
        enrollment=enrollment,
        number=used + 1,
        started_at=now,
        deadline=deadline,
        question_order=[question.pk for question in questions],
        choice_order=choice_order,
    )
    try:
        with transaction.atomic():
            attempt.save()
            log(instance=attempt, action="wagtail.create", user=by)
    except IntegrityError:
        # A second click or tab started it first: continue in that attempt.
        existing = Attempt.objects.filter(quiz=quiz, enrollment=enrollment, submitted_at__isnull=True).first()
        if existing is None:
            _refuse(_("You have used every attempt at this quiz."))
        return existing
    return attempt


def attempts_of(*, quiz: QuizPage, enrollment: Enrollment) -> list[Attempt]:
    """The enrollment's attempts at the quiz, read once so that a start decides on one snapshot."""
    return list(Attempt.objects.filter(quiz=quiz, enrollment=enrollment).order_by("number"))


def _locked(attempt: Attempt, *, related: tuple[str, ...] = ("quiz",)) -> Attempt:
    """The attempt read again under a row lock (PostgreSQL), so a save and a submit take turns."""
    return Attempt.objects.select_for_update().select_related(*related).get(pk=attempt.pk)


def response_save(*, attempt: Attempt, question_id: int, answer, now: datetime.datetime | None = None) -> Response:
    """Save (or replace) one answer of an attempt under way; saving the same answer again changes nothing.

    Refused once the attempt is submitted or past its deadline (then it is scored from what was
    saved), for a question outside the attempt, and for an answer of the wrong shape.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt, related=())  # autosave reads only the attempt's own fields
        if attempt.submitted_at is not None:
            _refuse(_("This attempt has already been submitted."))
        if attempt.is_expired(now):
            expired = True
        else:
            expired = False
            choice_ids = attempt.choice_order.get(str(question_id))
            if question_id not in attempt.question_order or choice_ids is None:
                _refuse(_("This question is not part of your attempt."))
            kind = Question.objects.filter(pk=question_id).values_list("kind", flat=True).first()
            problem = answer_problem(kind, answer, choice_ids)
            if problem:
                _refuse(problem)
            if isinstance(answer, str):
                answer = answer.strip()
            # One statement whether or not the question has an answer yet (INSERT … ON CONFLICT DO
            # UPDATE): autosave is the busiest request. Of two racing saves the later answer wins.
            [response] = Response.objects.bulk_create(
                [Response(attempt=attempt, question_id=question_id, answer=answer, saved_at=now)],
                update_conflicts=True,
                unique_fields=["attempt", "question"],
                update_fields=["answer", "saved_at"],
            )
            return response
    if expired:
        attempt_finish(attempt=attempt, by=None, now=now)
        _refuse(_("Time is up: your saved answers have been submitted."))


def attempt_submit(
    *, attempt: Attempt, by: User | None, answers: dict | None = None, now: datetime.datetime | None = None
) -> Attempt:
    """Submit an attempt and score it; submitting again returns the same result and changes nothing.

    `answers` ({question id: answer}, the whole form posted without JavaScript) are saved first
    while time is left; answers of the wrong shape are skipped, as they would score nothing.
    Past the deadline only what was saved before it counts.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # With what the audit entry's label names, so writing it costs no further query.
        locked = _locked(attempt, related=("quiz", "enrollment__companion__user", "enrollment__cohort"))
        if locked.submitted_at is not None:
            return locked
        if answers and not locked.is_expired(now):
            _save_answers(locked, answers, now)
        return _score(locked, by=by, now=now)


def attempt_finish(*, attempt: Attempt, by: User | None, now: datetime.datetime | None = None) -> Attempt:
    """Score an attempt whose time ran out from what was saved; submitted at its deadline."""
    return attempt_submit(attempt=attempt, by=by, now=now)


def attempts_finish_expired(*, now: datetime.datetime | None = None) -> int:
    """Score every attempt past its deadline; returns how many. For `manage.py finish_expired_attempts`."""
    now = now or timezone.now()
    finished = 0
    for attempt in expired_attempts(now=now):
        attempt_finish(attempt=attempt, by=None, now=now)
        finished += 1
    return finished


def _save_answers(attempt: Attempt, answers: dict, now: datetime.datetime) -> None:
    kinds = dict(Question.objects.filter(pk__in=attempt.question_order).values_list("pk", "kind"))
    existing = {row.question_id: row for row in Response.objects.filter(attempt=attempt)}
    new, changed = [], []
    for question_id, answer in answers.items():
        choice_ids = attempt.choice_order.get(str(question_id))
        if question_id not in kinds or choice_ids is None or answer_problem(kinds[question_id], answer, choice_ids):
            continue
        row = existing.get(question_id)
        if row is None:
            new.append(Response(attempt=attempt, question_id=question_id, answer=answer, saved_at=now))
        elif row.answer != answer:
            row.answer, row.saved_at = answer, now
            changed.append(row)
    Response.objects.bulk_create(new)
    Response.objects.bulk_update(changed, ["answer", "saved_at"])


def _score(attempt: Attempt, *, by: User | None, now: datetime.datetime) -> Attempt:
    """Score every question of the attempt, give unanswered ones an empty response, and close it."""
    rows = Question.objects.filter(pk__in=attempt.question_order).prefetch_related("choices")
    questions = {question.pk: question for question in rows}
    responses = {row.question_id: row for row in Response.objects.filter(attempt=attempt)}
    pairs, new, changed = [], [], []
    for question_id in attempt.question_order:
        question = questions.get(question_id)
        if question is None:
            continue
        spec = question.to_spec()
        choice_ids = [choice.pk for choice in question.ordered_choices()]
        row = responses.get(question_id)
        answer = to_scoring(question.kind, row.answer if row else None, choice_ids)
        pairs.append((spec, answer))
        share = score_answer(spec, answer)
        score = None if share is None else Decimal(share.numerator) / Decimal(share.denominator)
        score = None if score is None else score.quantize(Decimal("0.00001"))
        if row is None:
            new.append(Response(attempt=attempt, question_id=question_id, answer=None, score=score, saved_at=now))
        else:
            row.score = score
            changed.append(row)
    Response.objects.bulk_create(new)
    Response.objects.bulk_update(changed, ["score"])

    ended = attempt.is_expired(now)
    attempt.submitted_at = attempt.deadline if ended else now
    score = score_attempt(pairs) if attempt.quiz.is_scored else None
    attempt.score = None if score is None else score.quantize(Decimal("0.01"))
    attempt.passed = None if attempt.score is None else attempt.score >= attempt.quiz.effective_pass_mark
    attempt.save(update_fields=["submitted_at", "score", "passed"])
    log_change(
        instance=attempt,
        by=by,
        changed=["submitted_at", "score", "passed"],
        score=None if attempt.score is None else str(attempt.score),
        ended_by_deadline=ended,
    )
    return attempt
