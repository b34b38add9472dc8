"""The demo's quizzes and finished attempts, so that every report has data.

`load_demo_assessments` adds, under the demo programme: the 20-question pre-test (day 1), the
post-test on the same questions with 45 minutes (day 4), a short quiz for five modules and the
evaluation (Likert 1–4 per module, and a free-text suggestion). Then pendamping001…230 finish the
pre-test, the post-test, the evaluation and some module quizzes; pendamping231…240 start nothing,
so a visitor can take every quiz fresh.

The answers are drawn from seeded random numbers (one stream per companion and quiz), so every
load gives the same attempts; each score is what assessments.scoring gives for the answers. The
rows are written with bulk_create: 230 companions make some 16,000 responses. Idempotent: a quiz
is found by its slug and left as it is, and only an (enrollment, quiz) pair without an attempt
gets one.
"""

import datetime
import math
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from courses.models import Cohort, Enrollment, ModulePage, ProgramPage
from courses.services import page_publish_child

from .answers import to_scoring
from .models import Attempt, Choice, FeedbackTiming, Question, QuizKind, QuizPage, QuizWindow, Response
from .scoring import score_answer, score_attempt
from .services import quiz_window_create
from .specs import QuestionKind
from .stats import rounded

WIB = ZoneInfo("Asia/Jakarta")
SEED = 2017
LAST_ATTEMPTER = 230  # pendamping001…230 finish the quizzes; 231…240 start nothing
POST_TEST_MINUTES = 45
WINDOWS_CLOSE = datetime.datetime(2099, 12, 31, 23, 59, tzinfo=WIB)  # open to demo visitors

# How far each province's companions sit from the mean share of right answers: a demo spread,
# not a finding. The offsets weighted by the roster's companions average about zero.
PROVINCE_OFFSET = {
    "Jawa Tengah": 0.05,
    "Jawa Timur": 0.03,
    "Jawa Barat": 0.0,
    "DI Yogyakarta": 0.06,
    "Bali": 0.04,
    "Banten": -0.01,
    "Lampung": -0.02,
    "Nusa Tenggara Barat": -0.05,
    "Nusa Tenggara Timur": -0.08,
    "Sumatera Utara": 0.0,
    "Sulawesi Selatan": -0.03,
    "Kalimantan Barat": -0.04,
}
# The share of right answers a companion of average ability reaches, per kind of quiz.
BASE_SHARE = {QuizKind.PRE_TEST: 0.53, QuizKind.MODULE_QUIZ: 0.74, QuizKind.POST_TEST: 0.785}
MODULE_QUIZ_SHARE = 0.65  # how many companions take each module quiz
EVALUATION_SHARE = 0.94
WRONG_SHORT_ANSWERS = ("17", "21 tahun", "tidak tahu", "PPTKIS", "")


def load_demo_assessments(*, program: ProgramPage, cohort: Cohort, content: dict) -> int:
    """Add the demo quizzes and attempts that are missing; returns the number of attempts written."""
    quizzes = demo_quizzes(program=program, content=content)
    windowed = set(QuizWindow.objects.filter(cohort=cohort).values_list("quiz_id", flat=True))
    for quiz in quizzes:
        if quiz.pk not in windowed:
            quiz_window_create(
                quiz=quiz, cohort=cohort, opens_at=opens_at(quiz, cohort), closes_at=WINDOWS_CLOSE, by=None
            )
    return demo_attempts(quizzes=quizzes, cohort=cohort, suggestions=content["evaluation"]["suggestions"])


def demo_quizzes(*, program: ProgramPage, content: dict) -> list[QuizPage]:
    """The pre-test, the module quizzes, the post-test and the evaluation, made when missing."""
    modules = {module.code: module for module in ModulePage.objects.child_of(program)}
    existing = {(quiz.get_parent().pk, quiz.slug): quiz for quiz in QuizPage.objects.descendant_of(program)}

    def made(parent, slug, build):
        if (parent.pk, slug) in existing:
            return existing[(parent.pk, slug)]
        # Wagtail indexes the whole page again on each question's and choice's save: index it once.
        with disable_reference_index_auto_update():
            page = page_publish_child(parent=parent, page=build())
        ReferenceIndex.create_or_update_for_object(page)
        return page

    pre_test = made(
        program,
        "pre-test",
        lambda: QuizPage(
            title="Pre-test",
            slug="pre-test",
            kind=QuizKind.PRE_TEST,
            intro="<p>Tes awal sebelum pelatihan: 20 soal dari semua modul. Kerjakan sendiri; nilainya tidak "
            "memengaruhi kelulusan, tetapi menunjukkan apa yang sudah Anda ketahui.</p>",
            jp_hours=1,
            feedback_timing=FeedbackTiming.NEVER,  # the same questions return in the post-test
            questions=[build_question(spec, modules) for spec in content["pre_test"]],
        ),
    )
    quizzes = [pre_test]
    for code, specs in content["module_quizzes"].items():
        module = modules.get(code)
        if module is None:
            continue  # a trainer removed the module: its quiz goes with it
        quizzes.append(
            made(
                module,
                f"kuis-{code.lower()}",
                lambda module=module, specs=specs: QuizPage(
                    title=f"Kuis {module.code}",
                    slug=f"kuis-{module.code.lower()}",
                    kind=QuizKind.MODULE_QUIZ,
                    intro="<p>Kuis singkat untuk memeriksa pemahaman Anda. Umpan balik muncul setelah dikirim.</p>",
                    attempts_allowed=2,
                    feedback_timing=FeedbackTiming.IMMEDIATELY,
                    questions=[build_question(spec, modules) for spec in specs],
                ),
            )
        )
    quizzes.append(
        made(
            program,
            "post-test",
            lambda: QuizPage(
                title="Post-test",
                slug="post-test",
                kind=QuizKind.POST_TEST,
                intro="<p>Tes akhir dengan soal yang sama seperti pre-test, untuk mengukur peningkatan. Waktu "
                "45 menit, satu kali kesempatan; nilai lulus 70.</p>",
                jp_hours=1,
                time_limit_minutes=POST_TEST_MINUTES,
                feedback_timing=FeedbackTiming.AFTER_CLOSE,
                question_source=pre_test,
            ),
        )
    )
    evaluation = content["evaluation"]
    quizzes.append(
        made(
            program,
            "evaluasi",
            lambda: QuizPage(
                title="Evaluasi penyelenggaraan",
                slug="evaluasi",
                kind=QuizKind.EVALUATION,
                intro="<p>Penilaian Anda tentang setiap modul dan penyelenggaraan pelatihan. Tidak dinilai; "
                "jawablah dengan jujur.</p>",
                feedback_timing=FeedbackTiming.NEVER,
                questions=evaluation_questions(evaluation, modules),
            ),
        )
    )
    return quizzes


def build_question(spec: dict, modules: dict) -> Question:
    return Question(
        kind=spec["kind"],
        text=spec["text"],
        module=modules.get(spec.get("module")),
        accepted_answers="\n".join(spec.get("accepted_answers", [])),
        correct=spec.get("correct"),
        feedback_right=spec.get("feedback_right", ""),
        feedback_wrong=spec.get("feedback_wrong", ""),
        general_feedback=spec.get("general_feedback", ""),
        choices=[
            Choice(text=choice["text"], weight=Decimal(choice["weight"]), sort_order=index)
            for index, choice in enumerate(spec.get("choices", []))
        ],
    )


def evaluation_questions(evaluation: dict, modules: dict) -> list[Question]:
    def likert(text, module=None):
        labels = evaluation["likert_labels"]
        return Question(
            kind=QuestionKind.LIKERT,
            text=text,
            module=module,
            choices=[Choice(text=label, weight=Decimal(0), sort_order=index) for index, label in enumerate(labels)],
        )

    ordered = sorted(modules.values(), key=lambda module: module.path)
    return (
        [likert(evaluation["module_item"].format(code=module.code), module) for module in ordered]
        + [likert(text) for text in evaluation["organiser_items"]]
        + [Question(kind=QuestionKind.FREE_TEXT, text=evaluation["free_text"])]
    )


def slot(cohort: Cohort, day: int, hour: int, minute: int) -> datetime.datetime:
    date = cohort.start_date + datetime.timedelta(days=day - 1)
    return datetime.datetime(date.year, date.month, date.day, hour, minute, tzinfo=WIB)


def opens_at(quiz: QuizPage, cohort: Cohort) -> datetime.datetime:
    """The scheduled start (demo/schedule.csv): the pre-test on day 1 at 08:30; on the last day the
    post-test at 11:15 and the evaluation at 12:00; a module quiz on its module's day."""
    last_day = (cohort.end_date - cohort.start_date).days + 1
    if quiz.kind == QuizKind.PRE_TEST:
        return slot(cohort, 1, 8, 30)
    if quiz.kind == QuizKind.POST_TEST:
        return slot(cohort, last_day, 11, 15)
    if quiz.kind == QuizKind.EVALUATION:
        return slot(cohort, last_day, 12, 0)
    return slot(cohort, quiz.get_parent().specific.day, 8, 0)


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def right_chance(*, kind: str, ability: float, province: str, item: float) -> float:
    """The chance of a right answer: the kind's base, the companion's ability, the province, the item."""
    offset = PROVINCE_OFFSET.get(province, 0.0)
    if kind == QuizKind.PRE_TEST:
        return clamp(BASE_SHARE[kind] + 0.13 * ability + offset + item, 0.03, 0.97)
    return clamp(BASE_SHARE[kind] + 0.09 * ability + 0.7 * offset + 0.5 * item, 0.05, 0.99)


def draw_answer(rng: random.Random, question: Question, choices: list[Choice], right: bool):
    """A stored answer (choice id, list of ids, bool or text) that is right or wrong as drawn."""
    kind = QuestionKind(question.kind)
    if kind == QuestionKind.TRUE_FALSE:
        return bool(question.correct) if right else not question.correct
    if kind == QuestionKind.SHORT_ANSWER:
        accepted = [line for line in question.accepted_answers.splitlines() if line.strip()]
        if right:
            return rng.choice(accepted) + rng.choice(["", ".", " "])
        return rng.choice(WRONG_SHORT_ANSWERS)
    best = [choice.pk for choice in choices if choice.weight > 0]
    wrong = [choice.pk for choice in choices if choice.weight <= 0]
    if kind == QuestionKind.SINGLE_CHOICE:
        return rng.choice(best) if right else rng.choice(wrong)
    if right:
        return best
    return rng.choice([[rng.choice(best)], [rng.choice(best), rng.choice(wrong)], [rng.choice(wrong)]])


def demo_rng(*parts) -> random.Random:
    """A random stream of its own for each purpose, seeded by its name: the demo, not a secret."""
    return random.Random(":".join(str(part) for part in (SEED, *parts)))  # noqa: S311


def demo_enrollments(cohort: Cohort) -> list[Enrollment]:
    """The active enrollments of pendamping001…230 in the cohort, by username."""
    enrollments = (
        Enrollment.objects.active()
        .filter(cohort=cohort, companion__user__username__regex=r"^pendamping[0-9]{3}$")
        .select_related("companion__user", "companion__village")
    )
    chosen = [
        enrollment
        for enrollment in enrollments
        if int(enrollment.companion.user.username.removeprefix("pendamping")) <= LAST_ATTEMPTER
    ]
    return sorted(chosen, key=lambda enrollment: enrollment.companion.user.username)


class QuizSheet:
    """A quiz's questions as the generator needs them: ordered choices, specs, a difficulty each."""

    def __init__(self, quiz: QuizPage, program: ProgramPage):
        self.quiz = quiz
        self.questions = list(quiz.question_rows())
        self.choices = {question.pk: question.ordered_choices() for question in self.questions}
        self.specs = {question.pk: question.to_spec() for question in self.questions}
        self.difficulty = {question.pk: demo_rng("item", question.pk).uniform(-0.2, 0.2) for question in self.questions}
        self.pass_mark = quiz.pass_mark if quiz.pass_mark is not None else program.pass_mark

    def to_scoring(self, question: Question, answer):
        return to_scoring(question.kind, answer, [choice.pk for choice in self.choices[question.pk]])

    def score(self, question: Question, answer):
        return score_answer(self.specs[question.pk], self.to_scoring(question, answer))


def demo_attempts(*, quizzes: list[QuizPage], cohort: Cohort, suggestions: list[str]) -> int:
    """Finished attempts for pendamping001…230 that have none yet, written in bulk."""
    enrollments = demo_enrollments(cohort)
    taken = set(Attempt.objects.filter(quiz__in=quizzes).values_list("enrollment_id", "quiz_id"))
    program = cohort.program
    attempts, responses = [], []
    for quiz in quizzes:
        sheet = QuizSheet(quiz, program)
        for enrollment in enrollments:
            username = enrollment.companion.user.username
            rng = demo_rng(username, quiz.slug)
            if (enrollment.pk, quiz.pk) in taken or not takes(rng, quiz):
                continue
            ability = demo_rng("ability", username).gauss(0, 1)
            answers = [
                (question, draw(rng, sheet, question, ability, enrollment, suggestions)) for question in sheet.questions
            ]
            # As at submit: every question gets a Response, an unanswered one with no answer (scored 0).
            score = score_attempt(
                (sheet.specs[question.pk], sheet.to_scoring(question, answer)) for question, answer in answers
            )
            started = started_at(rng, quiz, cohort)
            attempt = Attempt(
                quiz=quiz,
                enrollment=enrollment,
                number=1,
                started_at=started,
                deadline=started + datetime.timedelta(minutes=quiz.time_limit_minutes)
                if quiz.time_limit_minutes
                else None,
                submitted_at=started + datetime.timedelta(minutes=rng.randint(8, 40), seconds=rng.randint(0, 59)),
                score=score,
                passed=None if score is None else score >= sheet.pass_mark,
                question_order=[question.pk for question in sheet.questions],
                choice_order={
                    str(pk): [choice.pk for choice in choices] for pk, choices in sheet.choices.items() if choices
                },
            )
            attempts.append(attempt)
            responses += [
                Response(
                    attempt=attempt,
                    question=question,
                    answer=answer,
                    score=share_decimal(sheet.score(question, answer)),
                )
                for question, answer in answers
            ]
    Attempt.objects.bulk_create(attempts, batch_size=500)
    Response.objects.bulk_create(responses, batch_size=1000)
    return len(attempts)


def share_decimal(share) -> Decimal | None:
    """A question's share as Response.score stores it (five decimals); None for unscored kinds."""
    return None if share is None else rounded(share, 5)


def takes(rng: random.Random, quiz: QuizPage) -> bool:
    if quiz.kind == QuizKind.MODULE_QUIZ:
        return rng.random() < MODULE_QUIZ_SHARE
    if quiz.kind == QuizKind.EVALUATION:
        return rng.random() < EVALUATION_SHARE
    return True


def started_at(rng: random.Random, quiz: QuizPage, cohort: Cohort) -> datetime.datetime:
    if quiz.kind == QuizKind.MODULE_QUIZ:
        return slot(cohort, quiz.get_parent().specific.day, 17, 0) + datetime.timedelta(minutes=rng.randint(0, 150))
    return opens_at(quiz, cohort) + datetime.timedelta(minutes=rng.randint(0, 4), seconds=rng.randint(0, 59))


def draw(rng: random.Random, sheet: QuizSheet, question: Question, ability: float, enrollment, suggestions):
    """One companion's answer to one question, or None when left blank."""
    kind = QuestionKind(question.kind)
    if kind == QuestionKind.LIKERT:
        mean = 3.1 + 0.25 * math.tanh(ability) + sheet.difficulty[question.pk]
        return int(clamp(round(rng.gauss(mean, 0.6)), 1, 4))
    if kind == QuestionKind.FREE_TEXT:
        return rng.choice(suggestions) if rng.random() < 0.35 else None
    if rng.random() < 0.02:
        return None
    chance = right_chance(
        kind=sheet.quiz.kind,
        ability=ability,
        province=enrollment.companion.village.provinsi,
        item=sheet.difficulty[question.pk],
    )
    return draw_answer(rng, question, sheet.choices[question.pk], rng.random() < chance)
