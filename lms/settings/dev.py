from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret-balai"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo signs certificates with a self-made key, made by `load_demo_data` when missing and
# never committed (private/ is ignored). Production names its own key in the environment.
CERTIFICATE_SIGNING_KEY = os.environ.get(  # noqa: F405
    "BALAI_CERTIFICATE_SIGNING_KEY",
    str(BASE_DIR / "private" / "demo-signing-key.p12"),  # noqa: F405
)
CERTIFICATE_SIGNING_PASSPHRASE = os.environ.get("BALAI_CERTIFICATE_SIGNING_PASSPHRASE", "desmigratif-demo")  # noqa: F405
CERTIFICATE_DEMO_KEY = True
