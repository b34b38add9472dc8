"""Check the system packages Balai needs, and install them where that is safe; one line each.

Runs before Django starts (from the Makefile), so its messages are plain English for whoever
installs the machine. As root on Debian or Ubuntu, `--install` installs what is missing with
apt-get and says so; elsewhere it prints the one apt command. Pango is needed (WeasyPrint
loads it at import); without Chromium the browser tests are skipped, except in CI.
"""

import os
import shutil
import subprocess
import sys
from ctypes.util import find_library

# WeasyPrint (certificates/pdf.py) loads these through cffi at import time.
REQUIRED_LIBRARIES = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
}
# The browser tests drive the system Chromium; nothing downloads a browser.
BROWSER = ("chromium", "chromium")


def missing_libraries() -> list[str]:
    return [package for library, package in REQUIRED_LIBRARIES.items() if not find_library(library)]


def missing_browser() -> list[str]:
    return [] if shutil.which(BROWSER[0]) else [BROWSER[1]]


def can_install() -> bool:
    """Root on a Debian-like system, where apt-get may install packages."""
    return hasattr(os, "geteuid") and os.geteuid() == 0 and bool(shutil.which("apt-get"))


def apt_install(packages: list[str]) -> bool:
    print(f"Balai: installing {' '.join(packages)} with apt-get (missing on this machine).", file=sys.stderr)
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages])
    return all(subprocess.run(step, env=environment, check=False).returncode == 0 for step in steps)  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    browser, install = "--browser" in arguments, "--install" in arguments
    missing = missing_libraries() + (missing_browser() if browser else [])
    if missing and install and can_install():
        apt_install(missing)
        missing = missing_libraries() + (missing_browser() if browser else [])
    if not missing:
        return 0
    command = f"apt-get install {' '.join(missing)}"
    if missing_libraries():
        print(f"Balai needs these for its PDFs. Install them: {command}", file=sys.stderr)
        return 1
    if os.environ.get("CI", "").lower() == "true":
        print(f"CI needs Chromium for the browser tests. Install it: {command}", file=sys.stderr)
        return 1
    print(f"Chromium is missing: the browser tests will be skipped. To run them: {command}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
