"""Benchmark the roster import: preview and confirm of a 10,000-row XLSX and the same rows as CSV.

Runs against a scratch SQLite database in a temporary folder with production settings:
1. 5,000 villages exist; a generated roster names 10,000 new companions, two per village;
2. the XLSX file: preview (check every row, write nothing), then confirm (check again and
   write companions, accounts and enrollments in one transaction), each timed;
3. the companions are removed, and the same for the CSV file (semicolons, with a BOM);
4. for comparison, a plain bulk_create of the same accounts, companions and enrollments.
Target: preview + confirm of each file within 10 s on a 2-core machine.
The last line printed is one JSON object.
"""

import csv
import datetime
import io
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
PER_VILLAGE = 2
HEADERS = [
    "Nama",
    "NIK",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "No HP",
    "Desa",
    "Kecamatan",
    "Kabupaten/Kota",
    "Provinsi",
    "Kode Wilayah",
]


def configure_environment(workdir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": "bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,testserver,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "BALAI_SQLITE_PATH": str(workdir / "bench.sqlite3"),
            "BALAI_CACHE_DIR": str(workdir / "cache"),
            "BALAI_STATIC_ROOT": str(workdir / "static"),
        }
    )
    os.environ.pop("DATABASE_URL", None)


def village_code(index: int) -> str:
    """5,000 codes in Kab. Wonosobo: kecamatan 01-50, villages 2001-2100 in each."""
    return f"33.07.{1 + index // 100:02d}.{2001 + index % 100:04d}"


def roster_rows(count: int) -> list[list[str]]:
    rows = []
    for index in range(count):
        village = index // PER_VILLAGE
        code = village_code(village)
        born = datetime.date(1970, 1, 1) + datetime.timedelta(days=index % 9000)
        female = index % 2 == 1
        day = born.day + (40 if female else 0)
        nik = f"{code[:2]}{code[3:5]}{code[6:8]}{day:02d}{born.month:02d}{born.year % 100:02d}{index % 10000:04d}"
        rows.append(
            [
                f"Pendamping {index:05d}",
                nik,
                "P" if female else "L",
                born.strftime("%d/%m/%Y"),
                f"0812{index:08d}",
                f"Desa {village:04d}",
                f"Kecamatan {code[6:8]}",
                "Kab. Wonosobo",
                "Jawa Tengah",
                code,
            ]
        )
    return rows


def xlsx_file(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def csv_file(rows: list[list[str]]) -> bytes:
    """As Excel in an Indonesian locale saves "CSV UTF-8": semicolons and a byte-order mark."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + stream.getvalue().encode("utf-8")


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="balai-bench-roster-"))
    configure_environment(workdir)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction

    from wagtail.models import ModelLogEntry, Site

    from courses.models import Enrollment, ProgramPage
    from courses.services import cohort_create, page_publish_child
    from people.models import Companion, User, Village
    from people.roster import roster_import, roster_preview

    def remove_companions() -> None:
        with transaction.atomic():
            Enrollment.objects.all().delete()
            Companion.objects.all().delete()
            User.objects.filter(is_staff=False, is_superuser=False).delete()
            ModelLogEntry.objects.all().delete()

    try:
        call_command("migrate", verbosity=0)
        root = Site.objects.get(is_default_site=True).root_page
        program = page_publish_child(parent=root, page=ProgramPage(title="Bimtek", slug="bimtek", days=4))
        cohort = cohort_create(
            program=program,
            name="Angkatan Bench",
            start_date=datetime.date(2017, 10, 30),
            end_date=datetime.date(2017, 11, 2),
        )
        Village.objects.bulk_create(
            Village(
                code=village_code(index),
                name=f"Desa {index:04d}",
                kecamatan=f"Kecamatan {village_code(index)[6:8]}",
                kabupaten="Wonosobo",
                provinsi="Jawa Tengah",
            )
            for index in range(ROWS // PER_VILLAGE)
        )
        rows = roster_rows(ROWS)
        files = {"xlsx": ("roster.xlsx", xlsx_file(rows)), "csv": ("roster.csv", csv_file(rows))}
        print(f"{ROWS} rows: XLSX {len(files['xlsx'][1]) // 1024} KiB, CSV {len(files['csv'][1]) // 1024} KiB")

        figures = {}
        for kind, (filename, data) in files.items():
            remove_companions()
            seconds, report = timed(roster_preview, cohort=cohort, data=data, filename=filename)
            assert report.counts()["new"] == ROWS and not report.has_errors, report.lines()[:5]
            figures[f"{kind}_preview_s"] = round(seconds, 2)
            seconds, report = timed(roster_import, cohort=cohort, data=data, filename=filename, by=None)
            assert report.written and Enrollment.objects.filter(cohort=cohort).count() == ROWS, report.lines()[:5]
            figures[f"{kind}_confirm_s"] = round(seconds, 2)
            total = figures[f"{kind}_preview_s"] + figures[f"{kind}_confirm_s"]
            print(
                f"{kind.upper():4}  preview {figures[f'{kind}_preview_s']:5.2f} s, "
                f"confirm {figures[f'{kind}_confirm_s']:5.2f} s, together {total:5.2f} s"
            )

        remove_companions()
        villages = dict(Village.objects.values_list("code", "pk"))
        group = Group.objects.get(name="Companion")

        def plain_bulk_create() -> None:
            with transaction.atomic():
                users = User.objects.bulk_create(
                    [
                        User(
                            username=f"p{index:05d}",
                            full_name=row[0],
                            phone="+62" + row[4][1:],
                            password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                        )
                        for index, row in enumerate(rows)
                    ],
                    batch_size=500,
                )
                Membership = User.groups.through
                Membership.objects.bulk_create([Membership(user_id=user.pk, group_id=group.pk) for user in users], 500)
                companions = Companion.objects.bulk_create(
                    [
                        Companion(
                            user=user,
                            nik=row[1],
                            gender="F" if row[2] == "P" else "M",
                            birth_date=datetime.datetime.strptime(row[3], "%d/%m/%Y").date(),
                            village_id=villages[row[9]],
                        )
                        for user, row in zip(users, rows, strict=True)
                    ],
                    batch_size=500,
                )
                Enrollment.objects.bulk_create(
                    [Enrollment(cohort=cohort, companion=companion) for companion in companions], batch_size=500
                )

        seconds, _ = timed(plain_bulk_create)
        figures["bulk_create_s"] = round(seconds, 2)
        print(f"plain bulk_create of the same accounts, companions and enrollments: {seconds:.2f} s")
        print(json.dumps(figures))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
