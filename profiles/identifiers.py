"""Identifiers issued to a person or an organization by others (Wikidata, OpenSanctions, an
official register): what a valid list of them is, said once for the models' clean() and the
import check.

A list is stored and exported as Popolo writes it: `[{"scheme": "wikidata", "identifier": "Q42"}]`.
"""

import json
import re

from bioproject.models import FORBIDDEN

SCHEMES = ("wikidata", "opensanctions", "viaf", "isni", "official", "other")
PATTERNS = {"wikidata": re.compile(r"Q[1-9][0-9]*")}
KEYS = ("scheme", "identifier")
MAX_LENGTH = 200

HELP_TEXT = (
    'Identifiers others issued, as a JSON list: [{"scheme": "wikidata", "identifier": "Q42"}]. '
    "Schemes: " + ", ".join(SCHEMES) + ". A Wikidata identifier is its Q-number."
)


def problems(value):
    """(index or None, message) for everything wrong with a list of identifiers; none when sound.
    The index names the entry at fault (None: the list itself)."""
    if not isinstance(value, list):
        return [(None, "must be a list of {scheme, identifier} objects")]
    found, seen = [], set()
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            found.append((index, "must be an object with a scheme and an identifier"))
            continue
        unknown = sorted(set(item) - set(KEYS))
        if unknown:
            found.append(
                (
                    index,
                    f"unknown key {json.dumps(unknown[0])} (an identifier has a scheme and an identifier)",
                )
            )
        scheme, identifier = item.get("scheme"), item.get("identifier")
        if not isinstance(scheme, str):  # a list or an object: quoted, it could be nested deep and long
            found.append((index, f"the scheme must be one of {', '.join(SCHEMES)}"))
            continue
        if scheme not in SCHEMES:
            found.append((index, f"scheme {json.dumps(scheme)} is not one of {', '.join(SCHEMES)}"))
        if not isinstance(identifier, str) or not identifier.strip():
            found.append((index, "the identifier must be non-empty text"))
            continue
        if len(identifier) > MAX_LENGTH:
            found.append(
                (index, f"the identifier is {len(identifier)} characters long; at most {MAX_LENGTH} fit")
            )
        elif FORBIDDEN.search(identifier) or identifier != identifier.strip():
            found.append((index, "the identifier contains control characters or surrounding spaces"))
        elif scheme in PATTERNS and not PATTERNS[scheme].fullmatch(identifier):
            found.append((index, f'"{identifier}" is not a {scheme} identifier (e.g. Q42)'))
        pair = (str(scheme), identifier)
        if pair in seen:
            found.append((index, f"{scheme} {identifier} is listed twice"))
        seen.add(pair)
    return found


def value_of(identifiers, scheme):
    """The first identifier of that scheme in a list, or None."""
    return next((item["identifier"] for item in identifiers or () if item.get("scheme") == scheme), None)
