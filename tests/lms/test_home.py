import pytest

from tests.factories import CohortFactory, EnrollmentFactory, ProgramPageFactory, UserFactory


@pytest.mark.django_db
def test_visitor_sees_the_landing_page(client):
    html = client.get("/").content.decode()
    assert "Pelatihan saya" not in html
    assert 'href="/masuk/"' in html


@pytest.mark.django_db
def test_coordinator_sees_cohorts_and_the_admin_link(client):
    CohortFactory(name="Angkatan I 2017")
    client.force_login(UserFactory(groups=["Coordinator"]))
    html = client.get("/").content.decode()
    assert "Angkatan I 2017" in html and "30 Oktober 2017" in html
    assert 'href="/admin/"' in html


@pytest.mark.django_db
def test_a_trainer_sees_only_the_cohorts_they_train(client):
    trainer = UserFactory(groups=["Trainer"])
    CohortFactory(name="Angkatan I 2017").trainers.add(trainer)
    CohortFactory(name="Angkatan II 2017")
    client.force_login(trainer)
    html = client.get("/").content.decode()
    assert "Angkatan I 2017" in html and "Angkatan II 2017" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("withdrawn", "Anda tercatat mengundurkan diri dari Angkatan I 2017 (Bimtek Pendamping Desmigratif)."),
        (
            "replaced",
            "Tempat Anda di Angkatan I 2017 (Bimtek Pendamping Desmigratif) telah diisi oleh pendamping lain.",
        ),
    ],
)
def test_companion_whose_place_ended_is_told_so_and_whom_to_contact(client, status, message):
    program = ProgramPageFactory(title="Bimtek Pendamping Desmigratif", organizer="Ditjen Binapenta & PKK, Kemnaker")
    enrollment = EnrollmentFactory(cohort=CohortFactory(program=program, name="Angkatan I 2017"), status=status)
    client.force_login(enrollment.companion.user)
    html = client.get("/").content.decode()
    assert message in html
    assert "Jika menurut Anda ini keliru, hubungi panitia pelatihan." in html
    assert "Penyelenggara: Ditjen Binapenta &amp; PKK, Kemnaker" in html
    assert "Anda belum terdaftar" not in html


@pytest.mark.django_db
def test_companion_studying_again_sees_the_training_not_the_old_withdrawal(client):
    earlier = EnrollmentFactory(cohort=CohortFactory(name="Angkatan I 2017"), status="withdrawn")
    EnrollmentFactory(companion=earlier.companion, cohort=CohortFactory(name="Angkatan II 2018"))
    client.force_login(earlier.companion.user)
    html = client.get("/").content.decode()
    assert "Angkatan II 2018" in html
    assert "Angkatan I 2017" not in html


@pytest.mark.django_db
def test_unknown_page_says_so_in_indonesian(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_server_error_page_uses_the_stylesheet_not_inline_style():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert 'href="/static/css/balai.css"' in html
    assert "<style" not in html and " style=" not in html


@pytest.mark.django_db
def test_expired_form_explains_itself_and_saves_nothing(enrollment):
    from django.test import Client

    from courses.models import LessonProgress
    from tests.factories import LessonPageFactory, ModulePageFactory

    lesson = LessonPageFactory(parent=ModulePageFactory(parent=enrollment.cohort.program))
    client = Client(enforce_csrf_checks=True)
    client.force_login(enrollment.companion.user)
    response = client.post(f"/belajar/pelajaran/{lesson.pk}/selesai/")
    assert response.status_code == 403
    assert "Formulir sudah kedaluwarsa" in response.content.decode()
    assert not LessonProgress.objects.exists()
