import pytest

from django.urls import reverse

from wagtail.models import Page

from courses.models import LessonProgress
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    LessonPageFactory,
    ModulePageFactory,
    ProgramPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(program):
    return ModulePageFactory(parent=program, title="Empat Pilar Desmigratif", code="M01", day=1, jp_hours=2)


@pytest.fixture
def lessons(module):
    return [
        LessonPageFactory(parent=module, title="Mengenal Desmigratif", slug="mengenal"),
        LessonPageFactory(parent=module, title="Empat Pilar", slug="pilar"),
    ]


def lesson_url(lesson):
    return reverse("courses:lesson", args=[lesson.pk])


def test_anonymous_visitor_is_sent_to_login_from_a_lesson(client, lessons):
    response = client.get(lesson_url(lessons[0]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_visitor_is_sent_to_login_from_a_program_page(client, program):
    response = client.get(program.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_enrolled_companion_reads_a_lesson(companion_client, lessons):
    response = companion_client.get(lesson_url(lessons[0]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mengenal Desmigratif" in html
    assert "Empat Pilar Desmigratif" in html  # the module, in the breadcrumb
    assert "Tandai selesai dan lanjutkan" in html


def test_companion_cannot_open_another_cohorts_lesson(companion_client):
    foreign = LessonPageFactory(parent=ModulePageFactory(parent=ProgramPageFactory(title="Program lain")))
    assert companion_client.get(lesson_url(foreign)).status_code == 404


def test_companion_cannot_open_another_cohorts_program_or_module(companion_client):
    other_program = ProgramPageFactory(title="Program lain")
    other_module = ModulePageFactory(parent=other_program)
    CohortFactory(program=other_program)
    assert companion_client.get(other_program.url).status_code == 404
    assert companion_client.get(other_module.url).status_code == 404


def test_withdrawn_companion_loses_access(client, enrollment, lessons):
    enrollment.status = "withdrawn"
    enrollment.save()
    client.force_login(enrollment.companion.user)
    assert client.get(lesson_url(lessons[0])).status_code == 404


def test_unpublished_lesson_is_not_found(companion_client, lessons):
    lessons[0].unpublish()
    assert companion_client.get(lesson_url(lessons[0])).status_code == 404


def test_enrolled_companion_sees_program_and_module_pages(companion_client, program, module, lessons):
    program_page = companion_client.get(program.url)
    assert program_page.status_code == 200
    assert "Empat Pilar Desmigratif" in program_page.content.decode()
    module_page = companion_client.get(module.url)
    assert module_page.status_code == 200
    assert "Mengenal Desmigratif" in module_page.content.decode()


def test_lesson_breadcrumb_leads_back_to_its_module(companion_client, module, lessons):
    html = companion_client.get(lesson_url(lessons[0])).content.decode()
    assert f'<a href="{module.url}">Empat Pilar Desmigratif</a>' in html


def test_program_page_gives_the_title_before_the_introduction(companion_client, program):
    program.intro = "<p>Pelatihan dasar bagi pendamping desa migran produktif.</p>"
    program.save()
    html = companion_client.get(program.url).content.decode()
    assert html.index("<h1>Bimtek Pendamping Desmigratif</h1>") < html.index("Pelatihan dasar bagi pendamping")


def test_trainer_reads_any_lesson_without_enrollment(client, lessons):
    client.force_login(UserFactory(groups=["Trainer"]))
    response = client.get(lesson_url(lessons[0]))
    assert response.status_code == 200
    assert "Tandai selesai" not in response.content.decode()


def test_marking_done_goes_to_the_next_lesson_and_records_progress(companion_client, enrollment, lessons):
    response = companion_client.post(reverse("courses:lesson-complete", args=[lessons[0].pk]))
    assert response.status_code == 302
    assert response.url == lesson_url(lessons[1])
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=lessons[0]).exists()
    page = companion_client.get(lesson_url(lessons[0])).content.decode()
    assert "Anda sudah menyelesaikan pelajaran ini." in page


def test_marking_done_again_records_one_progress(companion_client, lessons):
    url = reverse("courses:lesson-complete", args=[lessons[0].pk])
    companion_client.post(url)
    companion_client.post(url)
    assert LessonProgress.objects.count() == 1


def test_last_lesson_done_returns_home(companion_client, lessons):
    response = companion_client.post(reverse("courses:lesson-complete", args=[lessons[1].pk]))
    assert response.url == reverse("home")


def test_marking_done_needs_post(companion_client, lessons):
    response = companion_client.get(reverse("courses:lesson-complete", args=[lessons[0].pk]))
    assert response.status_code == 405
    assert not LessonProgress.objects.exists()


def test_companion_cannot_mark_another_programs_lesson_done(companion_client):
    foreign = LessonPageFactory()
    response = companion_client.post(reverse("courses:lesson-complete", args=[foreign.pk]))
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_lesson_page_shows_each_readers_own_name_and_state(client, enrollment, lessons):
    other = EnrollmentFactory(cohort=enrollment.cohort)
    client.force_login(enrollment.companion.user)
    client.post(reverse("courses:lesson-complete", args=[lessons[0].pk]))
    first = client.get(lesson_url(lessons[0])).content.decode()
    client.force_login(other.companion.user)
    second = client.get(lesson_url(lessons[0])).content.decode()
    assert enrollment.companion.user.full_name in first and other.companion.user.full_name not in first
    assert other.companion.user.full_name in second and enrollment.companion.user.full_name not in second
    assert "Anda sudah menyelesaikan pelajaran ini." in first
    assert "Tandai selesai dan lanjutkan" in second


def test_published_change_reaches_readers(companion_client, lessons):
    url = lesson_url(lessons[0])
    assert "Judul baru" not in companion_client.get(url).content.decode()
    lesson = lessons[0]
    lesson.title = "Judul baru"
    lesson.save_revision().publish()
    assert "Judul baru" in companion_client.get(url).content.decode()


def test_tree_address_of_a_lesson_redirects_to_the_reader(companion_client, lessons):
    response = companion_client.get(lessons[0].url)
    assert response.status_code == 302
    assert response.url == lesson_url(lessons[0])


def test_home_shows_my_training_with_days_modules_and_progress(companion_client, enrollment, module, lessons):
    LessonProgress.objects.create(enrollment=enrollment, lesson=lessons[0])
    html = companion_client.get("/").content.decode()
    assert "Pelatihan saya" in html
    assert "Bimtek Pendamping Desmigratif" in html
    assert "Hari 1" in html and "Senin, 30 Oktober 2017" in html
    assert "M01" in html and "2 JP" in html
    assert "50% selesai (1 dari 2 pelajaran)" in html
    assert f'href="{lesson_url(lessons[1])}"' in html  # the next step
    assert "Lanjutkan: Empat Pilar" in html


def test_home_for_a_companion_without_enrollment_says_so(client):
    client.force_login(UserFactory(groups=["Companion"]))
    html = client.get("/").content.decode()
    assert "Anda belum terdaftar" in html


def test_root_page_is_not_readable_as_a_program(companion_client, program):
    root = Page.objects.get(depth=2)
    response = companion_client.get(root.url)
    assert response.resolver_match.view_name == "home"  # "/" is the home view's, not the page tree's
    assert "courses/program_page.html" not in [template.name for template in response.templates]
    assert [outline.program for outline in response.context["outlines"]] == [program]


def test_lesson_in_an_unpublished_module_is_not_readable(companion_client, module, lessons):
    module.unpublish()  # Wagtail leaves the module's lessons live
    assert companion_client.get(lesson_url(lessons[0])).status_code == 404


def test_pager_skips_lessons_of_an_unpublished_module(companion_client, program, module, lessons):
    hidden = ModulePageFactory(parent=program, code="M02")
    LessonPageFactory(parent=hidden, title="Rahasia")
    hidden.unpublish()
    later = LessonPageFactory(parent=ModulePageFactory(parent=program, code="M03"), title="Sesudahnya")
    html = companion_client.get(lesson_url(lessons[1])).content.decode()
    assert "Rahasia" not in html
    assert f'href="{lesson_url(later)}" rel="next"' in html
