"""Benchmark certificates: issue 240, render every PDF with two background workers, join the print file.

Runs against a scratch SQLite database in a temporary folder with production settings, a
self-made signing key (so every PDF is signed) and the demo data:
1. a fresh cohort of the program's 240 demo companions, made eligible by its own rule;
2. two `db_worker` processes start and wait; the clock starts; the 240 certificates are issued
   (one transaction), the workers render and sign the PDFs, then the print file is joined from
   them; the clock stops: `wall_s`;
3. the per-certificate time of the app's render path (HTML, WeasyPrint, signature, storage) and
   of a bare WeasyPrint render of the same HTML, interleaved in this process: `overhead`;
4. the workers go on rendering (every certificate reissued, four rounds) so that each makes
   about 600 PDFs; their peak RSS is read after about 50 and about 500 renders each.
The last line printed is one JSON object.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
SAMPLE = 48
REISSUE_ROUNDS = 4
TIMEOUT = 900


def configure_environment(workdir: Path) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,testserver,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "BALAI_SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "BALAI_CACHE_DIR": str(workdir / "cache"),
        "BALAI_STATIC_ROOT": str(workdir / "static"),
        "BALAI_CERTIFICATE_ROOT": str(workdir / "certificates"),
        "BALAI_CERTIFICATE_SIGNING_KEY": str(workdir / "signing.p12"),
        "BALAI_CERTIFICATE_SIGNING_PASSPHRASE": "bench",
    }
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    return {**os.environ}


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_workers(env: dict, workdir: Path) -> list[subprocess.Popen]:
    """Render workers as the site runs them: the same settings, without Wagtail, on the certificates queue.

    They log a line per task: to files, since an unread pipe fills up and stops them.
    """
    env = {
        **env,
        "BALAI_SETTINGS": env["DJANGO_SETTINGS_MODULE"],
        "DJANGO_SETTINGS_MODULE": "lms.settings.render_worker",
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "certificates", "--no-reload"]
    command += ["--no-startup-delay", "--interval", "0.1"]
    workers = []
    for number in range(WORKERS):
        with open(workdir / f"worker-{number}.log", "wb") as log:
            workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
    return workers


def renders_done() -> int:
    """PDFs made so far: each edition of a certificate is rendered once, the pending ones not yet."""
    from django.db.models import Sum

    from certificates.models import Certificate

    editions = Certificate.objects.valid().aggregate(n=Sum("revision"))["n"] or 0
    return editions - Certificate.objects.valid().exclude(render_status="done").count()


class RssSampler:
    """Reads the workers' peak RSS when each has made about 50 and about 500 PDFs."""

    def __init__(self, workers):
        self.workers = workers
        self.at = {50: None, 500: None}

    def tick(self) -> None:
        per_worker = renders_done() / len(self.workers)
        for threshold, seen in self.at.items():
            if seen is None and per_worker >= threshold:
                self.at[threshold] = max(peak_rss_mb(worker.pid) for worker in self.workers)


def wait_until(condition, *, what: str, sampler: RssSampler) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        sampler.tick()
        time.sleep(0.05)
    sampler.tick()


def bench_cohort():
    """A cohort of the demo program with all 240 demo companions, eligible by its own rule."""
    import datetime

    from certificates.services import cohort_rule_update
    from courses.models import Cohort, Enrollment
    from courses.services import cohort_create, enrollment_create

    demo = Cohort.objects.get(name="Angkatan I 2017")
    cohort = cohort_create(
        program=demo.program,
        name="Angkatan Bench",
        start_date=datetime.date(2017, 10, 30),
        end_date=datetime.date(2017, 11, 2),
        venue="Jakarta",
    )
    for enrollment in Enrollment.objects.filter(cohort=demo).select_related("companion").order_by("pk"):
        enrollment_create(cohort=cohort, companion=enrollment.companion)
    cohort_rule_update(cohort=cohort, by=None, min_attendance_percent=0, post_test_required=False)
    return cohort


def render_paths(certificates) -> tuple[float, float, float]:
    """Milliseconds per certificate: the app's path (signed), the same unsigned, and bare WeasyPrint.

    The three run in turn on each certificate, in a rotating order, so that neither the machine's
    drift nor the previous render's garbage favours one of them.
    """
    from weasyprint import HTML  # the bare render, outside the app on purpose
    from weasyprint.text.fonts import FontConfiguration

    from django.conf import settings
    from django.test.utils import override_settings

    from certificates.models import CertificateTemplate
    from certificates.pdf import PDF_VARIANT, certificate_html
    from certificates.services import certificate_render
    from certificates.sharing import verify_url

    htmls = [
        certificate_html(certificate=c, template=c.template or CertificateTemplate(), verify_url=verify_url(c))
        for c in certificates
    ]
    base_url = str(ROOT / "certificates" / "fonts")
    fonts = FontConfiguration()  # one for the bare loop too, as a careful plain loop would

    def bare(certificate, html):
        HTML(string=html, base_url=base_url).write_pdf(font_config=fonts, pdf_variant=PDF_VARIANT)

    def app(certificate, html):
        certificate_render(certificate_id=certificate.pk)

    def unsigned(certificate, html):
        with override_settings(CERTIFICATE_SIGNING_KEY=""):
            certificate_render(certificate_id=certificate.pk)

    paths = [bare, app, unsigned]
    for path in paths:  # warm each
        path(certificates[0], htmls[0])
    times = {path: [] for path in paths}
    for turn, (certificate, html) in enumerate(zip(certificates, htmls, strict=True)):
        for path in paths[turn % 3 :] + paths[: turn % 3]:
            start = time.perf_counter()
            path(certificate, html)
            times[path].append(time.perf_counter() - start)
    assert settings.CERTIFICATE_SIGNING_KEY
    return tuple(statistics.median(times[path]) * 1000 for path in (app, unsigned, bare))


def app_parts(certificates) -> tuple[float, float]:
    """Milliseconds per certificate of the app's two largest costs beside WeasyPrint: the job (HTML with
    its QR code, and the e-mail) and the PAdES signature."""
    from certificates.pdf import render_pdf
    from certificates.services import render_job
    from certificates.signing import sign_pdf

    jobs, signing = [], []
    for certificate in certificates:
        start = time.perf_counter()
        job = render_job(certificate)
        jobs.append(time.perf_counter() - start)
        pdf = render_pdf(job["html"])
        start = time.perf_counter()
        sign_pdf(pdf, reason=job["reason"], location=job["location"])
        signing.append(time.perf_counter() - start)
    return statistics.median(jobs) * 1000, statistics.median(signing) * 1000


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="balai-bench-certificates-"))
    env = configure_environment(workdir)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    from certificates.models import Certificate
    from certificates.pdf import merge_pdfs
    from certificates.services import certificate_reissue, certificates_issue
    from certificates.signing import make_demo_key

    key = Path(settings.CERTIFICATE_SIGNING_KEY)
    make_demo_key(key, passphrase=settings.CERTIFICATE_SIGNING_PASSPHRASE, common_name="Bench signer")
    call_command("migrate", verbosity=0)
    call_command("load_demo_data", force=True, verbosity=0)
    workers = start_workers(env, workdir)
    sampler = RssSampler(workers)
    try:
        # The demo's own certificates are rendered first, untimed, so the workers start idle.
        wait_until(
            lambda: not Certificate.objects.valid().exclude(render_status="done").exists(),
            what="demo PDFs",
            sampler=sampler,
        )
        cohort = bench_cohort()

        start = time.perf_counter()
        issued = certificates_issue(cohort=cohort, by=None)
        issue_s = time.perf_counter() - start
        ours = Certificate.objects.filter(enrollment__cohort=cohort)
        wait_until(lambda: not ours.exclude(render_status="done").exists(), what="the 240 PDFs", sampler=sampler)
        rendered_s = time.perf_counter() - start
        files = [certificate.pdf.open("rb") for certificate in ours.order_by("sequence")]
        merged = merge_pdfs(files)
        for file in files:
            file.close()
        wall_s = time.perf_counter() - start
        assert len(issued) == 240 and not ours.filter(render_status="failed").exists()
        sizes = [certificate.pdf.size for certificate in ours]
        worker_per_cert_ms = (rendered_s - issue_s) * WORKERS / len(issued) * 1000
        print(
            f"Timed phase: issue {issue_s:.2f} s, PDFs {rendered_s:.2f} s, with the print file {wall_s:.2f} s",
            flush=True,
        )

        for _round in range(REISSUE_ROUNDS):
            for certificate in ours:
                certificate_reissue(certificate=certificate, by=None, reason="bench")
            wait_until(lambda: not ours.exclude(render_status="done").exists(), what="reissued PDFs", sampler=sampler)
        renders_per_worker = renders_done() / WORKERS
        rss_50, rss_500 = sampler.at[50], sampler.at[500]
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)

    sample = list(ours.order_by("sequence").select_related("template", "enrollment__companion__user")[:SAMPLE])
    app_ms, unsigned_ms, bare_ms = render_paths(sample)
    job_ms, sign_ms = app_parts(sample)
    result = {
        "per_cert_ms": round(app_ms, 1),
        "bare_per_cert_ms": round(bare_ms, 1),
        "overhead": round(app_ms / bare_ms - 1, 3),
        "wall_s": round(wall_s, 2),
        "worker_rss_mb_50": round(rss_50, 1) if rss_50 else None,
        "worker_rss_mb_500": round(rss_500, 1) if rss_500 else None,
        "max_cert_bytes": max(sizes),
        "merged_bytes": len(merged),
        "unsigned_per_cert_ms": round(unsigned_ms, 1),
        "overhead_unsigned": round(unsigned_ms / bare_ms - 1, 3),
        "worker_per_cert_ms": round(worker_per_cert_ms, 1),
        "issue_s": round(issue_s, 2),
        "total_cert_bytes": sum(sizes),
        "renders_per_worker": int(renders_per_worker),
        "job_ms": round(job_ms, 1),
        "sign_ms": round(sign_ms, 1),
    }
    print(f"Issued {len(issued)} certificates in {issue_s:.2f} s (one transaction).")
    print(f"All {len(issued)} PDFs rendered and signed by {WORKERS} workers, and the print file joined: {wall_s:.2f} s")
    print(f"  per certificate in a worker (wall × workers / count): {worker_per_cert_ms:.0f} ms")
    print(f"Per certificate, median of {SAMPLE} in this process:")
    print(f"  app (HTML, WeasyPrint, signature, storage): {app_ms:.0f} ms; unsigned {unsigned_ms:.0f} ms")
    print(f"  bare WeasyPrint render of the same HTML: {bare_ms:.0f} ms")
    print(f"  overhead: {app_ms / bare_ms - 1:+.1%} signed, {unsigned_ms / bare_ms - 1:+.1%} unsigned")
    print(f"  of which: the job (HTML, QR code, e-mail) {job_ms:.1f} ms, the PAdES signature {sign_ms:.1f} ms")
    print(f"Worker peak RSS after ~50 renders: {rss_50} MB; after ~500: {rss_500} MB ({renders_per_worker:.0f} each)")
    print(f"Sizes: largest certificate {max(sizes)} B, all {sum(sizes)} B, merged print file {len(merged)} B")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
