"""Benchmark a cohort taking a quiz at once: autosave and submit latency under gunicorn.

Runs against a fresh SQLite database (WAL) in a temporary folder with production settings:
1. builds a programme, a 20-question pre-test (imported from GIFT through the question-bank
   service) and 240 enrolled companions, each with a session written straight to the database
   (logging 240 people in would only measure the login throttle and Argon2);
2. weighs a 20-question attempt page in-process: SQL queries and bytes of HTML + CSS + JS;
3. serves the site with gunicorn (2 workers) on 127.0.0.1; 240 simulated companions start the
   quiz and open its page over 30 s, then each autosaves 20 answers spread over the same 60 s,
   then all submit within 10 s; beside them a trivial page (the login form) is fetched every
   quarter second over the last 70 s;
4. prints p50/p95/p99 per kind of request and the error count, then checks the database:
   exactly 240 submitted attempts, every last-sent answer stored, and every score equal to a
   recomputation with assessments.scoring.
The load is bounded: a fixed number of requests, each with a timeout, and a deadline for the run.
The last line printed is one JSON object.
"""

import datetime
import http.client
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPANIONS = int(os.environ.get("BENCH_COMPANIONS", "240"))
QUESTIONS = 20
START_SECONDS = 30  # before the measured phase the room opens the quiz: starts and first page views
AUTOSAVE_SECONDS = 60
SUBMIT_SECONDS = 10
TRIVIAL_INTERVAL = 0.25
REQUEST_TIMEOUT = 15
RUN_DEADLINE = START_SECONDS + AUTOSAVE_SECONDS + SUBMIT_SECONDS + 120
SEED = 2017
TARGETS_MS = {"autosave": 100, "submit": 300}


def configure_environment(workdir: Path) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,testserver,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "BALAI_SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "BALAI_CACHE_DIR": str(workdir / "cache"),
        "BALAI_STATIC_ROOT": str(workdir / "static"),
    }
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    return {**os.environ}


def gift_bank() -> str:
    """Twenty questions of every scored kind, tagged with four modules through $CATEGORY."""
    blocks = []
    for number in range(1, QUESTIONS + 1):
        module = f"M0{(number - 1) // 5 + 1}"
        blocks.append(f"$CATEGORY: $course$/top/{module}")
        if number % 10 == 3:
            blocks.append(f"::Q{number:02d}::Pilih yang benar untuk soal {number}. {{~%50%satu ~%50%dua ~%-100%tiga}}")
        elif number % 10 == 6:
            blocks.append(f"::Q{number:02d}::Pernyataan nomor {number} benar. {{TRUE#Keliru.#Tepat.}}")
        elif number % 10 == 9:
            blocks.append(f"::Q{number:02d}::Singkatan PMI (soal {number})? {{=Pekerja Migran Indonesia =PMI}}")
        else:
            blocks.append(
                f"::Q{number:02d}::Soal pilihan ganda nomor {number}? {{=benar ~salah satu ~salah dua ~salah tiga}}"
            )
    return "\n\n".join(blocks) + "\n"


def build_world() -> dict:
    """The programme, the quiz, the cohort and its companions; returns what the load needs."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.utils import timezone

    from wagtail.models import Site

    from assessments.banks import questions_import
    from assessments.models import QuizKind, QuizPage
    from courses.models import ModulePage, ProgramPage
    from courses.services import cohort_create, enrollment_create, page_publish_child
    from people.services import companion_create, village_create

    root = Site.objects.get(is_default_site=True).root_page
    program = page_publish_child(
        parent=root, page=ProgramPage(title="Bimtek Uji Beban", slug="bimtek-uji-beban", days=4)
    )
    for number in range(1, 5):
        page_publish_child(
            parent=program,
            page=ModulePage(title=f"Modul {number}", slug=f"modul-{number}", code=f"M0{number}", day=1, jp_hours=2),
        )
    quiz = page_publish_child(parent=program, page=QuizPage(title="Pre-test", slug="pre-test", kind=QuizKind.PRE_TEST))
    questions_import(quiz=quiz, content=gift_bank(), fmt="gift", by=None)
    today = timezone.localdate()
    cohort = cohort_create(
        program=program, name="Angkatan Uji", start_date=today, end_date=today + datetime.timedelta(days=3)
    )
    village = village_create(
        code="33.07.10.2001", name="Desa Uji", kecamatan="Watumalang", kabupaten="Wonosobo", provinsi="Jawa Tengah"
    )
    password_hash = make_password("desmigratif")
    sessions = []
    for number in range(1, COMPANIONS + 2):  # one more, whose attempt page is weighed in-process
        companion = companion_create(
            username=f"uji{number:04d}",
            full_name=f"Peserta Uji {number}",
            nik=f"3307100101{90 + number % 10:02d}{number:04d}",
            phone=f"0813{number:08d}",
            village=village,
            password_hash=password_hash,
        )
        enrollment_create(cohort=cohort, companion=companion)
        user = companion.user
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "people.backends.UsernameOrPhoneBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append((user, session.session_key))
    return {"quiz": QuizPage.objects.get(pk=quiz.pk), "sessions": sessions}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/masuk/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer")


@dataclass
class Recorder:
    """Latencies in milliseconds per kind of request, and the errors, shared by the client threads."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, milliseconds: float, error: str = "") -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(milliseconds)
            if error:
                self.errors.append(f"{kind}: {error}")


class Browser:
    """One companion's client: a session and CSRF cookie, one request at a time, timed."""

    def __init__(self, port: int, session_key: str, recorder: Recorder):
        self.port = port
        self.recorder = recorder
        self.csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the token
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}"

    def request(self, kind: str, method: str, path: str, body: bytes = b"", content_type: str = "", expect=(200,)):
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        if method == "POST":
            headers |= {"X-CSRFToken": self.csrf, "Content-Type": content_type, "Content-Length": str(len(body))}
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            connection.close()
        except OSError as error:
            self.recorder.record(kind, (time.perf_counter() - started) * 1000, f"{path}: {error!r}")
            return None, b"", {}
        milliseconds = (time.perf_counter() - started) * 1000
        error = "" if response.status in expect else f"{path}: HTTP {response.status}"
        self.recorder.record(kind, milliseconds, error)
        return response.status, payload, dict(response.getheaders())


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of the gunicorn master and its workers so far, from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        pid, parent = int(stat.parent.name), int(fields[1])
        if master_pid in (pid, parent):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, int(-(-share * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def answer_plan(questions: list[dict], rng: random.Random) -> list[tuple[int, object]]:
    """Twenty (question id, answer) pairs in page order, right about two times in three."""
    plan = []
    for question in questions:
        right = rng.random() < 0.65
        kind, choices = question["kind"], question["choices"]
        if kind == "single_choice":
            best = max(choices, key=lambda choice: choice[1])[0]
            answer = best if right else rng.choice([pk for pk, weight in choices if pk != best])
        elif kind == "multiple_choice":
            answer = (
                [pk for pk, weight in choices if weight > 0] if right else rng.sample([pk for pk, _w in choices], 2)
            )
        elif kind == "true_false":
            answer = question["correct"] if right else not question["correct"]
        else:
            answer = rng.choice(["pekerja migran indonesia.", "PMI"]) if right else "tenaga kerja"
        plan.append((question["id"], answer))
    return plan


def companion_run(
    *,
    browser: Browser,
    urls: dict,
    questions: list[dict],
    seed: int,
    start_at: float,
    autosave_from: float,
    submit_at: float,
    sent: dict,
) -> None:
    """Start at `start_at`, autosave each answer at its moment over AUTOSAVE_SECONDS, then submit at `submit_at`."""
    rng = random.Random(seed)
    plan = answer_plan(questions, rng)
    time.sleep(max(0.0, start_at - time.monotonic()))
    status, _body, headers = browser.request(
        "start", "POST", urls["start"], b"", "application/x-www-form-urlencoded", (302,)
    )
    match = re.search(r"/(\d+)/$", headers.get("Location", ""))
    if status != 302 or not match:
        return
    attempt_path = headers["Location"]
    attempt_id = int(match.group(1))
    browser.request("page", "GET", attempt_path)
    save_path = urls["save"].format(attempt_id)
    moments = sorted(autosave_from + rng.uniform(0, AUTOSAVE_SECONDS) for _ in plan)
    for (question_id, answer), moment in zip(plan, moments, strict=True):
        time.sleep(max(0.0, moment - time.monotonic()))
        body = json.dumps({"question": question_id, "answer": answer}).encode()
        status, _payload, _headers = browser.request("autosave", "POST", save_path, body, "application/json")
        if status == 200:
            sent[(attempt_id, question_id)] = answer
    time.sleep(max(0.0, submit_at - time.monotonic()))
    browser.request("submit", "POST", urls["submit"].format(attempt_id), b"{}", "application/json")


def trivial_run(*, browser: Browser, start_at: float, until: float) -> None:
    time.sleep(max(0.0, start_at - time.monotonic()))
    while time.monotonic() < until:
        browser.request("trivial", "GET", "/masuk/")
        time.sleep(TRIVIAL_INTERVAL)


def quiz_questions(quiz) -> list[dict]:
    return [
        {
            "id": question.pk,
            "kind": question.kind,
            "correct": question.correct,
            "choices": [(choice.pk, choice.weight) for choice in question.ordered_choices()],
        }
        for question in quiz.question_rows()
    ]


def weigh_attempt_page(user, quiz, static_root: Path) -> tuple[int, int, int]:
    """(queries, HTML bytes, CSS + JS bytes) of a 20-question attempt page, measured in-process."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    response = client.post(reverse("assessments:quiz-start", args=[quiz.pk]))
    assert response.status_code == 302, response.status_code
    url = response["Location"]
    client.get(url)  # warm: Wagtail's site cache, the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content
    assets = re.findall(rb'<link[^>]+href="(/static/[^"]+\.css)"', html) + re.findall(
        rb'<script[^>]+src="(/static/[^"]+)"', html
    )
    asset_bytes = sum(
        (static_root / asset.decode()[len(settings.STATIC_URL) :]).stat().st_size for asset in set(assets)
    )
    return len(queries), len(html), asset_bytes


def answer_index(question_spec_ids: list[int], answer):
    """A stored answer (choice ids) as the scoring functions take it (indices in the question's order)."""
    if isinstance(answer, list):
        return [question_spec_ids.index(pk) if pk in question_spec_ids else -1 for pk in answer]
    if isinstance(answer, int) and not isinstance(answer, bool):
        return question_spec_ids.index(answer) if answer in question_spec_ids else -1
    return answer


def check_database(quiz, enrollment_ids: list[int], sent: dict) -> dict:
    """Submitted attempts, answers kept, and scores recomputed with assessments.scoring."""
    from django.db import connections

    from assessments.models import Attempt, Response
    from assessments.scoring import score_attempt

    connections.close_all()  # the servers wrote; read afresh
    questions = {question.pk: question for question in quiz.question_rows()}
    specs = {pk: question.to_spec() for pk, question in questions.items()}
    choice_ids = {pk: [choice.pk for choice in question.ordered_choices()] for pk, question in questions.items()}
    attempts = list(Attempt.objects.filter(quiz=quiz, enrollment_id__in=enrollment_ids))
    submitted = [attempt for attempt in attempts if attempt.submitted_at is not None]
    stored = {
        (response.attempt_id, response.question_id): response.answer
        for response in Response.objects.filter(attempt__in=attempts)
    }
    lost = sum(1 for key, answer in sent.items() if stored.get(key) != answer)
    mismatches = 0
    for attempt in submitted:
        pairs = [
            (specs[pk], answer_index(choice_ids[pk], stored.get((attempt.pk, pk)))) for pk in attempt.question_order
        ]
        if score_attempt(pairs) != attempt.score:
            mismatches += 1
    return {
        "attempts": len(attempts),
        "submitted": len(submitted),
        "answers_sent": len(sent),
        "answers_lost": lost,
        "score_mismatches": mismatches,
    }


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="balai-bench-quiz-"))
    env = configure_environment(workdir)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.urls import reverse

    try:
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        world = build_world()
        quiz = world["quiz"]
        questions = quiz_questions(quiz)
        assert len(questions) == QUESTIONS, len(questions)
        print(
            f"built the quiz ({QUESTIONS} questions) and {COMPANIONS} companions in {time.monotonic() - started:.0f} s"
        )

        spare_user, _spare_session = world["sessions"][-1]
        page_queries, html_bytes, asset_bytes = weigh_attempt_page(spare_user, quiz, Path(settings.STATIC_ROOT))
        page_bytes = html_bytes + asset_bytes
        print(
            f"attempt page ({QUESTIONS} questions): {page_queries} queries, "
            f"{html_bytes} B HTML + {asset_bytes} B CSS/JS = {page_bytes} B"
        )

        sessions = world["sessions"][:COMPANIONS]
        from courses.models import Enrollment

        enrollment_ids = list(
            Enrollment.objects.filter(companion__user__in=[user for user, _key in sessions]).values_list(
                "pk", flat=True
            )
        )
        marker = 987654321
        urls = {
            "start": reverse("assessments:quiz-start", args=[quiz.pk]),
            "save": reverse("assessments:attempt-save", args=[marker]).replace(str(marker), "{}"),
            "submit": reverse("assessments:attempt-submit", args=[marker]).replace(str(marker), "{}"),
        }
        connections.close_all()

        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "lms.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        recorder = Recorder()
        sent: dict = {}
        try:
            wait_for(port)
            load_before = os.getloadavg()[0]
            cpu_before = server_cpu_seconds(server.pid)
            t0 = time.monotonic() + 2
            autosave_from = t0 + START_SECONDS
            submit_from = autosave_from + AUTOSAVE_SECONDS
            rng = random.Random(SEED)
            threads = [
                threading.Thread(
                    target=companion_run,
                    kwargs={
                        "browser": Browser(port, session_key, recorder),
                        "urls": urls,
                        "questions": questions,
                        "seed": SEED + index,
                        "start_at": t0 + index * START_SECONDS / COMPANIONS,
                        "autosave_from": autosave_from,
                        "submit_at": submit_from + rng.uniform(0, SUBMIT_SECONDS),
                        "sent": sent,
                    },
                    daemon=True,
                )
                for index, (_user, session_key) in enumerate(sessions)
            ]
            trivial = threading.Thread(
                target=trivial_run,
                kwargs={
                    "browser": Browser(port, "", recorder),
                    "start_at": autosave_from,
                    "until": submit_from + SUBMIT_SECONDS,
                },
                daemon=True,
            )
            print(
                f"load: {COMPANIONS} companions start over {START_SECONDS} s, then autosave {QUESTIONS} answers "
                f"each over {AUTOSAVE_SECONDS} s, then submit within {SUBMIT_SECONDS} s"
            )
            for thread in [*threads, trivial]:
                thread.start()
            deadline = t0 + RUN_DEADLINE
            for thread in [*threads, trivial]:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
            unfinished = sum(thread.is_alive() for thread in threads)
            if unfinished:
                recorder.errors.append(f"{unfinished} companions had not finished by the deadline")
            cpu_used = server_cpu_seconds(server.pid) - cpu_before
            requests = sum(len(values) for values in recorder.latencies.values())
            # Other work on the machine takes CPU from the server: these say how much it had.
            print(
                f"load ran {time.monotonic() - t0:.0f} s; the 2 workers used {cpu_used:.0f} s of CPU for "
                f"{requests} requests ({1000 * cpu_used / max(requests, 1):.1f} ms each); machine load average "
                f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)

        figures = {}
        for kind in ("start", "page", "autosave", "submit", "trivial"):
            values = recorder.latencies.get(kind, [])
            p50, p95, p99 = (percentile(values, share) for share in (0.50, 0.95, 0.99))
            figures[kind] = p95
            target = f"   (target p95 <= {TARGETS_MS[kind]} ms)" if kind in TARGETS_MS else ""
            print(f"{kind:<9} n={len(values):>5}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms{target}")
        print(f"errors: {len(recorder.errors)}")
        for error in recorder.errors[:10]:
            print(f"  {error}")

        check = check_database(quiz, enrollment_ids, sent)
        scores_match = check["score_mismatches"] == 0 and check["submitted"] == COMPANIONS
        print(
            f"database: {check['attempts']} attempts, {check['submitted']} submitted (expected {COMPANIONS}); "
            f"{check['answers_sent']} answers confirmed, {check['answers_lost']} lost; "
            f"{check['score_mismatches']} scores differ from a recomputation"
        )
        print(
            json.dumps(
                {
                    "autosave_p95_ms": round(figures["autosave"], 1),
                    "submit_p95_ms": round(figures["submit"], 1),
                    "trivial_p95_ms": round(figures["trivial"], 1),
                    "errors": len(recorder.errors) + check["answers_lost"],
                    "attempts": check["submitted"] if check["attempts"] == check["submitted"] else check["attempts"],
                    "scores_match": scores_match,
                    "attempt_page_queries": page_queries,
                    "attempt_page_bytes": page_bytes,
                }
            )
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
