"""The coordinator's cohort and enrollment screens in the Wagtail admin."""

import pytest

from django.urls import reverse

from wagtail.models import ModelLogEntry

from courses.models import Cohort, Enrollment
from tests.factories import CohortFactory, CompanionFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client):
    client.force_login(UserFactory(groups=["Coordinator"]))
    return client


def test_coordinator_creates_a_cohort_with_its_trainers(coordinator_client, program):
    trainer = UserFactory(groups=["Trainer"])
    response = coordinator_client.post(
        reverse("cohort:add"),
        {
            "program": program.pk,
            "name": "Angkatan II 2018",
            "start_date": "2018-03-05",
            "end_date": "2018-03-08",
            "venue": "Jakarta",
            "trainers": [trainer.pk],
        },
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Angkatan II 2018")
    assert list(cohort.trainers.all()) == [trainer]
    assert ModelLogEntry.objects.filter(object_id=str(cohort.pk), action="wagtail.create").exists()


def test_cohort_ending_before_it_starts_is_refused_next_to_the_dates(coordinator_client, program):
    response = coordinator_client.post(
        reverse("cohort:add"),
        {"program": program.pk, "name": "Terbalik", "start_date": "2018-03-08", "end_date": "2018-03-05"},
    )
    assert response.status_code == 200
    assert "Hari terakhir tidak boleh sebelum hari pertama." in response.content.decode()
    assert not Cohort.objects.filter(name="Terbalik").exists()


def test_coordinator_cannot_enroll_a_companion_twice_in_a_cohort(coordinator_client):
    enrollment = EnrollmentFactory()
    response = coordinator_client.post(
        reverse("enrollment:add"),
        {"cohort": enrollment.cohort.pk, "companion": enrollment.companion.pk, "status": "active"},
    )
    assert response.status_code == 200
    assert "Pendamping ini sudah terdaftar di angkatan ini." in response.content.decode()
    assert Enrollment.objects.count() == 1


def test_coordinator_withdraws_an_enrollment(coordinator_client):
    enrollment = EnrollmentFactory()
    response = coordinator_client.post(
        reverse("enrollment:edit", args=[enrollment.pk]),
        {"cohort": enrollment.cohort.pk, "companion": enrollment.companion.pk, "status": "withdrawn"},
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.WITHDRAWN
    entry = ModelLogEntry.objects.for_instance(enrollment).get(action="wagtail.edit")
    assert entry.data == {"fields": ["status"], "status": ["active", "withdrawn"]}


def test_enrollment_handed_to_another_companion_is_refused_next_to_the_field(coordinator_client):
    enrollment = EnrollmentFactory()
    response = coordinator_client.post(
        reverse("enrollment:edit", args=[enrollment.pk]),
        {"cohort": enrollment.cohort.pk, "companion": CompanionFactory().pk, "status": "active"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["companion"]
    assert Enrollment.objects.get().companion == enrollment.companion


def test_coordinator_changes_a_cohorts_trainers(coordinator_client):
    cohort = CohortFactory()
    trainer = UserFactory(groups=["Trainer"])
    response = coordinator_client.post(
        reverse("cohort:edit", args=[cohort.pk]),
        {
            "program": cohort.program.pk,
            "name": cohort.name,
            "start_date": cohort.start_date.isoformat(),
            "end_date": cohort.end_date.isoformat(),
            "venue": cohort.venue,
            "trainers": [trainer.pk],
        },
    )
    assert response.status_code == 302
    assert list(cohort.trainers.all()) == [trainer]
    assert ModelLogEntry.objects.for_instance(cohort).get(action="wagtail.edit").data == {"fields": ["trainers"]}


def test_enrollment_list_is_searchable_filterable_and_exportable(coordinator_client):
    kept = EnrollmentFactory(companion=CompanionFactory(user=UserFactory(full_name="Sri Rahayu", groups=["Companion"])))
    EnrollmentFactory(companion=CompanionFactory(user=UserFactory(full_name="Agus Santoso", groups=["Companion"])))
    found = coordinator_client.get(reverse("enrollment:index"), {"q": "Rahayu"}).content.decode()
    assert "Sri Rahayu" in found and "Agus Santoso" not in found
    filtered = coordinator_client.get(reverse("enrollment:index"), {"cohort": kept.cohort.pk}).content.decode()
    assert "Sri Rahayu" in filtered and "Agus Santoso" not in filtered
    export = coordinator_client.get(reverse("enrollment:index"), {"export": "csv"})
    assert export.status_code == 200
    assert "Sri Rahayu" in b"".join(export.streaming_content).decode()


def test_trainer_sees_the_cohorts_they_train_but_not_companions_nik(client):
    trainer = UserFactory(groups=["Trainer"])
    CohortFactory(name="Angkatan I 2017").trainers.add(trainer)
    CohortFactory(name="Angkatan II 2018")
    client.force_login(trainer)
    listing = client.get(reverse("cohort:index")).content.decode()
    assert "Angkatan I 2017" in listing and "Angkatan II 2018" not in listing
    assert client.get(reverse("companion:index")).status_code == 302


def test_companion_cannot_open_the_cohort_admin(client, enrollment):
    client.force_login(enrollment.companion.user)
    assert client.get(reverse("cohort:index")).status_code == 302
