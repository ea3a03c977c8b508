from django.core.management.base import BaseCommand, CommandError

from sources.models import Citation
from sources.verification import quotes_report


class Command(BaseCommand):
    help = (
        "Check every citation's quote against its source's archived text. Exits non-zero "
        "when any quote is not found."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Only these people.")
        parser.add_argument(
            "--strict", action="store_true", help="Also fail for citations whose source has no archived text."
        )

    def handle(self, *args, slugs, strict, **options):
        citations = Citation.objects.order_by("person__slug", "pk")
        if slugs:
            citations = citations.filter(person__slug__in=slugs)
        counts = {status: 0 for status in Citation.Verification.values}
        for citation, status in quotes_report(citations):
            counts[status] += 1
            if status != Citation.Verification.VERIFIED:
                claim = citation.position or citation.event or "person"
                field = f" ({citation.field})" if citation.field else ""
                self.stdout.write(
                    f"{status.upper():11} {citation.person.slug}: {claim}{field} "
                    f"[{citation.source_id}] “{citation.quote[:100]}”"
                )
        total = sum(counts.values())
        self.stdout.write(
            f"{total} quote(s): {counts['verified']} verified, {counts['unverified']} unverified, "
            f"{counts['no_archive']} without archived text."
        )
        if counts["unverified"] or (strict and counts["no_archive"]):
            raise CommandError("Some quotes could not be verified.")
