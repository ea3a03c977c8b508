"""Profiles in and out of files: import (checked, written through the services, published only
by a reviewer's import of reviewed content) and export (working copies, or the live site).

The two kinds of export differ in what they may become:
- `profiles_export(published=False)` writes the working copies (`"content": "working"`) with
  their editors' notes: importing it gives working copies again, and `--publish` refuses it;
- `profiles_export(published=True)` writes each public profile's live revision, as readers see it
  (`"content": "published"`): importing it into an empty database with `--publish` reproduces the
  public site, recorded overrides of the quote check included. Each profile carries its sources'
  texts as they were when it was published (what its quotes were verified against), should a
  reviewer have corrected one since.
"""

import json

from django.utils.crypto import constant_time_compare, salted_hmac

from profiles import editing, provenance, publishing, workflow
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
        problems = unverified_quotes(data) + misquoted_words(data)
    if problems:
        raise ImportProblems(problems)
    if publish:
        workflow.check("publish", user=user)
    result = ImportResult()
    # Only documents this site published (sealed) bring a reviewer's overrides back.
    writer = Writer(user=user, trusted=publish and sealed)
    documents = {}  # person id -> its document in the file
    with editing.profile_edit(user=user, reason=reason):
        for index, document in enumerate(data["people"]):
            person = writer.person(document, f"people[{index}]")
            if person is not None:
                result.people.append(person)
                documents[person.pk] = document
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
            if sealed:
                quotes_verified_before(documents, user=user)
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


def quotes_verified_before(documents, *, user):
    """In a restore of the live site: a quote that its profile's live revision was verified against
    an older text of its source (a reviewer corrected the text since; the published export carries
    the text each profile was verified against) is published again with an override saying so, in
    the restoring reviewer's name, instead of refusing the whole file."""
    for person_id, document in documents.items():
        texts = {source["url"]: source.get("archived_text") or "" for source in document.get("sources", [])}
        unverified = Citation.objects.filter(
            person_id=person_id, verification=Citation.Verification.UNVERIFIED, override_reason=""
        ).select_related("source")
        for citation in unverified:
            text = texts.get(citation.source.url, "")
            if Source(archived_text=text).verification_of(citation.quote) == Citation.Verification.VERIFIED:
                publishing.citation_override(
                    citation=citation,
                    user=user,
                    reason=f"Verified against the archived text of {citation.source_id} as it read when "
                    "this profile was published; a reviewer has corrected that text since.",
                    seen=publishing.quote_digest(citation.quote),  # the quote the file holds
                )


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


def misquoted_words(data):
    """A publishing import's words in quotation marks (in notes, titles, descriptions, disputing
    citations' `stated`) that no cited source's archived text holds, each with its place in the
    file. Nothing of such a file is imported."""
    problems = []
    for number, document in enumerate(data["people"]):
        files = {s["id"]: s for s in document.get("sources", [])}

        def texts(ids, files=files):
            known = dict(
                Source.objects.approved()
                .filter(url__in={files[i]["url"] for i in ids if "archived_text" not in files[i]})
                .values_list("url", "archived_text")
            )
            return {i: files[i].get("archived_text", known.get(files[i]["url"], "")) for i in ids}

        problems += [
            f"people[{number}].{provenance.misquote_message(item, place=True)}"
            for item in provenance.misquoted(document, texts)
        ]
    return problems


def profiles_export(*, slugs=(), published=False):
    """The export file: every profile (or those named) as working copies, or as published."""
    people = Person.objects.order_by("slug")
    if slugs:
        people = people.filter(slug__in=slugs)
    if published:
        people = people.published().select_related("live_revision")
        revisions = [person.live_revision for person in people]
        documents = [normalised(revision.document) for revision in revisions]
        texts = verified_texts(revisions, documents)
        stale = []
        for revision, document in zip(revisions, documents, strict=True):
            for source in document["sources"]:
                source["archived_text"] = texts[revision.pk, source["id"]]
            stale.append(
                sum(texts[revision.pk, s["id"]] != texts[None, s["id"]] for s in document["sources"])
            )
        # An import writes a source as each document has it, the last one staying: the documents
        # that carry an older text of a source come first, so that the current one is kept.
        documents = [documents[index] for index in sorted(range(len(documents)), key=lambda i: -stale[i])]
        return {"content": "published", "people": documents, "seals": [published_seal(d) for d in documents]}
    return {
        "content": "working",
        "people": [person_document(p, include_archive=True, editorial=True) for p in people.iterator()],
    }


def verified_texts(revisions, documents):
    """{(revision id, source id): the source's archived text when that revision was published},
    the text its quotes were verified against (a reviewer may have corrected it since), and
    {(None, source id): its text now}. Versions come from the source's history: every approved
    change of a source is saved with one."""
    ids = {source["id"] for document in documents for source in document["sources"]}
    texts = {
        (None, pk): text for pk, text in Source.objects.filter(pk__in=ids).values_list("pk", "archived_text")
    }
    versions = {}
    for pk, history_id, moment in (
        Source.history.filter(id__in=ids)
        .order_by("history_date")
        .values_list("id", "history_id", "history_date")
    ):
        versions.setdefault(pk, []).append((moment, history_id))
    wanted = {}
    for revision, document in zip(revisions, documents, strict=True):
        for source in document["sources"]:
            earlier = [
                history_id
                for moment, history_id in versions.get(source["id"], ())
                if moment <= revision.published_at
            ]
            wanted[revision.pk, source["id"]] = earlier[-1] if earlier else None
    old = dict(
        Source.history.filter(history_id__in={h for h in wanted.values() if h is not None}).values_list(
            "history_id", "archived_text"
        )
    )
    for (revision_id, pk), history_id in wanted.items():
        texts[revision_id, pk] = old[history_id] if history_id is not None else texts.get((None, pk), "")
    for pk in ids:
        texts.setdefault((None, pk), "")
    return texts
