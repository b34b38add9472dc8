"""Certificate PDFs: HTML from a Django template, WeasyPrint to PDF/A-3b, pypdf to join them.

The only module that imports WeasyPrint. One FontConfiguration serves every render of a
process: a new one per render leaks about a quarter of a megabyte each time.
"""

import datetime
import functools
import io
from collections.abc import Iterable
from pathlib import Path

import segno
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from .wording import fill_wording

FONT_DIR = Path(__file__).resolve().parent / "fonts"
PDF_VARIANT = "pdf/a-3b"


@functools.cache
def font_configuration() -> FontConfiguration:
    return FontConfiguration()


def indonesian_date(day: datetime.date) -> str:
    """2 November 2017."""
    with translation.override("id"):
        return date_format(day, "j F Y")


def date_range(start: datetime.date, end: datetime.date) -> str:
    """30 Oktober – 2 November 2017, 1–4 November 2017, or one date when the training took a day."""
    if start == end:
        return indonesian_date(end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{indonesian_date(end)}"
    with translation.override("id"):
        first = date_format(start, "j F" if start.year == end.year else "j F Y")
    return f"{first} – {indonesian_date(end)}"


def qr_svg(url: str) -> str:
    """The QR code as one SVG path, so it prints sharp at any size and weighs a few hundred bytes."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", xmldecl=False, nl=False, border=0, scale=1)
    return buffer.getvalue().decode()


def image_url(image, spec: str) -> str | None:
    """A file:// address of a rendition of a Wagtail image: small, so the PDF stays light."""
    if image is None:
        return None
    return Path(image.get_rendition(spec).file.path).as_uri()


def template_images(template) -> dict:
    """The addresses of a template's pictures: the logo, the background and each signature.

    Each costs a lookup or two, so a batch of certificates of one template shares them.
    """
    return {
        "signatories": [
            {**row, "signature_url": image_url(row["signature"], "max-400x160")} for row in template.signatories
        ],
        "logo_url": image_url(template.logo, "max-240x240"),
        "background_url": image_url(template.background, "max-1200x850"),
    }


def certificate_html(*, certificate, template, verify_url: str, images: dict | None = None) -> str:
    """The certificate's HTML, in Bahasa Indonesia whatever the language of the request.

    `images` is `template_images(template)`, when the caller already has it.
    """
    facts = {
        "name": certificate.holder_name,
        "village": certificate.village,
        "kabupaten": certificate.kabupaten,
        "program": certificate.program_title,
        "cohort": certificate.cohort_name,
        "dates": date_range(certificate.start_date, certificate.end_date),
        "place": certificate.place,
        "jp": str(certificate.total_jp),
    }
    with translation.override("id"):
        return render_to_string(
            "certificates/pdf/certificate.html",
            {
                "certificate": certificate,
                "template": template,
                "issuer_lines": [line.strip() for line in template.issuer.splitlines() if line.strip()],
                "wording": fill_wording(template.wording, facts),
                "dates": facts["dates"],
                "dated": indonesian_date(certificate.dated),
                "signing_place": template.signing_place or certificate.place,
                **(images or template_images(template)),
                "modules": certificate.modules,
                "qr": qr_svg(verify_url),
                "verify_url": verify_url,
                "font_dir": FONT_DIR.as_uri(),
            },
        )


def render_pdf(html: str) -> bytes:
    """PDF/A-3b, fonts subset and embedded, text selectable."""
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf(
        font_config=font_configuration(), pdf_variant=PDF_VARIANT
    )


def merge_pdfs(files: Iterable) -> bytes:
    """One PDF for the printer, joined from the rendered files (open binary files or paths).

    Paper carries no electronic signature: each file's signature field is left out, which also
    spares reading its long hex string (half the time of a join).
    """
    from pypdf import PdfWriter  # only the coordinator's download joins files; workers need not load it

    writer = PdfWriter()
    for file in files:
        writer.append(file, import_outline=False, excluded_fields=("/Annots",))
    writer.root_object.pop("/AcroForm", None)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
