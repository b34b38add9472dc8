"""The certificate PDF: what it says, its fonts, its size, its QR code, PDF/A, and its signature."""

import csv
import io
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from certificates.pdf import merge_pdfs
from certificates.services import certificate_pdf_bytes
from certificates.signing import make_demo_key
from courses.demo import SCHEDULE_CSV
from people.services import user_update
from tests.certificates.factories import CertificateFactory, CertificateTemplateFactory

pytestmark = pytest.mark.django_db

MAX_BYTES = 150 * 1024
HARD_NAME = "Ni Luh Ayu Sŭkma D’Souza-Fernandes Ñoño"


def poppler(tool: str, *arguments: str, pdf: bytes) -> bytes:
    """Run one of poppler's tools (poppler-utils) on the PDF given on its standard input."""
    command = [shutil.which(tool) or tool, *arguments]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout


def pdftotext(pdf: bytes) -> str:
    return poppler("pdftotext", "-", "-", pdf=pdf).decode()


def pdffonts(pdf: bytes) -> list[list[str]]:
    return [line.split() for line in poppler("pdffonts", "-", pdf=pdf).decode().splitlines()[2:]]


@pytest.fixture
def certificate():
    certificate = CertificateFactory(template=CertificateTemplateFactory(signatory_name="Dr. Contoh Penandatangan"))
    user_update(user=certificate.enrollment.companion.user, by=None, full_name=HARD_NAME)
    certificate.holder_name = HARD_NAME
    certificate.save()
    return certificate


def test_the_text_is_selectable_and_names_the_holder_number_place_and_date(certificate):
    text = " ".join(pdftotext(certificate_pdf_bytes(certificate)).split())
    assert HARD_NAME in text
    assert certificate.number in text
    assert "Jakarta, 2 November 2017" in text
    assert "30 Oktober – 2 November 2017" in text
    assert f"Desa {certificate.village}" in text or certificate.village in text
    assert certificate.kabupaten in text
    assert "36" in text and "Dr. Contoh Penandatangan" in text


def test_the_back_page_lists_the_modules_with_their_jp(certificate):
    reader = PdfReader(io.BytesIO(certificate_pdf_bytes(certificate)))
    assert len(reader.pages) == 2
    back = " ".join(reader.pages[1].extract_text().split())
    assert "M01" in back and "Kebijakan Program Desmigratif" in back and "36" in back


def test_the_whole_demo_curriculum_fits_the_one_back_page_with_its_total_last(certificate):
    """The 19 modules of the four-day schedule, long titles and all, and the quizzes' JP."""
    with SCHEDULE_CSV.open(encoding="utf-8") as rows:
        modules = [[row["code"], row["title_id"], int(row["jp"])] for row in csv.DictReader(rows) if row["jp"] != "0"]
    certificate.modules = [*modules, ["", "Pre-test dan post-test (tambahan)", 2]]
    certificate.save()
    reader = PdfReader(io.BytesIO(certificate_pdf_bytes(certificate)))
    assert len(reader.pages) == 2
    back = " ".join(reader.pages[1].extract_text().split())
    assert back.index(modules[-1][1][:30]) < back.index("Jumlah jam pelajaran")


def test_every_font_is_embedded_and_shipped_with_balai(certificate):
    fonts = pdffonts(certificate_pdf_bytes(certificate))
    assert fonts, "no fonts listed"
    for row in fonts:
        name, embedded = row[0], row[-5]
        assert embedded == "yes", row
        assert "Balai-Serif" in name, row


def test_a_certificate_weighs_at_most_150_kb_and_is_pdf_a_3b(certificate):
    pdf = certificate_pdf_bytes(certificate)
    assert len(pdf) <= MAX_BYTES
    metadata = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert metadata is not None
    xml = metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in xml and 'pdfaid:conformance="B"' in xml


def test_the_qr_code_opens_the_verify_page(certificate):
    pdf = certificate_pdf_bytes(certificate)
    png = poppler("pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-", pdf=pdf)
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [code.text for code in codes] == [f"http://testserver/v/{certificate.code}/"]


def test_the_qr_code_is_drawn_not_pasted_as_a_picture(certificate):
    pdf = certificate_pdf_bytes(certificate)
    images = poppler("pdfimages", "-list", "-", pdf=pdf).decode()
    assert len(images.splitlines()) == 2  # the header lines only: no raster image at all


def test_a_signed_certificate_verifies_and_a_changed_byte_is_detected(certificate, settings, tmp_path):
    key = make_demo_key(tmp_path / "demo.p12", passphrase="uji", common_name="Direktur Jenderal (uji)")
    settings.CERTIFICATE_SIGNING_KEY = str(key)
    settings.CERTIFICATE_SIGNING_PASSPHRASE = "uji"
    pdf = certificate_pdf_bytes(certificate)

    from pyhanko.sign.signers import SimpleSigner

    trusted = SimpleSigner.load_pkcs12(str(key), passphrase=b"uji").signing_cert
    context = ValidationContext(trust_roots=[trusted])
    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.subject.native["common_name"] == "Direktur Jenderal (uji)"

    start = pdf.index(certificate.number.encode()[:3], 2000)  # a byte inside the signed range
    tampered = bytearray(pdf)
    tampered[start] = ord("9") if tampered[start] != ord("9") else ord("8")
    [signature] = PdfFileReader(io.BytesIO(bytes(tampered))).embedded_signatures
    assert not validate_pdf_signature(signature, context).intact


def test_the_print_file_joins_the_rendered_pdfs_page_for_page_without_their_signatures(certificate, settings, tmp_path):
    settings.CERTIFICATE_SIGNING_KEY = str(make_demo_key(tmp_path / "demo.p12", passphrase="", common_name="Uji"))
    other = CertificateFactory()
    signed = [certificate_pdf_bytes(certificate), certificate_pdf_bytes(other)]
    assert all(PdfFileReader(io.BytesIO(pdf)).embedded_signatures for pdf in signed)

    merged = merge_pdfs([io.BytesIO(pdf) for pdf in signed])
    reader = PdfReader(io.BytesIO(merged))
    assert len(reader.pages) == 4
    assert "/AcroForm" not in reader.trailer["/Root"]  # paper carries no electronic signature
    assert not any("/Annots" in page for page in reader.pages)
    text = pdftotext(merged)
    assert HARD_NAME in text and other.holder_name in text
    assert all(font[-5] == "yes" for font in pdffonts(merged))  # still embedded
