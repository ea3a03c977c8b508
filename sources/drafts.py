"""Drafts from a source, with the database: what the drafting engine reads, and the service that
writes the proposals an editor ticked.

- `source_drafts(source=..., slugs=...)` drafts an approved source's archived text against the
  approved organizations and the working copies of the people it names (sources.drafting).
- `drafts_save(source=..., drafts=..., choices=..., user=...)` writes the chosen proposals into
  working copies through the editing services (profiles.editing): a new person becomes a draft,
  new organizations wait for a reviewer, nothing is published, and the history names the editor
  and the source.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from profiles import editing
from profiles.dates import PartialDate
from profiles.documents import person_document
from profiles.models import Event, Organization, OtherName, Person, Position
from sources import drafting, evidence
from sources.models import Citation

MAX_PEOPLE = 20  # people drafted from one text at most (its subject first)


def approved_text(source):
    """The approved archived text of a source; ValidationError when it has none to draft from."""
    if source.approved_at is None:
        raise ValidationError(
            "This source is not approved yet: draft from it once a reviewer has approved its text.",
            code="unapproved_source",
        )
    if not (source.archived_text or "").strip():
        raise ValidationError("This source has no archived text to draft from.", code="no_archived_text")
    return source.archived_text


def catalogue():
    """The approved organizations as the drafting engine matches them."""
    rows = (
        Organization.objects.approved()
        .select_related("parent")
        .only("slug", "name", "native_name", "kind", "parent__slug", "parent__name")
    )
    return [
        {
            "id": organization.slug,
            "name": organization.name,
            "native_name": organization.native_name,
            "kind": organization.kind,
            "parent": {"id": organization.parent.slug, "name": organization.parent.name}
            if organization.parent_id
            else None,
        }
        for organization in rows
    ]


def named_people(text, slugs=None):
    """The people of the database the text may name (by name, romanization or other name), or the
    people of `slugs`; ValidationError for a slug nobody has."""
    if slugs:
        people = list(Person.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {person.slug for person in people})
        if missing:
            raise ValidationError(f"There is no profile with the address “{missing[0]}”.", code="no_person")
        return people
    names = drafting.candidate_names(evidence.index_for(text))
    if not names:
        return []
    found = Person.objects.filter(
        Q(name__in=names) | Q(romanization__in=names) | Q(other_names__name__in=names)
    ).distinct()
    return list(found.order_by("name", "pk")[:MAX_PEOPLE])


def source_drafts(*, source, slugs=None):
    """[drafting.PersonDraft] of an approved source's archived text: each person of `slugs` (all
    the people it names when None) against their working copy, and the text's own subject when
    nobody in the database is them."""
    text = approved_text(source)
    documents = [person_document(person) for person in named_people(text, slugs)]
    return drafting.draft(
        text,
        catalogue=catalogue(),
        people=documents,
        slugs=set(slugs) if slugs else None,
        source_id=source.pk,
    )


# Writing the chosen proposals --------------------------------------------------------------------


def unique_slug(model, text, field="slug"):
    base = slugify(text)[:90] or "untitled"
    slug, number = base, 2
    while model.objects.filter(**{field: slug}).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def partial(value, label):
    """A PartialDate of an ISO partial date written by the editor, or None; ValidationError if bad."""
    if value in (None, ""):
        return None
    try:
        return PartialDate.parse(str(value))
    except ValueError as error:
        raise ValidationError(f"{label}: {error}", code="invalid_date") from None


def drafts_save(*, source, drafts, choices, user):
    """Write the chosen proposals: `choices` is {(person index, proposal index): value dict, as
    edited}. Returns the people written. All or nothing: a proposal that fails its validation
    leaves every record as it was and raises ValidationError naming it."""
    reason = f"Drafted from the source “{source.title}” ({source.pk})"
    written = []
    with transaction.atomic(), editing.profile_edit(user=user, reason=reason):
        for person_number, person_draft in enumerate(drafts):
            chosen = [
                (number, proposal, choices[(person_number, number)])
                for number, proposal in enumerate(person_draft.proposals)
                if (person_number, number) in choices
            ]
            if not chosen:
                continue
            writer = DraftWriter(source, person_draft, user, reason)
            for number, proposal, value in sorted(chosen, key=lambda item: item[1].kind != "fact"):
                try:
                    writer.write(proposal, value)
                except ValidationError as error:
                    raise ValidationError(
                        f"{person_draft.name}, proposal {number + 1} ({proposal.kind}): "
                        + " ".join(error.messages),
                        code="invalid_proposal",
                    ) from None
            written.append(writer.person)
    return written


class DraftWriter:
    """Writes the proposals of one person's draft, remembering the positions it made (an inferred
    end date finds the position it ends among them)."""

    def __init__(self, source, person_draft, user, reason):
        self.source, self.user, self.reason = source, user, reason
        self.person = Person.objects.filter(slug=person_draft.slug).first() if person_draft.slug else None
        self.name = person_draft.name
        self.made = {}  # drafting.position_key -> Position

    def ensure_person(self, facts=None):
        if self.person is None:
            person = Person(name=self.name[:200], slug=unique_slug(Person, self.name))
            person.full_clean()
            person.save()
            self.person = person
        return self.person

    def cite(self, proposal, *, position=None, event=None, field="", stance=None, stated="", note=""):
        citation = Citation(
            person=self.person,
            position=position,
            event=event,
            field=field,
            source=self.source,
            quote=proposal.quote,
            locator=proposal.locator[:200],
            stance=stance or proposal.stance,
            stated=stated,
            note=(note or proposal.note)[:500],
        )
        citation.full_clean()
        citation.save()
        return citation

    def write(self, proposal, value):
        self.ensure_person()
        getattr(self, f"write_{proposal.kind}")(proposal, value)

    def write_fact(self, proposal, value):
        name = proposal.field
        person = self.person
        if name == "other_names":
            other = (value.get("other_names") or [{}])[0].get("name", "").strip()
            if not other:
                raise ValidationError("The other name is empty.")
            if not person.other_names.filter(name=other).exists():
                OtherName(person=person, name=other[:200]).save()
        elif proposal.relation == "contradicts":
            self.cite(proposal, field=name, stance="disputes", stated=str(value.get(name, ""))[:200])
            return
        elif proposal.relation in ("new", "more_precise") and (name != "name" or not person.name):
            if name in ("birth_date", "death_date"):
                setattr(person, name, partial(value.get(name), name.replace("_", " ")))
            else:
                setattr(person, name, str(value.get(name) or "").strip()[:200])
                if name == "native_name" and value.get("native_name_lang"):
                    person.native_name_lang = value["native_name_lang"]
            person.full_clean()
            person.save()
        self.cite(proposal, field=name)

    def organization(self, value):
        organization = value.get("organization") or {}
        if organization.get("id"):
            found = Organization.objects.filter(slug=organization["id"]).first()
            if found is None:
                raise ValidationError(f"There is no organization “{organization['id']}”.")
            return found
        name = str(organization.get("name") or "").strip()
        if not name:
            raise ValidationError("Name the organization.")
        existing = Organization.objects.filter(name__iexact=name).first()
        if existing is not None:
            return existing
        parent = organization.get("parent") or {}
        new = Organization(
            name=name[:200],
            slug=unique_slug(Organization, name),
            kind=organization.get("kind")
            if organization.get("kind") in Organization.Kind.values
            else "other",
            parent=Organization.objects.filter(slug=parent.get("id")).first() if parent.get("id") else None,
        )
        # A new organization waits for a reviewer; no profile citing it is published before that.
        editing.shared_record_save(record=new, user=self.user, reason=self.reason)
        return new

    def write_position(self, proposal, value):
        target = (
            Position.objects.filter(key=proposal.target, person=self.person).first()
            if proposal.target
            else None
        )
        if proposal.field == "end_date" and proposal.stance == "infers":
            key = drafting.position_key(value)
            target = target or self.made.get(key)
            if target is None:
                raise ValidationError("Tick the position this end date belongs to as well.")
            if not target.end_date:
                target.end_date = partial(value.get("end_date"), "end date")
                target.full_clean()
                target.save()
            self.cite(proposal, position=target, field="end_date", stance="infers")
            return
        if target is not None and proposal.relation != "new":
            if proposal.relation == "contradicts":
                field = proposal.field or "start_date"
                self.cite(
                    proposal, position=target, field=field, stance="disputes", stated=value.get(field) or ""
                )
                return
            if proposal.relation == "more_precise":
                target.start_date = partial(value.get("start_date"), "start date") or target.start_date
                target.full_clean()
                target.save()
            self.cite(proposal, position=target)
            return
        role = str(value.get("role") or "").strip()
        if not role:
            raise ValidationError("Give the role.")
        position = Position(
            person=self.person,
            role=role[:200],
            organization=self.organization(value),
            start_date=partial(value.get("start_date"), "start date"),
            end_date=partial(value.get("end_date"), "end date"),
            acting=role.lower().startswith("acting "),
        )
        position.full_clean()
        position.save()
        self.made[drafting.position_key(value)] = position
        self.cite(proposal, position=position)

    def write_event(self, proposal, value):
        target = (
            Event.objects.filter(key=proposal.target, person=self.person).first() if proposal.target else None
        )
        if target is not None and proposal.relation != "new":
            if proposal.relation == "contradicts":
                self.cite(
                    proposal, event=target, field="date", stance="disputes", stated=value.get("date") or ""
                )
            else:
                self.cite(proposal, event=target)
            return
        date = partial(value.get("date"), "date")
        if date is None:
            raise ValidationError("Give the event's date.")
        title = str(value.get("title") or "").strip()
        if not title:
            raise ValidationError("Give the event a title.")
        event = Event(
            person=self.person,
            date=date,
            kind=value.get("kind") if value.get("kind") in Event.Kind.values else Event.Kind.OTHER,
            title=title[:200],
            description=str(value.get("description") or "").strip(),
        )
        event.full_clean()
        event.save()
        self.cite(proposal, event=event)
