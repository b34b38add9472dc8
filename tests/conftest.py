import pytest

from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clean_caches():
    """Each test starts with empty caches: sessions, throttling, rendered lessons."""
    for alias in ("default", "fragments"):
        caches[alias].clear()
    yield


@pytest.fixture
def program(db):
    from tests.factories import ProgramPageFactory

    return ProgramPageFactory(title="Bimtek Pendamping Desmigratif", slug="bimtek")


@pytest.fixture
def enrollment(db, program):
    from tests.factories import CohortFactory, EnrollmentFactory

    return EnrollmentFactory(cohort=CohortFactory(program=program))


@pytest.fixture
def companion_client(client, enrollment):
    client.force_login(enrollment.companion.user)
    return client
