from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-balai"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-shared"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-fragments"},
}
MEDIA_ROOT = BASE_DIR / ".cache" / "test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
CERTIFICATE_ROOT = BASE_DIR / ".cache" / "test-certificates"  # noqa: F405
# Tasks run inside the request or test that enqueues them, so tests see their effects at once.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "certificates"]}
}
