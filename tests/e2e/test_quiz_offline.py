"""A pre-test on a 360-px phone that loses its signal halfway: nothing is lost."""

import datetime

import pytest

from assessments.models import Attempt, Response
from tests.assessments.factories import QuizPageFactory, single_choice
from tests.factories import (
    TEST_PASSWORD,
    CohortFactory,
    CompanionFactory,
    EnrollmentFactory,
    ModulePageFactory,
    ProgramPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pre_test():
    program = ProgramPageFactory(title="Bimtek Pendamping Desmigratif 2017", slug="bimtek-2017")
    ModulePageFactory(parent=program, title="Kebijakan Program Desmigratif", code="M01", day=1, jp_hours=2)
    quiz = QuizPageFactory(parent=program, title="Pre-test", slug="pre-test", time_limit_minutes=45)
    questions = [single_choice(quiz, right=1, text=f"Soal nomor {n}: pilih jawaban kedua.") for n in range(1, 5)]
    companion = CompanionFactory(user=UserFactory(username="pendamping001", groups=["Companion"]))
    today = datetime.date.today()
    cohort = CohortFactory(program=program, start_date=today, end_date=today + datetime.timedelta(days=3))
    EnrollmentFactory(cohort=cohort, companion=companion)
    return quiz, questions


def answer(page, question, position: int):
    page.locator(f'fieldset[data-question="{question.pk}"] input').nth(position).check()


def state(page, question) -> str:
    return page.locator(f'[data-state-for="{question.pk}"]').get_attribute("class")


def test_answers_survive_an_offline_reload_and_reach_the_server_when_the_signal_returns(site_url, phone, pre_test):
    quiz, questions = pre_test
    phone.goto(f"{site_url}/masuk/")
    phone.get_by_label("Nama pengguna atau nomor HP").fill("pendamping001")
    phone.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Masuk").click()

    phone.get_by_role("link", name="Pre-test").click()  # the pre-test is the first step of day 1
    phone.locator("form[action$='/mulai/'] button").click()
    phone.wait_for_url("**/belajar/percobaan/*/")
    assert phone.locator("#timer output").inner_text() in ("45:00", "44:59", "44:58")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.wait_for_function(
        "() => caches.open('balai-attempts').then(cache => cache.match(location.href)).then(found => !!found)"
    )

    answer(phone, questions[0], 1)
    answer(phone, questions[1], 1)
    phone.wait_for_function(
        f"() => document.querySelector('[data-state-for=\"{questions[1].pk}\"]').classList.contains('saved')"
    )
    assert "saved" in state(phone, questions[0])
    assert phone.locator(f'[data-state-for="{questions[0].pk}"]').inner_text() == "tersimpan"

    phone.context.set_offline(True)
    # The emulation reaches the page a moment later; an answer given before that would still go out.
    phone.wait_for_function("() => !navigator.onLine")
    answer(phone, questions[2], 1)
    answer(phone, questions[3], 0)
    assert "unsaved" in state(phone, questions[3])
    assert phone.locator(f'[data-state-for="{questions[3].pk}"]').inner_text() == "belum tersimpan"
    phone.reload()
    for question, position in zip(questions, (1, 1, 1, 0), strict=True):
        assert phone.locator(f'fieldset[data-question="{question.pk}"] input').nth(position).is_checked()
    assert "unsaved" in state(phone, questions[2]) and "saved" in state(phone, questions[0])
    attempt = Attempt.objects.get(quiz=quiz)
    assert set(Response.objects.filter(attempt=attempt).values_list("question", flat=True)) == {
        questions[0].pk,
        questions[1].pk,
    }

    phone.context.set_offline(False)
    phone.wait_for_function(
        f"() => document.querySelector('[data-state-for=\"{questions[3].pk}\"]').classList.contains('saved')",
        timeout=20_000,
    )
    saved = dict(Response.objects.filter(attempt=attempt).values_list("question_id", "answer"))
    assert saved == {q.pk: q.ordered_choices()[p].pk for q, p in zip(questions, (1, 1, 1, 0), strict=True)}

    answer(phone, questions[3], 1)  # changed at the last moment: the form sends it with the others
    phone.locator("#quiz button[type=submit]").click()
    phone.wait_for_url("**/hasil/")
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.score == 100
    assert phone.evaluate("localStorage.length") == 0
