"""A version number for the published curriculum, shared by every worker process.

Readers' cached lesson pages are keyed by it, so publishing, unpublishing, moving or deleting
any page makes every process render afresh on its next request. Reading it costs no query.
"""

import time

from django.core.cache import cache

VERSION_KEY = "curriculum-version"


def curriculum_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def curriculum_changed(**kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
