"""Search over published profiles, blind to case, accents and script.

Each published revision keeps `search_text`: all names (in every script), roles and organizations of
its document, folded by `fold()`. The query is folded the same way, so "Cài Qí", "CAI QI" and "cai qi"
meet, and "蔡奇" matches itself. On PostgreSQL, full-text search ranks the results and a trigram
index serves the substring match; on SQLite a plain substring match gives the same rows.
"""

import unicodedata

from django.db import connection
from django.db.models import Q

MAX_QUERY_LENGTH = 200


def fold(text):
    """Lower-case, accent-free, single-spaced text for matching (control characters dropped)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    decomposed = "".join(char for char in decomposed if unicodedata.category(char) != "Cc")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def document_search_text(document):
    """The folded text a published profile document is found by."""
    parts = [document.get("name"), document.get("native_name"), document.get("romanization")]
    parts += [other.get("name") for other in document.get("other_names", [])]
    for membership in document.get("memberships", []):
        parts.append(membership.get("role"))
        organization = membership.get("organization") or {}
        parts += [organization.get("name"), organization.get("native_name")]
    return " | ".join(fold(part) for part in parts if part)


def search_people(people, query):
    """Filter a queryset of people with live revisions by a free-text query, best first."""
    terms = fold(query)[:MAX_QUERY_LENGTH]
    if not terms:
        return people.none()
    words = terms.split()
    matches = Q()
    for word in words:
        matches &= Q(live_revision__search_text__contains=word)
    people = people.filter(matches)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("live_revision__search_text", config="simple")
        rank = SearchRank(vector, SearchQuery(terms, config="simple", search_type="plain"))
        return people.annotate(rank=rank).order_by("-rank", "live_revision__name", "slug")
    return people.order_by("live_revision__name", "slug")
