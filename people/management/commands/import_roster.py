"""`manage.py import_roster FILE --cohort NAME [--dry-run]`: the admin's roster import, from a shell.

Prints the same preview and errors as the admin screen and exits with status 1 when the file has
errors, in which case nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courses.models import Cohort
from people.roster import roster_import, roster_preview


class Command(BaseCommand):
    help = "Import a roster file (XLSX or CSV) into a cohort: companions by NIK, their villages, enrollments."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The roster, .xlsx or .csv")
        parser.add_argument("--cohort", required=True, help="The cohort's name, e.g. 'Angkatan I 2017'")
        parser.add_argument("--dry-run", action="store_true", help="Show the preview, write nothing")

    def handle(self, *args, file, cohort, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No file %(file)s.") % {"file": file})
        cohorts = list(Cohort.objects.filter(name__iexact=cohort.strip()))
        if len(cohorts) != 1:
            names = ", ".join(Cohort.objects.values_list("name", flat=True)) or "—"
            message = _("No cohort is named %(name)s.") if not cohorts else _("Several cohorts are named %(name)s.")
            raise CommandError(message % {"name": cohort} + " " + _("Cohorts: %(names)s") % {"names": names})
        arguments = {"cohort": cohorts[0], "data": path.read_bytes(), "filename": path.name}
        report = roster_preview(**arguments) if dry_run else roster_import(**arguments, by=None)
        for line in report.lines():
            self.stdout.write(line)
        if report.has_errors:
            raise CommandError(_("The file has errors: nothing was written."), returncode=1)
        if report.written:
            self.stdout.write(self.style.SUCCESS(_("Imported into %(cohort)s.") % {"cohort": cohorts[0]}))
        else:
            self.stdout.write(_("Dry run: nothing was written."))
