"""The reads behind the assessment reports, and the figures they make.

Each report fetches flat rows (`values()`) in a fixed number of queries, whatever the number of
companions or attempts, and hands them to the pure arithmetic of assessments.stats. Only
submitted attempts count. A companion's pre-test and post-test score is their best submitted
attempt of that kind (ties: the earlier), as in `final_scores`; the per-quiz and per-question
figures count every submitted attempt.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from courses.models import Cohort, ModulePage

from . import stats
from .models import Attempt, Choice, Question, QuizKind, QuizPage, Response
from .specs import QuestionKind

KIND_ORDER = [QuizKind.PRE_TEST, QuizKind.MODULE_QUIZ, QuizKind.POST_TEST, QuizKind.EVALUATION]
NO_TOPIC = ""  # the key of questions tagged with no module


def reads_every_cohort(user) -> bool:
    """Coordinators, who manage cohorts, read every cohort's reports."""
    return user.is_active and user.has_perm("courses.change_cohort")


def report_cohorts(*, user) -> QuerySet:
    """The cohorts whose reports `user` may read: all for coordinators, those they train for trainers."""
    cohorts = Cohort.objects.select_related("program").order_by("-start_date", "name")
    if reads_every_cohort(user):
        return cohorts
    return cohorts.filter(trainers=user)


def cohort_quizzes(*, cohort: Cohort) -> list[QuizPage]:
    """The quizzes of the cohort's programme, published or not, in the order they are taken.

    The pre-test, the module quizzes in tree order, the post-test, the evaluation.
    """
    quizzes = list(QuizPage.objects.descendant_of(cohort.program).order_by("path"))
    return sorted(quizzes, key=lambda quiz: KIND_ORDER.index(quiz.kind))


def submitted_attempts(*, cohort: Cohort) -> QuerySet:
    return Attempt.objects.filter(enrollment__cohort=cohort, submitted_at__isnull=False)


def pass_mark(quiz: QuizPage, program) -> int | None:
    """The quiz's pass mark, or the programme's; evaluations have none."""
    if quiz.kind == QuizKind.EVALUATION:
        return None
    return quiz.pass_mark if quiz.pass_mark is not None else program.pass_mark


@dataclass
class QuizOverview:
    quiz: QuizPage
    summary: stats.ScoreSummary
    pass_mark: int | None


def quiz_overviews(*, cohort: Cohort) -> list[QuizOverview]:
    """Every quiz of the cohort's programme with the summary of its submitted attempts (2 queries)."""
    quizzes = cohort_quizzes(cohort=cohort)
    scores = defaultdict(list)
    rows = submitted_attempts(cohort=cohort).filter(quiz__in=quizzes).values_list("quiz_id", "score")
    for quiz_id, score in rows:
        if score is not None:
            scores[quiz_id].append(score)
    overviews = []
    for quiz in quizzes:
        mark = pass_mark(quiz, cohort.program)
        overviews.append(
            QuizOverview(quiz=quiz, summary=stats.score_summary(scores[quiz.pk], pass_mark=mark), pass_mark=mark)
        )
    return overviews


@dataclass
class ChoiceCount:
    label: str
    correct: bool
    count: int


@dataclass
class QuestionReport:
    number: int
    question: Question
    topic: str
    answered: int
    item: stats.ItemStats
    picks: list[ChoiceCount] = field(default_factory=list)


@dataclass
class QuizReport:
    quiz: QuizPage
    summary: stats.ScoreSummary
    pass_mark: int | None
    questions: list[QuestionReport]


def source_quiz_id(quiz: QuizPage) -> int:
    return quiz.question_source_id or quiz.pk


def quiz_questions(quiz: QuizPage) -> list[Question]:
    """The quiz's questions (its source's, for a post-test that reuses a pre-test), with modules and choices."""
    return list(
        Question.objects.filter(quiz_id=source_quiz_id(quiz))
        .select_related("module")
        .prefetch_related("choices")
        .order_by("sort_order", "pk")
    )


def topic_label(module: ModulePage | None) -> str:
    return f"{module.code} {module.title}" if module is not None else ""


def quiz_report(*, quiz: QuizPage, cohort: Cohort) -> QuizReport:
    """Summary, item analysis and choice counts of one quiz in one cohort (5 queries)."""
    questions = quiz_questions(quiz)
    attempts = list(submitted_attempts(cohort=cohort).filter(quiz=quiz).values("id", "score").order_by("id"))
    responses = (
        Response.objects.filter(
            attempt__quiz=quiz, attempt__enrollment__cohort=cohort, attempt__submitted_at__isnull=False
        )
        .values_list("attempt_id", "question_id", "answer", "score")
        .order_by("pk")
    )
    shares: dict[int, dict[int, Decimal]] = defaultdict(dict)
    answers: dict[int, list] = defaultdict(list)
    for attempt_id, question_id, answer, score in responses:
        answers[question_id].append(answer)
        if score is not None:
            shares[attempt_id][question_id] = score
    scored = [question for question in questions if QuestionKind(question.kind).is_scored]
    items = stats.item_analysis(
        [
            stats.AttemptScores(key=row["id"], total=row["score"], items=shares[row["id"]])
            for row in attempts
            if row["score"] is not None
        ],
        [question.pk for question in scored],
    )
    reports = []
    for number, question in enumerate(questions, start=1):
        counted = stats.picks(answers[question.pk])
        reports.append(
            QuestionReport(
                number=number,
                question=question,
                topic=topic_label(question.module),
                answered=sum(1 for answer in answers[question.pk] if answer not in (None, "", [])),
                item=items.get(
                    question.pk, stats.ItemStats(attempts=len(attempts), difficulty=None, discrimination=None)
                ),
                picks=choice_counts(question, counted),
            )
        )
    mark = pass_mark(quiz, cohort.program)
    return QuizReport(
        quiz=quiz,
        summary=stats.score_summary([row["score"] for row in attempts if row["score"] is not None], pass_mark=mark),
        pass_mark=mark,
        questions=reports,
    )


def choice_counts(question: Question, counted) -> list[ChoiceCount]:
    """How often each option of a question was picked, in the question's order."""
    kind = QuestionKind(question.kind)
    if kind == QuestionKind.TRUE_FALSE:
        return [
            ChoiceCount(label=_("True"), correct=question.correct is True, count=counted.get(True, 0)),
            ChoiceCount(label=_("False"), correct=question.correct is False, count=counted.get(False, 0)),
        ]
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.LIKERT):
        choices: list[Choice] = sorted(question.choices.all(), key=lambda choice: (choice.sort_order or 0, choice.pk))
        if kind == QuestionKind.LIKERT:
            return [
                ChoiceCount(label=f"{value} {choice.text}".strip(), correct=False, count=counted.get(value, 0))
                for value, choice in zip(stats.LIKERT_VALUES, choices or [None] * 4, strict=False)
                if choice is not None
            ]
        return [
            ChoiceCount(label=choice.text, correct=choice.weight > 0, count=counted.get(choice.pk, 0))
            for choice in choices
        ]
    return []


@dataclass
class CompanionGain:
    enrollment_id: int
    name: str
    username: str
    village: str
    provinsi: str
    pre: Decimal | None
    post: Decimal | None
    gain: Fraction | None


@dataclass
class GainReport:
    companions: list[CompanionGain]
    topics: list[stats.GainRow]  # group: the topic label
    provinces: list[stats.GainRow]  # group: the provinsi
    overall: stats.GainRow


def best_attempts(rows) -> dict[tuple[int, str], dict]:
    """The best submitted attempt per (enrollment, kind): the highest score, then the earliest."""
    best: dict[tuple[int, str], dict] = {}
    for row in rows:
        key = (row["enrollment_id"], row["quiz__kind"])
        held = best.get(key)
        if held is None or (row["score"], -row["id"]) > (held["score"], -held["id"]):
            best[key] = row
    return best


def gain_report(*, cohort: Cohort) -> GainReport:
    """Pre-test, post-test and normalised gain per companion, per module topic and per provinsi (4 queries)."""
    kinds = (QuizKind.PRE_TEST, QuizKind.POST_TEST)
    enrollments = list(
        cohort.enrollments.values(
            "id",
            "companion__user__full_name",
            "companion__user__username",
            "companion__village__name",
            "companion__village__provinsi",
        ).order_by("companion__user__username")
    )
    attempts = (
        submitted_attempts(cohort=cohort)
        .filter(quiz__kind__in=kinds, quiz__path__startswith=cohort.program.path, score__isnull=False)
        .values("id", "enrollment_id", "quiz__kind", "score", "question_order")
    )
    best = best_attempts(attempts)
    chosen = {row["id"]: key for key, row in best.items()}
    shares: dict[int, dict[int, Decimal]] = defaultdict(dict)
    responses = Response.objects.filter(
        attempt__enrollment__cohort=cohort,
        attempt__submitted_at__isnull=False,
        attempt__quiz__kind__in=kinds,
        attempt__quiz__path__startswith=cohort.program.path,
        score__isnull=False,
    ).values_list("attempt_id", "question_id", "score")
    for attempt_id, question_id, score in responses:
        if attempt_id in chosen:
            shares[attempt_id][question_id] = score
    question_ids = {question_id for row in best.values() for question_id in row["question_order"] or []}
    questions = {
        row["id"]: row
        for row in Question.objects.filter(pk__in=question_ids).values(
            "id", "kind", "module__code", "module__title", "module__path"
        )
    }

    topic_rows = {kind: [] for kind in kinds}
    for (enrollment_id, kind), row in best.items():
        for question_id in row["question_order"] or []:
            question = questions.get(question_id)
            if question is None or not QuestionKind(question["kind"]).is_scored:
                continue
            topic = (question["module__path"] or "~", question["module__code"] or "", question["module__title"] or "")
            topic_rows[kind].append((enrollment_id, topic, shares[row["id"]].get(question_id, 0)))
    pre_topics = stats.topic_percentages(topic_rows[QuizKind.PRE_TEST])
    post_topics = stats.topic_percentages(topic_rows[QuizKind.POST_TEST])
    owners = defaultdict(set)
    for owner, topic in (*pre_topics, *post_topics):
        owners[topic].add(owner)
    topics = [
        replace(row, group=f"{row.group[1]} {row.group[2]}".strip() or NO_TOPIC)
        for row in stats.group_gains(
            (topic, pre_topics.get((owner, topic)), post_topics.get((owner, topic)))
            for topic in sorted(owners)
            for owner in sorted(owners[topic])
        )
    ]

    companions = []
    for enrollment in enrollments:
        pre = best.get((enrollment["id"], QuizKind.PRE_TEST))
        post = best.get((enrollment["id"], QuizKind.POST_TEST))
        pre_score = pre["score"] if pre else None
        post_score = post["score"] if post else None
        companions.append(
            CompanionGain(
                enrollment_id=enrollment["id"],
                name=enrollment["companion__user__full_name"] or enrollment["companion__user__username"],
                username=enrollment["companion__user__username"],
                village=enrollment["companion__village__name"],
                provinsi=enrollment["companion__village__provinsi"],
                pre=pre_score,
                post=post_score,
                gain=stats.normalized_gain(pre_score, post_score),
            )
        )
    provinces = sorted(
        stats.group_gains((companion.provinsi, companion.pre, companion.post) for companion in companions),
        key=lambda row: row.group,
    )
    overall = stats.group_gains(("", companion.pre, companion.post) for companion in companions)
    return GainReport(
        companions=companions,
        topics=topics,
        provinces=provinces,
        overall=overall[0] if overall else stats.GainRow("", 0, None, None, None),
    )


@dataclass
class EvaluationReport:
    quizzes: list[QuizPage]
    submitted: int
    modules: list[stats.LikertRow]  # topic: the module label, or "" for the organisation
    comments: list[str]


def evaluation_report(*, cohort: Cohort) -> EvaluationReport:
    """The Likert averages per module and the free-text answers of the programme's evaluations (3 queries)."""
    quizzes = [quiz for quiz in cohort_quizzes(cohort=cohort) if quiz.kind == QuizKind.EVALUATION]
    submitted = submitted_attempts(cohort=cohort).filter(quiz__in=quizzes).count()
    rows = (
        Response.objects.filter(
            attempt__quiz__in=quizzes, attempt__enrollment__cohort=cohort, attempt__submitted_at__isnull=False
        )
        .values_list(
            "question__kind", "question__module__path", "question__module__code", "question__module__title", "answer"
        )
        .order_by("question__module__path", "pk")
    )
    likert, comments = [], []
    for kind, path, code, title, answer in rows:
        if kind == QuestionKind.LIKERT:
            likert.append(((path or "~", f"{code or ''} {title or ''}".strip()), answer))
        elif kind == QuestionKind.FREE_TEXT and isinstance(answer, str) and answer.strip():
            comments.append(answer.strip())
    modules = [
        replace(row, topic=row.topic[1]) for row in sorted(stats.likert_averages(likert), key=lambda row: row.topic[0])
    ]
    return EvaluationReport(quizzes=quizzes, submitted=submitted, modules=modules, comments=comments)
