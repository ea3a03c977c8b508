"""The profile format, declared once: the profile document and the import/export file as typed
models, from which come the JSON Schema published at /api/schema/profile.json (and committed as
docs/profile.schema.json), the OpenAPI document's `Profile`, and the keys the importer accepts
(profiles.importing.KEYS). docs/profile-format.md explains it and is tested against it.

The importer checks more than a schema can say (a citation's source is one of the document's,
dates in order, quotes in the archived text); what a schema can say (keys, types, choices,
lengths) is said here only.
"""

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from profiles import identifiers as identifier_rules
from profiles import models
from profiles.claims import ALL_FIELDS, CLAIM_FIELDS
from sources import models as source_models

SCHEMA_PATH = "/api/schema/profile.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}){0,2}$"
SLUG_PATTERN = r"^[-a-z0-9_]+$"


def text(max_length=None, description=None, **extra):
    return Field(max_length=max_length, description=description, **extra)


Slug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=SLUG_PATTERN,
        description="A key of lower-case letters, digits and hyphens.",
    ),
]
PartialDate = Annotated[
    str,
    Field(
        pattern=PARTIAL_DATE_PATTERN,
        description="An ISO 8601 partial date, at the precision the source gives: 1955, 1955-12, 1955-12-05.",
    ),
]
WebAddress = Annotated[
    str,
    Field(
        max_length=500,
        json_schema_extra={"format": "iri"},
        description="An http or https address, in the readable form it was recorded in.",
    ),
]


def choices(values):
    return Literal[tuple(values)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def scheme_patterns(schema):
    # An identifier of a scheme with a known form (a Wikidata Q-number) has that form.
    schema["allOf"] = [
        {
            "if": {"properties": {"scheme": {"const": scheme}}, "required": ["scheme"]},
            "then": {"properties": {"identifier": {"pattern": f"^{pattern.pattern}$"}}},
        }
        for scheme, pattern in identifier_rules.PATTERNS.items()
    ]


class Identifier(Strict):
    """An identifier others issued (Popolo's `identifiers`)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=scheme_patterns)

    scheme: choices(identifier_rules.SCHEMES)
    identifier: str = Field(min_length=1, max_length=identifier_rules.MAX_LENGTH)


class OtherName(Strict):
    """Another name the person is known by."""

    name: str = text(200)
    note: str = text(200, "What the name is, e.g. a pseudonym.", default="")


def stance_rules(schema):
    # A disputing citation says what the source gives instead; an inferring one says how.
    said = {"type": "string", "minLength": 1}
    schema["allOf"] = [
        {
            "if": {"properties": {"stance": {"const": "disputes"}}, "required": ["stance"]},
            "then": {
                "anyOf": [
                    {"required": ["stated"], "properties": {"stated": said}},
                    {"required": ["note"], "properties": {"note": said}},
                ]
            },
        },
        {
            "if": {"properties": {"stance": {"const": "infers"}}, "required": ["stance"]},
            "then": {"required": ["note"], "properties": {"note": said}},
        },
    ]


class Citation(Strict):
    """A quoted passage of a source that backs (or disputes) a claim."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=stance_rules)

    source: str = Field(description='The id of a source in the document\'s "sources".')
    quote: str = Field(description="Verbatim from the source.")
    locator: str = text(200, "Section, page or paragraph.", default="")
    stance: choices(source_models.Citation.Stance.values) = Field(
        default="supports",
        description="supports: the source states the value; disputes: it states another (see stated); "
        "infers: the value is deduced from what it states (the public note says how).",
    )
    stated: str | None = text(
        200, "What the source gives when it differs from the recorded value.", default=None
    )
    field: choices(ALL_FIELDS) | None = Field(
        default=None, description="The one field it backs; null: the whole claim."
    )
    note: str = text(500, "A public note, shown to readers with the citation.", default="")
    editors_note: str = text(
        500, "For editors only: in working-copy export files, never served or published.", default=""
    )
    verification: choices(source_models.Citation.Verification.values) = Field(
        default="unverified",
        description="Served and exported only, recomputed on import: whether the quote stands in the "
        "source's archived text.",
    )
    override: str = Field(
        default="",
        description="Served and exported only: why a reviewer accepted a quote the check could not find.",
    )


class OrganizationInDocument(Strict):
    """An organization, with the chain of organizations it is part of."""

    id: Slug
    name: str = text(200)
    native_name: str = text(200, "The name in its own script.", default="")
    kind: choices(models.Organization.Kind.values) = "other"
    identifiers: list[Identifier] = []
    parent: "OrganizationInDocument | None" = Field(
        default=None, description="What it is part of; no key at all when it is part of nothing."
    )


class Membership(Strict):
    """A position held (Popolo's membership)."""

    id: Slug
    role: str = text(200)
    organization: OrganizationInDocument
    start_date: PartialDate | None = None
    end_date: PartialDate | None = None
    ended: bool = Field(default=False, description="true with end_date null: ended, date not stated.")
    acting: bool = False
    concurrent: bool = False
    ordinal: str = text(100, 'Rank or ordinal, e.g. "fifth-ranked".', default="")
    note: str = Field(default="", description="A public note, shown to readers.")
    editors_note: str = Field(default="", description="For editors only: working-copy export files.")
    citations: list[Citation] = []


class Event(Strict):
    """Something that happened on a date."""

    id: Slug
    date: PartialDate
    kind: choices(models.Event.Kind.values) = "other"
    title: str = text(200)
    description: str = ""
    editors_note: str = Field(default="", description="For editors only: working-copy export files.")
    citations: list[Citation] = []


class Source(Strict):
    """A source that citations quote."""

    id: Slug
    title: str = text(300)
    kind: choices(source_models.Source.Kind.values) = "other"
    url: WebAddress
    language: str = Field(
        default="",
        max_length=20,
        pattern=source_models.LANGUAGE_TAG.regex.pattern + "|^$",
        description="The language it is written in, as a lower-case BCP 47 code (en, zh, zh-hant); "
        "empty: read from a Wikipedia-like address, else undetermined.",
    )
    version_url: WebAddress | Literal[""] = Field(
        default="", description="The address of the exact version read (e.g. a wiki's permanent link)."
    )
    publisher: str = text(200, default="")
    author: str = text(200, default="")
    published: PartialDate | None = None
    accessed: PartialDate | None = None
    archive_url: WebAddress | Literal[""] = ""
    note: str = Field(default="", description="A public note about the source.")
    editors_note: str = Field(default="", description="For editors only: working-copy export files.")
    archived_text: str = Field(
        default="", description="Export files only: what the source said when it was read."
    )


class RevisionInfo(Strict):
    number: int = Field(ge=1)
    published_at: str = Field(json_schema_extra={"format": "date-time"})
    url: str = Field(json_schema_extra={"format": "uri-reference"})


PersonCitations = dict[choices(CLAIM_FIELDS["person"]), list[Citation]]


class ProfileDocument(Strict):
    """The profile document: one person and everything cited about them
    (docs/profile-format.md)."""

    format: int = Field(default=2, description="Served and exported only: the format's number.")
    id: Slug
    name: str = text(200)
    native_name: str | None = text(200, default="")
    native_name_lang: str | None = text(35, "BCP 47 tag of native_name.", default="")
    romanization: str | None = text(200, default="")
    other_names: list[OtherName] = []
    birth_date: PartialDate | None = None
    birth_place: str | None = text(200, default="")
    death_date: PartialDate | None = None
    death_place: str | None = text(200, default="")
    summary: str | None = text(2000, default="")
    identifiers: list[Identifier] = []
    citations: PersonCitations = Field(default={}, description="The person's own facts, by field name.")
    memberships: list[Membership] = []
    events: list[Event] = []
    sources: list[Source]
    revision: RevisionInfo | None = Field(
        default=None, description="Served documents only: the published revision."
    )


class ProfileFile(Strict):
    """An import/export file."""

    people: list[ProfileDocument]
    content: str = Field(default="", description="Exports only: which content the file holds.")
    seals: list[str] | None = Field(
        default=None,
        description="Published exports only: one keyed digest per document, by which this site "
        "recognises the revisions it published when the file is imported with --publish.",
    )
    license: dict | None = Field(
        default=None, description="Exports only: the data's licence and attribution (README, Licences)."
    )


# The kinds of object the importer names in its messages, and their models.
OBJECTS = {
    "file": ProfileFile,
    "person": ProfileDocument,
    "other name": OtherName,
    "source": Source,
    "membership": Membership,
    "organization": OrganizationInDocument,
    "event": Event,
    "citation": Citation,
}
# Keys exports write for readers, which an import accepts and ignores (never trusts).
OUTPUT_ONLY = {
    "file": {"license"},
    "person": {"format", "revision"},
    "citation": {"verification", "override"},
}


def keys(kind):
    """The keys an object of this kind may have in an import file (output-only keys aside)."""
    return set(OBJECTS[kind].model_fields) - OUTPUT_ONLY.get(kind, set())


def json_schema():
    """The JSON Schema (2020-12) of a profile document, with the import file under $defs."""
    schema = ProfileDocument.model_json_schema(ref_template="#/$defs/{model}")
    schema["$defs"]["ProfileFile"] = ProfileFile.model_json_schema(ref_template="#/$defs/{model}")
    schema["$defs"]["ProfileFile"].pop("$defs", None)
    schema["$defs"]["ProfileFile"]["properties"]["people"]["items"] = {"$ref": "#"}
    return {"$schema": DRAFT, **schema}


def json_text():
    """The JSON Schema as docs/profile.schema.json holds it."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
