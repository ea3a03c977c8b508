"""Write the JSON Schema of the profile format (profiles.profile_schema), as committed in
docs/profile.schema.json and served at /api/schema/profile.json."""

from django.core.management.base import BaseCommand

from profiles import profile_schema


class Command(BaseCommand):
    help = "Write the JSON Schema of the profile format (docs/profile.schema.json) to a file or stdout."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")

    def handle(self, *args, output, **options):
        text = profile_schema.json_text()
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
