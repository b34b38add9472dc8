"""Benchmark a cohort taking a quiz at once: autosave and submit latency under gunicorn.

Runs against a fresh SQLite database (WAL) in a temporary folder with production settings:
1. builds a programme, a 20-question pre-test (imported from GIFT through the question-bank
   service) and 240 enrolled companions, each with a session written straight to the database
   (logging 240 people in would only measure the login throttle and Argon2);
2. weighs a 20-question attempt page in-process: SQL queries and bytes of HTML + CSS + JS;
3. serves the site with gunicorn (2 workers) on 127.0.0.1, and 240 simulated companions each
   start the quiz, autosave 20 answers spread over 60 s, then all submit within 10 s; beside
   them a trivial page (the login form) is fetched every quarter second;
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
START_SECONDS = 10  # attempts start over the first 10 s, as a room opens the quiz
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
            blocks.append(f"::Q{number:02d}::Soal pilihan ganda nomor {number}? {{=benar ~salah satu ~salah dua ~salah tiga}}")
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
    program = page_publish_child(parent=root, page=ProgramPage(title="Bimtek Uji Beban", slug="bimtek-uji-beban", days=4))
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


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, int(-(-share * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]
