"""Reads of quizzes and attempts that span relations. Each costs a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Cohort, Enrollment, ModulePage, ProgramPage
from courses.selectors import QuizStep

from .answers import LIKERT_POINTS, to_scoring
from .models import Attempt, Choice, FeedbackTiming, Question, QuizKind, QuizPage, QuizWindow, Response
from .scoring import score_answer, score_by_topic
from .specs import QuestionKind


def final_scores(enrollment_ids, kind) -> dict[int, Decimal]:
    """The best submitted score of `kind` of quiz (a QuizKind) per enrollment, in its own program.

    Enrollments without a scored, submitted attempt of that kind are left out.
    Used by the dashboard and by certificates.
    """
    rows = (
        Attempt.objects.filter(
            enrollment_id__in=list(enrollment_ids),
            quiz__kind=kind,
            submitted_at__isnull=False,
            score__isnull=False,
            quiz__path__startswith=F("enrollment__cohort__program__path"),
        )
        .values("enrollment_id")
        .annotate(best=Max("score"))
    )
    return {row["enrollment_id"]: row["best"] for row in rows}


def expired_attempts(*, now: datetime.datetime | None = None) -> QuerySet[Attempt]:
    """Attempts under way whose deadline has passed: to be scored from what was saved."""
    return Attempt.objects.filter(submitted_at__isnull=True, deadline__lte=now or timezone.now()).order_by("pk")


def window_times(*, quiz: QuizPage, cohort: Cohort) -> tuple[datetime.datetime, datetime.datetime]:
    """When the cohort may take the quiz: its window, else the cohort's days (first day 00:00 to last day 23:59 WIB)."""
    window = QuizWindow.objects.filter(quiz=quiz, cohort=cohort).values_list("opens_at", "closes_at").first()
    if window is not None:
        return window
    zone = timezone.get_default_timezone()
    opens = datetime.datetime.combine(cohort.start_date, datetime.time(0, 0), tzinfo=zone)
    closes = datetime.datetime.combine(cohort.end_date, datetime.time(23, 59), tzinfo=zone)
    return opens, closes


def own_attempt(*, user, pk: int, with_quiz: bool = True) -> Attempt | None:
    """The user's attempt (with its quiz), while their enrollment is active; None for anyone else's.

    Without Attempt's default ordering, whose joins cost more than the lookup; autosave, the
    busiest request, needs no quiz.
    """
    attempts = Attempt.objects.filter(
        pk=pk, enrollment__companion__user=user, enrollment__status=Enrollment.Status.ACTIVE
    ).order_by()
    return (attempts.select_related("quiz") if with_quiz else attempts).first()


def quiz_enrollment(*, user, quiz: QuizPage) -> Enrollment | None:
    """The user's active enrollment in the quiz's program, with its cohort."""
    program = quiz.program
    if program is None or not user.is_authenticated:
        return None
    return Enrollment.objects.active().of_user(user).in_program(program).select_related("cohort").first()


LIKERT_LABELS = {
    1: lambda: _("Strongly disagree"),
    2: lambda: _("Disagree"),
    3: lambda: _("Agree"),
    4: lambda: _("Strongly agree"),
}


@dataclass
class ChoiceItem:
    id: int
    text: str


@dataclass
class QuestionItem:
    """A question as the attempt page shows it: its text and choices, never a weight or feedback."""

    id: int
    number: int
    kind: str
    text: str
    choices: list[ChoiceItem] = field(default_factory=list)
    answer: object = None

    @property
    def field_name(self) -> str:
        return f"q{self.id}"

    @property
    def selected(self) -> set:
        if isinstance(self.answer, list):
            return set(self.answer)
        return {self.answer} if self.answer is not None and not isinstance(self.answer, bool) else set()

    @property
    def text_answer(self) -> str:
        return self.answer if isinstance(self.answer, str) else ""

    @property
    def likert_points(self) -> list[ChoiceItem]:
        """Points 1…4, labelled by the question's choices when the editor wrote them."""
        labels = [choice.text for choice in self.choices]
        return [
            ChoiceItem(id=point, text=labels[index] if index < len(labels) else LIKERT_LABELS[point]())
            for index, point in enumerate(LIKERT_POINTS)
        ]


def attempt_sheet(*, attempt: Attempt) -> list[QuestionItem]:
    """The attempt's questions in its order with the saved answers, in three queries.

    Only the texts are read: weights, accepted answers and feedback never leave the database
    before the attempt is submitted.
    """
    rows = Question.objects.filter(pk__in=attempt.question_order).only("id", "kind", "text")
    questions = {row.pk: row for row in rows}
    texts = dict(Choice.objects.filter(question_id__in=questions).values_list("id", "text"))
    answers = dict(Response.objects.filter(attempt=attempt).values_list("question_id", "answer"))
    items = []
    for question_id in attempt.question_order:
        question = questions.get(question_id)
        if question is None:
            continue
        choice_ids = attempt.choice_order.get(str(question_id), [])
        items.append(
            QuestionItem(
                id=question_id,
                number=len(items) + 1,
                kind=question.kind,
                text=question.text,
                choices=[ChoiceItem(id=pk, text=texts[pk]) for pk in choice_ids if pk in texts],
                answer=answers.get(question_id),
            )
        )
    return items


def quiz_preview(*, quiz: QuizPage) -> list[QuestionItem]:
    """The questions in the editor's order, as a companion would see them (for staff, records nothing)."""
    return [
        QuestionItem(
            id=question.pk,
            number=number,
            kind=question.kind,
            text=question.text,
            choices=[ChoiceItem(id=choice.pk, text=choice.text) for choice in question.ordered_choices()],
        )
        for number, question in enumerate(quiz.question_rows(), start=1)
    ]


@dataclass
class QuestionResult:
    number: int
    text: str
    kind: str
    answer: str
    score: Decimal | None
    correct: str = ""
    feedback: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool | None:
        return None if self.score is None else self.score >= 1


@dataclass
class AttemptResult:
    attempt: Attempt
    pass_mark: int
    topics: dict[str, Decimal]
    questions: list[QuestionResult]
    feedback_shown: bool
    feedback_from: datetime.datetime | None = None


def feedback_opens(*, attempt: Attempt) -> datetime.datetime | None:
    """From when the companion sees feedback and correct answers; None for never."""
    timing = attempt.quiz.feedback_timing
    if timing == FeedbackTiming.NEVER:
        return None
    if timing == FeedbackTiming.AFTER_CLOSE:
        return window_times(quiz=attempt.quiz, cohort=attempt.enrollment.cohort)[1]
    return attempt.submitted_at


def attempt_result(*, attempt: Attempt, now: datetime.datetime | None = None) -> AttemptResult:
    """A submitted attempt's score, result per topic and, when its time has come, feedback per question."""
    now = now or timezone.now()
    quiz = attempt.quiz
    opens = feedback_opens(attempt=attempt)
    shown = opens is not None and now >= opens
    rows = Question.objects.filter(pk__in=attempt.question_order).select_related("module").prefetch_related("choices")
    questions = {row.pk: row for row in rows}
    responses = {row.question_id: row for row in Response.objects.filter(attempt=attempt)}
    own_module = None
    if quiz.kind == QuizKind.MODULE_QUIZ:
        own_module = ModulePage.objects.filter(pk=quiz.get_parent().pk).only("id", "code", "title").first()
    topic_rows, results = [], []
    for question_id in attempt.question_order:
        question = questions.get(question_id)
        if question is None:
            continue
        spec = question.to_spec()
        choices = question.ordered_choices()
        response = responses.get(question_id)
        stored = response.answer if response else None
        answer = to_scoring(question.kind, stored, [choice.pk for choice in choices])
        module = question.module or own_module
        topic = f"{module.code} {module.title}" if module else _("General")
        topic_rows.append((topic, spec, answer))
        share = score_answer(spec, answer)
        result = QuestionResult(
            number=len(results) + 1,
            text=question.text,
            kind=question.kind,
            answer=_answer_text(question, choices, stored),
            score=None if share is None else Decimal(share.numerator) / Decimal(share.denominator),
        )
        if shown:
            result.correct = _correct_text(question, choices)
            result.feedback = _feedback(question, choices, stored, share)
        results.append(result)
    return AttemptResult(
        attempt=attempt,
        pass_mark=quiz.effective_pass_mark,
        topics=score_by_topic(topic_rows) if quiz.is_scored else {},
        questions=results,
        feedback_shown=shown,
        feedback_from=opens,
    )


def _answer_text(question: Question, choices: list[Choice], stored) -> str:
    if stored is None or stored == []:
        return ""
    kind = QuestionKind(question.kind)
    texts = {choice.pk: choice.text for choice in choices}
    if kind is QuestionKind.SINGLE_CHOICE:
        return texts.get(stored, "")
    if kind is QuestionKind.MULTIPLE_CHOICE and isinstance(stored, list):
        return "; ".join(texts.get(pk, "") for pk in stored if pk in texts)
    if kind is QuestionKind.TRUE_FALSE:
        return _("True") if stored else _("False")
    if kind is QuestionKind.LIKERT and isinstance(stored, int):
        labels = [choice.text for choice in choices]
        label = labels[stored - 1] if 0 < stored <= len(labels) else LIKERT_LABELS.get(stored, lambda: "")()
        return f"{stored} – {label}"
    return str(stored)


def _correct_text(question: Question, choices: list[Choice]) -> str:
    kind = QuestionKind(question.kind)
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        return "; ".join(choice.text for choice in choices if choice.weight > 0)
    if kind is QuestionKind.TRUE_FALSE and question.correct is not None:
        return _("True") if question.correct else _("False")
    if kind is QuestionKind.SHORT_ANSWER:
        return "; ".join(question.accepted_answer_list)
    return ""


def _feedback(question: Question, choices: list[Choice], stored, share) -> list[str]:
    kind = QuestionKind(question.kind)
    notes = []
    if kind is QuestionKind.SINGLE_CHOICE:
        notes += [choice.feedback for choice in choices if choice.pk == stored]
    elif kind is QuestionKind.MULTIPLE_CHOICE and isinstance(stored, list):
        notes += [choice.feedback for choice in choices if choice.pk in stored]
    elif kind is QuestionKind.TRUE_FALSE and stored is not None:
        notes.append(question.feedback_right if share == 1 else question.feedback_wrong)
    notes.append(question.general_feedback)
    return [note for note in notes if note]


STEP_PLACES = {QuizKind.PRE_TEST: "first", QuizKind.MODULE_QUIZ: "module"}  # the others close the last day


def quiz_steps(*, program: ProgramPage, enrollment: Enrollment | None) -> list[tuple[str, QuizStep]]:
    """The program's live quizzes in tree order with the enrollment's state of each, in two queries.

    Registered as courses' outline-steps hook (`assessments/wagtail_hooks.py`).
    """
    quizzes = (
        QuizPage.objects.live()
        .descendant_of(program)
        .order_by("path")
        .values_list("id", "path", "title", "kind", "jp_hours")
    )
    steps = [
        (
            path,
            QuizStep(
                id=pk,
                title=title,
                kind=kind,
                jp_hours=jp_hours,
                place=STEP_PLACES.get(kind, "last"),
                template="assessments/includes/quiz_step.html",
            ),
        )
        for pk, path, title, kind, jp_hours in quizzes
    ]
    if enrollment is None or not steps:
        return steps
    by_id = {step.id: step for _path, step in steps}
    now = timezone.now()
    attempts = Attempt.objects.filter(enrollment=enrollment, quiz_id__in=by_id).values_list(
        "quiz_id", "submitted_at", "deadline", "score"
    )
    for quiz_id, submitted_at, deadline, score in attempts:
        step = by_id[quiz_id]
        if submitted_at is None and (deadline is None or deadline > now):
            step.state = "in_progress"
        elif step.state != "in_progress":
            # An attempt whose time ran out counts as done; it is scored when next opened.
            step.state = "done"
            if score is not None and (step.score is None or score > step.score):
                step.score = score
    return steps
