"""The roster import speaks Bahasa Indonesia by default: the coordinator fixes the file from these.

The new messages await the lead's catalogue merge (see the branch report's TRANSLATIONS).
"""

import pytest

from people.roster import roster_preview
from tests.factories import CohortFactory, VillageFactory
from tests.people.roster_files import csv_bytes, person

pytestmark = pytest.mark.django_db


def test_errors_name_the_row_and_column_in_bahasa_indonesia(program):
    VillageFactory(code="33.07.10.2004", name="Kuripan")
    rows = [person(1), person(2, NIK="3.30710E+15")]

    report = roster_preview(cohort=CohortFactory(program=program), data=csv_bytes(rows), filename="r.csv")

    assert report.lines() == [
        "1 baru, 0 diperbarui, 0 tetap, 1 dengan kesalahan.",
        "Baris 3, kolom NIK: Excel mengubah NIK ini menjadi angka 3.30710E+15 dan beberapa digitnya hilang; "
        "digit itu tidak dapat dipulihkan. Format kolom NIK sebagai Teks di Excel lalu ketik ulang NIK-nya.",
    ]
