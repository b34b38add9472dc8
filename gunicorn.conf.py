"""gunicorn's settings for Balai, read from the project folder (`gunicorn lms.wsgi`).

Access logs name the path, never the query string nor the referring page: a coordinator who
searches companions by NIK sends it in `?q=`, and a NIK must not land in a log file. A proxy in
front of gunicorn needs the same care (nginx: log `$uri`, not `$request`).
"""

wsgi_app = "lms.wsgi:application"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
