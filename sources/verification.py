"""Quote verification: does each citation's quote stand in its source's archived text?

A quote is *verified* when it occurs in the archived text, ignoring differences of whitespace and
typographic quotes; *unverified* when it does not; *no archive* when the source has no text.
"""

from bioproject import writes
from sources.models import Citation, Source


def source_reverify(*, source: Source) -> int:
    """Recheck every quote of a source against its archived text; how many fail."""
    citations = list(source.citations.only("pk", "quote", "verification", "source_id"))
    changed = []
    for citation in citations:
        status = source.verification_of(citation.quote)
        if status != citation.verification:
            citation.verification = status
            changed.append(citation)
    with writes.session(user=None, system=True, bulk=True):
        # verification is derived and excluded from history, so a bulk update loses no record.
        Citation.objects.bulk_update(changed, ["verification"], batch_size=500)
    return sum(c.verification == Citation.Verification.UNVERIFIED for c in citations)


def quotes_report(citations):
    """(citation, status) for each citation, checked afresh against its source's text."""
    for citation in citations.select_related("source", "person", "position", "event"):
        yield citation, citation.source.verification_of(citation.quote)
