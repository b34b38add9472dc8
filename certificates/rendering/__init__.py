"""The certificate render worker: HTML in, a signed PDF stored and marked on the certificate.

It loads Django's core, the task queue, WeasyPrint and pyHanko, and no Wagtail: the HTML and the
e-mail are made by the app when it queues the work (`certificates.services.render_later`), so a
render worker needs neither the page tree nor the admin. It runs with `lms.settings.render_worker`.
"""
