"""Write profile documents into the working copy: checked import files (profiles.transfer), and
reverts to a revision (profiles.publishing.profile_revert).

A file is checked whole before anything is written, and written in one transaction: any problem
means nothing is imported, and every problem is reported with its place in the file, e.g.
`people[0].memberships[3].start_date: "2004-13" is not a date (there is no month 13)`.
Writing is idempotent: a record is saved only when a value differs, so re-importing the same file
writes no row and no history.
"""

import difflib
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from bioproject.history import current_reason
from bioproject.models import FORBIDDEN
from profiles import editing
from profiles import identifiers as identifier_rules
from profiles.claims import CLAIM_FIELDS, DATE_FIELDS
from profiles.dates import PartialDate
from profiles.models import Event, Organization, OtherName, Person, Position, PublicSlug
from sources.fields import WebURLValidator
from sources.models import Citation, Source


class ImportProblems(Exception):
    """The file cannot be imported; `problems` lists every reason with its place in the file."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ImportResult:
    people: list = field(default_factory=list)
    written: int = 0  # rows created, changed or deleted
    published: list = field(default_factory=list)


def load_file(path):
    """The parsed JSON of an import file, or ImportProblems saying in one line why it cannot be
    read (whatever the file holds: a directory, nothing, JSON nested past what Python parses)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise ImportProblems([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise ImportProblems([f"{path}: is a directory, not a file"]) from None
    except UnicodeDecodeError as error:
        raise ImportProblems([f"{path}: not UTF-8 text ({error.reason})"]) from None
    except OSError as error:
        raise ImportProblems([f"{path}: cannot be read ({error.strerror})"]) from None
    if not text.strip():
        raise ImportProblems([f"{path}: is empty"])
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportProblems(
            [f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from None
    except RecursionError:
        raise ImportProblems([f"{path}: JSON nested too deeply to read"]) from None
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        raise ImportProblems([f"{path}: invalid JSON: {str(error).splitlines()[0]}"]) from None


def shown(value):
    """A value quoted for a one-line message: JSON's quoting, with every forbidden character
    (line breaks, direction overrides, lone surrogates) written as an escape, never as itself."""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    return FORBIDDEN.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def key_path(path, key):
    """Where a key sits: `people[0].summary`, or `people[0]["odd key"]` for a key no path can
    write plainly."""
    if isinstance(key, str) and key.isidentifier() and key.isascii():
        return f"{path}.{key}"
    return f"{path}[{shown(key)}]"


# The keys each object of a file may have. OUTPUT_ONLY keys are what exports write and imports
# accept and ignore (never trust): the quote check's result, the revision served, the format
# number. A citation's `override` is read only by a reviewer's publishing import (Writer.trusted).
KEYS = {
    "file": {"people", "content", "seals"},
    "person": {
        "id",
        "name",
        "native_name",
        "native_name_lang",
        "romanization",
        "other_names",
        "birth_date",
        "birth_place",
        "death_date",
        "death_place",
        "summary",
        "identifiers",
        "citations",
        "memberships",
        "events",
        "sources",
    },
    "other name": {"name", "note"},
    "source": {
        "id",
        "title",
        "kind",
        "url",
        "version_url",
        "publisher",
        "author",
        "published",
        "accessed",
        "archive_url",
        "note",
        "editors_note",
        "archived_text",
    },
    "membership": {
        "id",
        "role",
        "organization",
        "start_date",
        "end_date",
        "ended",
        "acting",
        "concurrent",
        "ordinal",
        "note",
        "editors_note",
        "citations",
    },
    "organization": {"id", "name", "native_name", "kind", "identifiers", "parent"},
    "event": {"id", "date", "kind", "title", "description", "editors_note", "citations"},
    "citation": {"source", "quote", "locator", "stance", "stated", "field", "note", "editors_note"},
}
OUTPUT_ONLY = {
    "person": {"format", "revision"},
    "citation": {"verification", "override"},
}


# Checking ------------------------------------------------------------------------------------


class Checker:
    """Collects problems, each with its path in the file."""

    def __init__(self):
        self.problems = []

    def add(self, path, message):
        self.problems.append(f"{path}: {message}")

    def obj(self, value, path):
        if not isinstance(value, dict):
            self.add(path, f"must be an object, not {type_name(value)}")
            return None
        return value

    def text(self, container, key, path, *, required=False, max_length=None, nullable=False):
        where = f"{path}.{key}"
        if key not in container:
            if required:
                self.add(where, "is missing")
            return None
        value = container[key]
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            self.add(where, f"must be text, not {type_name(value)}")
            return None
        if required and not value.strip():
            self.add(where, "must not be empty")
        if max_length and len(value) > max_length:
            self.add(where, f"is {len(value)} characters long; at most {max_length} fit")
        found = FORBIDDEN.search(value)
        if found:
            self.add(where, f"contains the invisible or control character U+{ord(found.group()):04X}")
        return value

    def known_keys(self, container, path, kind):
        """Refuse the keys an object of this kind does not have: a misspelt key would otherwise
        be dropped silently, and the value it was meant for wiped."""
        allowed = KEYS[kind] | OUTPUT_ONLY.get(kind, set())
        for key in container:
            if key in allowed:
                continue
            close = (
                difflib.get_close_matches(key.lower(), sorted(allowed), n=1) if isinstance(key, str) else []
            )
            hint = f" (did you mean {shown(close[0])}?)" if close else ""
            self.add(
                key_path(path, key), f"is not a key of {'an' if kind[0] in 'aeiou' else 'a'} {kind}{hint}"
            )

    def identifiers(self, container, path):
        """A list of identifiers as profiles.identifiers has them."""
        if "identifiers" not in container:
            return None
        value = container["identifiers"]
        for index, message in identifier_rules.problems(value):
            where = f"{path}.identifiers" if index is None else f"{path}.identifiers[{index}]"
            self.add(where, shown_message(message))
        return value if isinstance(value, list) else None

    def slug(self, container, key, path):
        value = self.text(container, key, path, required=True, max_length=100)
        if value and slugify(value) != value:
            self.add(f"{path}.{key}", f"{shown(value)} is not a slug (lower-case letters, digits, -)")
        return value

    def date(self, container, key, path, *, required=False):
        value = container.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", "is missing")
            return None
        if not isinstance(value, str):
            self.add(f"{path}.{key}", f"must be a date as text, not {type_name(value)}")
            return None
        try:
            date = PartialDate.parse(value)
        except ValueError as error:
            self.add(f"{path}.{key}", f"{shown(value)} is not a date ({error})")
            return None
        if date.isoformat() != value:
            self.add(f"{path}.{key}", f'{shown(value)} is not an ISO date: write "{date.isoformat()}"')
        return date

    def url(self, container, key, path, *, required=False):
        value = self.text(container, key, path, required=required, max_length=500)
        if value:
            try:
                WebURLValidator()(value)
            except ValidationError as error:
                self.add(f"{path}.{key}", f"{shown(value)}: {' '.join(error.messages)}")
        return value

    def boolean(self, container, key, path):
        value = container.get(key, False)
        if not isinstance(value, bool):
            self.add(f"{path}.{key}", f"must be true or false, not {type_name(value)}")
        return value

    def items(self, container, key, path, *, required=False):
        if key not in container:
            if required:
                self.add(f"{path}.{key}", "is missing")
            return []
        value = container[key]
        if not isinstance(value, list):
            self.add(f"{path}.{key}", f"must be a list, not {type_name(value)}")
            return []
        return value

    def choice(self, container, key, path, choices, *, default=None):
        value = container.get(key, default)
        if value not in choices:
            self.add(f"{path}.{key}", f"{shown(value)} is not one of {', '.join(choices)}")
        return value


def shown_message(message):
    return FORBIDDEN.sub(lambda match: f"\\u{ord(match.group()):04x}", message)


def type_name(value):
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


def check_file(data):
    """Every problem of an import file, each with its path; an empty list when it is sound."""
    check = Checker()
    if check.obj(data, "file") is None:
        return check.problems
    check.known_keys(data, "file", "file")
    people = check.items(data, "people", "file", required=True)
    slugs, keys, identifiers = {}, {}, {}
    for index, document in enumerate(people):
        path = f"people[{index}]"
        if check.obj(document, path) is not None:
            check_document(check, document, path, keys)
            slug = document.get("id")
            if isinstance(slug, str):
                if slug in slugs:
                    check.add(f"{path}.id", f"{shown(slug)} is also {slugs[slug]}")
                slugs.setdefault(slug, path)
            for number, pair in enumerate(identifier_pairs(document.get("identifiers"))):
                if identifiers.get(pair, path) != path:
                    check.add(
                        f"{path}.identifiers[{number}]",
                        f"{pair[0]} {shown(pair[1])} is also {identifiers[pair]}",
                    )
                identifiers.setdefault(pair, path)
    return check.problems


def identifier_pairs(identifiers):
    """(scheme, identifier) of each well-formed entry of a list of identifiers."""
    if not isinstance(identifiers, list):
        return []
    return [
        (item.get("scheme"), item.get("identifier"))
        for item in identifiers
        if isinstance(item, dict)
        and isinstance(item.get("identifier"), str)
        and isinstance(item.get("scheme"), str)
    ]


def check_document(check, document, path, keys):
    check.known_keys(document, path, "person")
    check.slug(document, "id", path)
    check.text(document, "name", path, required=True, max_length=200)
    for key, length in (
        ("native_name", 200),
        ("native_name_lang", 35),
        ("romanization", 200),
        ("birth_place", 200),
        ("death_place", 200),
        ("summary", 2000),
    ):
        check.text(document, key, path, max_length=length, nullable=True)
    birth = check.date(document, "birth_date", path)
    death = check.date(document, "death_date", path)
    if birth and death and death.latest < birth.earliest:
        check.add(f"{path}.death_date", f"{death} is before the birth date {birth}")
    check.identifiers(document, path)
    for position, other in enumerate(check.items(document, "other_names", path)):
        where = f"{path}.other_names[{position}]"
        if check.obj(other, where) is not None:
            check.known_keys(other, where, "other name")
            check.text(other, "name", where, required=True, max_length=200)
            check.text(other, "note", where, max_length=200)

    sources = {}
    for position, source in enumerate(check.items(document, "sources", path, required=True)):
        where = f"{path}.sources[{position}]"
        if check.obj(source, where) is None:
            continue
        check.known_keys(source, where, "source")
        key = check.slug(source, "id", where)
        if isinstance(key, str):
            if key in sources:
                check.add(f"{where}.id", f"{shown(key)} is also {sources[key]}")
            sources.setdefault(key, where)
        check.text(source, "title", where, required=True, max_length=300)
        check.url(source, "url", where, required=True)
        check.url(source, "archive_url", where)
        for key in ("publisher", "author"):
            check.text(source, key, where, max_length=200)
        check.choice(source, "kind", where, Source.Kind.values, default="other")
        check.url(source, "version_url", where)
        check.text(source, "note", where)
        check.text(source, "editors_note", where)
        check.text(source, "archived_text", where)
        check.date(source, "published", where)
        check.date(source, "accessed", where)

    citations = document.get("citations", {})
    if check.obj(citations, f"{path}.citations") is not None:
        for name, items in citations.items():
            where = key_path(f"{path}.citations", name)
            if name not in CLAIM_FIELDS["person"]:
                check.add(where, f"{shown(name)} is not a fact of a person")
            elif not isinstance(items, list):
                check.add(where, "must be a list")
            else:
                for position, citation in enumerate(items):
                    check_citation(
                        check, citation, f"{where}[{position}]", "person", sources, field_name=name
                    )

    for position, membership in enumerate(check.items(document, "memberships", path)):
        where = f"{path}.memberships[{position}]"
        if check.obj(membership, where) is None:
            continue
        check.known_keys(membership, where, "membership")
        check_key(check, membership, where, keys)
        check.text(membership, "role", where, required=True, max_length=200)
        check_organization(check, membership.get("organization"), f"{where}.organization")
        start = check.date(membership, "start_date", where)
        end = check.date(membership, "end_date", where)
        if start and end and end.latest < start.earliest:
            check.add(f"{where}.end_date", f"{end} is before the start date {start}")
        check.boolean(membership, "ended", where)
        check.boolean(membership, "acting", where)
        check.boolean(membership, "concurrent", where)
        check.text(membership, "ordinal", where, max_length=100)
        check.text(membership, "note", where)
        check.text(membership, "editors_note", where)
        for number, citation in enumerate(check.items(membership, "citations", where)):
            check_citation(check, citation, f"{where}.citations[{number}]", "position", sources)

    for position, event in enumerate(check.items(document, "events", path)):
        where = f"{path}.events[{position}]"
        if check.obj(event, where) is None:
            continue
        check.known_keys(event, where, "event")
        check_key(check, event, where, keys)
        check.date(event, "date", where, required=True)
        check.choice(event, "kind", where, Event.Kind.values, default="other")
        check.text(event, "title", where, required=True, max_length=200)
        check.text(event, "description", where)
        check.text(event, "editors_note", where)
        for number, citation in enumerate(check.items(event, "citations", where)):
            check_citation(check, citation, f"{where}.citations[{number}]", "event", sources)


def check_key(check, item, path, keys):
    key = check.slug(item, "id", path)
    if key:
        if key in keys:
            check.add(f"{path}.id", f"{shown(key)} is also {keys[key]}")
        keys.setdefault(key, path)


def check_organization(check, organization, path, depth=0):
    if organization is None:
        check.add(path, "is missing")
        return
    if check.obj(organization, path) is None:
        return
    if depth > 20:
        check.add(path, "is nested more than 20 deep")
        return
    check.known_keys(organization, path, "organization")
    check.slug(organization, "id", path)
    check.text(organization, "name", path, required=True, max_length=200)
    check.text(organization, "native_name", path, max_length=200)
    check.choice(organization, "kind", path, Organization.Kind.values, default="other")
    check.identifiers(organization, path)
    if organization.get("parent") is not None:
        check_organization(check, organization["parent"], f"{path}.parent", depth + 1)


def check_citation(check, citation, path, kind, sources, *, field_name=None):
    if check.obj(citation, path) is None:
        return
    check.known_keys(citation, path, "citation")
    source = check.text(citation, "source", path, required=True)
    if source and source not in sources:
        check.add(f"{path}.source", f"{shown(source)} is not the id of a source in this document")
    check.text(citation, "quote", path, required=True)
    check.text(citation, "locator", path, max_length=200)
    check.text(citation, "note", path, max_length=500)
    check.text(citation, "editors_note", path, max_length=500)
    stance = check.choice(citation, "stance", path, Citation.Stance.values, default="supports")
    stated = check.text(citation, "stated", path, max_length=200, nullable=True)
    name = citation.get("field")
    if field_name is not None and name not in (None, field_name):
        check.add(f"{path}.field", f"{shown(name)} differs from the key {shown(field_name)} it is under")
    name = name or field_name
    if name is not None and name not in CLAIM_FIELDS[kind]:
        check.add(f"{path}.field", f"{shown(name)} is not a field of a {kind}")
    if stance == "disputes" and not (stated or citation.get("note")):
        check.add(path, "disputes the claim without saying what the source gives (stated)")
    if stance == "infers" and not citation.get("note"):
        check.add(f"{path}.note", "an inferred value needs a note saying how it is inferred")
    if stated and name in DATE_FIELDS:
        check.date(citation, "stated", path)


# Writing -------------------------------------------------------------------------------------


def assign(instance, values):
    """Set the values that differ; whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def editorial(values, item):
    """Editors' notes travel in working-copy files only; a file without them keeps the ones we have."""
    if "editors_note" in item:
        values["editors_note"] = item["editors_note"] or ""


class Writer:
    """Applies checked documents to the database, saving only what differs, through the
    services' write session (the caller opens it: profiles_import, document_restore).

    Organizations and sources are shared by every profile. A new one is created (awaiting a
    reviewer); a known one whose values in the file differ gets a pending change, unless the
    writer only `links` to shared records (a revert never changes them). With `trusted` (an
    import a reviewer publishes), a reviewer's recorded quote-check overrides are restored.
    """

    def __init__(self, *, user=None, links=False, trusted=False):
        self.user = user
        self.links = links
        self.trusted = trusted
        self.written = 0
        self.problems = []
        self.organizations = {}
        self.shared = []  # organizations and sources this file created or changed
        self.by_identifier = None  # (scheme, identifier) -> person pk, read when first needed
        self.matched = {}  # person pk -> the path of the document that matched it

    def save(self, instance, path, *, exclude=None):
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = path if name == "__all__" else f"{path}.{name}"
                self.problems.extend(f"{where}: {message}" for message in messages)
            return False
        instance.save()
        self.written += 1
        return True

    def delete(self, instance):
        instance.delete()
        self.written += 1

    def source(self, document, path):
        source = Source.objects.filter(url=document["url"]).first()
        if source is None and self.links:
            source = Source.objects.filter(pk=document["id"]).first()
        if source is not None and self.links:
            return source
        if source is None:
            key = document["id"]
            source = Source(id=key if not Source.objects.filter(pk=key).exists() else "")
        values = {
            "title": document["title"],
            "url": document["url"],
            "publisher": document.get("publisher") or "",
            "author": document.get("author") or "",
            "published": PartialDate.parse(document["published"]) if document.get("published") else None,
            "accessed": PartialDate.parse(document["accessed"]) if document.get("accessed") else None,
            "archive_url": document.get("archive_url") or "",
            "note": document.get("note") or "",
            "kind": document.get("kind") or "other",
            "version_url": document.get("version_url") or "",
        }
        editorial(values, document)
        if "archived_text" in document:
            values["archived_text"] = document["archived_text"] or ""
        if assign(source, values) or source._state.adding:
            self.save_shared(source, path)
        return source

    def save_shared(self, record, path):
        """A new or unapproved record is saved; a change to an approved one waits for review."""
        try:
            editing.shared_record_save(record=record, user=self.user, reason=recording_reason())
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = path if name == "__all__" else f"{path}.{name}"
                self.problems.extend(f"{where}: {message}" for message in messages)
            return
        self.written += 1
        self.shared.append(record)

    def organization(self, document, path):
        slug = document["id"]
        if slug in self.organizations:
            return self.organizations[slug]
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            reserved = PublicSlug.objects.filter(slug=slug, organization__isnull=False).first()
            organization = reserved.organization if reserved else None
        if organization is not None and self.links:
            self.organizations[slug] = organization
            return organization
        parent = self.organization(document["parent"], f"{path}.parent") if document.get("parent") else None
        organization = organization or Organization(slug=slug)
        values = {
            "name": document["name"],
            "native_name": document.get("native_name") or "",
            "kind": document.get("kind") or "other",
            "parent_id": parent.pk if parent else None,
        }
        if "identifiers" in document:  # a file without them keeps the ones we have
            values["identifiers"] = document["identifiers"]
        if assign(organization, values) or organization._state.adding:
            self.save_shared(organization, path)
        self.organizations[slug] = organization
        return organization

    def person(self, document, path, *, sources=None):
        """Make the working copy of one person match the document."""
        if sources is None:
            sources = {
                item["id"]: self.source(item, f"{path}.sources[{index}]")
                for index, item in enumerate(document["sources"])
            }
        person = self.match(document, path)
        if person is None:
            return None
        values = {
            key: document.get(key) or ""
            for key in (
                "name",
                "native_name",
                "native_name_lang",
                "romanization",
                "birth_place",
                "death_place",
                "summary",
            )
        }
        for key in ("birth_date", "death_date"):
            values[key] = PartialDate.parse(document[key]) if document.get(key) else None
        if "identifiers" in document:  # a file without them keeps the ones we have
            values["identifiers"] = document["identifiers"]
        # A published address never changes by import: a person found by an identifier under
        # another slug keeps theirs (an editor changes it, a reviewer publishes it).
        if not person.live_revision_id:
            values["slug"] = document["id"]
        if assign(person, values) or person._state.adding:
            if not self.save(person, path):
                return None

        self.other_names(person, document.get("other_names", []))
        existing = {c.pk: c for c in Citation.objects.filter(person=person)}
        kept = set()
        for name, citations in document.get("citations", {}).items():
            self.citations(
                person, {"field": name}, citations, sources, existing, kept, f"{path}.citations.{name}"
            )

        positions = {p.key: p for p in Position.objects.filter(person=person)}
        for index, item in enumerate(document.get("memberships", [])):
            where = f"{path}.memberships[{index}]"
            position = positions.pop(item["id"], None) or self.claim_for(Position, item, person, where)
            if position is None:
                continue
            organization = self.organization(item["organization"], f"{where}.organization")
            values = {
                "role": item["role"],
                "organization_id": organization.pk,
                "start_date": PartialDate.parse(item["start_date"]) if item.get("start_date") else None,
                "end_date": PartialDate.parse(item["end_date"]) if item.get("end_date") else None,
                "ended": item.get("ended", False) and not item.get("end_date"),
                "acting": item.get("acting", False),
                "concurrent": item.get("concurrent", False),
                "ordinal": item.get("ordinal") or "",
                "note": item.get("note") or "",
            }
            editorial(values, item)
            if (assign(position, values) or position._state.adding) and not self.save(position, where):
                continue
            self.citations(
                person,
                {"position": position},
                item.get("citations", []),
                sources,
                existing,
                kept,
                f"{where}.citations",
            )
        for position in positions.values():
            self.delete(position)

        events = {e.key: e for e in Event.objects.filter(person=person)}
        for index, item in enumerate(document.get("events", [])):
            where = f"{path}.events[{index}]"
            event = events.pop(item["id"], None) or self.claim_for(Event, item, person, where)
            if event is None:
                continue
            values = {
                "date": PartialDate.parse(item["date"]),
                "kind": item.get("kind") or "other",
                "title": item["title"],
                "description": item.get("description") or "",
            }
            editorial(values, item)
            if (assign(event, values) or event._state.adding) and not self.save(event, where):
                continue
            self.citations(
                person,
                {"event": event},
                item.get("citations", []),
                sources,
                existing,
                kept,
                f"{where}.citations",
            )
        for event in events.values():
            self.delete(event)

        for pk, citation in existing.items():
            if pk not in kept and Citation.objects.filter(pk=pk).exists():
                self.delete(citation)
        return person

    def match(self, document, path):
        """The person a document describes: the one with any of its identifiers (imports only;
        a revert names its person by slug), else the one with its slug, else a new one. None,
        with a problem, when its identifiers name two people, or a person another document
        of the file already matched."""
        person = None
        pairs = [(item["scheme"], item["identifier"]) for item in document.get("identifiers") or ()]
        if pairs and not self.links:
            if self.by_identifier is None:
                self.by_identifier = {
                    (item["scheme"], item["identifier"]): pk
                    for pk, identifiers in Person.objects.exclude(identifiers=[]).values_list(
                        "pk", "identifiers"
                    )
                    for item in identifiers or ()
                }
            found = {self.by_identifier[pair] for pair in pairs if pair in self.by_identifier}
            if len(found) > 1:
                slugs = sorted(Person.objects.filter(pk__in=found).values_list("slug", flat=True))
                self.problems.append(f"{path}.identifiers: name different people: {', '.join(slugs)}")
                return None
            if found:
                person = Person.objects.get(pk=found.pop())
        person = person or Person.objects.filter(slug=document["id"]).first() or Person(slug=document["id"])
        if person.pk:
            if person.pk in self.matched:
                self.problems.append(
                    f"{path}: is the same person as {self.matched[person.pk]} ({person.slug})"
                )
                return None
            self.matched[person.pk] = path
        return person

    def claim_for(self, model, item, person, path):
        if model.objects.filter(key=item["id"]).exists():
            self.problems.append(f'{path}.id: "{item["id"]}" is already used in another profile')
            return None
        return model(key=item["id"], person=person)

    def other_names(self, person, items):
        existing = {other.name: other for other in person.other_names.all()}
        for item in items:
            other = existing.pop(item["name"], None) or OtherName(person=person, name=item["name"])
            if assign(other, {"note": item.get("note") or ""}) or other._state.adding:
                other.save()
                self.written += 1
        for other in existing.values():
            self.delete(other)

    def citations(self, person, claim, items, sources, existing, kept, path):
        """Make one claim's citations match the list, matching by source, field and quote."""
        position, event = claim.get("position"), claim.get("event")
        current = {
            (c.source_id, c.field, c.quote): c
            for c in existing.values()
            if c.position_id == (position.pk if position else None)
            and c.event_id == (event.pk if event else None)
            and (position or event or c.field == claim.get("field"))
            and c.pk not in kept
        }
        for index, item in enumerate(items):
            source = sources[item["source"]]
            field_name = claim.get("field") or item.get("field") or ""
            citation = current.pop((source.pk, field_name, item["quote"]), None) or Citation(
                person=person,
                position=position,
                event=event,
                source=source,
                field=field_name,
                quote=item["quote"],
            )
            values = {
                "locator": item.get("locator") or "",
                "stance": item.get("stance") or "supports",
                "stated": item.get("stated") or "",
                "note": item.get("note") or "",
            }
            editorial(values, item)
            if self.trusted and item.get("override"):
                values.update(
                    override_reason=item["override"], override_quote=item["quote"], override_by=self.user
                )
            if field_name in DATE_FIELDS and values["stated"]:
                values["stated"] = PartialDate.parse(values["stated"]).isoformat()
            if assign(citation, values) or citation._state.adding:
                self.save(citation, f"{path}[{index}]")
            if citation.pk:
                kept.add(citation.pk)


def recording_reason():
    return current_reason() or ""


def document_restore(*, person, document, user):
    """Make a person's working copy match a document (a revert), inside the caller's edit
    session; organizations and sources are linked to as they are, never changed."""
    writer = Writer(user=user, links=True)
    writer.person(document, document["id"])
    if writer.problems:
        raise ImportProblems(writer.problems)
    return writer.written
