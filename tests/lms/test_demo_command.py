"""The one test module that loads the demo data: the command itself is under test."""

from decimal import Decimal

import pytest

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from assessments.answers import to_scoring
from assessments.models import Attempt, Question, QuizKind, QuizPage, QuizWindow, Response
from assessments.scoring import score_answer, score_attempt
from assessments.specs import QuestionKind
from certificates.models import Certificate
from certificates.selectors import cohort_standings
from courses.models import Attendance, Cohort, Enrollment, LessonPage, ModulePage, ProgramPage, Session
from courses.selectors import attendance_shares
from courses.services import cohort_create, enrollment_update, enrollment_withdraw
from people.models import Companion, User, Village
from people.services import companion_update
from people.validators import nik_birth_date

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            ProgramPage,
            ModulePage,
            LessonPage,
            Cohort,
            Enrollment,
            Companion,
            Village,
            User,
            Session,
            Attendance,
            QuizPage,
            Question,
            QuizWindow,
            Attempt,
            Response,
            Certificate,
        )
    }


@override_settings(DEBUG=True)
def test_demo_loads_the_2017_programme_once(client):
    call_command("load_demo_data", verbosity=0)
    first = counts()
    call_command("load_demo_data", verbosity=0)
    assert counts() == first

    assert first["ModulePage"] == 19
    assert first["Village"] == 120
    assert first["Companion"] == 240 and first["Enrollment"] == 240
    program = ProgramPage.objects.get()
    assert program.title == "Bimtek Pendamping Desmigratif 2017"
    modules = ModulePage.objects.child_of(program)
    quizzes = QuizPage.objects.descendant_of(program)
    assert sum(module.jp_hours for module in modules) + sum(quiz.jp_hours for quiz in quizzes) == 36
    assert sorted({module.day for module in modules}) == [1, 2, 3, 4]
    assert all(1 <= LessonPage.objects.child_of(module).count() <= 4 for module in modules)

    cohort = Cohort.objects.get()
    assert (cohort.name, str(cohort.start_date), str(cohort.end_date), cohort.venue) == (
        "Angkatan I 2017",
        "2017-10-30",
        "2017-11-02",
        "Jakarta",
    )
    kuripan = Village.objects.get(code="33.07.10.2004")
    assert kuripan.name == "Kuripan" and kuripan.companions.count() == 2
    names = list(User.objects.filter(companion__isnull=False).values_list("full_name", flat=True))
    assert len(set(names)) == len(names) == 240
    for companion in Companion.objects.all():
        assert companion.nik.endswith("0000")
        assert nik_birth_date(companion.nik) == (companion.birth_date, companion.gender)
    assert set(User.objects.get(username="koordinator").groups.values_list("name", flat=True)) == {"Coordinator"}
    assert set(User.objects.get(username="pelatih").groups.values_list("name", flat=True)) == {"Trainer"}

    # Sessions from the programme's schedule, and attendance: most came, a few fall short.
    assert first["Session"] == 25 and first["Attendance"] == 25 * 240
    assert cohort.sessions.filter(module__isnull=False).count() == 19
    shares = attendance_shares(cohort.enrollments.values("pk"))
    short = [pk for pk, share in shares.items() if share * 100 < program.min_attendance_percent]
    assert 5 <= len(short) <= 30
    assert sum(shares.values()) / len(shares) > 0.85

    # Certificates for the eligible (low attenders and those below the post-test pass mark get
    # none), numbered in order; one revoked.
    certificates = Certificate.objects.filter(enrollment__cohort=cohort)
    standings = cohort_standings(cohort)
    eligible = {standing.enrollment.pk for standing in standings if standing.verdict.eligible}
    assert set(certificates.values_list("enrollment", flat=True)) == eligible
    assert first["Certificate"] == len(eligible) >= 100
    assert not eligible & set(short)
    assert any(standing.facts.post_test is not None and standing.facts.post_test < 70 for standing in standings)
    assert certificates.get(sequence=1).number == "001/BIMTEK-DESMIG/XI/2017"
    [revoked] = certificates.filter(revoked_at__isnull=False)
    assert revoked.revoked_reason and revoked.revoked_by.username == "koordinator"

    assert client.login(username="pendamping001", password="desmigratif")
    html = client.get("/").content.decode()
    assert "Pelatihan saya" in html and "Bimtek Pendamping Desmigratif 2017" in html and "36 JP" in html


@override_settings(DEBUG=False)
def test_demo_refuses_to_run_with_debug_off():
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo_data", verbosity=0)
    assert not ProgramPage.objects.exists()


@override_settings(DEBUG=True)
def test_demo_rerun_survives_a_renamed_programme_and_a_corrected_nik():
    call_command("load_demo_data", verbosity=0)
    program = ProgramPage.objects.get()
    program.slug = "bimtek-desmigratif-angkatan-1"
    program.save_revision().publish()
    companion = Companion.objects.get(user__username="pendamping001")
    companion.nik = companion.nik[:-4] + "0009"
    companion.save()
    before = counts()
    call_command("load_demo_data", verbosity=0)
    assert counts() == before


@override_settings(DEBUG=True)
def test_demo_rerun_never_undoes_a_coordinators_change():
    call_command("load_demo_data", verbosity=0)
    demo_cohort = Cohort.objects.get()
    later = cohort_create(
        program=demo_cohort.program,
        name="Angkatan II 2018",
        start_date=demo_cohort.start_date.replace(year=2018),
        end_date=demo_cohort.end_date.replace(year=2018),
    )
    moved = Enrollment.objects.get(companion__user__username="pendamping001")
    enrollment_update(enrollment=moved, by=None, cohort=later)
    withdrawn = Enrollment.objects.get(companion__user__username="pendamping002")
    enrollment_withdraw(enrollment=withdrawn, by=None, reason="Mengundurkan diri")
    renamed = Companion.objects.get(user__username="pendamping003")
    companion_update(companion=renamed, by=None, full_name="Nama Dibetulkan", phone="0813 0000 0003")
    LessonPage.objects.first().delete()  # by a trainer; counts() shows it stays deleted
    before = counts()

    call_command("load_demo_data", verbosity=0)

    assert counts() == before
    assert list(
        Enrollment.objects.filter(companion__user__username="pendamping001").values_list("cohort", flat=True)
    ) == [later.pk]
    assert Enrollment.objects.get(pk=withdrawn.pk).status == Enrollment.Status.WITHDRAWN
    assert User.objects.filter(username="pendamping003").values_list("full_name", "phone").get() == (
        "Nama Dibetulkan",
        "+6281300000003",
    )


def as_scored(question, answer):
    return to_scoring(question.kind, answer, [choice.pk for choice in question.ordered_choices()])


@override_settings(DEBUG=True)
def test_demo_quizzes_and_attempts_give_every_report_data(client):
    call_command("load_demo_data", verbosity=0)
    program = ProgramPage.objects.get()
    pre = QuizPage.objects.get(kind=QuizKind.PRE_TEST)
    post = QuizPage.objects.get(kind=QuizKind.POST_TEST)
    assert post.question_source == pre and post.time_limit_minutes == 45
    questions = list(pre.question_rows())
    assert len(questions) == 20 and all(question.module is not None for question in questions)
    assert len({question.module_id for question in questions}) >= 10
    module_quizzes = QuizPage.objects.filter(kind=QuizKind.MODULE_QUIZ)
    assert module_quizzes.count() >= 5
    assert all(3 <= quiz.question_rows().count() <= 5 for quiz in module_quizzes)
    assert {quiz.get_parent().specific.code for quiz in module_quizzes} <= set(
        ModulePage.objects.child_of(program).values_list("code", flat=True)
    )
    evaluation = QuizPage.objects.get(kind=QuizKind.EVALUATION)
    kinds = list(evaluation.question_rows().values_list("kind", flat=True))
    assert kinds.count(QuestionKind.LIKERT) == 19 + 2 and kinds.count(QuestionKind.FREE_TEXT) == 1

    finished = Attempt.objects.filter(submitted_at__isnull=False)
    takers = set(finished.values_list("enrollment__companion__user__username", flat=True))
    assert takers == {f"pendamping{number:03d}" for number in range(1, 231)}
    assert not Attempt.objects.filter(submitted_at__isnull=True).exists()
    pre_scores = list(finished.filter(quiz=pre).values_list("score", flat=True))
    post_scores = list(finished.filter(quiz=post).values_list("score", flat=True))
    assert len(pre_scores) == len(post_scores) == 230
    assert 45 <= sum(pre_scores) / 230 <= 55 and 70 <= sum(post_scores) / 230 <= 80
    assert 20 <= sum(score < 70 for score in post_scores) <= 120  # some fail the pass mark
    assert finished.filter(quiz=evaluation).count() > 200 and finished.filter(quiz__in=module_quizzes).count() > 500

    cohort = Cohort.objects.get()
    assert list(cohort.trainers.values_list("username", flat=True)) == ["pelatih"]
    assert client.login(username="pelatih", password="desmigratif")
    gain = client.get(reverse("assessment_reports:gain", args=[cohort.pk]))
    assert gain.status_code == 200 and "Nusa Tenggara Timur" in gain.content.decode()


@override_settings(DEBUG=True)
def test_demo_attempt_scores_are_what_scoring_gives():
    call_command("load_demo_data", verbosity=0)
    questions = {question.pk: question for question in Question.objects.prefetch_related("choices")}
    answers = {}
    for attempt_id, question_id, answer, score in Response.objects.values_list(
        "attempt_id", "question_id", "answer", "score"
    ):
        answers.setdefault(attempt_id, {})[question_id] = answer
        share = score_answer(questions[question_id].to_spec(), as_scored(questions[question_id], answer))
        assert score == (None if share is None else Decimal(share.numerator) / Decimal(share.denominator))
    for attempt in Attempt.objects.all():
        given = answers.get(attempt.pk, {})
        expected = score_attempt(
            (questions[pk].to_spec(), as_scored(questions[pk], given.get(pk))) for pk in attempt.question_order
        )
        assert set(given) == set(attempt.question_order)  # a response for every question, as at submit
        assert attempt.score == expected, attempt
        assert attempt.passed is (None if expected is None else expected >= 70)
