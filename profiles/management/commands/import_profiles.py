import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from profiles.importing import ImportProblems, load_file
from profiles.transfer import profiles_import


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
        parser.add_argument(
            "--user",
            required=True,
            help="The account the import acts as: its permissions are checked and the history "
            "records it (--publish needs a reviewer).",
        )
        parser.add_argument(
            "--reason",
            default="Imported from a profile file",
            help="Change reason for the history; with --publish also the public revision note.",
        )

    def handle(self, *args, file, publish, user, reason, **options):
        try:
            account = get_user_model().objects.get(username=user, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no active user {user!r}.") from None
        try:
            data = load_file(file)
            result = profiles_import(
                data=data,
                user=account,
                reason=reason,
                publish=publish,
                progress=progress_bar(sys.stderr),
            )
        except PermissionDenied as error:
            raise CommandError(f"Nothing was imported: {error or 'permission denied'}") from None
        except ImportProblems as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"Nothing was imported: {len(error.problems)} problem(s) in {file}.") from None
        self.stdout.write(
            f"Imported {len(result.people)} profile(s): {result.written} record(s) written, "
            f"{len(result.published)} published."
        )
