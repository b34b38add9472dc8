from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret-balai"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
