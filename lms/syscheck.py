"""Tell a person in one line which system library is missing, instead of a traceback."""

import sys
from ctypes.util import find_library

# WeasyPrint (certificates/pdf.py) loads these through cffi at import time.
REQUIRED_LIBRARIES = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
}


def missing_packages() -> list[str]:
    return [package for library, package in REQUIRED_LIBRARIES.items() if not find_library(library)]


def main() -> int:
    missing = missing_packages()
    if missing:
        print(
            f"Balai needs Pango for its PDFs. Install it: apt-get install {' '.join(missing)}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
