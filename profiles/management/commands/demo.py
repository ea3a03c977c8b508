import os
import secrets
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from profiles.importing import ImportProblems, load_file
from profiles.transfer import profiles_import

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "cai-qi.json"
ACCOUNTS = [  # username, group, superuser
    ("editor", "Editors", False),
    ("reviewer", "Reviewers", False),
    ("admin", None, True),
]


class Command(BaseCommand):
    help = (
        "Set up and serve the demo: migrate, load and publish the Cai Qi profile, create the "
        "Editors and Reviewers demo accounts (printing their passwords), then serve."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Do everything but serve.")

    def handle(self, *args, addrport, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        passwords = self.accounts()
        reviewer = get_user_model().objects.get(username="reviewer")
        try:
            result = profiles_import(
                data=load_file(DEMO_FILE), user=reviewer, reason="Demo dataset", publish=True
            )
        except ImportProblems as error:
            raise CommandError("The demo file does not import:\n" + "\n".join(error.problems)) from None
        self.stdout.write(
            f"Demo profiles: {len(result.people)} ({result.written} record(s) written, "
            f"{len(result.published)} published now)."
        )
        self.stdout.write("Demo accounts (new passwords on every run):")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:9} {password}")
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        self.stdout.write(f"Public profile: http://{host}/people/cai-qi/   Admin: http://{host}/admin/")
        if no_serve:
            return
        # Serve over plain HTTP on this machine: DEBUG relaxes HTTPS-only cookies and redirects.
        # `python -m django` works from a checkout and from an installed package alike.
        env = {
            **os.environ,
            "DEBUG": os.environ.get("DEBUG", "1"),
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "bioproject.settings"),
        }
        os.execvpe(sys.executable, [sys.executable, "-m", "django", "runserver", addrport], env)

    @transaction.atomic
    def accounts(self):
        passwords = {}
        for username, group, superuser in ACCOUNTS:
            user, _ = get_user_model().objects.get_or_create(username=username)
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_staff = True
            user.is_superuser = superuser
            user.email = f"{username}@example.org"
            user.save()
            if group:
                user.groups.set([Group.objects.get(name=group)])
            passwords[username] = password
        return passwords
