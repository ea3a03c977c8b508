from django.core.management.base import BaseCommand, CommandError

from profiles import formats
from profiles.models import Person
from profiles.transfer import profiles_export


class Command(BaseCommand):
    help = (
        "Write profile documents (all people, or those named) with their sources' archived texts, "
        "in the format import_profiles reads: the working copies, or with --published the live "
        "site as readers see it (the file to restore a site from). --format writes it for other "
        "tools instead: a Popolo collection, a CSV table, or Wikidata QuickStatements."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")
        parser.add_argument(
            "--published",
            action="store_true",
            help="Write each public profile's live revision instead of the working copy.",
        )
        parser.add_argument(
            "--format",
            choices=formats.FORMATS,
            default="json",
            help="json: profile documents, what import_profiles reads (default); popolo: a Popolo "
            "collection of persons, organizations and memberships; csv: one row per position and "
            "event with its dates and citations; quickstatements: Wikidata QuickStatements for "
            "people with a Wikidata identifier (what it leaves out is listed on standard error). "
            "All but json leave editors' notes out.",
        )
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, slugs, published, output, format, **options):
        if slugs:
            missing = sorted(
                set(slugs) - set(Person.objects.filter(slug__in=slugs).values_list("slug", flat=True))
            )
            if missing:
                raise CommandError(f"No such person: {', '.join(missing)}")
        data = profiles_export(slugs=slugs, published=published)
        notes = []
        text = formats.write(data, format, notes=notes)
        for note in notes:
            self.stderr.write(f"Left out: {note}")
        if output:
            try:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from None
            self.stderr.write(f"Wrote {len(data['people'])} profile(s) to {output}.")
        else:
            self.stdout.write(text, ending="")
