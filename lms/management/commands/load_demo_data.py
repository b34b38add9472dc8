"""Load the demo: the 2017 four-day programme, Angkatan I 2017 and its 240 companions.

Everything is written through the services. A rerun creates only what is missing, each piece
identified by the demo's own key (the programme's slug or cohort, a username, a village code),
and leaves whatever exists alone: it never undoes an editor's or a coordinator's change. The
files it reads live in lms/demo/.
"""

import csv
import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from courses.demo import load_sessions_and_attendance
from courses.models import Cohort, LessonPage, ModulePage, ProgramPage
from courses.services import cohort_create, enrollment_create, page_publish_child
from people.models import User, Village
from people.services import companion_create, user_create, village_create

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
PROGRAM_SLUG = "bimtek-pendamping-desmigratif-2017"
COHORT_NAME = "Angkatan I 2017"
COMPANIONS_PER_VILLAGE = 2
WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"

PROGRAM_INTRO = (
    "<p>Bimbingan teknis bagi pendamping Desa Migran Produktif (Desmigratif): empat hari tentang "
    "migrasi yang aman, informasi pasar kerja, pelindungan pekerja migran sebelum, selama dan setelah "
    "bekerja, jaminan sosial, bahaya perdagangan orang, usaha produktif, koperasi, dan community "
    "parenting.</p><p>Setiap desa mengirim dua pendamping yang dipilih melalui musyawarah desa.</p>"
)

# Fictional names; none is meant to be a real person.
MALE_NAMES = [
    "Agus",
    "Bambang",
    "Joko",
    "Slamet",
    "Budi",
    "Eko",
    "Hendra",
    "Wahyu",
    "Rudi",
    "Yusuf",
    "Dedi",
    "Iwan",
    "Made",
    "Ketut",
    "Lalu",
    "Yohanes",
    "Petrus",
    "Fransiskus",
    "Ahmad",
    "Rahmat",
]
FEMALE_NAMES = [
    "Sri",
    "Siti",
    "Wulan",
    "Dewi",
    "Ratna",
    "Nur",
    "Lestari",
    "Yuliana",
    "Maria",
    "Ni Luh",
    "Baiq",
    "Rina",
    "Endang",
    "Sumarni",
    "Fitri",
    "Aisyah",
    "Yanti",
    "Theresia",
    "Kartini",
    "Suryani",
]
FAMILY_NAMES = [
    "Santoso",
    "Wibowo",
    "Hidayat",
    "Saputra",
    "Rahayu",
    "Kusuma",
    "Pratama",
    "Lestari",
    "Nugroho",
    "Setiawan",
    "Wijaya",
    "Purnama",
    "Hasan",
    "Sulistyo",
    "Utami",
    "Fernandes",
    "Manek",
    "Zakaria",
]


class Command(BaseCommand):
    help = "Load the demo programme, cohort and accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(_("DEBUG is off: this looks like production. Add --force to load the demo anyway."))
        try:
            with transaction.atomic():
                program = self.load_program()
                cohort = self.load_cohort(program)
                self.load_staff()
                created = self.load_companions(cohort)
                load_sessions_and_attendance(cohort)
        except ValidationError as error:
            message = _("The demo data conflicts with data already here: %s") % "; ".join(error.messages)
            raise CommandError(message) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo ready: %(program)s, %(modules)d modules, %(lessons)d lessons; "
                    "%(cohort)s with %(enrolled)d companions (%(created)d new)."
                )
                % {
                    "program": program.title,
                    "modules": ModulePage.objects.child_of(program).count(),
                    "lessons": LessonPage.objects.descendant_of(program).count(),
                    "cohort": cohort.name,
                    "enrolled": cohort.enrollments.count(),
                    "created": created,
                }
            )
        )

    def read_json(self, name):
        return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))

    def read_csv(self, name):
        with (DEMO_DIR / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def site_root(self) -> Page:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            root = Page.get_first_root_node()
            home = root.get_children().first() or root.add_child(instance=Page(title="Balai", slug="balai"))
            site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Balai")
        if site.root_page.title == WAGTAIL_WELCOME_TITLE:  # name Wagtail's placeholder, touch nothing else
            site.root_page.title = "Balai"
            site.root_page.save_revision().publish()
        return site.root_page

    def load_program(self) -> ProgramPage:
        # A trainer may have renamed or moved the programme since: its demo cohort still finds it.
        existing = Cohort.objects.filter(name=COHORT_NAME).select_related("program").first()
        if existing is not None:
            return existing.program
        root = self.site_root()
        existing = ProgramPage.objects.child_of(root).filter(slug=PROGRAM_SLUG).first()
        if existing is not None:
            return existing  # its modules and lessons are the trainers' now, deleted ones included
        program = page_publish_child(
            parent=root,
            page=ProgramPage(
                title="Bimtek Pendamping Desmigratif 2017",
                slug=PROGRAM_SLUG,
                intro=PROGRAM_INTRO,
                organizer="Kementerian Ketenagakerjaan RI — Ditjen Binapenta & PKK",
                days=4,
                pass_mark=70,
                min_attendance_percent=80,
            ),
        )
        lessons = {**self.read_json("lessons_a.json"), **self.read_json("lessons_b.json")}
        objectives = self.read_json("objectives.json")
        glossary = self.read_json("glossary.json")
        for row in self.read_csv("schedule.csv"):
            code = row["code"]
            if not code.startswith("M"):
                continue  # pre-test, opening, post-test… are sessions, not modules
            module = page_publish_child(
                parent=program,
                page=ModulePage(
                    title=row["title_id"],
                    slug=code.lower(),
                    code=code,
                    day=int(row["day"]),
                    jp_hours=int(row["jp"]),
                    trainer_institution=row["trainer_role"],
                    objectives="\n".join(objectives.get(code, [])),
                ),
            )
            module_lessons = list(lessons.get(code, []))
            if code == "M05":
                module_lessons.append(glossary_lesson(glossary))
            for lesson in module_lessons:
                page_publish_child(
                    parent=module,
                    page=LessonPage(
                        title=lesson["title"],
                        slug=lesson["slug"],
                        intro=lesson["intro"][:250],
                        reading_minutes=lesson["minutes"],
                        body=lesson["body"],
                    ),
                )
        return program

    def load_cohort(self, program: ProgramPage) -> Cohort:
        cohort = Cohort.objects.filter(program=program, name=COHORT_NAME).first()
        return cohort or cohort_create(
            program=program,
            name=COHORT_NAME,
            start_date=datetime.date(2017, 10, 30),
            end_date=datetime.date(2017, 11, 2),
            venue="Jakarta",
        )

    def load_staff(self):
        password_hash = make_password(settings.BALAI_DEMO_PASSWORD)
        for username, full_name, group in [
            ("koordinator", "Koordinator Panitia Bimtek", "Coordinator"),
            ("pelatih", "Narasumber Direktorat PTKLN", "Trainer"),
        ]:
            if not User.objects.filter(username__iexact=username).exists():
                user_create(username=username, full_name=full_name, password_hash=password_hash, groups=(group,))

    def load_companions(self, cohort: Cohort) -> int:
        password_hash = make_password(settings.BALAI_DEMO_PASSWORD)
        # The codes come from the 2019 Kemendagri table (kodewilayah/explorer, MIT).
        known = {village.code: village for village in Village.objects.all()}
        villages = [
            known.get(row["code"]) or village_create(**row, code_version="kemendagri-2019")
            for row in self.read_csv("villages.csv")
        ]
        # Keyed by username, and left alone once there: a coordinator may since have corrected a
        # demo companion's NIK or name, withdrawn them or moved them to another cohort.
        existing = {username.lower() for username in User.objects.values_list("username", flat=True)}
        created = 0
        for index in range(1, len(villages) * COMPANIONS_PER_VILLAGE + 1):
            village = villages[(index - 1) // COMPANIONS_PER_VILLAGE]
            person = demo_person(index, village.code)
            if person["username"] in existing:
                continue
            companion = companion_create(village=village, password_hash=password_hash, **person)
            enrollment_create(cohort=cohort, companion=companion)
            created += 1
        return created


def demo_person(index: int, village_code: str) -> dict:
    """A fictional companion: one man and one woman per village, NIK serial 0000 (never issued)."""
    female = index % 2 == 0
    # The n-th man (or woman) gets a given and a family name no other man (woman) shares.
    n = (index - 1) // 2
    given = (FEMALE_NAMES if female else MALE_NAMES)[n % 20]
    family = FAMILY_NAMES[(n // 20 + n) % len(FAMILY_NAMES)]
    born = datetime.date(1970, 1, 1) + datetime.timedelta(days=(index * 97) % (25 * 365))
    day = born.day + 40 if female else born.day
    region = village_code.replace(".", "")[:6]
    return {
        "username": f"pendamping{index:03d}",
        "full_name": f"{given} {family}",
        "nik": f"{region}{day:02d}{born:%m%y}0000",
        "phone": f"0812{index:08d}",
    }


def glossary_lesson(glossary: list[dict]) -> dict:
    return {
        "title": "Glosarium: dari TKI ke PMI",
        "slug": "glosarium",
        "intro": "Istilah yang dipakai dalam pelatihan, dengan istilah lama dan barunya.",
        "minutes": 10,
        "body": [{"type": "heading", "value": "Istilah penting"}]
        + [
            {
                "type": "glossary_term",
                "value": {
                    "term": f"{item['term']} (dahulu {item['old_term']})" if item.get("old_term") else item["term"],
                    "definition": item["definition"],
                },
            }
            for item in glossary
        ],
    }
