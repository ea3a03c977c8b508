"""Tags of the profile page. In Python rather than included templates: a long profile has
hundreds of claims and citations, and these run once for each."""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from profiles.rendering import json_ld

register = template.Library()

NOTHING = mark_safe("")

STANCE_CLASSES = {"disputes": ' class="disputes"', "infers": ' class="infers"'}


def text(value):
    """Text escaped for an element's content: only &, < and > need it there, and the quotes and
    notes of a long profile are full of apostrophes that escape() would spell &#x27;."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def content(value):
    """A value for an element's content: escaped with text() unless it is markup already."""
    return value.__html__() if hasattr(value, "__html__") else text(value)


@register.simple_tag
def footnotes(entries):
    """A claim's footnote markers: each leads to its own citation's reference entry ("2.3"); a
    quote a reviewer let through the quote check says so on the line."""
    if not entries:
        return NOTHING
    links = "".join(
        f'<a href="#{escape(entry.id)}"{STANCE_CLASSES.get(entry.stance, "")}>{text(entry.number)}</a>'
        for entry in entries
    )
    html = f'<sup class="footnote">{links}</sup>'
    overridden = [entry.number for entry in entries if entry.citation.get("override")]
    if overridden:
        quotes = f"quote {overridden[0]}" if len(overridden) == 1 else f"quotes {', '.join(overridden)}"
        html += f'<span class="not-verified"> ({text(quotes)} not verified against an archived copy)</span>'
    return mark_safe(html)  # noqa: S308 - every value escaped


@register.simple_tag
def shown(claim, name, text, css="", href=None, lang=None):
    """A displayed value of a claim in its own element (a link when `href` is given), marked
    "inferred" (with from what, and how) or "disputed" as the sources have it, then its
    footnote markers. `name` None stands for the whole claim."""
    classes = [css] if css else []
    inferred = claim.inferred.get(name)
    if inferred:
        classes.append("inferred")
    if name in claim.disputed_fields:
        classes.append("disputed")
    attributes = f' class="{escape(" ".join(classes))}"' if classes else ""
    if lang:
        attributes += f' lang="{escape(lang)}"'
    if href:
        html = f'<a{attributes} href="{escape(href)}">{content(text)}</a>'
    elif attributes:
        html = f"<span{attributes}>{content(text)}</span>"
    else:  # the enclosing element holds the value alone
        html = content(text)
    if inferred:
        html += inference(inferred)
    if name is not None:
        html += footnotes(claim.field_markers.get(name))
    return mark_safe(html)  # noqa: S308 - every value escaped


def inference(inferred):
    """ "(inferred from Wikipedia: his graduation in 1978 …)": each source with how, when its
    editor said (the note, rid of its own leading "Inferred from")."""
    html = ""
    for item in inferred:
        said = f"{text(item['source'])}: {text(item['note'])}" if item["note"] else text(item["source"])
        if not html:
            html = f"inferred from {said}"
        elif html.endswith((".", "!", "?")):
            html += f" Also from {said}"
        else:
            html += f"; also from {said}"
    return mark_safe(f'<span class="inference"> ({html})</span>')  # noqa: S308 - every value escaped


@register.simple_tag
def inferred_note(claim, name=None):
    """ "(inferred from …)" for a value marked inferred by its template's own element."""
    inferred = claim.inferred.get(name)
    return inference(inferred) if inferred else NOTHING


@register.simple_tag
def support_badge(claim):
    """A visible mark on a claim that rests only on encyclopedias or AI-generated text, unless
    the page's sourcing notice says it for this claim and most others (rendering.sourcing_notice)."""
    if claim.support_on_page:
        return NOTHING
    if claim.support == "ai-only":
        return mark_safe('<span class="badge ai">AI-generated source only</span>')
    if claim.support == "tertiary-only":
        return mark_safe('<span class="badge">encyclopedias/AI only</span>')
    return NOTHING


@register.simple_tag
def precision_note(claim):
    """The "≈" mark of a claim that a source gives less (or more) precisely, consistent with it,
    with the details behind it (opened on demand by the stylesheet)."""
    if not claim.precision:
        return mark_safe("\n")
    classes = "precision"
    if claim.less_precise:
        classes += " less-precise"
    if claim.more_precise:
        classes += " more-precise"
    anchor = escape(f"{claim.anchor}-precision")
    marks = " ".join(
        f"{text(mark['source'])}: {text(mark['value'])} ({text(mark['field'])}, {text(mark['relation'])})."
        for mark in claim.precision
    )
    return mark_safe(  # noqa: S308 - every value escaped
        f'<span class="{classes}"><a class="precision-mark" href="#{anchor}" aria-label="Consistent sources">'
        f'≈</a><span class="precision-text" id="{anchor}">{marks}</span></span>\n'
    )


@register.simple_tag
def claim_notes(claim):
    """[citation needed] on an uncited claim, and one "sources differ" note per contradiction,
    each value with the sources that give it."""
    html = "" if claim.cited else '<sup class="citation-needed">[citation needed]</sup>'
    for note in claim.notes:
        on = f" on the {text(note['field'])}" if note["field"] else ""
        entries = []
        for entry in note["entries"]:
            sources = ", ".join(text(source) for source in entry["sources"])
            if not entry["value"]:
                said = f"{sources} disputes it"
                if entry["notes"]:
                    said += ": " + " ".join(text(line) for line in entry["notes"])
            elif note["date"] or entry.get("recorded"):
                why = "".join(f"; {text(line)}" for line in entry["notes"])
                said = f"{text(entry['value'])} ({sources or 'as recorded here'}{why})"
            else:
                gives = "gives" if len(entry["sources"]) == 1 else "give"
                said = f"{sources} {gives} “{text(entry['value'])}”"
            kind = "recorded" if entry.get("recorded") else "stated"
            entries.append(f'<span class="{kind}">{said}</span>')
        html += f'<span class="sources-differ">Sources differ{on}: {" · ".join(entries)}</span>'
    return mark_safe(html + "\n" if html else "")  # noqa: S308 - every value escaped


def use_details(entry):
    """What one citation adds to its passage: what the source gives, the public note (unless
    it is an inference's note, on the claim's line already after the value it explains)."""
    citation, html = entry.citation, ""
    if citation.get("stated"):
        html += f" gives {text(citation['stated'])}"
    if citation.get("note") and not entry.note_on_line:
        html += f" <small>{text(citation['note'])}</small>"
    return html


@register.simple_tag
def reference_entries(reference):
    """A source's passages, numbered "1.1", "1.2" … by the stylesheet: the quote, the locator
    and the stance, then each claim citing it (a link back to its line) with what that citation
    adds.

    Each citation has its own element holding the quote (what its marker leads to): the first
    citation's element is the quote and its use; each further citation's element wraps the one
    before and adds its own use. So the quote is printed once."""
    rows = []
    mixed = reference.verification == "mixed"
    for passage in reference.passages.values():
        citation = passage.citation
        stance = citation["stance"]
        html = f"<q>{text(citation['quote'])}</q>"
        if citation.get("locator"):
            html += f" ({text(citation['locator'])})"
        if citation.get("override"):
            html += (
                ' <span class="unverified overridden">not verified against an archived copy; a reviewer '
                f"let it through: {text(citation['override'])}</span>"
            )
        elif mixed and citation.get("verification") == "unverified":
            html += ' <span class="unverified">not found in the archived text</span>'
        elif mixed and citation.get("verification") == "no_archive":
            html += ' <span class="no-archive">no archived text</span>'
        if stance == "disputes":
            html += ' <strong class="disputes">Disputes:</strong> '
        elif stance == "infers":
            html += ' <strong class="infers">Implies:</strong> '
        else:
            html += " For: "
        previous = None
        last = len(passage.entries) - 1
        for position, entry in enumerate(passage.entries):
            if entry.anchor == previous:
                label = text(entry.field_label or "the same")
            else:
                label = text(entry.claim)
            previous = entry.anchor
            use = f'<a href="#{text(entry.anchor)}">{label}</a>{use_details(entry)}'
            html += ("; " if position else "") + use
            if position < last:
                html = f'<span id="{entry.id}">{html}</span>'
        rows.append(f'<li id="{passage.entries[last].id}">{html}</li>')
    return mark_safe('<ol class="uses">' + "".join(rows) + "</ol>")  # noqa: S308 - every value escaped


@register.simple_tag(takes_context=True)
def profile_json_ld(context):
    """The page's JSON-LD: its address from the context's `base_url` (settings.SITE_URL, empty
    for a path) and the profile's path; modified when the revision was published."""
    document = context["document"]
    url = context.get("base_url", "") + reverse("person_detail", args=[document["id"]])
    revision = context.get("revision")
    published_at = getattr(revision, "published_at", None)
    return json_ld(
        document,
        url=url,
        date_modified=published_at.isoformat() if published_at else None,
        disputed=context.get("disputed"),
        inferred=context.get("inferred"),
    )
