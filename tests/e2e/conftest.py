"""Browser tests: the system Chromium driven by Playwright against pytest-django's live server."""

import os
import shutil
import threading

import pytest

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test.testcases import QuietWSGIRequestHandler

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test's thread; the test's own ORM calls
    (factories, assertions, the test transaction) are still plain synchronous calls."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(orm_beside_playwright):
    """One Chromium per test module: Playwright's event loop must not outlive the browser tests."""
    from playwright.sync_api import sync_playwright  # only the browser tests need it

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Browser tests need Chromium: apt-get install chromium")
        pytest.skip("Chromium is missing (apt-get install chromium): browser tests skipped")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Connections opened while Playwright's loop ran belong to its context; close them
        # here, or PostgreSQL refuses to drop the test database at the end of the run.
        connections.close_all()


@pytest.fixture
def phone(browser):
    """A page on a 360-px phone whose browser prefers English, as many companions' phones do."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


class SharedConnectionServer(threading.Thread):
    """A one-thread HTTP server that uses the test's own database connection.

    The test's data lives in its open transaction, as in any `db` test, so the browser sees
    exactly what the test built and everything is rolled back afterwards, on SQLite and on
    PostgreSQL alike. One thread serves one request at a time, so the shared connection is
    never used twice at once (the test thread waits on the browser meanwhile).
    """

    def __init__(self):
        super().__init__(daemon=True)
        self.connection = connections["default"]
        self.ready = threading.Event()
        self.port = None
        self.error = None

    def run(self):
        connections["default"] = self.connection
        try:
            self.httpd = WSGIServer(("127.0.0.1", 0), QuietWSGIRequestHandler, allow_reuse_address=False)
            self.port = self.httpd.server_address[1]
            self.httpd.set_app(StaticFilesHandler(WSGIHandler()))
        except Exception as error:  # noqa: BLE001 - reported to the test below
            self.error = error
            self.ready.set()
            return
        self.ready.set()
        self.httpd.serve_forever(poll_interval=0.05)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.join(timeout=10)


@pytest.fixture
def site_url(db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    # Django closes a connection that is inside a transaction at each request's start and end;
    # here that transaction is the test's own, so it must stay open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    server = SharedConnectionServer()
    server.connection.inc_thread_sharing()
    server.start()
    server.ready.wait(timeout=10)
    if server.error:
        raise server.error
    yield f"http://127.0.0.1:{server.port}"
    server.stop()
    server.connection.dec_thread_sharing()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
