"""What the database itself keeps true about users and companions, and their model methods."""

import datetime

import pytest

from django.db import DataError, IntegrityError, transaction

from people.models import Companion, User
from tests.factories import CompanionFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_two_companions_cannot_share_a_nik():
    CompanionFactory(nik="3307100108900001")
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanionFactory(nik="3307100108900001")
    assert Companion.objects.filter(nik="3307100108900001").count() == 1


@pytest.mark.parametrize(
    "nik",
    ["33071001089000AB", "330710010890001", "33071001089000012", "3307 10010890001", ""],
    ids=["letters", "15-digits", "17-digits", "space", "empty"],
)
def test_database_refuses_a_nik_that_is_not_16_digits_on_update(nik):
    companion = CompanionFactory(nik="3307100108900001")
    # SQLite reports the check constraint; PostgreSQL refuses a 17-digit value by its length first.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Companion.objects.filter(pk=companion.pk).update(nik=nik)
    companion.refresh_from_db()
    assert companion.nik == "3307100108900001"


def test_database_refuses_a_nik_with_letters_on_create_without_validation():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Companion.objects.create(
            user=user,
            nik="33071001089000AB",
            gender=Companion.Gender.MALE,
            birth_date=datetime.date(1990, 8, 1),
            village=VillageFactory(),
        )
    assert not Companion.objects.filter(user=user).exists()


def test_two_users_cannot_share_a_phone():
    UserFactory(username="budi", phone="+6281234567890")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="siti", phone="+6281234567890")
    assert list(User.objects.filter(phone="+6281234567890").values_list("username", flat=True)) == ["budi"]


def test_many_users_may_have_no_phone():
    for username in ("budi", "siti", "wayan"):
        UserFactory(username=username, phone="")
    assert User.objects.filter(phone="").count() == 3


def test_user_is_shown_by_full_name():
    user = UserFactory.build(username="siti", full_name="Siti Aminah")
    assert str(user) == "Siti Aminah"
    assert user.get_full_name() == "Siti Aminah"
    assert user.get_short_name() == "Siti"


def test_user_with_a_single_name_is_shown_by_it():
    user = UserFactory.build(username="sukarno01", full_name="Sukarno")
    assert str(user) == "Sukarno"
    assert user.get_short_name() == "Sukarno"


def test_user_without_full_name_is_shown_by_username():
    user = UserFactory.build(username="pendamping07", full_name="")
    assert str(user) == "pendamping07"
    assert user.get_full_name() == "pendamping07"
    assert user.get_short_name() == "pendamping07"


def test_companion_is_shown_by_the_full_name_of_the_user():
    companion = CompanionFactory(user__full_name="Dewi Lestari")
    assert str(companion) == "Dewi Lestari"


def test_companion_masked_nik_shows_the_region_and_last_two_digits():
    companion = CompanionFactory(nik="3307104108900000")
    assert companion.masked_nik == "3307 10•• •••• ••00"


def test_companion_phone_is_the_phone_of_the_account():
    companion = CompanionFactory(user__phone="+6281234567890")
    assert companion.phone == "+6281234567890"


def test_database_refuses_a_nik_with_a_trailing_newline():
    companion = CompanionFactory(nik="3307100108900001")
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Companion.objects.filter(pk=companion.pk).update(nik="3307100108900001\n")
