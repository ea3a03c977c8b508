"""How well a claim is sourced: what kinds of source back it. Pure functions of a profile document
(or parts of one): no database access, so the page, the publishing gate and tests share them.
"""

from sources.models import Source

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
