import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sources.drafts import source_drafts
from sources.models import Source


class Command(BaseCommand):
    help = (
        "Propose the positions, events and person facts an approved source's archived text states, "
        "for each person it names, with each proposal's quote and its relation to the profile. "
        "Writes nothing: tick the proposals on the source's draft page in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("source_id", metavar="SOURCE_ID", help="The source's key, e.g. wikipedia-cai-qi.")
        parser.add_argument(
            "--person", action="append", dest="slugs", metavar="SLUG", help="Only this person (repeatable)."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, source_id, slugs, format, **options):
        source = Source.objects.filter(pk=source_id).first()
        if source is None:
            raise CommandError(f"There is no source “{source_id}”.")
        try:
            drafts = source_drafts(source=source, slugs=slugs)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if format == "json":
            self.stdout.write(
                json.dumps({"people": [d.as_dict() for d in drafts]}, ensure_ascii=False, indent=1)
            )
            return
        if not drafts:
            self.stdout.write("The text names nobody to draft for.")
        for person in drafts:
            label = person.slug or "new person"
            self.stdout.write(f"{person.name} ({label}): {len(person.proposals)} proposal(s)")
            for proposal in person.proposals:
                value = proposal.value
                if proposal.kind == "position":
                    dates = f"{value['start_date'] or '?'}–{value['end_date'] or ''}"
                    what = f"{value['role']}, {value['organization']['name']} ({dates})"
                elif proposal.kind == "event":
                    what = f"{value['date']}: {value['title']}"
                else:
                    what = f"{proposal.field}: {value.get(proposal.field)}"
                field = f" [{proposal.field}]" if proposal.field and proposal.kind != "fact" else ""
                self.stdout.write(
                    f"  {proposal.kind:8} {proposal.relation:12} {proposal.stance:8} "
                    f"{proposal.confidence:.2f} "
                    f"{what}{field}\n           “{proposal.quote[:120]}” ({proposal.locator})"
                )
