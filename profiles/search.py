"""Search over published profiles, blind to case, accents and script.

Each published revision keeps `search_text`: all names (in every script), roles and organizations of
its document, folded by `fold()`. The query is folded the same way, so "Cài Qí", "CAI QI" and "cai qi"
meet, and "蔡奇" matches itself.

On PostgreSQL each revision stores its vector (`search_vector`, a generated column with a GIN
index, migration 0012): every word of the query matches a word prefix through that index ("wang"
finds Wang Yi and Wangjun, "王" finds 王建国), ranking reads the stored vector, and a term that
matches most of the site is ordered by name instead of ranked (RANK_LIMIT). Only when no word
prefix matches does the trigram substring match run (a piece inside a word: "guo" of "Jianguo").
On SQLite a plain substring match gives the rows.
"""

import re
import unicodedata

from django.apps import apps
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

MAX_QUERY_LENGTH = 200
# More matches than this are ordered by name: ranking them all costs more than it tells.
RANK_LIMIT = 5_000
# Searches count their matches up to this many ("more than 10,000").
COUNT_LIMIT = 10_000
STORED_VECTOR = '"profiles_publishedrevision"."search_vector"'


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


def prefix_query(terms):
    """A to_tsquery text asking every word of the folded query as a word prefix, or ""."""
    words = re.findall(r"\w+", terms)
    return " & ".join(f"{word}:*" for word in words)


def search_people(people, query, *, ranked=True, substrings=None):
    """Filter a queryset of people with live revisions by a free-text query, best first (by name
    when not `ranked`). On PostgreSQL words match word prefixes through the stored vector, or
    substrings with `substrings=True` (the fallback when no prefix matches)."""
    terms = fold(query)[:MAX_QUERY_LENGTH]
    if not terms:
        return people.none()
    text = prefix_query(terms)
    if connection.vendor == "postgresql" and text and not substrings:
        revisions = apps.get_model("profiles", "PublishedRevision").objects.extra(
            where=["search_vector @@ to_tsquery('simple', %s)"], params=[text]
        )
        found = people.filter(live_revision__in=revisions.values("pk")).select_related("live_revision")
        if not ranked:
            return found.order_by("live_revision__name", "slug")
        rank = RawSQL(f"ts_rank({STORED_VECTOR}, to_tsquery('simple', %s))", [text])
        return found.annotate(rank=rank).order_by("-rank", "live_revision__name", "slug")
    matches = Q()
    for word in terms.split():
        matches &= Q(live_revision__search_text__contains=word)
    people = people.filter(matches)
    if connection.vendor == "postgresql" and ranked:
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("live_revision__search_text", config="simple")
        rank = SearchRank(vector, SearchQuery(terms, config="simple", search_type="plain"))
        return people.annotate(rank=rank).order_by("-rank", "live_revision__name", "slug")
    return people.order_by("live_revision__name", "slug")
