"""Validators for Popolo's JSON schemas (draft 3), with their $refs resolved from the copies in
popolo_schemas/ (no network), checking formats too: a `"format": "uri"` holds only a URI (RFC 3986,
checked by rfc3986-validator), a `date-time` only an RFC 3339 time."""

import json
from pathlib import Path

from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

SCHEMAS = Path(__file__).parent / "popolo_schemas"
BASE = "http://www.popoloproject.com/schemas/"


def _registry():
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((f"{BASE}{path.name}", Resource.from_contents(schema, default_specification=DRAFT3)))
    return Registry().with_resources(resources)


REGISTRY = _registry()
FORMAT_CHECKER = Draft3Validator.FORMAT_CHECKER
# Without its library a format passes unchecked: make sure the one our exports carry is checked.
assert "uri" in FORMAT_CHECKER.checkers, "pip install rfc3986-validator (the test extras)"


def validator(name):
    """A validator of one Popolo schema: person, membership, organization, ..."""
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    return Draft3Validator(schema, registry=REGISTRY, format_checker=FORMAT_CHECKER)


def errors(name, instance):
    """Every way the instance fails the schema, each as 'path: message'."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(name).iter_errors(instance)
    ]
