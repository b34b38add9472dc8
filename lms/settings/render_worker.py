"""The certificate render worker's settings: the site's own, with only what rendering needs loaded.

A full Balai process loads Wagtail, its admin and every view before it renders anything (about
145 MB); a render worker needs the database, the certificate files, e-mail and the task queue.
It takes the site's settings module from BALAI_SETTINGS (production when unset) and keeps every
setting but the apps:

    BALAI_SETTINGS=lms.settings.production DJANGO_SETTINGS_MODULE=lms.settings.render_worker \\
        python manage.py db_worker --queue-name certificates
"""

import importlib
import os

_site = importlib.import_module(os.environ.get("BALAI_SETTINGS", "lms.settings.production"))
globals().update({name: value for name, value in vars(_site).items() if name.isupper()})

INSTALLED_APPS = ["certificates.rendering", "django_tasks", "django_tasks_db"]
MIDDLEWARE = []
ROOT_URLCONF = "certificates.rendering.urls"
