from django.core.management.base import BaseCommand

from lms import wagtail_catalogue


class Command(BaseCommand):
    help = (
        "Refresh the msgids of Balai's supplement to Wagtail's Indonesian catalogue "
        "(locale_wagtail/) from the installed Wagtail, then print how much of each Wagtail "
        "catalogue is Indonesian. compilemessages compiles it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--coverage", action="store_true", help="Only print the coverage; change nothing.")

    def handle(self, *args, coverage=False, **options):
        for domain in wagtail_catalogue.DOMAINS:
            if not coverage:
                wagtail_catalogue.update(domain)
            total = [0, 0, 0]
            for app, msgids, theirs, combined in wagtail_catalogue.coverage(domain):
                self.stdout.write(
                    f"{domain:9} {app:28} {msgids:4} msgids  Wagtail {theirs:4}  "
                    f"with supplement {combined:4} ({100 * combined // msgids}%)"
                )
                for i, n in enumerate((msgids, theirs, combined)):
                    total[i] += n
            self.stdout.write(
                f"{domain:9} {'all':28} {total[0]:4} msgids  Wagtail {total[1]:4}  "
                f"with supplement {total[2]:4} ({100 * total[2] // total[0]}%)"
            )
