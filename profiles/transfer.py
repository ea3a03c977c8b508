"""Profiles in and out of files: import (checked, written through the services, published only
by a reviewer's import of reviewed content) and export (working copies, or the live site).

The two kinds of export differ in what they may become:
- `profiles_export(published=False)` writes the working copies (`"content": "working"`) with
  their editors' notes: importing it gives working copies again, and `--publish` refuses it;
- `profiles_export(published=True)` writes each public profile's live revision, as readers see it
  (`"content": "published"`): importing it into an empty database with `--publish` reproduces the
  public site, recorded overrides of the quote check included.
"""

import json

from django.utils.crypto import constant_time_compare, salted_hmac

from profiles import editing, publishing, workflow
from profiles.documents import normalised, person_document
from profiles.importing import ImportProblems, ImportResult, Writer, check_file
from profiles.models import Person
from sources.models import Citation, Source


def profiles_import(*, data, user, reason="Imported from a profile file", publish=False, progress=None):
    """Import a checked file of profile documents in one transaction; ImportProblems if unsound.

    Everything is written through the services' write session as `user` (whose permissions are
    checked on every record). With `publish` (a reviewer's import), the organizations and sources
    the file brings are approved and each profile that changed is published, in bulk; a file of
    working copies (`"content": "working"`, what export_profiles writes without --published) is
    refused, so that a restore never puts on the site what no reviewer approved.
    """
    problems = check_file(data)
    sealed = not problems and publish and data.get("content") == "published"
    if sealed:
        problems = unsealed_documents(data)
    if not problems and publish and data.get("content") == "working":
        problems = [
            "file.content: this file holds working copies (export_profiles without --published); "
            "they are imported as working copies, never published: drop --publish, or export "
            "the live site with --published"
        ]
    if not problems and publish:
        problems = unverified_quotes(data)
    if problems:
        raise ImportProblems(problems)
    if publish:
        workflow.check("publish", user=user)
    result = ImportResult()
    # Only documents this site published (sealed) bring a reviewer's overrides back.
    writer = Writer(user=user, trusted=publish and sealed)
    with editing.profile_edit(user=user, reason=reason):
        for index, document in enumerate(data["people"]):
            person = writer.person(document, f"people[{index}]")
            if person is not None:
                result.people.append(person)
            if progress:
                progress(index + 1, len(data["people"]))
        if writer.problems:
            raise ImportProblems(writer.problems)  # leaving the block rolls everything back
        if publish:
            for record in dict.fromkeys(writer.shared):
                fresh = type(record).objects.get(pk=record.pk)
                if fresh.approved_at is None or editing.pending_change(fresh) is not None:
                    try:
                        publishing.shared_record_approve(
                            record=fresh, user=user, comment=reason, seen=publishing.shared_digest(fresh)
                        )
                    except workflow.ActionRefused as refused:
                        raise ImportProblems([f"cannot publish: {m}" for m in refused.messages]) from None
            try:
                result.published = [
                    revision.person
                    for revision in publishing.profiles_publish(
                        people=result.people, user=user, comment=reason
                    )
                ]
            except publishing.PublishingRefused as refused:
                raise ImportProblems([f"cannot publish: {p.message}" for p in refused.problems]) from None
    result.written = writer.written
    return result


def published_seal(document):
    """A keyed digest of a live revision's document as `profiles_export(published=True)` writes
    it: the proof that a file labelled "published" holds what this site's reviewers published."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return salted_hmac("profiles.transfer.published", text).hexdigest()


def unsealed_documents(data):
    """The documents of a file labelled "published" whose seal does not match: edited since the
    export, or a working copy relabelled."""
    seals = data.get("seals")
    seals = seals if isinstance(seals, list) else []
    return [
        f"people[{index}]: not a revision as this site published it (its seal does not match); "
        "a file labelled published is imported only as exported: export it again with --published"
        for index, document in enumerate(data["people"])
        if index >= len(seals) or not constant_time_compare(str(seals[index]), published_seal(document))
    ]


def file_citations(document, path):
    """(place in the file, citation) for every citation of a profile document in a file."""
    for name, citations in document.get("citations", {}).items():
        for index, citation in enumerate(citations):
            yield f"{path}.citations.{name}[{index}]", citation
    for key in ("memberships", "events"):
        for number, item in enumerate(document.get(key, [])):
            for index, citation in enumerate(item.get("citations", [])):
                yield f"{path}.{key}[{number}].citations[{index}]", citation


def unverified_quotes(data):
    """A publishing import's quotes that the quote check does not find in their source's archived
    text (the file's, or else the reviewed text we hold), unless the file records a reviewer's
    override: each with its place in the file. Nothing of such a file is imported."""
    known = dict(
        Source.objects.approved()
        .filter(url__in={s["url"] for d in data["people"] for s in d.get("sources", [])})
        .values_list("url", "archived_text")
    )
    problems = []
    for number, document in enumerate(data["people"]):
        sources = {s["id"]: s for s in document.get("sources", [])}
        for place, citation in file_citations(document, f"people[{number}]"):
            source = sources[citation["source"]]
            text = source["archived_text"] if "archived_text" in source else known.get(source["url"], "")
            failing = (
                Source(archived_text=text).verification_of(citation["quote"])
                == Citation.Verification.UNVERIFIED
            )
            if failing and not citation.get("override"):
                problems.append(
                    f"{place}.quote: not found in the archived text of {source['id']}; correct it, "
                    "or import without --publish and let a reviewer record an override"
                )
    return problems


def profiles_export(*, slugs=(), published=False):
    """The export file: every profile (or those named) as working copies, or as published."""
    people = Person.objects.order_by("slug")
    if slugs:
        people = people.filter(slug__in=slugs)
    if published:
        people = people.published().select_related("live_revision")
        documents = [normalised(person.live_revision.document) for person in people]
        texts = dict(
            Source.objects.filter(pk__in={s["id"] for d in documents for s in d["sources"]}).values_list(
                "pk", "archived_text"
            )
        )
        for document in documents:
            for source in document["sources"]:
                source["archived_text"] = texts.get(source["id"], "")
        return {"content": "published", "people": documents, "seals": [published_seal(d) for d in documents]}
    return {
        "content": "working",
        "people": [person_document(p, include_archive=True, editorial=True) for p in people.iterator()],
    }
