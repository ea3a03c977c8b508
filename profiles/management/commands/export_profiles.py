import json

from django.core.management.base import BaseCommand, CommandError

from profiles.documents import person_document
from profiles.models import Person


class Command(BaseCommand):
    help = (
        "Write the profile documents of the working copy (all people, or those named), with "
        "their sources' archived texts, in the format import_profiles reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, slugs, output, **options):
        people = Person.objects.order_by("slug")
        if slugs:
            people = people.filter(slug__in=slugs)
            missing = sorted(set(slugs) - set(people.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"No such person: {', '.join(missing)}")
        data = {"people": [person_document(p, include_archive=True) for p in people.iterator()]}
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {len(data['people'])} profile(s) to {output}.")
        else:
            self.stdout.write(text, ending="")
