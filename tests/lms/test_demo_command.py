"""The one test module that loads the demo data: the command itself is under test."""

import pytest

from django.core.management import CommandError, call_command
from django.test import override_settings

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
    assert sum(module.jp_hours for module in modules) == 34  # the demo quizzes (quiz-reports) add 2 JP: 36
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

    assert client.login(username="pendamping001", password="desmigratif")
    html = client.get("/").content.decode()
    assert "Pelatihan saya" in html and "Bimtek Pendamping Desmigratif 2017" in html and "34 JP" in html


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
