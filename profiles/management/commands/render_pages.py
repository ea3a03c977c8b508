"""Re-render the stored live pages (profiles.pages) after a change of templates or static files."""

import sys
import time

from django.core.management.base import BaseCommand

from profiles import pages


class Command(BaseCommand):
    help = (
        "Render again the live page stored beside every live revision (after a template, CSS or "
        "SITE_URL change), in batches, with a progress bar. --missing renders only those without one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="only live revisions without a stored page"
        )
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, missing, batch_size, **options):
        ids = list(pages.revisions_to_render(missing_only=missing).values_list("pk", flat=True))
        total, done, start = len(ids), 0, time.monotonic()
        for offset in range(0, total, batch_size):
            done += pages.pages_render(revision_ids=ids[offset : offset + batch_size])
            self.progress(done, total, start)
        if total:
            self.stderr.write("")
        self.stdout.write(
            f"Rendered {done} page{'s' if done != 1 else ''} in {time.monotonic() - start:.1f} s."
        )

    def progress(self, done, total, start):
        width = 30
        filled = width * done // total
        rate = done / max(time.monotonic() - start, 1e-6)
        bar = "#" * filled + "-" * (width - filled)
        end = "\r" if sys.stderr.isatty() else "\n"
        self.stderr.write(f"[{bar}] {done}/{total} pages, {rate:.0f}/s", ending=end)
