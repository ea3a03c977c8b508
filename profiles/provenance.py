"""How well a claim is sourced: what kinds of source back it. Pure functions of a profile document
(or parts of one): no database access, so the page, the publishing gate and tests share them.
"""

import re
from dataclasses import dataclass

from profiles.claims import DATE_FIELDS, LABELS
from profiles.dates import PartialDate
from sources.models import Source, comparable_text

# Stances under which a citation backs the recorded value (an inferring source implies it).
BACKING_STANCES = ("supports", "infers")

# Event kinds that say something against a person: they must not rest on tertiary sources alone
# while the person is alive.
CONTENTIOUS_EVENT_KINDS = ("criticised", "incident")


def claim_support(citations, sources):
    """ "ai-only" when every citation backing the claim comes from AI-generated text,
    "tertiary-only" when each comes from an encyclopedia or AI-generated text, else None
    (also None for a claim that nothing backs: that is "citation needed", not weak support).

    `sources` maps source ids to source documents; a source without a kind counts as "other".
    """
    kinds = {
        sources[citation["source"]].get("kind") or Source.Kind.OTHER
        for citation in citations
        if citation["stance"] in BACKING_STANCES
    }
    if not kinds:
        return None
    if kinds == {Source.Kind.AI_GENERATED}:
        return "ai-only"
    if kinds <= set(Source.TERTIARY_KINDS):
        return "tertiary-only"
    return None


def weak_contentious_claims(document):
    """(label, anchor) of each criticism or incident about a living person that rests only on
    encyclopedias or AI-generated text, in document order; anchors are the profile page's ids."""
    if document.get("death_date"):
        return []
    sources = {source["id"]: source for source in document.get("sources", ())}
    return [
        (event["title"], f"e-{event['id']}")
        for event in document.get("events", ())
        if event.get("kind") in CONTENTIOUS_EVENT_KINDS and claim_support(event["citations"], sources)
    ]


def source_label(source):
    """How the page names a source: its publisher, else its title."""
    return source.get("publisher") or source.get("title") or source["id"]


# Posts that follow one another ------------------------------------------------------------------


def following_posts(memberships):
    """For each membership id, the posts the record has begin as it ends: (membership, start) of
    each other post whose start falls within its recorded end ("2002" holds March 2002) and after
    its own start. A post held concurrently with another ends none."""
    dated = [(m, PartialDate.parse(m["start_date"])) for m in memberships if m.get("start_date")]
    found = {}
    for item in memberships:
        if not item.get("end_date"):
            continue
        end = PartialDate.parse(item["end_date"])
        start = PartialDate.parse(item["start_date"]) if item.get("start_date") else None
        found[item["id"]] = [
            (other, begin)
            for other, begin in dated
            if other is not item
            and not other.get("concurrent")
            and begin.overlaps(end)
            and (start is None or begin.earliest > start.latest)
        ]
    return found


def end_conflict(given, following):
    """The first of `following` (membership, start) pairs whose start the end date `given` comes
    after, or None: a more precise end that the profile's own dates contradict."""
    for other, begin in following:
        if given.earliest > begin.latest:
            return other, begin
    return None


def post_label(membership):
    return f"{membership['role']}, {membership['organization']['name']}"


def unexplained_overlaps(document):
    """(message, anchor) for each supporting citation that ends a post after the start of the post
    the record has follow it: the sources do not explain such an overlap (a disputing citation or
    a post marked as held concurrently would)."""
    sources = {source["id"]: source for source in document.get("sources", ())}
    following = following_posts(document.get("memberships", ()))
    found = []
    for item in document.get("memberships", ()):
        for citation in item["citations"]:
            if citation["stance"] == "disputes" or citation.get("field") != "end_date":
                continue
            try:
                given = PartialDate.parse(citation.get("stated") or "")
            except ValueError:
                continue
            conflict = end_conflict(given, following.get(item["id"], ()))
            if conflict:
                other, begin = conflict
                found.append(
                    (
                        f"{source_label(sources[citation['source']])} ends “{post_label(item)}” in "
                        f"{given}, after “{post_label(other)}” began ({begin}), and nothing in the "
                        "record explains the overlap: record that citation as disputing, or mark the "
                        "later post as held concurrently.",
                        f"m-{item['id']}",
                    )
                )
    return found


# Words in quotation marks -----------------------------------------------------------------------

# Text in quotation marks: double quotes straight or curly, and single quotes used as quotes, not
# as apostrophes (an opening one follows no letter, a closing one is followed by none: "Xi's" and
# "the Committee's name" hold none).
QUOTED = re.compile(
    r"\"(?P<straight>[^\"]+)\""
    r"|“(?P<curly>[^“”]+)”"
    r"|(?<![\w'‘’])'(?P<single>\S(?:.*?\S)?)'(?![\w])"
    r"|(?<![\w'‘’])‘(?P<curly_single>\S(?:.*?\S)?)’(?![\w])",
    re.DOTALL,
)
ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*")


def quoted_passages(text):
    """The passages of a text in quotation marks, each as the fragments a reader takes to be
    verbatim: split at an ellipsis ("...", "…", "[...]"), without the sentence punctuation that
    English puts inside closing quotes."""
    passages = []
    for match in QUOTED.finditer(text or ""):
        passage = next(group for group in match.groups() if group is not None)
        fragments = [f.strip(" ,.;:") for f in ELLIPSIS.split(passage)]
        fragments = [f for f in fragments if f]
        if fragments:
            passages.append((passage, fragments))
    return passages


@dataclass(frozen=True)
class Quoted:
    """Words a reader takes for a source's: where they stand in the document (`place`), the claim
    they belong to (`claim`: "person", a membership's or event's id, or None for a source's own
    note), and the sources whose archived text must hold them."""

    place: str
    claim: str | None
    passage: str
    fragments: tuple
    sources: tuple
    where: str = ""  # the claim in a few words, for the editor


def quoted_words(document):
    """Every passage in quotation marks that readers see in a document's public notes, titles and
    descriptions, and every disputing citation's `stated` words (the page quotes them as the
    source's own), each with the sources that may hold it."""

    def passages(place, claim, text, sources, where):
        for passage, fragments in quoted_passages(text):
            yield Quoted(place, claim, passage, tuple(fragments), tuple(dict.fromkeys(sources)), where)

    def cited(citations):
        return [citation["source"] for citation in citations]

    def of_citations(path, claim, citations, claim_sources, where):
        for index, citation in enumerate(citations):
            place = f"{path}[{index}]"
            where_cited = f"a citation of {where}"
            yield from passages(f"{place}.note", claim, citation.get("note"), claim_sources, where_cited)
            stated = citation.get("stated")
            if citation["stance"] == "disputes" and stated and citation.get("field") not in DATE_FIELDS:
                fragments = tuple(f.strip(" ,.;:") for f in ELLIPSIS.split(stated) if f.strip(" ,.;:"))
                yield Quoted(
                    f"{place}.stated",
                    claim,
                    stated,
                    fragments,
                    (citation["source"],),
                    f"what {where_cited} says",
                )

    person_sources = cited(c for citations in document.get("citations", {}).values() for c in citations)
    for index, other in enumerate(document.get("other_names") or ()):
        others = cited(document.get("citations", {}).get("other_names", ())) or person_sources
        where = f"the note on the name “{other.get('name')}”"
        yield from passages(f"other_names[{index}].note", "person", other.get("note"), others, where)
    for name, citations in document.get("citations", {}).items():
        where = f"the person's {LABELS.get(name, name)}"
        yield from of_citations(f"citations.{name}", "person", citations, cited(citations), where)
    for key in ("memberships", "events"):
        for number, item in enumerate(document.get(key, ())):
            path, claim_sources = f"{key}[{number}]", cited(item["citations"])
            if key == "memberships":
                where = f"the position “{post_label(item)}”"
            else:
                where = f"the event “{item['title']}”"
            for name in ("title", "description", "note"):
                place = f"{path}.{name}"
                yield from passages(
                    place, item["id"], item.get(name), claim_sources, f"the {name} of {where}"
                )
            yield from of_citations(f"{path}.citations", item["id"], item["citations"], claim_sources, where)
    for number, source in enumerate(document.get("sources", ())):
        where = f"the note on the source “{source.get('title') or source['id']}”"
        yield from passages(f"sources[{number}].note", None, source.get("note"), (source["id"],), where)


def misquoted(document, texts):
    """The quoted words of a document (quoted_words) that the archived text of none of their
    sources holds, after the quote check's own normalisation; `texts(ids)` gives the archived
    texts of the named sources, and is asked only when there are quoted words."""
    quoted = list(quoted_words(document))
    if not quoted:
        return []
    archived = texts({source for item in quoted for source in item.sources})
    comparable = {key: comparable_text(text) for key, text in archived.items()}

    def holds(source, fragments):
        text = comparable.get(source, "")
        return bool(text) and all(comparable_text(fragment) in text for fragment in fragments)

    return [item for item in quoted if not any(holds(source, item.fragments) for source in item.sources)]


def misquote_message(item, *, place=False):
    """What the editor reads about misquoted words: where they stand (their place in the file
    with `place`), and how to fix them."""
    sources = ", ".join(item.sources)
    where = item.place if place else item.where[:1].upper() + item.where[1:]
    return (
        f"{where}: “{item.passage}” reads as the source's words but is not in the archived text of "
        f"{sources}: quote the source exactly, or drop the quotation marks."
    )
