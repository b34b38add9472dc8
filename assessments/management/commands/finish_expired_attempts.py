from django.core.management.base import BaseCommand

from assessments.services import attempts_finish_expired


class Command(BaseCommand):
    help = "Score every attempt whose deadline has passed from the answers saved before it. Safe to rerun."

    def handle(self, *args, **options):
        finished = attempts_finish_expired()
        if options["verbosity"]:
            self.stdout.write(f"{finished} attempt(s) scored.")
