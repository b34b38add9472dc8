"""The question-bank screens: upload → preview → confirm, refusals by the field, GIFT download."""

import re

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessments.banks import questions_export_gift, questions_import
from assessments.models import Question
from tests.assessments.factories import QuizPageFactory
from tests.assessments.test_banks import GIFT_WITH_ERRORS
from tests.assessments.test_gift import RICH_SAMPLE
from tests.factories import ModulePageFactory, ProgramPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    program = ProgramPageFactory(title="Bimtek Pendamping Desmigratif")
    ModulePageFactory(parent=program, code="M05", title="Pelindungan PMI")
    return QuizPageFactory(parent=program, title="Pre-test", slug="pre-test")


@pytest.fixture
def trainer_client(client):
    client.force_login(UserFactory(groups=["Trainer"]))
    return client


def message(msgid: str, **params) -> str:
    """A message as the admin shows it in the active language (Indonesian once the catalogue has it).

    Requests are not made under translation.override("en"): Wagtail keeps some admin labels from
    the first admin request of the process, which would then stay English for later tests.
    """
    text = translation.gettext(msgid)
    return text % params if params else text


@pytest.fixture
def staff_client(trainer_client):
    return trainer_client


def upload(client, quiz, name: str, content: bytes, **data):
    url = reverse("question_banks:import", args=[quiz.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content), **data})


def field_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("file", []))


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(staff_client, quiz):
    response = upload(staff_client, quiz, "bank.gift", RICH_SAMPLE.encode())
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["planned"]) == 8
    assert "Berapa pilar Program Desmigratif?" in html
    assert "✓ JKK (50 %)" in html
    assert not Question.objects.exists()

    signed = re.search(r'name="upload" value="([^"]+)"', html).group(1)
    response = staff_client.post(reverse("question_banks:import", args=[quiz.pk]), {"upload": signed})
    assert response.status_code == 302
    assert response["Location"] == reverse("question_banks:index")
    assert Question.objects.filter(quiz=quiz).count() == 8


def test_a_file_with_errors_lists_them_by_the_field(staff_client, quiz):
    response = upload(staff_client, quiz, "bank.txt", GIFT_WITH_ERRORS.encode())
    assert field_errors(response) == [
        message(
            "Line %(line)d: Balai cannot score numerical questions ({#…}); remove it or turn it into multiple choice.",
            line=4,
        ),
        message("Line %(line)d: the { that opens the answers is not closed with }.", line=6),
    ]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "msgid", "params"),
    [
        (
            "soal.docx",
            b"PK\x03\x04",
            "“%(name)s” is not a question file: upload a .gift, .txt, .aiken, .xlsx or .csv file.",
            {"name": "soal.docx"},
        ),
        ("soal.gift", b"", "The submitted file is empty.", {}),
        (
            "soal.gift",
            "Makanan khas? {=Kué lapis}".encode("cp1252"),
            "Line %(line)d: the file is not text in UTF-8. Save it as UTF-8 text "
            "(in Notepad: Save As, Encoding UTF-8) and upload it again.",
            {"line": 1},
        ),
        (
            "soal.xlsx",
            b"bukan buku kerja",
            "The file is not an Excel workbook (.xlsx); save it again as .xlsx or as CSV.",
            {},
        ),
    ],
)
def test_wrong_type_empty_or_wrongly_encoded_files_are_refused_by_the_field(
    staff_client, quiz, name, content, msgid, params
):
    assert field_errors(upload(staff_client, quiz, name, content)) == [message(msgid, **params)]
    assert not Question.objects.exists()


def test_the_format_can_be_chosen_when_the_extension_does_not_say_it(staff_client, quiz):
    response = upload(staff_client, quiz, "soal.txt", b"Pilar?\nA. 4\nB. 3\nANSWER: A\n", format="aiken")
    assert [item.spec.text for item in response.context["planned"]] == ["Pilar?"]


def test_a_tampered_preview_is_refused(staff_client, quiz):
    response = staff_client.post(reverse("question_banks:import", args=[quiz.pk]), {"upload": "palsu"})
    assert response.status_code == 200
    expired = message("The preview has expired; upload the file again.")
    assert response.context["confirm_errors"] == [expired]
    assert expired in response.content.decode()
    assert not Question.objects.exists()


def test_a_preview_of_another_quiz_is_refused(staff_client, quiz):
    other = QuizPageFactory(parent=quiz.get_parent(), title="Post-test")
    html = upload(staff_client, other, "bank.gift", b"Pilar? {=4 ~3}").content.decode()
    signed = re.search(r'name="upload" value="([^"]+)"', html).group(1)
    response = staff_client.post(reverse("question_banks:import", args=[quiz.pk]), {"upload": signed})
    assert response.context["confirm_errors"] == [
        message("The preview belongs to another quiz; upload the file again.")
    ]
    assert not Question.objects.exists()


def test_the_quiz_list_links_import_and_export(staff_client, quiz):
    questions_import(quiz=quiz, content="Pilar? {=4 ~3}", fmt="gift", by=None)
    html = staff_client.get(reverse("question_banks:index")).content.decode()
    assert reverse("question_banks:import", args=[quiz.pk]) in html
    assert reverse("question_banks:export", args=[quiz.pk]) in html


def test_export_downloads_the_quizs_questions_as_gift(trainer_client, quiz):
    questions_import(quiz=quiz, content=RICH_SAMPLE, fmt="gift", by=None)
    response = trainer_client.get(reverse("question_banks:export", args=[quiz.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pre-test.gift.txt"'
    assert response.content.decode() == questions_export_gift(quiz=quiz)


def test_a_quiz_in_the_page_explorer_offers_import_and_export(trainer_client, quiz):
    html = trainer_client.get(reverse("wagtailadmin_explore", args=[quiz.get_parent().pk])).content.decode()
    assert reverse("question_banks:import", args=[quiz.pk]) in html
    header = trainer_client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk])).content.decode()
    assert reverse("question_banks:export", args=[quiz.pk]) in header


def test_a_wrong_file_type_is_refused_in_indonesian(trainer_client, quiz):
    # Awaits the Indonesian catalogue merge.
    response = upload(trainer_client, quiz, "soal.docx", b"PK\x03\x04")
    assert field_errors(response) == [
        "“soal.docx” bukan berkas soal: unggah berkas .gift, .txt, .aiken, .xlsx, atau .csv."
    ]
