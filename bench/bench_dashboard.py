"""Benchmark the coordinators' dashboard: render time and SQL queries, small and large.

Runs against a throwaway SQLite file in a temporary folder:
1. a small data set (2 cohorts, 20 companions): the dashboard's query count (queries_small);
2. bulk inserts up to 100,000 companions in 1,000 cohorts with 20 sessions each, 2 million
   attendance rows, 1 million lesson-progress rows, and pre-test and post-test attempts with
   1 million quiz responses (raw executemany: this is a benchmark, not the services' path);
3. the across-cohorts figures counted and stored (the refresh task's work, refresh_s), then the
   dashboard across all cohorts (read from that snapshot) and for one cohort (counted live),
   rendered a few times as a coordinator: median seconds and the query count, which must equal
   the small data set's.
The last line printed is one JSON object. BENCH_COMPANIONS scales the data (default 100000).
"""

import datetime
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPANIONS = int(os.environ.get("BENCH_COMPANIONS", "100000"))
PER_COHORT = 100
SESSIONS_PER_COHORT = 20  # 4 days × 5 sessions; × 100,000 companions = 2 million attendance rows
LESSONS = 20  # 10 lesson-progress rows per companion on average = 1 million
QUESTIONS = 5  # pre-test and post-test of 5 questions each = 1 million responses
RENDERS = 3
BATCH = 20_000
PROVINCES = [
    "Jawa Barat",
    "Jawa Tengah",
    "Jawa Timur",
    "Nusa Tenggara Barat",
    "Nusa Tenggara Timur",
    "Lampung",
    "Sumatera Utara",
    "Sulawesi Selatan",
    "Banten",
    "Bali",
]
KABUPATEN_PER_PROVINCE = 12
VILLAGES = 4000
WIB = datetime.timezone(datetime.timedelta(hours=7))


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


def insert(table: str, columns: list[str], rows) -> int:
    """executemany in batches; `rows` may be a generator. Returns the number of rows."""
    from django.db import connection, transaction

    # Table and column names come from the models' _meta, never from input.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    count, batch = 0, []
    with transaction.atomic(), connection.cursor() as cursor:  # one transaction, not one per row
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


BIG_TABLES = (
    "people_user",
    "people_companion",
    "courses_enrollment",
    "courses_session",
    "courses_attendance",
    "courses_lessonprogress",
    "assessments_attempt",
    "assessments_response",
)


def drop_indexes() -> list[str]:
    """Drop the big tables' own indexes, returning their SQL: SQLite builds an index from sorted
    rows many times faster than it updates one row by row."""
    from django.db import connection

    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(BIG_TABLES))
        cursor.execute(
            "SELECT name, sql FROM sqlite_master"  # noqa: S608 (placeholders only)
            f" WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({placeholders})",
            BIG_TABLES,
        )
        found = cursor.fetchall()
        for name, _sql in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def create_indexes(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def max_id(model) -> int:
    from django.db.models import Max

    return model.objects.aggregate(top=Max("pk"))["top"] or 0


def columns(model, names: list[str]) -> tuple[str, list[str]]:
    return model._meta.db_table, [model._meta.get_field(name).column for name in names]


def utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")


def build_curriculum() -> dict:
    """A program of 4 days × 1 module × 5 lessons, with a pre-test and a post-test, through the services."""
    from wagtail.models import Site

    from courses.models import LessonPage, ModulePage, ProgramPage
    from courses.services import page_publish_child

    root = Site.objects.get(is_default_site=True).root_page
    program = page_publish_child(parent=root, page=ProgramPage(title="Bimtek Bench", slug="bimtek-bench", days=4))
    lessons = []
    for day in range(1, 5):
        module = page_publish_child(
            parent=program,
            page=ModulePage(title=f"Modul {day}", slug=f"modul-{day}", code=f"M{day:02d}", day=day, jp_hours=2),
        )
        for number in range(1, LESSONS // 4 + 1):
            lesson = page_publish_child(
                parent=module, page=LessonPage(title=f"Pelajaran {day}.{number}", slug=f"pelajaran-{number}")
            )
            lessons.append(lesson.pk)
    return {"program": program, "lessons": lessons, **build_quizzes(program)}


def build_villages() -> list[int]:
    from people.models import Village

    table, names = columns(Village, ["id", "code", "name", "kecamatan", "kabupaten", "provinsi", "code_version"])
    start = max_id(Village) + 1
    rows = []
    for index in range(VILLAGES):
        province = index % len(PROVINCES)
        kabupaten = (index // len(PROVINCES)) % KABUPATEN_PER_PROVINCE
        rows.append(
            (
                start + index,
                f"{11 + province:02d}.{kabupaten + 1:02d}.{index % 90 + 10:02d}.{2001 + index:04d}",
                f"Desa {index}",
                f"Kecamatan {index % 90}",
                f"Kabupaten {PROVINCES[province].split()[-1]} {kabupaten + 1}",
                PROVINCES[province],
                "permendagri-137-2017",
            )
        )
    insert(table, names, rows)
    return [start + index for index in range(VILLAGES)]


def build_quizzes(program) -> dict:
    """A pre-test of QUESTIONS single-choice questions and a post-test that reuses them."""
    from assessments.models import Choice, Question, QuizKind, QuizPage
    from assessments.specs import QuestionKind
    from courses.services import page_publish_child

    pre = page_publish_child(parent=program, page=QuizPage(title="Pre-test", slug="pre-test", kind=QuizKind.PRE_TEST))
    questions = []
    for number in range(1, QUESTIONS + 1):
        question = Question.objects.create(
            quiz=pre,
            kind=QuestionKind.SINGLE_CHOICE.value,
            name=f"Q{number}",
            text=f"Pertanyaan {number}?",
            sort_order=number,
        )
        choices = [
            Choice.objects.create(
                question=question, text=f"Pilihan {index}", weight=1 if index == 0 else 0, sort_order=index
            )
            for index in range(4)
        ]
        questions.append((question.pk, [choice.pk for choice in choices]))
    post = page_publish_child(
        parent=program,
        page=QuizPage(title="Post-test", slug="post-test", kind=QuizKind.POST_TEST, question_source=pre),
    )
    return {"pre_test": pre.pk, "post_test": post.pk, "questions": questions}


def generate_answers(*, first_enrollment: int, count: int, curriculum: dict, rng) -> dict:
    """A submitted pre-test and post-test per enrollment, each with an answer to every question."""
    from assessments.models import Attempt, Response

    attempt_start = max_id(Attempt) + 1
    questions = curriculum["questions"]
    order = json.dumps([pk for pk, _choices in questions])
    started, submitted = (
        utc(datetime.datetime(2017, 10, 30, 8, 0, tzinfo=WIB)),
        utc(datetime.datetime(2017, 10, 30, 8, 30, tzinfo=WIB)),
    )
    answers = []  # (attempt id, [right or wrong per question])

    def attempts():
        for i in range(count):
            for offset, quiz in enumerate((curriculum["pre_test"], curriculum["post_test"])):
                right = [rng.random() < (0.5 if offset == 0 else 0.75) for _ in questions]
                score = round(100 * sum(right) / len(questions), 2)
                pk = attempt_start + 2 * i + offset
                answers.append((pk, right))
                yield (pk, quiz, first_enrollment + i, 1, started, None, submitted, score, score >= 70, order, "{}")

    table, names = columns(
        Attempt,
        [
            "id",
            "quiz_id",
            "enrollment_id",
            "number",
            "started_at",
            "deadline",
            "submitted_at",
            "score",
            "passed",
            "question_order",
            "choice_order",
        ],
    )
    counts = {"attempts": insert(table, names, attempts())}
    table, names = columns(Response, ["attempt_id", "question_id", "answer", "saved_at", "score"])
    counts["quiz_responses"] = insert(
        table,
        names,
        (
            (pk, question, json.dumps(choices[0] if ok else choices[1]), submitted, 1 if ok else 0)
            for pk, right in answers
            for (question, choices), ok in zip(questions, right, strict=True)
        ),
    )
    return counts


def generate(*, first: int, count: int, per_cohort: int, curriculum: dict, villages: list[int], rng) -> dict:
    """Companions first … first+count-1 in cohorts of `per_cohort`, with everything they did."""
    from courses.models import Attendance, Cohort, Enrollment, LessonProgress, Session
    from people.models import Companion, User

    counts = {}
    now = utc(datetime.datetime(2017, 10, 1, 9, 0, tzinfo=WIB))
    user_start, companion_start, enrollment_start = max_id(User) + 1, max_id(Companion) + 1, max_id(Enrollment) + 1
    cohort_start, session_start = max_id(Cohort) + 1, max_id(Session) + 1
    cohorts = count // per_cohort

    table, names = columns(
        User,
        [
            "id",
            "password",
            "is_superuser",
            "username",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "full_name",
            "phone",
        ],
    )
    counts["users"] = insert(
        table,
        names,
        (
            (user_start + i, "!", False, f"bench{first + i:06d}", "", False, True, now, f"Peserta {first + i}", "")
            for i in range(count)
        ),
    )
    table, names = columns(Companion, ["id", "user_id", "nik", "gender", "birth_date", "village_id"])
    insert(
        table,
        names,
        (
            (
                companion_start + i,
                user_start + i,
                str(3201010101000000 + first + i),
                "MF"[i % 2],
                "1990-08-01",
                villages[(first + i) % len(villages)],
            )
            for i in range(count)
        ),
    )
    table, names = columns(Cohort, ["id", "program_id", "name", "start_date", "end_date", "venue"])
    starts = [
        datetime.date(2017, 10, 30) + datetime.timedelta(days=7 * ((cohort_start + c) % 150)) for c in range(cohorts)
    ]
    counts["cohorts"] = insert(
        table,
        names,
        (
            (
                cohort_start + c,
                curriculum["program"].pk,
                f"Angkatan {cohort_start + c}",
                starts[c].isoformat(),
                (starts[c] + datetime.timedelta(days=3)).isoformat(),
                "Jakarta",
            )
            for c in range(cohorts)
        ),
    )
    table, names = columns(Enrollment, ["id", "cohort_id", "companion_id", "status", "enrolled_at"])
    statuses = rng.choices(["active", "withdrawn", "replaced"], weights=[97, 2, 1], k=count)
    insert(
        table,
        names,
        (
            (enrollment_start + i, cohort_start + i // per_cohort, companion_start + i, statuses[i], now)
            for i in range(count)
        ),
    )
    table, names = columns(
        Session, ["id", "cohort_id", "day", "starts_at", "ends_at", "title", "module_id", "jp_hours", "checkin_code"]
    )
    session_times = []
    for c in range(cohorts):
        for s in range(SESSIONS_PER_COHORT):
            day = s // 5 + 1
            starts_at = datetime.datetime.combine(starts[c], datetime.time(8 + 2 * (s % 5)), WIB) + datetime.timedelta(
                days=day - 1
            )
            session_times.append((session_start + c * SESSIONS_PER_COHORT + s, c, day, starts_at))
    insert(
        table,
        names,
        (
            (
                pk,
                cohort_start + c,
                day,
                utc(at),
                utc(at + datetime.timedelta(minutes=90)),
                f"Sesi {pk}",
                None,
                2,
                f"{s:06d}",
            )
            for s, (pk, c, day, at) in enumerate(session_times)
        ),
    )
    table, names = columns(Attendance, ["session_id", "enrollment_id", "status", "method", "marked_by_id", "marked_at"])
    marks = iter(
        rng.choices(["present", "late", "excused", "absent"], weights=[80, 8, 5, 7], k=count * SESSIONS_PER_COHORT)
    )
    counts["attendance"] = insert(
        table,
        names,
        (
            (session_start + (i // per_cohort) * SESSIONS_PER_COHORT + s, enrollment_start + i, mark, "self", None, now)
            for i in range(count)
            for s, mark in zip(range(SESSIONS_PER_COHORT), marks, strict=False)
        ),
    )
    table, names = columns(LessonProgress, ["enrollment_id", "lesson_id", "completed_at"])
    lessons = curriculum["lessons"]
    counts["lesson_progress"] = insert(
        table,
        names,
        (
            (enrollment_start + i, lesson, now)
            for i in range(count)
            for lesson in lessons[: rng.randint(0, len(lessons))]
        ),
    )
    counts.update(generate_answers(first_enrollment=enrollment_start, count=count, curriculum=curriculum, rng=rng))
    return counts


def render_seconds(client, url: str) -> tuple[float, int]:
    """Median seconds of RENDERS renders of `url`, and the queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(RENDERS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="balai-bench-dashboard-"))
    configure_environment(workdir)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from lms.dashboard.snapshot import refresh_snapshot
    from people.services import user_create

    rng = random.Random(2017)
    # Plain static storage: the admin's templates need no collected, hashed files for this.
    plain_static = override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    plain_static.enable()
    try:
        call_command("migrate", verbosity=0)
        coordinator = user_create(
            username="koordinator", full_name="Koordinator", password_hash=make_password(None), groups=["Coordinator"]
        )
        client = Client()
        client.force_login(coordinator)
        curriculum = build_curriculum()
        villages = build_villages()
        with connection.cursor() as cursor:
            # A throwaway file: no journal, no waiting for the disk, pages kept in memory (up to 1 GB).
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
            cursor.execute("PRAGMA temp_store=MEMORY")
            cursor.execute("PRAGMA foreign_keys=OFF")  # the generator makes the keys right itself

        generate(first=0, count=20, per_cohort=10, curriculum=curriculum, villages=villages, rng=rng)
        _seconds, queries_small = render_seconds(client, reverse("dashboard:index"))
        print(f"small data set (2 cohorts, 20 companions): {queries_small} queries")

        started = time.monotonic()
        indexes = drop_indexes()
        counts = generate(
            first=20, count=COMPANIONS - 20, per_cohort=PER_COHORT, curriculum=curriculum, villages=villages, rng=rng
        )
        create_indexes(indexes)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what `manage.py migrate` leaves to the operator: fresh statistics
        generate_seconds = time.monotonic() - started
        print(
            f"generated in {generate_seconds:.0f} s: "
            + ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in counts.items())
        )
        started = time.perf_counter()
        refresh_snapshot()  # what the button's background task does; the snapshot of the small set is stale
        refresh_seconds = time.perf_counter() - started
        print(f"dashboard figures counted and stored (background task): {refresh_seconds:.3f} s")
        all_seconds, queries = render_seconds(client, reverse("dashboard:index"))
        print(f"dashboard, all cohorts:    {all_seconds:.3f} s median of {RENDERS}, {queries} queries")
        export_seconds, _queries = render_seconds(client, reverse("dashboard:export", args=["kabupaten", "xlsx"]))
        print(f"dashboard export (kabupaten, XLSX): {export_seconds:.3f} s median of {RENDERS}")
        from courses.models import Cohort

        one = Cohort.objects.order_by("-pk").first()
        one_seconds, queries_one = render_seconds(client, reverse("dashboard:cohort", args=[one.pk]))
        print(f"dashboard, one cohort:     {one_seconds:.3f} s median of {RENDERS}, {queries_one} queries")
        progress_seconds, queries_progress = render_seconds(client, reverse("cohort:inspect", args=[one.pk]))
        print(f"cohort progress screen:    {progress_seconds:.3f} s median of {RENDERS}, {queries_progress} queries")
        print(
            json.dumps(
                {
                    "render_s": round(all_seconds, 3),
                    "refresh_s": round(refresh_seconds, 3),
                    "export_s": round(export_seconds, 3),
                    "generate_s": round(generate_seconds),
                    "render_one_cohort_s": round(one_seconds, 3),
                    "render_progress_s": round(progress_seconds, 3),
                    "queries": queries,
                    "queries_one_cohort": queries_one,
                    "queries_small": queries_small,
                }
            )
        )
    finally:
        plain_static.disable()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
