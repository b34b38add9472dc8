"""gunicorn's access log, as the project configures it, keeps a NIK in a query string out of the log."""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
NIK = "3307101204870001"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_access_log_names_the_path_but_not_the_query_or_the_referrer(tmp_path):
    log = tmp_path / "access.log"
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(log)]
    server = subprocess.Popen(
        [*command, "tests.lms.wsgi_echo:application"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/admin/snippets/people/companion/?q={NIK}",
            headers={"Referer": f"http://127.0.0.1:{port}/admin/?q={NIK}", "User-Agent": "uji"},
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                assert urllib.request.urlopen(request, timeout=5).read() == b"ok"  # noqa: S310 - our own server
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    line = log.read_text()
    assert re.search(r'"GET /admin/snippets/people/companion/ HTTP/1.1" 200 2 \d+ms "uji"', line), line
    assert NIK not in line
