"""The profile document: one person and everything cited about them, as a plain dict.

This is the single serializer of a profile. The public page renders it, `/people/<slug>.json`
serves it, publishing freezes it, and export/import carry it. Its shape is described in
docs/profile-format.md; keep the two together.

Frozen revisions never change, so the document carries a format number (`"format"`) and every
reader of a stored document goes through `normalised()`, which brings an older format up to date
with the defaults the new keys had before they existed. Adding a key therefore makes no live
profile look changed to the "nothing to publish" check, the review diff or a validator.
"""

import copy
from collections import defaultdict

from profiles.claims import CLAIM_FIELDS
from profiles.dates import iso_or_none
from profiles.models import Event, Organization, OtherName, Position
from sources.models import Citation

FORMAT = 2

EDITORIAL_KEYS = ("editors_note",)


def citation_document(citation, *, editorial=False):
    document = {
        "source": citation.source_id,
        "quote": citation.quote,
        "locator": citation.locator,
        "stance": citation.stance,
        "stated": citation.stated or None,
        "field": citation.field or None,
        "note": citation.note,
        "verification": citation.verification,
    }
    if citation.overridden:
        document["override"] = citation.override_reason
    if editorial:
        document["editors_note"] = citation.editors_note
    return document


def source_document(source, *, include_archive=False, editorial=False):
    document = {
        "id": source.pk,
        "title": source.title,
        "kind": source.kind,
        "url": source.url,
        "language": source.language,
        "version_url": source.version_url,
        "publisher": source.publisher,
        "author": source.author,
        "published": iso_or_none(source.published),
        "accessed": iso_or_none(source.accessed),
        "archive_url": source.archive_url,
        "note": source.note,
    }
    if editorial:
        document["editors_note"] = source.editors_note
    if include_archive:
        document["archived_text"] = source.archived_text
    return document


def organization_documents(organizations):
    """Documents for these organizations, each with its chain of parents, in few queries."""
    known = {organization.pk: organization for organization in organizations}
    missing = {o.parent_id for o in known.values() if o.parent_id and o.parent_id not in known}
    while missing:
        for organization in Organization.objects.filter(pk__in=missing):
            known[organization.pk] = organization
        missing = {o.parent_id for o in known.values() if o.parent_id and o.parent_id not in known}

    def document(pk):
        organization = known[pk]
        result = {
            "id": organization.slug,
            "name": organization.name,
            "native_name": organization.native_name,
            "kind": organization.kind,
            "identifiers": identifiers_document(organization.identifiers),
        }
        # Popolo's schema wants a parent to be an organization: none means no key, never null.
        if organization.parent_id:
            result["parent"] = document(organization.parent_id)
        return result

    return {pk: document(pk) for pk in known}


def identifiers_document(identifiers):
    """A stored list of identifiers as the document writes it: scheme, then identifier."""
    return [{"scheme": item["scheme"], "identifier": item["identifier"]} for item in identifiers or ()]


def organization_chain_ids(organization):
    """The slugs of an organization document and its parents."""
    while organization:
        yield organization["id"]
        organization = organization.get("parent")


def people_documents(people):
    """person_document(person) for many people, in five queries whatever their number."""
    positions, events, citations, others = (defaultdict(list) for _ in range(4))
    pks = [person.pk for person in people]
    for position in Position.objects.filter(person_id__in=pks).select_related("organization"):
        positions[position.person_id].append(position)
    for event in Event.objects.filter(person_id__in=pks):
        events[event.person_id].append(event)
    for citation in cited(Citation.objects.filter(person_id__in=pks)):
        citations[citation.person_id].append(citation)
    for other in OtherName.objects.filter(person_id__in=pks):
        others[other.person_id].append(other)
    organizations = organization_documents(
        list({p.organization_id: p.organization for items in positions.values() for p in items}.values())
    )
    return {
        person.pk: assemble_document(
            person,
            positions=positions[person.pk],
            events=events[person.pk],
            citations=citations[person.pk],
            other_names=others[person.pk],
            organizations=organizations,
        )
        for person in people
    }


def cited(citations, *, include_archive=False):
    """Citations with their sources, which a document needs without their archived texts (tens
    of kilobytes each, fetched again for every citation) unless it includes them."""
    citations = citations.select_related("source")
    return citations if include_archive else citations.defer("source__archived_text")


def chronological(item, start, end):
    return (item[start] or "9999", item[end] or "9999")


def working_rows(person, *, include_archive=False):
    """The rows of a person's working copy that its document is made of, in four queries: for
    person_document, and for whoever checks those same rows (publishing) without reading them
    twice."""
    return {
        "positions": list(person.positions.select_related("organization")),
        "events": list(person.events.all()),
        "citations": list(cited(Citation.objects.filter(person=person), include_archive=include_archive)),
        "other_names": list(person.other_names.all()),
    }


def person_document(person, *, include_archive=False, editorial=False, rows=None):
    """The profile document of a person's working copy (the tables the admin edits); with
    `editorial`, also the editors' notes, which published documents never carry. `rows` are
    its working_rows when the caller has them already."""
    rows = rows or working_rows(person, include_archive=include_archive)
    return assemble_document(
        person,
        **rows,
        organizations=organization_documents([position.organization for position in rows["positions"]]),
        include_archive=include_archive,
        editorial=editorial,
    )


def assemble_document(
    person,
    *,
    positions,
    events,
    citations,
    other_names,
    organizations,
    include_archive=False,
    editorial=False,
):
    """The profile document from a person's rows, already fetched (by person_document, or in
    bulk by generate_profiles); `organizations` maps organization ids to their documents."""
    by_claim = {}
    for citation in citations:
        claim = (
            ("position", citation.position_id)
            if citation.position_id
            else (("event", citation.event_id) if citation.event_id else ("person", citation.field))
        )
        by_claim.setdefault(claim, []).append(citation_document(citation, editorial=editorial))

    memberships = sorted(
        (
            {
                "id": position.key,
                "role": position.role,
                "organization": organizations[position.organization_id],
                "start_date": iso_or_none(position.start_date),
                "end_date": iso_or_none(position.end_date),
                "ended": position.ended or position.end_date is not None,
                "acting": position.acting,
                "concurrent": position.concurrent,
                "ordinal": position.ordinal,
                "note": position.note,
                **editors_note(position, editorial),
                "citations": by_claim.get(("position", position.pk), []),
            }
            for position in positions
        ),
        key=lambda item: (*chronological(item, "start_date", "end_date"), item["role"], item["id"]),
    )
    event_documents = sorted(
        (
            {
                "id": event.key,
                "date": iso_or_none(event.date),
                "kind": event.kind,
                "title": event.title,
                "description": event.description,
                **editors_note(event, editorial),
                "citations": by_claim.get(("event", event.pk), []),
            }
            for event in events
        ),
        key=lambda item: (item["date"] or "9999", item["title"], item["id"]),
    )
    sources = {citation.source_id: citation.source for citation in citations}
    return {
        "format": FORMAT,
        "id": person.slug,
        "name": person.name,
        "native_name": person.native_name,
        "native_name_lang": person.native_name_lang,
        "romanization": person.romanization,
        "other_names": [{"name": other.name, "note": other.note} for other in other_names],
        "birth_date": iso_or_none(person.birth_date),
        "birth_place": person.birth_place,
        "death_date": iso_or_none(person.death_date),
        "death_place": person.death_place,
        "summary": person.summary,
        "identifiers": identifiers_document(person.identifiers),
        "citations": {
            field: by_claim[("person", field)]
            for field in CLAIM_FIELDS["person"]
            if ("person", field) in by_claim
        },
        "memberships": memberships,
        "events": event_documents,
        "sources": [
            source_document(sources[key], include_archive=include_archive, editorial=editorial)
            for key in sorted(sources)
        ],
    }


def editors_note(record, editorial):
    return {"editors_note": record.editors_note} if editorial else {}


# What each key added since format 1 meant before it existed.
SOURCE_DEFAULTS = {"kind": "other", "version_url": "", "language": ""}


def normalised(document):
    """A stored document brought to the current format (a copy; the stored one never changes).

    `identifiers` came within format 2 (with organizations that have no parent losing their
    `"parent": null`): a document has them all when it has the person's `identifiers` key; so
    did a source's `language`."""
    if document is None or (
        document.get("format") == FORMAT
        and "identifiers" in document
        and all("language" in source for source in document.get("sources", ()))
    ):
        return document
    document = copy.deepcopy(document)
    document["format"] = FORMAT
    for source in document.get("sources", []):
        for key, value in SOURCE_DEFAULTS.items():
            source.setdefault(key, value)
    document.setdefault("identifiers", [])
    for membership in document.get("memberships", []):
        organization = membership.get("organization")
        while isinstance(organization, dict):
            organization.setdefault("identifiers", [])
            if organization.get("parent") is None:
                organization.pop("parent", None)
            organization = organization.get("parent")
    return document


def public(document):
    """The document without what only editors may read (editors' notes), for readers and
    for publishing: a copy when it had some, else the document itself (its readers never
    change it; a published document never has any)."""
    items = (*document["memberships"], *document["events"], *document["sources"])
    if not any("editors_note" in item for item in (*items, *all_citations(document))):
        return document
    document = copy.deepcopy(document)
    for item in (*document["memberships"], *document["events"], *document["sources"]):
        item.pop("editors_note", None)
    for citation in all_citations(document):
        citation.pop("editors_note", None)
    return document


def all_citations(document):
    """Every citation of a document, in document order."""
    for citations in document.get("citations", {}).values():
        yield from citations
    for item in (*document.get("memberships", ()), *document.get("events", ())):
        yield from item["citations"]


def shown_person_facts(document):
    """The person's facts a profile page shows: the ones with a value."""
    return [field for field in CLAIM_FIELDS["person"] if document.get(field)]
