"""The assessment reports on a small cohort whose figures were worked out by hand.

Cohort A, two modules (M01, M02), a pre-test of two questions and a post-test on the same ones:
- q1 (M01), single choice: c1 right, c2 wrong;
- q2 (M02), multiple choice: c3 and c4 worth ½ each, c5 −½.

          province   pre-test                        post-test
    e1    Jawa Tengah  q1 c1 (1), q2 c3 (½)   = 75     q1 c1 (1), q2 c3+c4 (1) = 100
    e2    Jawa Tengah  q1 c2 (0), q2 c3+c4 (1) = 50    q1 c1 (1), q2 c4 (½)    = 75
    e3    NTT          q1 c2 (0), q2 c5 (0)    = 0     q1 c2 (0), q2 c3 (½)    = 25
    e4    NTT          q1 c1 (1), q2 blank     = 50    —

A companion of cohort B also took the pre-test (100); no report of cohort A may count it.
"""

import io
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, QuizKind, Response
from assessments.reports import evaluation_report, gain_report, quiz_overviews, quiz_report, report_cohorts
from assessments.specs import QuestionKind
from tests.assessments.factories import ChoiceFactory, QuestionFactory, QuizPageFactory
from tests.factories import (
    CohortFactory,
    CompanionFactory,
    EnrollmentFactory,
    ModulePageFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
F = Fraction


def submit(quiz, enrollment, score, answers, *, number=1):
    """A submitted attempt with its responses: {question: (answer, share)}; a question left out is blank."""
    questions = list(quiz.question_rows())
    attempt = Attempt.objects.create(
        quiz=quiz,
        enrollment=enrollment,
        number=number,
        submitted_at=timezone.now(),
        score=None if score is None else D(score),
        question_order=[question.pk for question in questions],
    )
    for question, (answer, share) in answers.items():
        Response.objects.create(
            attempt=attempt, question=question, answer=answer, score=None if share is None else D(share)
        )
    return attempt


def enroll(cohort, provinsi, username):
    companion = CompanionFactory(user__username=username, village=VillageFactory(provinsi=provinsi))
    return EnrollmentFactory(cohort=cohort, companion=companion)


@pytest.fixture
def world(program):
    m01 = ModulePageFactory(parent=program, code="M01", title="Kebijakan Desmigratif")
    m02 = ModulePageFactory(parent=program, code="M02", title="Migrasi aman")
    pre = QuizPageFactory(parent=program, title="Pre-test", slug="pre-test", kind=QuizKind.PRE_TEST)
    post = QuizPageFactory(
        parent=program, title="Post-test", slug="post-test", kind=QuizKind.POST_TEST, question_source=pre
    )
    q1 = QuestionFactory(quiz=pre, module=m01, text="Berapa pilar Desmigratif?", sort_order=0)
    c1 = ChoiceFactory(question=q1, text="Empat", weight=D(1), sort_order=0)
    c2 = ChoiceFactory(question=q1, text="Tiga", weight=D(0), sort_order=1)
    q2 = QuestionFactory(
        quiz=pre, module=m02, kind=QuestionKind.MULTIPLE_CHOICE.value, text="Program yang wajib?", sort_order=1
    )
    c3 = ChoiceFactory(question=q2, text="JKK", weight=D("0.5"), sort_order=0)
    c4 = ChoiceFactory(question=q2, text="JKM", weight=D("0.5"), sort_order=1)
    c5 = ChoiceFactory(question=q2, text="JHT", weight=D("-0.5"), sort_order=2)

    trainer = UserFactory(groups=["Trainer"])
    cohort = CohortFactory(program=program, name="Angkatan A")
    cohort.trainers.add(trainer)
    other = CohortFactory(program=program, name="Angkatan B")
    e1 = enroll(cohort, "Jawa Tengah", "pendamping001")
    e2 = enroll(cohort, "Jawa Tengah", "pendamping002")
    e3 = enroll(cohort, "Nusa Tenggara Timur", "pendamping003")
    e4 = enroll(cohort, "Nusa Tenggara Timur", "pendamping004")
    stranger = enroll(other, "Bali", "pendamping099")

    submit(pre, e1, "75", {q1: (c1.pk, "1"), q2: ([c3.pk], "0.5")})
    submit(pre, e2, "50", {q1: (c2.pk, "0"), q2: ([c3.pk, c4.pk], "1")})
    submit(pre, e3, "0", {q1: (c2.pk, "0"), q2: ([c5.pk], "0")})
    submit(pre, e4, "50", {q1: (c1.pk, "1")})
    submit(post, e1, "100", {q1: (c1.pk, "1"), q2: ([c3.pk, c4.pk], "1")})
    submit(post, e2, "75", {q1: (c1.pk, "1"), q2: ([c4.pk], "0.5")})
    submit(post, e3, "25", {q1: (c2.pk, "0"), q2: ([c3.pk], "0.5")})
    submit(pre, stranger, "100", {q1: (c1.pk, "1"), q2: ([c3.pk, c4.pk], "1")})
    Attempt.objects.create(quiz=post, enrollment=e4, number=1)  # started, never submitted: not counted

    return {
        "cohort": cohort,
        "other": other,
        "trainer": trainer,
        "pre": pre,
        "post": post,
        "questions": (q1, q2),
        "choices": (c1, c2, c3, c4, c5),
        "modules": (m01, m02),
    }


def test_quiz_overviews_count_the_cohorts_submitted_attempts(world):
    pre, post = quiz_overviews(cohort=world["cohort"])
    assert (pre.quiz, post.quiz) == (world["pre"], world["post"])
    assert pre.summary.attempts == 4 and post.summary.attempts == 3
    assert pre.summary.mean == D("43.75")  # (75 + 50 + 0 + 50) / 4
    assert pre.summary.median == 50
    assert (pre.pass_mark, pre.summary.passed, pre.summary.pass_rate) == (70, 1, 25)
    assert pre.summary.distribution == (1, 0, 0, 0, 0, 2, 0, 1, 0, 0)
    assert post.summary.median == 75 and post.summary.passed == 2
    assert post.summary.mean == F(200, 3)


def test_quiz_report_gives_difficulty_discrimination_and_picks(world):
    report = quiz_report(quiz=world["pre"], cohort=world["cohort"])
    q1, q2 = report.questions
    # Groups of one (27 % of 4): lower = e3 (0), upper = e1 (75).
    assert (q1.answered, q1.item.difficulty, q1.item.discrimination) == (4, D("0.5"), 1)
    assert (q2.answered, q2.item.difficulty, q2.item.discrimination) == (3, D("0.375"), D("0.5"))
    assert q1.topic == "M01 Kebijakan Desmigratif"
    assert [(pick.label, pick.correct, pick.count) for pick in q1.picks] == [("Empat", True, 2), ("Tiga", False, 2)]
    assert [(pick.label, pick.correct, pick.count) for pick in q2.picks] == [
        ("JKK", True, 2),
        ("JKM", True, 1),
        ("JHT", False, 1),
    ]


def test_post_test_report_reads_the_pre_tests_questions(world):
    report = quiz_report(quiz=world["post"], cohort=world["cohort"])
    assert [row.question for row in report.questions] == list(world["questions"])
    assert report.questions[0].item.difficulty == F(2, 3)


def test_gain_report_per_companion_province_and_topic(world):
    report = gain_report(cohort=world["cohort"])
    assert [(row.username, row.pre, row.post, row.gain) for row in report.companions] == [
        ("pendamping001", D("75.00"), D("100.00"), 1),  # 25 / 25
        ("pendamping002", D("50.00"), D("75.00"), D("0.5")),  # 25 / 50
        ("pendamping003", D("0.00"), D("25.00"), D("0.25")),  # 25 / 100
        ("pendamping004", D("50.00"), None, None),
    ]
    provinces = {row.group: row for row in report.provinces}
    jateng, ntt = provinces["Jawa Tengah"], provinces["Nusa Tenggara Timur"]
    assert (jateng.companions, jateng.pre_mean, jateng.post_mean) == (2, D("62.5"), D("87.5"))
    assert jateng.gain == F(2, 3)  # 25 / 37.5
    assert (ntt.companions, ntt.pre_mean, ntt.post_mean, ntt.gain) == (1, 0, 25, D("0.25"))  # e4 has no post-test
    assert report.overall.companions == 3 and report.overall.gain == F(3, 7)  # 25 / (175 / 3)
    m01, m02 = report.topics
    assert m01.group == "M01 Kebijakan Desmigratif" and m01.companions == 3
    assert (m01.pre_mean, m01.post_mean, m01.gain) == (F(100, 3), F(200, 3), D("0.5"))
    assert (m02.pre_mean, m02.post_mean, m02.gain) == (50, F(200, 3), F(1, 3))


def test_best_attempt_counts_when_a_companion_took_the_post_test_twice(world):
    e3 = world["cohort"].enrollments.get(companion__user__username="pendamping003")
    q1, q2 = world["questions"]
    c1, _c2, c3, c4, _c5 = world["choices"]
    submit(world["post"], e3, "100", {q1: (c1.pk, "1"), q2: ([c3.pk, c4.pk], "1")}, number=2)
    row = next(row for row in gain_report(cohort=world["cohort"]).companions if row.username == "pendamping003")
    assert (row.post, row.gain) == (D("100.00"), 1)


def test_evaluation_report_averages_likert_answers_per_module(world, program):
    evaluation = QuizPageFactory(parent=program, slug="evaluasi", kind=QuizKind.EVALUATION)
    m01 = world["modules"][0]
    likert_m01 = QuestionFactory(quiz=evaluation, kind=QuestionKind.LIKERT.value, module=m01, sort_order=0)
    likert_general = QuestionFactory(quiz=evaluation, kind=QuestionKind.LIKERT.value, sort_order=1)
    free = QuestionFactory(quiz=evaluation, kind=QuestionKind.FREE_TEXT.value, sort_order=2)
    e1, e2, e3, _e4 = world["cohort"].enrollments.order_by("companion__user__username")
    submit(evaluation, e1, None, {likert_m01: (4, None), likert_general: (3, None), free: ("Bagus", None)})
    submit(evaluation, e2, None, {likert_m01: (3, None), likert_general: (2, None), free: ("  ", None)})
    submit(evaluation, e3, None, {likert_m01: (4, None), likert_general: (4, None), free: ("Perlu waktu lebih", None)})

    report = evaluation_report(cohort=world["cohort"])
    assert report.submitted == 3
    (module, general) = report.modules
    assert (module.topic, module.answers, module.mean, module.counts) == (
        "M01 Kebijakan Desmigratif",
        3,
        F(11, 3),
        (0, 0, 1, 2),
    )
    assert (general.topic, general.mean, general.counts) == ("", 3, (0, 1, 1, 1))
    assert report.comments == ["Bagus", "Perlu waktu lebih"]


def test_trainers_see_only_the_cohorts_they_train_and_coordinators_all(world):
    coordinator = UserFactory(groups=["Coordinator"])
    assert list(report_cohorts(user=world["trainer"])) == [world["cohort"]]
    assert set(report_cohorts(user=coordinator)) == {world["cohort"], world["other"]}
    assert list(report_cohorts(user=UserFactory(groups=["Trainer"]))) == []


def url(name, *args):
    return reverse(f"assessment_reports:{name}", args=args)


def test_trainer_cannot_open_a_cohort_they_do_not_train(client, world):
    client.force_login(world["trainer"])
    assert client.get(url("cohort", world["cohort"].pk)).status_code == 200
    assert client.get(url("cohort", world["other"].pk)).status_code == 404
    assert client.get(url("quiz", world["other"].pk, world["pre"].pk)).status_code == 404
    assert client.get(url("gain", world["other"].pk) + "?export=xlsx").status_code == 404
    html = client.get(url("index")).content.decode()
    assert "Angkatan A" in html and "Angkatan B" not in html


def test_a_quiz_of_another_programme_is_not_found_in_a_cohorts_report(client, world):
    foreign = QuizPageFactory(parent=ModulePageFactory(), kind=QuizKind.MODULE_QUIZ)
    client.force_login(UserFactory(groups=["Coordinator"]))
    assert client.get(url("quiz", world["cohort"].pk, foreign.pk)).status_code == 404


def test_the_cohort_filter_opens_the_chosen_cohort(client, world):
    client.force_login(world["trainer"])
    response = client.get(url("index") + f"?cohort={world['cohort'].pk}")
    assert response.status_code == 302 and response["Location"] == url("cohort", world["cohort"].pk)
    assert client.get(url("index") + f"?cohort={world['other'].pk}").status_code == 200  # not theirs: the list


def sheets_of(response) -> dict[str, list[tuple]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def as_cell(value):
    """A context cell as openpyxl reads it back: Decimals and ints as numbers, the rest as text."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return str(value)


@pytest.mark.parametrize("report", ["cohort", "quiz", "gain", "evaluation"])
def test_xlsx_export_holds_the_numbers_on_the_screen(client, world, report):
    client.force_login(world["trainer"])
    args = (world["cohort"].pk, world["pre"].pk) if report == "quiz" else (world["cohort"].pk,)
    page = client.get(url(report, *args))
    exported = sheets_of(client.get(url(report, *args) + "?export=xlsx"))
    tables = page.context["tables"]
    assert list(exported) == [table.title[:31] for table in tables]
    for table in tables:
        rows = exported[table.title[:31]]
        assert rows[0] == tuple(str(column) for column in table.columns)
        assert rows[1:] == [tuple(as_cell(cell) for cell in row) for row in table.rows]
    html = page.content.decode()
    for table in tables:
        for row in table.rows:
            for cell in row:
                if isinstance(cell, Decimal):
                    assert f"<td>{cell:.2f}</td>".replace(".", ",") in html  # as Indonesian shows it


def test_gain_screen_and_export_show_the_hand_computed_figures(client, world):
    client.force_login(world["trainer"])
    _topics, provinces, companions = sheets_of(client.get(url("gain", world["cohort"].pk) + "?export=xlsx")).values()
    by_province = {row[0]: row[1:] for row in provinces[1:]}
    assert by_province["Jawa Tengah"] == (2, 62.5, 87.5, 0.67)
    assert provinces[-1][1:] == (3, 41.67, 66.67, 0.43)  # all companions with both tests
    by_username = {row[1]: row[4:] for row in companions[1:]}
    assert by_username["pendamping004"] == (50, None, None)
    html = client.get(url("gain", world["cohort"].pk)).content.decode()
    assert "<svg" in html and re.search(r"<td>0,67</td>", html)


def test_quiz_screen_draws_the_distribution_and_lists_each_choice(client, world):
    client.force_login(world["trainer"])
    html = client.get(url("quiz", world["cohort"].pk, world["pre"].pk)).content.decode()
    assert html.count("<rect") == 10  # one bar per bin
    assert "<td>43,75</td>" in html and "<td>37,50</td>" in html and "<td>0,50</td>" in html
    assert "JHT" in html


def test_report_queries_do_not_grow_with_companions(client, world, django_assert_num_queries):
    client.force_login(world["trainer"])
    pages = [
        url("cohort", world["cohort"].pk),
        url("quiz", world["cohort"].pk, world["pre"].pk),
        url("gain", world["cohort"].pk),
        url("evaluation", world["cohort"].pk),
    ]
    counts = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts[page] = len(queries)
    q1, q2 = world["questions"]
    c1, _c2, c3, c4, _c5 = world["choices"]
    for number in range(10):
        enrollment = enroll(world["cohort"], "Bali", f"tambahan{number:02d}")
        submit(world["pre"], enrollment, "100", {q1: (c1.pk, "1"), q2: ([c3.pk, c4.pk], "1")})
        submit(world["post"], enrollment, "100", {q1: (c1.pk, "1"), q2: ([c3.pk, c4.pk], "1")})
    for page in pages:
        with django_assert_num_queries(counts[page]):
            assert client.get(page).status_code == 200
