"""Addresses a certificate is shared by: its verify URL and WhatsApp (wa.me) links. Pure."""

from urllib.parse import quote

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def verify_url(certificate) -> str:
    """The absolute address printed in the QR code: short, so the code stays small."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + certificate.get_absolute_url()


def whatsapp_link(certificate, *, phone: str = "") -> str:
    """A wa.me link with a ready message; to `phone` (+62…) when given, else to a contact of one's choice."""
    with translation.override("id"):
        text = _("Certificate %(number)s, %(name)s: %(url)s") % {
            "number": certificate.number,
            "name": certificate.holder_name,
            "url": verify_url(certificate),
        }
    digits = "".join(character for character in phone if character.isdigit())
    return f"https://wa.me/{digits}?text={quote(text)}"
