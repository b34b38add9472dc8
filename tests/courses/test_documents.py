"""Lesson documents are as private as their lessons; lesson images load in production."""

import io

import pytest
from PIL import Image as PILImage
from pytest_django.asserts import assertRedirects

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import override_settings

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses.models import Enrollment
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
def document():
    return get_document_model().objects.create(
        title="Modul M04", file=ContentFile(b"%PDF-1.4 modul migrasi aman", name="modul-m04.pdf")
    )


@pytest.fixture
def linked(program, document):
    """A lesson in `program` that offers the document for download."""
    module = ModulePageFactory(parent=program)
    return LessonPageFactory(
        parent=module,
        body=[{"type": "document", "value": {"document": document.pk, "title": "Unduh modul"}}],
    )


def document_url(document) -> str:
    return document.url


def test_enrolled_companion_downloads_the_document_of_their_lesson(companion_client, linked, document):
    response = companion_client.get(document_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 modul migrasi aman"


def test_visitor_is_sent_to_log_in(client, linked, document):
    url = document_url(document)
    assertRedirects(client.get(url), f"/masuk/?next={url}", fetch_redirect_response=False)


def test_companion_of_another_program_gets_404(client, linked, document):
    other = EnrollmentFactory(cohort=CohortFactory(program=ProgramPageFactory()))
    client.force_login(other.companion.user)
    assert client.get(document_url(document)).status_code == 404


def test_withdrawn_companion_gets_404(client, enrollment, linked, document):
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.WITHDRAWN)
    client.force_login(enrollment.companion.user)
    assert client.get(document_url(document)).status_code == 404


def test_document_of_an_unpublished_lesson_is_closed_to_companions(companion_client, linked, document):
    linked.unpublish()
    assert companion_client.get(document_url(document)).status_code == 404


def test_document_of_a_lesson_in_an_unpublished_module_is_closed_to_companions(companion_client, linked, document):
    linked.get_parent().unpublish()
    assert companion_client.get(document_url(document)).status_code == 404


def test_document_linked_from_no_lesson_is_for_staff_only(client, companion_client, document):
    assert companion_client.get(document_url(document)).status_code == 404
    for role in ("Trainer", "Coordinator"):
        client.force_login(UserFactory(groups=[role]))
        assert client.get(document_url(document)).status_code == 200


def test_document_file_is_not_reachable_by_its_plain_path(client, companion_client, linked, document):
    plain = f"/media/{document.file.name}"
    assert plain.startswith("/media/documents/")
    assert companion_client.get(plain).status_code == 404
    client.force_login(UserFactory(groups=["Coordinator"]))
    assert client.get(plain).status_code == 404


@pytest.fixture
def image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, format="PNG")
    return get_image_model().objects.create(title="Balai desa", file=ImageFile(buffer, name="balai-desa.png"))


@override_settings(DEBUG=False)
def test_lesson_image_renditions_load_without_debug(client, image):
    rendition = image.get_rendition("width-30")
    response = client.get(rendition.url)
    assert rendition.url.startswith("/media/images/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"
    assert b"".join(response.streaming_content)[:4] == b"\x89PNG"


def test_original_images_are_for_staff_only(client, companion_client, image):
    url = image.file.url
    assert url.startswith("/media/original_images/")
    assert companion_client.get(url).status_code == 404
    client.force_login(UserFactory(groups=["Trainer"]))
    assert client.get(url).status_code == 200


def test_media_path_cannot_climb_out_of_the_images_folder(client, document):
    assert client.get("/media/images/../documents/modul-m04.pdf").status_code == 404
    assert client.get("/media/images/%2e%2e/documents/modul-m04.pdf").status_code == 404
