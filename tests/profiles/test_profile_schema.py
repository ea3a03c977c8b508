"""One JSON Schema of the profile format (profiles.profile_schema): committed in docs/, served at
/api/schema/profile.json, the OpenAPI document's Profile, the importer's keys, and named whole in
docs/profile-format.md, so that the four cannot disagree again."""

import copy
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from profiles import profile_schema
from profiles.documents import person_document
from profiles.importing import check_file
from tests.factories import cited_profile

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs"
DEMO = Path(__file__).resolve().parents[2] / "profiles" / "demo" / "cai-qi.json"
SCHEMA = profile_schema.json_schema()


def schema_problems(instance, definition=None):
    registry = Registry().with_resource("urn:profile", Resource.from_contents(SCHEMA, DRAFT202012))
    schema = {"$ref": "urn:profile" + (f"#/$defs/{definition}" if definition else "")}
    validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def test_the_committed_schema_is_the_generated_one():
    committed = (DOCS / "profile.schema.json").read_text(encoding="utf-8")
    assert committed == profile_schema.json_text(), (
        "Regenerate: python manage.py profile_schema -o docs/profile.schema.json"
    )
    Draft202012Validator.check_schema(json.loads(committed))


def test_the_api_serves_the_schema_with_an_etag(client):
    response = client.get("/api/schema/profile.json")
    assert response.status_code == 200 and response.json() == SCHEMA
    assert client.get("/api/schema/profile.json", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def without_defaults(schema):
    """A schema without its `default`s (the OpenAPI document, describing answers, leaves them out)."""
    if isinstance(schema, dict):
        return {key: without_defaults(value) for key, value in schema.items() if key != "default"}
    if isinstance(schema, list):
        return [without_defaults(value) for value in schema]
    return schema


def test_the_openapi_profile_is_the_schema_with_its_served_keys(client):
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    profile = components["Profile"]
    assert profile["properties"].keys() == SCHEMA["properties"].keys()
    assert set(profile["required"]) == {*SCHEMA["required"], "format", "revision"}
    for name, definition in SCHEMA["$defs"].items():
        if name != "ProfileFile":
            definition = json.loads(json.dumps(definition).replace("#/$defs/", "#/components/schemas/"))
            assert without_defaults(components[name]) == without_defaults(definition), name


def test_the_importer_accepts_the_keys_the_schema_has():
    from profiles import importing

    for kind, model in profile_schema.OBJECTS.items():
        allowed = importing.KEYS[kind] | importing.OUTPUT_ONLY.get(kind, set())
        assert allowed == set(model.model_fields), kind


def test_the_demo_file_and_a_working_copy_export_validate():
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    assert schema_problems(demo, "ProfileFile") == []
    document = person_document(cited_profile(slug="cai-qi"), include_archive=True, editorial=True)
    assert schema_problems(document) == []


def test_a_served_document_validates(client, reviewer):
    from tests.factories import publish

    publish(person=cited_profile(slug="cai-qi"), user=reviewer)
    assert schema_problems(client.get("/people/cai-qi.json").json()) == []


# The importer and the schema refuse the same things -------------------------------------------

VALID = {
    "id": "cai-qi",
    "name": "Cai Qi",
    "other_names": [{"name": "Cai Qi (pseudonym)", "note": ""}],
    "citations": {"name": [{"source": "s", "quote": "Cai", "field": "name"}]},
    "memberships": [
        {
            "id": "m",
            "role": "Mayor",
            "organization": {"id": "o", "name": "Sanming", "kind": "government"},
            "citations": [{"source": "s", "quote": "Cai", "note": "n", "stance": "supports"}],
        }
    ],
    "events": [{"id": "e", "date": "1975", "title": "Joins", "citations": [{"source": "s", "quote": "C"}]}],
    "sources": [{"id": "s", "title": "Cai Qi", "url": "https://en.wikipedia.org/wiki/Cai_Qi"}],
}
# Where an object of each kind sits in VALID.
PLACES = {
    "person": (),
    "other name": ("other_names", 0),
    "source": ("sources", 0),
    "membership": ("memberships", 0),
    "organization": ("memberships", 0, "organization"),
    "event": ("events", 0),
    "citation": ("memberships", 0, "citations", 0),
}


def place(document, steps):
    for step in steps:
        document = document[step]
    return document


def both_refuse(change):
    document = copy.deepcopy(VALID)
    change(document)
    return bool(check_file({"people": [document]})), bool(schema_problems(document))


def test_the_valid_document_passes_both():
    assert check_file({"people": [VALID]}) == [] and schema_problems(VALID) == []


def constrained_fields():
    for kind, steps in PLACES.items():
        for name, field in profile_schema.OBJECTS[kind].model_fields.items():
            if name in profile_schema.OUTPUT_ONLY.get(kind, ()):
                continue
            limits = [getattr(item, "max_length", None) for item in field.metadata]
            yield kind, steps, name, field, next((limit for limit in limits if limit), None)


@pytest.mark.parametrize(
    ("kind", "steps", "name", "field", "limit"),
    [pytest.param(*item, id=f"{item[0]}.{item[2]}") for item in constrained_fields()],
)
def test_the_importer_and_the_schema_agree_on_each_key(kind, steps, name, field, limit):
    def remove(document):
        place(document, steps).pop(name, None)

    def unknown_choice(document):
        place(document, steps)[name] = "zz-not-a-choice"

    def too_long(length):
        def change(document):
            place(document, steps)[name] = "x" * length

        return change

    required = field.is_required()
    assert both_refuse(remove) == (required, required)
    annotation = repr(field.annotation)
    if "Literal" in annotation and "''" not in annotation:
        assert both_refuse(unknown_choice) == (True, True)
    if limit and name not in ("id", "url", "archive_url", "version_url", "language") and "date" not in name:
        assert both_refuse(too_long(limit)) == (False, False)
        assert both_refuse(too_long(limit + 1)) == (True, True)


@pytest.mark.parametrize("kind", PLACES)
def test_an_unknown_key_is_refused_by_both(kind):
    assert both_refuse(lambda document: place(document, PLACES[kind]).update(Summary="x")) == (True, True)


def test_a_disputing_or_inferring_citation_must_say_what_or_how_in_both():
    def citation(**fields):
        def change(document):
            place(document, PLACES["citation"]).update(fields)

        return change

    assert both_refuse(citation(stance="disputes", note="")) == (True, True)
    assert both_refuse(citation(stance="disputes", note="", stated="1956")) == (False, False)
    assert both_refuse(citation(stance="infers", note="")) == (True, True)
    assert both_refuse(citation(stance="supports", note="")) == (False, False)


# The documentation names everything the schema has -----------------------------------------------


def test_the_format_documentation_names_every_key_and_choice():
    text = (DOCS / "profile-format.md").read_text(encoding="utf-8")
    missing = []
    for name, definition in SCHEMA["$defs"].items():
        for key, value in definition["properties"].items():
            if f'"{key}"' not in text and f"`{key}`" not in text:
                missing.append(f"{name}.{key}")
            for choice in value.get("enum", []):
                if choice not in text:
                    missing.append(f"{name}.{key} = {choice}")
    assert missing == []


def test_the_documentation_calls_the_public_note_public():
    text = (DOCS / "profile-format.md").read_text(encoding="utf-8")
    assert "editor's note" not in text
    citation_block = text[text.index("### CITATION") : text.index("`field` names")]
    assert re.search(r'"note": "",\s+// a public note', citation_block)
    assert '"stance": "supports",           // "supports", "disputes" or "infers"' in citation_block
    for key in ("kind", "version_url", "editors_note"):
        assert f'"{key}"' in text[text.index("### SOURCE") :]


@pytest.mark.parametrize(
    ("identifier", "refused"),
    [({"scheme": "wikidata", "identifier": "Q42"}, False), ({"scheme": "wikidata", "identifier": "Q0"}, True)]
    + [({"scheme": "viaf", "identifier": "Q0"}, False), ({"scheme": "isbn", "identifier": "1"}, True)],
)
def test_the_importer_and_the_schema_agree_on_identifiers(identifier, refused):
    assert both_refuse(lambda document: document.update(identifiers=[identifier])) == (refused, refused)
