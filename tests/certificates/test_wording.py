"""The wording of a template, and how certificates are shared."""

import datetime

import pytest

from django.core.exceptions import ValidationError

from certificates.models import Certificate
from certificates.pdf import date_range, indonesian_date
from certificates.sharing import verify_url, whatsapp_link
from certificates.wording import fill_wording, validate_wording


def test_the_wording_is_filled_from_the_certificates_facts():
    text = fill_wording(
        "telah mengikuti {program} di {place} sebanyak {jp} JP", {"program": "Bimtek", "place": "Jakarta", "jp": "36"}
    )
    assert text == "telah mengikuti Bimtek di Jakarta sebanyak 36 JP"


@pytest.mark.parametrize("wording", ["{nik}", "{name} {", "{0}"])
def test_a_wording_with_unknown_placeholders_is_refused(wording):
    with pytest.raises(ValidationError):
        validate_wording(wording)


def test_dates_read_in_bahasa_indonesia():
    assert indonesian_date(datetime.date(2017, 11, 2)) == "2 November 2017"
    assert date_range(datetime.date(2017, 10, 30), datetime.date(2017, 11, 2)) == "30 Oktober – 2 November 2017"
    assert date_range(datetime.date(2018, 3, 5), datetime.date(2018, 3, 8)) == "5–8 Maret 2018"
    assert date_range(datetime.date(2018, 12, 30), datetime.date(2019, 1, 2)) == "30 Desember 2018 – 2 Januari 2019"


def test_the_whatsapp_link_carries_the_verify_address_to_the_companions_number():
    certificate = Certificate(code="AbCdEfGhIjKlMnOp", number="001/BIMTEK-DESMIG/XI/2017", holder_name="Sri Rahayu")
    link = whatsapp_link(certificate, phone="+6281234567890")
    assert link.startswith("https://wa.me/6281234567890?text=")
    assert "http%3A//testserver/v/AbCdEfGhIjKlMnOp/" in link
    assert verify_url(certificate) == "http://testserver/v/AbCdEfGhIjKlMnOp/"


def test_a_new_templates_wording_is_indonesian_whatever_the_editors_language():
    from django.utils import translation

    from certificates.models import default_wording

    with translation.override("en"):
        wording = default_wording()
    assert wording.startswith("telah mengikuti") and "{program}" in wording
