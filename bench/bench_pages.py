"""Benchmark the companion's pages: SQL queries, page weight, and requests per second.

Runs against a scratch SQLite database in a temporary folder with production settings:
1. queries of the companion home and a lesson page with the demo data, then with ten times
   the modules, lessons and companions (the counts must not grow);
2. bytes of HTML + CSS + JS of a lesson page (images excluded);
3. requests per second of an authenticated lesson page under gunicorn (2 workers) against a
   static file of the same size served by whitenoise from the same server, in alternating
   rounds; medians and their ratio.
The last line printed is one JSON object. Needs wrk (Debian: apt-get install wrk).
"""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3
SECONDS_PER_ROUND = 5
CONNECTIONS = 8
SCALE = int(os.environ.get("BENCH_SCALE", "10"))


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


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: Wagtail's site cache, the lesson fragment
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def measure_queries(client, lesson_url: str) -> tuple[int, int]:
    return count_queries(client, "/"), count_queries(client, lesson_url)


def scale_up(factor: int) -> None:
    """Copy every module with its lessons (factor - 1) times and add companions to match."""
    from django.contrib.auth.hashers import make_password

    from courses.models import Cohort, LessonPage, ModulePage, ProgramPage
    from courses.services import enrollment_create, page_publish_child
    from people.models import Village
    from people.services import companion_create

    program = ProgramPage.objects.get(slug="bimtek-pendamping-desmigratif-2017")
    modules = list(ModulePage.objects.child_of(program).order_by("path"))
    for copy in range(1, factor):
        for module in modules:
            new_module = page_publish_child(
                parent=program,
                page=ModulePage(
                    title=f"{module.title} ({copy + 1})",
                    slug=f"{module.slug}-{copy + 1}",
                    code=module.code,
                    day=module.day,
                    jp_hours=module.jp_hours,
                    trainer_institution=module.trainer_institution,
                ),
            )
            for lesson in LessonPage.objects.child_of(module).order_by("path"):
                page_publish_child(
                    parent=new_module,
                    page=LessonPage(
                        title=lesson.title,
                        slug=lesson.slug,
                        intro=lesson.intro,
                        reading_minutes=lesson.reading_minutes,
                        body=list(lesson.body.raw_data),
                    ),
                )
    cohort = Cohort.objects.get(program=program)
    villages = list(Village.objects.order_by("code"))
    existing = cohort.enrollments.count()
    password_hash = make_password("desmigratif")
    for number in range(existing + 1, existing * factor + 1):
        village = villages[number % len(villages)]
        region = village.code.replace(".", "")[:6]
        companion = companion_create(
            username=f"bench{number:05d}",
            full_name=f"Peserta Uji {number}",
            nik=f"{region}0101{90 + number % 10:02d}{number:04d}",
            phone=f"0813{number:08d}",
            village=village,
            password_hash=password_hash,
        )
        enrollment_create(cohort=cohort, companion=companion)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def wrk_requests_per_second(url: str, cookie: str) -> float:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS_PER_ROUND}s", "--timeout", "5s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=SECONDS_PER_ROUND + 30).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk saw error responses from {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> int:
    if not shutil.which("wrk"):
        print("bench-pages needs wrk: apt-get install wrk", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="balai-bench-"))
    env = configure_environment(workdir)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from courses.models import LessonPage
    from people.models import User

    try:
        call_command("migrate", verbosity=0)
        call_command("load_demo_data", force=True, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

        client = Client()
        client.force_login(User.objects.get(username="pendamping001"))
        lesson = LessonPage.objects.live().order_by("path").first()
        lesson_url = f"/belajar/pelajaran/{lesson.pk}/"
        queries_home, queries_lesson = measure_queries(client, lesson_url)
        print(f"queries, demo data:        home {queries_home}, lesson {queries_lesson}")

        started = time.monotonic()
        scale_up(SCALE)
        print(f"scaled to {SCALE}x modules, lessons and companions in {time.monotonic() - started:.0f} s")
        queries_home_10x, queries_lesson_10x = measure_queries(client, lesson_url)
        print(f"queries, {SCALE}x data:         home {queries_home_10x}, lesson {queries_lesson_10x}")

        response = client.get(lesson_url)
        html = response.content
        assets = re.findall(rb'<link[^>]+href="(/static/[^"]+\.css)"', html) + re.findall(
            rb'<script[^>]+src="(/static/[^"]+)"', html
        )
        asset_bytes = sum(
            (Path(settings.STATIC_ROOT) / asset.decode()[len(settings.STATIC_URL) :]).stat().st_size for asset in assets
        )
        lesson_bytes = len(html) + asset_bytes
        print(f"lesson page weight:        {len(html)} B HTML + {asset_bytes} B CSS/JS = {lesson_bytes} B")

        # A static file of the lesson page's size, served by whitenoise in the same server.
        static_name = "bench-same-size.html"
        (Path(settings.STATIC_ROOT) / static_name).write_bytes(b"x" * len(html))
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())

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
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/static/{static_name}")
            wrk_requests_per_second(f"{base}{lesson_url}", cookie)  # warm both workers
            lesson_rps, static_rps = [], []
            for _ in range(ROUNDS):
                lesson_rps.append(wrk_requests_per_second(f"{base}{lesson_url}", cookie))
                static_rps.append(wrk_requests_per_second(f"{base}/static/{static_name}", ""))
        finally:
            server.terminate()
            server.wait(timeout=30)
        lesson_median, static_median = statistics.median(lesson_rps), statistics.median(static_rps)
        ratio = lesson_median / static_median
        print(f"lesson page, rounds:       {', '.join(f'{value:.0f}' for value in lesson_rps)} req/s")
        print(f"same-size static, rounds:  {', '.join(f'{value:.0f}' for value in static_rps)} req/s")
        print(f"medians: lesson {lesson_median:.0f} req/s, static {static_median:.0f} req/s, ratio {ratio:.2f}")
        print(
            json.dumps(
                {
                    "queries_home": queries_home,
                    "queries_lesson": queries_lesson,
                    "queries_home_10x": queries_home_10x,
                    "queries_lesson_10x": queries_lesson_10x,
                    "lesson_bytes": lesson_bytes,
                    "lesson_rps": round(lesson_median, 1),
                    "static_rps": round(static_median, 1),
                    "ratio": round(ratio, 3),
                }
            )
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
