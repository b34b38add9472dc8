from django.core.management.base import BaseCommand
from django.utils import timezone

from lms.dashboard.snapshot import refresh_snapshot


class Command(BaseCommand):
    help = "Count every cohort's dashboard figures now and store them for the dashboard and its exports."

    def handle(self, *args, **options):
        snapshot = refresh_snapshot()
        self.stdout.write(f"Dashboard figures as of {timezone.localtime(snapshot.computed_at):%Y-%m-%d %H:%M} WIB.")
