import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from profiles.importing import ImportProblems, load_file, profiles_import


def progress_bar(stream):
    """A one-line progress bar for long imports, drawn only on a terminal."""

    def draw(done, total):
        if not stream.isatty() or total < 2:
            return
        filled = int(30 * done / total)
        stream.write(f"\rImporting [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return draw


class Command(BaseCommand):
    help = (
        "Create or update people, organizations, positions, events, sources and citations "
        "from a file of profile documents. A file with any problem imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help='JSON file: {"people": [profile document, ...]}')
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish each imported profile that changed (through the gate).",
        )
        parser.add_argument("--user", help="Username the history records (default: none).")
        parser.add_argument("--reason", help="Change reason for the history (default: the file).")

    def handle(self, *args, file, publish, user, reason, **options):
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user {user!r}.") from None
        try:
            data = load_file(file)
            result = profiles_import(
                data=data,
                user=account,
                reason=reason or f"Imported from {file}",
                publish=publish,
                progress=progress_bar(sys.stderr),
            )
        except ImportProblems as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"Nothing was imported: {len(error.problems)} problem(s) in {file}.") from None
        self.stdout.write(
            f"Imported {len(result.people)} profile(s): {result.written} record(s) written, "
            f"{len(result.published)} published."
        )
