"""The edges of who reads what: odd ids, unpublished ancestors, the shared-page cache, headers."""

import re

import pytest

from django.urls import reverse

from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    LessonPageFactory,
    ModulePageFactory,
    ProgramPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BIGINT_PAST_MAX = 2**63


@pytest.fixture
def module(program):
    return ModulePageFactory(parent=program, title="Empat Pilar Desmigratif", code="M01")


@pytest.fixture
def lesson(module):
    return LessonPageFactory(parent=module, title="Mengenal Desmigratif")


def lesson_url(lesson_id: int) -> str:
    return reverse("courses:lesson", args=[lesson_id])


@pytest.mark.parametrize("lesson_id", [BIGINT_PAST_MAX, 2**64 + 5, 10**30])
def test_a_lesson_id_past_the_largest_integer_is_not_found(companion_client, lesson_id):
    assert companion_client.get(lesson_url(lesson_id)).status_code == 404
    assert companion_client.post(reverse("courses:lesson-complete", args=[lesson_id])).status_code == 404


def test_a_document_id_past_the_largest_integer_is_not_found(companion_client):
    assert companion_client.get(f"/documents/{BIGINT_PAST_MAX}/modul.pdf").status_code == 404


def test_module_is_unreadable_through_its_tree_address_when_only_its_program_is_unpublished(
    companion_client, program, module, lesson
):
    assert companion_client.get(module.url).status_code == 200
    program.unpublish()
    module.refresh_from_db()
    assert module.live
    assert companion_client.get(module.url).status_code == 404
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 404


def test_trainer_too_reads_no_module_of_an_unpublished_program_outside_the_preview(client, program, module):
    client.force_login(UserFactory(groups=["Trainer"]))
    assert client.get(module.url).status_code == 200
    program.unpublish()
    assert client.get(module.url).status_code == 404


# The shared-page cache: one rendering for every reader, retired by the page-tree signals.


def test_two_companions_get_the_same_lesson_page_but_for_their_name_and_csrf_token(client, enrollment, lesson):
    other = EnrollmentFactory(cohort=enrollment.cohort)
    pages = []
    for user in (enrollment.companion.user, other.companion.user):
        client.force_login(user)
        html = client.get(lesson_url(lesson.pk)).content.decode()
        assert user.full_name in html
        pages.append(html.replace(user.full_name, "NAME"))
    first, second = (re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html) for html in pages)
    assert "CSRF" in first
    assert first == second


def test_lesson_unpublished_after_being_read_is_gone(companion_client, lesson):
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 200
    lesson.unpublish()
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 404


def test_lesson_whose_module_is_unpublished_after_being_read_is_gone(companion_client, module, lesson):
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 200
    module.unpublish()
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 404


def test_lesson_whose_program_is_unpublished_after_being_read_is_gone(companion_client, program, lesson):
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 200
    program.unpublish()
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 404


def test_lesson_moved_to_another_program_after_being_read_is_gone(companion_client, lesson):
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 200
    elsewhere = ModulePageFactory(parent=ProgramPageFactory(title="Program lain"))
    lesson.move(elsewhere, pos="last-child")
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 404


def test_module_moved_to_another_program_after_being_read_takes_its_lessons_away(companion_client, module, lesson):
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 200
    module.move(ProgramPageFactory(title="Program lain"), pos="last-child")
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 404


def test_lesson_deleted_after_being_read_is_gone(companion_client, lesson):
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 200
    lesson.delete()
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 404


def test_lesson_of_a_deleted_module_is_gone(companion_client, module, lesson):
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 200
    module.delete()
    assert companion_client.get(lesson_url(lesson.pk)).status_code == 404


def test_lesson_of_a_deleted_program_is_gone(client):
    program = ProgramPageFactory(title="Program tanpa angkatan")  # a program with cohorts cannot be deleted
    lesson = LessonPageFactory(parent=ModulePageFactory(parent=program))
    client.force_login(UserFactory(groups=["Trainer"]))
    assert client.get(lesson_url(lesson.pk)).status_code == 200
    program.delete()
    assert client.get(lesson_url(lesson.pk)).status_code == 404


def test_neighbour_published_after_a_read_appears_in_the_pager(companion_client, module, lesson):
    assert 'rel="next"' not in companion_client.get(lesson_url(lesson.pk)).content.decode()
    later = LessonPageFactory(parent=module, title="Sesudahnya")
    assert f'href="{lesson_url(later.pk)}" rel="next"' in companion_client.get(lesson_url(lesson.pk)).content.decode()


# Headers: the site's own scripts and styles only; per-reader pages kept out of shared caches.


def test_companion_pages_allow_only_balais_own_scripts_and_styles(companion_client, program, lesson):
    for url in ("/", program.url, lesson_url(lesson.pk)):
        policy = companion_client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "default-src 'self'" in policy


def test_public_pages_carry_the_same_policy(client):
    for url in ("/", "/masuk/", "/halaman-yang-tidak-ada/"):
        assert "script-src 'self'" in client.get(url)["Content-Security-Policy"]


def test_the_admin_keeps_a_looser_policy(client):
    client.force_login(UserFactory(groups=["Coordinator"]))
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "object-src 'none'" in policy and "script-src" not in policy


def test_every_per_reader_page_is_private(companion_client, program, module, lesson):
    for url in ("/", program.url, module.url, lesson_url(lesson.pk)):
        assert "private" in companion_client.get(url)["Cache-Control"], url


def test_login_form_with_its_csrf_token_is_private(client):
    assert "private" in client.get("/masuk/")["Cache-Control"]


def test_cohort_of_another_program_does_not_open_this_one(client, program, lesson):
    enrollment = EnrollmentFactory(cohort=CohortFactory(program=ProgramPageFactory(title="Program lain")))
    client.force_login(enrollment.companion.user)
    assert client.get(lesson_url(lesson.pk)).status_code == 404
    assert client.get(program.url).status_code == 404


def test_tree_address_of_a_lesson_tells_a_stranger_nothing(client, lesson):
    assert client.get(lesson.url).url == f"/masuk/?next={lesson.url}"
    enrollment = EnrollmentFactory(cohort=CohortFactory(program=ProgramPageFactory(title="Program lain")))
    client.force_login(enrollment.companion.user)
    assert client.get(lesson.url).status_code == 404
