"""Tell a person in one line which system package is missing, instead of a traceback.

Runs before Django starts (from the Makefile), so its messages are plain English for whoever
installs the machine.
"""

import shutil
import sys
from ctypes.util import find_library

# WeasyPrint (certificates/pdf.py) loads these through cffi at import time.
REQUIRED_LIBRARIES = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
}
# The browser tests drive the system Chromium; nothing downloads a browser.
BROWSER = ("chromium", "chromium")


def missing_packages(*, browser: bool = False) -> list[str]:
    missing = [package for library, package in REQUIRED_LIBRARIES.items() if not find_library(library)]
    if browser and not shutil.which(BROWSER[0]):
        missing.append(BROWSER[1])
    return missing


def main(argv: list[str] | None = None) -> int:
    browser = "--browser" in (sys.argv[1:] if argv is None else argv)
    missing = missing_packages(browser=browser)
    if missing:
        needs = "its PDFs and browser tests" if browser else "its PDFs"
        print(f"Balai needs these for {needs}. Install them: apt-get install {' '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
