"""Enrolling by hand: a searchable companion chooser, and replacements that say who replaced whom."""

import json

import pytest
from pytest_django.asserts import assertRedirects

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import ModelLogEntry

from courses.models import Enrollment
from tests.factories import CohortFactory, CompanionFactory, EnrollmentFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    return UserFactory(groups=["Coordinator"])


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def sri(db):
    return CompanionFactory(
        user__username="sri.rahayu",
        user__full_name="Sri Rahayu",
        nik="3307104508900001",
        village=VillageFactory(code="33.07.10.2004", name="Kalikajar"),
    )


@pytest.fixture
def others(db):
    return [CompanionFactory(user__full_name=f"Budi {n}") for n in range(3)]


def search(client, query):
    response = client.get(reverse("companion_chooser:choose_results"), {"q": query})
    assert response.status_code == 200
    return response


def found(response) -> list[str]:
    return [str(companion) for companion in response.context["results"]]


def test_the_enrollment_form_uses_the_chooser_not_a_list_of_every_companion(coordinator_client, sri, others):
    response = coordinator_client.get(reverse("enrollment:add"))
    html = response.content.decode()
    assert reverse("companion_chooser:choose") in html
    assert "Budi 0" not in html and "Sri Rahayu" not in html


@pytest.mark.parametrize("query", ["sri", "RAHAYU", "sri.rah", "kalikajar"])
def test_the_chooser_finds_a_companion_by_name_username_or_village(coordinator_client, sri, others, query):
    assert found(search(coordinator_client, query)) == ["Sri Rahayu"]


@pytest.mark.parametrize("query", ["3307104508900001", "33071045089"])
def test_the_chooser_finds_a_companion_by_nik_or_its_start(coordinator_client, sri, query):
    CompanionFactory(nik="3307100101900002")
    assert found(search(coordinator_client, query)) == ["Sri Rahayu"]


def test_the_chooser_does_not_match_digits_inside_a_nik(coordinator_client, sri):
    assert found(search(coordinator_client, "4508900001")) == []


def test_the_chooser_shows_the_nik_masked(coordinator_client, sri):
    html = search(coordinator_client, "sri").content.decode()
    assert "3307 10•• •••• ••01" in html
    assert "3307104508900001" not in html


def test_choosing_answers_with_the_name_and_village(coordinator_client, sri):
    response = coordinator_client.get(reverse("companion_chooser:chosen", args=[sri.pk]))
    result = json.loads(response.content)["result"]
    assert (result["id"], result["title"]) == (str(sri.pk), "Sri Rahayu — Kalikajar, Wonosobo")


def test_trainers_cannot_search_companions(client, sri):
    client.force_login(UserFactory(groups=["Trainer"]))
    response = client.get(reverse("companion_chooser:choose_results"), {"q": "3307"})
    assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)


def test_the_coordinator_enrolls_a_chosen_companion(coordinator_client, sri, program):
    cohort = CohortFactory(program=program)
    response = coordinator_client.post(
        reverse("enrollment:add"), {"cohort": cohort.pk, "companion": sri.pk, "status": "active"}
    )
    assert response.status_code == 302
    assert Enrollment.objects.get().companion == sri


def replace(client, enrollment, **data):
    return client.post(reverse("enrollment:replace", args=[enrollment.pk]), data)


def test_replacing_a_companion_enrolls_the_successor_and_records_who_replaced_whom(coordinator_client, coordinator):
    old = EnrollmentFactory(companion__user__full_name="Budi Santoso")
    successor = CompanionFactory(user__full_name="Agus Wibowo")
    response = replace(coordinator_client, old, successor=successor.pk, reason="Bekerja ke Taiwan")
    new = Enrollment.objects.get(companion=successor)
    assertRedirects(response, reverse("enrollment:edit", args=[new.pk]), fetch_redirect_response=False)
    old.refresh_from_db()
    assert (old.status, new.status, new.cohort) == (Enrollment.Status.REPLACED, Enrollment.Status.ACTIVE, old.cohort)
    links = ModelLogEntry.objects.filter(action__startswith="courses.enrollment_", user=coordinator)
    assert {(entry.object_id, entry.action): entry.data for entry in links} == {
        (str(old.pk), "courses.enrollment_replaced"): {"replaced_by": new.pk, "reason": "Bekerja ke Taiwan"},
        (str(new.pk), "courses.enrollment_successor"): {"replaces": old.pk, "reason": "Bekerja ke Taiwan"},
    }


def test_the_enrollment_list_and_history_show_the_replacement(coordinator_client):
    old = EnrollmentFactory(companion__user__full_name="Budi Santoso")
    successor = CompanionFactory(user__full_name="Agus Wibowo")
    replace(coordinator_client, old, successor=successor.pk, reason="Bekerja ke Taiwan")
    new = Enrollment.objects.get(companion=successor)

    listing = coordinator_client.get(reverse("enrollment:index"))
    cells = {enrollment.pk: listing.context["view"].replacements[enrollment.pk] for enrollment in (old, new)}
    assert (cells[old.pk].other, cells[old.pk].replaced_by) == (new, True)
    assert (cells[new.pk].other, cells[new.pk].replaced_by) == (old, False)
    coordinator_client.get(reverse("enrollment:index"))  # shows the success message, which names both
    for enrollment, other in ((old, "Agus Wibowo"), (new, "Budi Santoso")):
        history = coordinator_client.get(reverse("enrollment:history", args=[enrollment.pk])).content.decode()
        assert other in history and "Bekerja ke Taiwan" in history


def test_the_enrollment_list_reads_replacements_in_a_bounded_number_of_queries(
    coordinator_client, django_assert_max_num_queries
):
    for _ in range(3):
        replace(coordinator_client, EnrollmentFactory(), successor=CompanionFactory().pk, reason="Pindah")
    coordinator_client.get(reverse("enrollment:index"))  # the success message, shown once
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(reverse("enrollment:index"))
    budget = len(few)  # now: each request clears the connection's query log
    for _ in range(5):
        replace(coordinator_client, EnrollmentFactory(), successor=CompanionFactory().pk, reason="Pindah")
    coordinator_client.get(reverse("enrollment:index"))
    with django_assert_max_num_queries(budget):
        coordinator_client.get(reverse("enrollment:index"))


def test_a_successor_already_in_the_cohort_is_refused_and_nothing_changes(coordinator_client):
    old = EnrollmentFactory()
    already = EnrollmentFactory(cohort=old.cohort)
    response = replace(coordinator_client, old, successor=already.companion.pk, reason="Pindah")
    assert response.status_code == 200
    assert response.context["form"].errors["successor"]
    old.refresh_from_db()
    assert old.status == Enrollment.Status.ACTIVE


def test_a_replacement_needs_a_reason(coordinator_client):
    old = EnrollmentFactory()
    response = replace(coordinator_client, old, successor=CompanionFactory().pk, reason="")
    assert response.context["form"].errors["reason"]
    old.refresh_from_db()
    assert old.status == Enrollment.Status.ACTIVE
