"""`manage.py import_questions FILE --quiz PAGE_ID [--dry-run] [--format F]`, and `--export FILE`.

The command calls the same service as the admin's question-bank screen. A file with errors prints
every message (each naming its line or row) to stderr and exits with status 1; nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments import gift
from assessments.banks import ImportFormat, format_for_filename, questions_for_export, questions_import
from assessments.errors import QuestionFileErrors
from assessments.models import QuizPage


class Command(BaseCommand):
    help = "Import questions into a quiz from a GIFT, Aiken, XLSX or CSV file, or export a quiz's questions to GIFT."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The question file to read, or with --export the GIFT file to write.")
        parser.add_argument("--quiz", type=int, required=True, help="The page ID of the quiz.")
        parser.add_argument("--dry-run", action="store_true", help="List what would be created; write nothing.")
        parser.add_argument(
            "--format",
            choices=[choice.value for choice in ImportFormat],
            help="The file's format when its extension does not say it (.gift/.txt, .aiken, .xlsx, .csv).",
        )
        parser.add_argument("--export", action="store_true", help="Write the quiz's questions to FILE as GIFT.")

    def handle(self, *args, file, quiz, dry_run, format, export, **options):
        page = QuizPage.objects.filter(pk=quiz).first()
        if page is None:
            raise CommandError(_("There is no quiz with page ID %(id)d.") % {"id": quiz})
        path = Path(file)
        if export:
            specs = questions_for_export(quiz=page)
            path.write_text(gift.dump(specs), encoding="utf-8")
            self.stdout.write(
                _("Wrote %(count)d questions of “%(quiz)s” to %(file)s.")
                % {"count": len(specs), "quiz": page.title, "file": path}
            )
            return
        fmt = format or format_for_filename(path.name)
        if fmt is None:
            raise CommandError(
                _("Cannot tell the format of %(file)s from its extension; give --format gift, aiken, xlsx or csv.")
                % {"file": path.name}
            )
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}) from None
        try:
            result = questions_import(quiz=page, content=content, fmt=fmt, by=None, dry_run=dry_run)
        except QuestionFileErrors as errors:
            for error in errors.errors:
                self.stderr.write(error.message)
            raise CommandError(
                _("%(file)s was not imported: %(count)d errors; nothing was written.")
                % {"file": path.name, "count": len(errors.errors)}
            ) from None
        for item in result.planned:
            module = item.module.code if item.module else "-"
            text = " ".join(item.spec.text.split())
            self.stdout.write(f"{item.line:>5}  {module:<5} {item.spec.kind.value:<16} {text[:60]}")
        if dry_run:
            message = _("Dry run: %(count)d questions would be added to “%(quiz)s”; nothing was written.")
        elif result.published:
            message = _("Added and published %(count)d questions in “%(quiz)s”.")
        else:
            message = _("Added %(count)d questions to the draft of “%(quiz)s”; publish it to use them.")
        self.stdout.write(message % {"count": len(result.planned), "quiz": page.title})
