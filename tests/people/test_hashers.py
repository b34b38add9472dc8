"""Passwords are hashed with Argon2id at OWASP's first setting; PBKDF2 hashes upgrade at the next login."""

import pytest

from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from lms.settings import base
from tests.factories import UserFactory

production_hashers = override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)


@production_hashers
def test_new_passwords_are_argon2id_with_19_mib_two_passes_one_lane():
    encoded = make_password("kata-sandi-panjang")
    assert encoded.startswith("argon2$argon2id$")
    assert "$m=19456,t=2,p=1$" in encoded
    assert check_password("kata-sandi-panjang", encoded)
    assert not check_password("kata-sandi-lain", encoded)


@production_hashers
@pytest.mark.django_db
def test_an_old_pbkdf2_hash_still_logs_in_and_is_upgraded(client):
    user = UserFactory(username="lama", groups=["Companion"])
    user.password = make_password("kata-sandi-lama-1", hasher="pbkdf2_sha256")
    user.save()
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = client.post(reverse("login"), {"username": "lama", "password": "kata-sandi-lama-1"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$") and "$m=19456,t=2,p=1$" in user.password


@production_hashers
def test_an_argon2_hash_with_other_costs_is_upgraded_too():
    from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher

    heavier = Argon2PasswordHasher().encode("kata-sandi-panjang", "garamgaramgaram1")
    assert get_hasher("default").must_update(heavier)
    assert not get_hasher("default").must_update(make_password("kata-sandi-panjang"))
