"""Turn a profile document into what the profile template shows: footnotes that lead to the quote
backing each value, notes where sources contradict each other, the career timeline and JSON-LD.
Pure functions of the document: no database access.

Footnotes follow MediaWiki's sub-referencing: sources are numbered in order of first use
(reference 1, 2, …) and every citation of a source is an entry under it (1.1, 1.2, …) holding
its quote, locator and stance; a claim's marker leads to its own entry, which links back to
the claim.
"""

import datetime
import json
import re
import string
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from profiles.claims import DATE_FIELDS, PROSE_FIELDS
from profiles.dates import PartialDate, display_date
from profiles.documents import public
from profiles.provenance import claim_support, end_conflict, following_posts, post_label, source_label
from sources.evidence import find_dates
from sources.models import Source

FACT_LABELS = {
    "name": "name",
    "native_name": "native name",
    "romanization": "romanization",
    "other_names": "other names",
    "birth_date": "born",
    "birth_place": "birthplace",
    "death_date": "died",
    "death_place": "place of death",
    "summary": "summary",
    "role": "role",
    "organization": "organization",
    "start_date": "start date",
    "end_date": "end date",
    "ordinal": "rank",
    "date": "date",
    "title": "title",
    "description": "description",
}

# How a note names the field the sources differ on ("Sources differ on the birth date").
NOTE_LABELS = {
    **FACT_LABELS,
    "birth_date": "birth date",
    "death_date": "date of death",
}

# In the order the page shows them, so that footnote numbers run in reading order.
PERSON_FACTS = (
    "native_name",
    "romanization",
    "other_names",
    "summary",
    "name",
    "birth_date",
    "birth_place",
    "death_date",
    "death_place",
)

KIND_LABELS = dict(Source.Kind.choices)


def letters(index):
    """a, b, … z, aa, ab … for the index-th of a series."""
    text = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        text = string.ascii_lowercase[remainder] + text
    return text


# Footnotes -----------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One citation: its marker reads "2.3" (source 2, passage 3) and leads to the element with
    its own id, "c2-3" for the first citation of that passage, "c2-3b", "c2-3c" … for others."""

    source_number: int
    passage: int
    use: int  # 0 for the first citation of its passage
    citation: dict
    claim: str
    anchor: str
    field_label: str = ""
    note_on_line: bool = False  # an inference's note, shown after the value it explains

    @property
    def id(self):
        return f"c{self.source_number}-{self.passage}" + (letters(self.use) if self.use else "")

    @property
    def number(self):
        return f"{self.source_number}.{self.passage}"

    @property
    def stance(self):
        return self.citation["stance"]


@dataclass
class Passage:
    """The same words of a source (quote and locator) cited with the same stance: several claims
    citing them share the passage, as a reused reference does on Wikipedia, and the quote is
    printed once; what each citation adds (what the source gives, its note) stays its own."""

    index: int
    citation: dict
    entries: list = field(default_factory=list)


def passage_key(citation):
    return tuple(citation.get(key) for key in ("quote", "locator", "stance", "verification"))


@dataclass
class Reference:
    """A source, numbered, with its passages; `uses` keeps the shape publishing reads: one dict
    per citation with "claim", "anchor", "citation" (and "entry")."""

    number: int
    source: dict
    uses: list = field(default_factory=list)
    passages: dict = field(default_factory=dict)  # passage_key -> Passage, in order of first use

    @property
    def kind_label(self):
        kind = self.source.get("kind") or Source.Kind.OTHER
        return "" if kind == Source.Kind.OTHER else KIND_LABELS.get(kind, "")

    @property
    def verification(self):
        """ "verified" when every quote stands in the archived text, "no_archive" when there is
        no archived text at all, else "mixed" (each passage then says how it stands)."""
        states = {use["citation"].get("verification") for use in self.uses}
        return states.pop() if len(states) == 1 and states <= {"verified", "no_archive"} else "mixed"


class Footnotes:
    """Numbers sources in order of first use and their passages in order of first use."""

    def __init__(self, sources):
        self.sources = {source["id"]: source for source in sources}
        self.references = {}

    def cite(self, citations, *, claim, anchor, field_label=""):
        entries = []
        for citation in citations:
            reference = self.references.get(citation["source"])
            if reference is None:
                reference = Reference(len(self.references) + 1, self.sources[citation["source"]])
                self.references[citation["source"]] = reference
            key = passage_key(citation)
            passage = reference.passages.get(key)
            if passage is None:
                passage = reference.passages[key] = Passage(len(reference.passages) + 1, citation)
            entry = Entry(
                reference.number, passage.index, len(passage.entries), citation, claim, anchor, field_label
            )
            passage.entries.append(entry)
            reference.uses.append({"claim": claim, "anchor": anchor, "citation": citation, "entry": entry})
            entries.append(entry)
        return entries

    def listing(self):
        return sorted(self.references.values(), key=lambda reference: reference.number)


# Where sources differ ------------------------------------------------------------------------------

PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}


def compare_dates(stated, recorded):
    """How a date a source gives stands to the recorded one: "same", "less precise" or "more
    precise" (consistent: they may mean the same day) or "contradicts"."""
    if stated == recorded:
        return "same"
    if not stated.overlaps(recorded):
        return "contradicts"
    given, kept = PRECISION_ORDER[stated.precision], PRECISION_ORDER[recorded.precision]
    if given < kept:
        return "less precise"
    if given > kept:
        return "more precise"
    return "contradicts"  # the same precision and overlapping is the same date, handled above


def shown_value(name, value):
    if name in DATE_FIELDS:
        return display_date(value)
    if name == "organization" and isinstance(value, dict):
        return value["name"]
    if name == "other_names" and isinstance(value, list):
        return "; ".join(other["name"] for other in value)
    return value or ""


def parsed(value):
    try:
        return PartialDate.parse(value)
    except (TypeError, ValueError):
        return None


def names_date(text, date):
    """Whether a text writes `date` at its full precision (or a day within it)."""
    return any(
        year == date.year
        and (date.month is None or month == date.month)
        and (date.day is None or day == date.day)
        for *_, year, month, day in find_dates(text or "")
    )


def date_written_less_precisely(text, date):
    """The date a text writes less precisely than `date` but consistent with it ("2017" for
    November 2017), the most precise such one, or None."""
    found = [
        PartialDate(year, month if date.month else None)
        for *_, year, month, day in find_dates(text or "")
        if year == date.year and (month is None or (date.month and month == date.month and day is None))
    ]
    found = [given for given in found if compare_dates(given, date) == "less precise"]
    return max(found, key=lambda given: PRECISION_ORDER[given.precision], default=None)


def gives_date(citation, name, recorded, *, finer=True, following=()):
    """Whether a supporting citation states the recorded date of field `name` at its full
    precision: one of the field's own citations (a `stated` date, when set, is that date or,
    with `finer`, a more precise one within it that the posts `following` do not contradict),
    or one backing the whole claim whose quote writes that date."""
    if citation["stance"] != "supports":
        return False
    if citation.get("field") == name:
        given = parsed(citation["stated"]) if citation.get("stated") else None
        if given is None or given == recorded:
            return True
        if not finer or compare_dates(given, recorded) != "more precise":
            return False
        return name != "end_date" or not end_conflict(given, following)
    return not citation.get("field") and names_date(citation["quote"], recorded)


def assess(values, citations, sources, order=(), following=()):
    """What the claim's differing citations amount to, field by field: `notes`, one per field
    where a source contradicts the record, its values de-duplicated and attributed; `precision`,
    sources that give a date less (or more) precisely but consistently; and the set of fields
    (None for the whole claim) that are disputed. Notes follow `order`, the order the line shows
    its fields in (a start date's note before an end date's). `following` are the (membership,
    start) of the posts the record has begin as this one ends: a more precise end after one of
    them began contradicts the profile's own dates, and is shown as a contradiction."""
    notes, precision, disputed = [], [], set()
    fields = dict.fromkeys(c.get("field") for c in citations if c.get("stated") or c["stance"] == "disputes")
    order = list(order)
    fields = sorted(fields, key=lambda name: order.index(name) if name in order else len(order))
    for name in fields:
        recorded = values.get(name) if name else None
        is_date = name in DATE_FIELDS
        recorded_date = parsed(recorded) if is_date and recorded else None
        contradicting = {}  # shown value (or None: disputes without saying what) -> entry
        for citation in (c for c in citations if c.get("field") == name):
            stated = citation.get("stated")
            if citation["stance"] != "disputes" and not stated:
                continue
            label = source_label(sources[citation["source"]])
            given = parsed(stated) if is_date and stated else None
            conflict = None
            if given and recorded_date:
                relation = compare_dates(given, recorded_date)
                if relation == "same":
                    continue
                if relation == "more precise" and name == "end_date":
                    conflict = end_conflict(given, following)
                if relation != "contradicts" and not conflict:
                    precision.append(
                        {
                            "field": NOTE_LABELS.get(name, name),
                            "source": label,
                            "value": str(given),
                            "relation": relation,
                        }
                    )
                    continue
            elif citation["stance"] != "disputes":
                # A supporting source worded differently: consistent by the editor's reading.
                precision.append(
                    {
                        "field": NOTE_LABELS.get(name, name),
                        "source": label,
                        "value": stated,
                        "relation": "worded differently",
                    }
                )
                continue
            value = str(given) if given else stated or None
            entry = contradicting.setdefault(value, {"value": value, "sources": [], "notes": []})
            if label not in entry["sources"]:
                entry["sources"].append(label)
            if not value and citation.get("note") and citation["note"] not in entry["notes"]:
                entry["notes"].append(citation["note"])
            if conflict:
                other, begin = conflict
                entry["notes"] = [f"after “{post_label(other)}” began in {begin}"]
        if not contradicting:
            continue
        disputed.add(name)
        entries = []
        if is_date and recorded:
            # A date is a value, not a source's words: say which sources give the recorded one,
            # each that states it (a whole claim's citation too), then those it is inferred from.
            labels = [
                source_label(sources[c["source"]])
                for c in citations
                if gives_date(c, name, recorded_date, finer=False)
            ]
            inferring = [
                f"inferred from {source_label(sources[c['source']])}"
                for c in citations
                if c["stance"] == "infers" and c.get("field") == name
            ]
            if not labels and not inferring:
                # No quote writes it: the whole claim's supporting citations are what back it.
                labels = [
                    source_label(sources[c["source"]])
                    for c in citations
                    if c["stance"] == "supports" and not c.get("field")
                ]
            entries.append(
                {
                    "value": shown_value(name, recorded),
                    "sources": list(dict.fromkeys(labels + inferring)),
                    "recorded": True,
                    "notes": [],
                }
            )
        elif name and name not in PROSE_FIELDS and recorded:
            # Another value (a rank, a place): the recorded one with the sources that state it.
            labels = [
                source_label(sources[c["source"]])
                for c in citations
                if c["stance"] == "supports" and c.get("field") == name and not c.get("stated")
            ]
            if labels:
                entries.append(
                    {
                        "value": shown_value(name, recorded),
                        "sources": list(dict.fromkeys(labels)),
                        "recorded": True,
                        "notes": [],
                    }
                )
        entries += contradicting.values()
        notes.append(
            {"field": NOTE_LABELS.get(name, name) if name else "", "date": is_date, "entries": entries}
        )
    precision = [dict(mark) for mark in dict.fromkeys(tuple(mark.items()) for mark in precision)]
    return notes, precision, disputed


# Claims --------------------------------------------------------------------------------------------


@dataclass
class Claim:
    anchor: str
    label: str
    value: object = None
    markers: list = field(default_factory=list)  # entries backing the whole claim
    field_markers: dict = field(default_factory=dict)  # field name -> entries
    notes: list = field(default_factory=list)  # one per contradiction: class "sources-differ"
    precision: list = field(default_factory=list)  # consistent, differently precise: "less-precise"
    disputed_fields: set = field(default_factory=set)  # None stands for the whole claim
    inferred: dict = field(default_factory=dict)  # field name (None: whole claim) -> [inference]
    support: str | None = None  # "ai-only", "tertiary-only" or None
    support_on_page: bool = False  # the page's sourcing notice says it: no badge on the line
    cited: bool = False
    data: dict = field(default_factory=dict)

    @property
    def disputed(self):
        return bool(self.disputed_fields)

    @property
    def less_precise(self):
        return any(mark["relation"] == "less precise" for mark in self.precision)

    @property
    def more_precise(self):
        return any(mark["relation"] == "more precise" for mark in self.precision)

    @property
    def whole_disputed(self):
        return None in self.disputed_fields

    @property
    def whole_inferred(self):
        return None in self.inferred

    @property
    def classes(self):
        """The claim element's classes after "claim"."""
        classes = []
        if self.disputed:
            classes.append("disputed")
        if self.support:
            classes.append("tertiary-only")
            if self.support == "ai-only":
                classes.append("ai-only")
        return " ".join(classes)


INFERRED_PREFIX = re.compile(r"^\s*inferred(?:\s+from\b|\s*[:,;.\N{EM DASH}-])\s*", re.IGNORECASE)


def inference_note(note):
    """An inferring citation's note as it reads after "inferred from <source>: ": editors often
    open it with "Inferred from …" or "Inferred: …", which the page already says."""
    note = (note or "").strip()
    rest = INFERRED_PREFIX.sub("", note, count=1)
    return rest if rest else note


def inferences(citations, sources, values=None, following=()):
    """Fields whose value is only implied, each with what it is inferred from. A value is stated
    only when one citation states it at its full precision: a date that sources give only less
    precisely ("2017" for November 2017), or only with an `infers` citation, is inferred from
    those; another field is inferred when it has an `infers` citation and no supporting one."""
    values = values or {}
    found = {}
    names = dict.fromkeys(c.get("field") for c in citations if c["stance"] == "infers")
    names.update(dict.fromkeys(c["field"] for c in citations if c.get("field") in DATE_FIELDS))
    whole = [c for c in citations if c["stance"] == "supports" and not c.get("field")]
    names.update(dict.fromkeys(name for name in DATE_FIELDS if values.get(name) and whole))
    for name in names:
        recorded = parsed(values.get(name)) if name in DATE_FIELDS and values.get(name) else None
        if recorded is not None:
            if any(gives_date(c, name, recorded, following=following) for c in citations):
                continue
        elif name in DATE_FIELDS or any(
            c["stance"] == "supports" and c.get("field") == name for c in citations
        ):
            continue
        items = [
            {"source": source_label(sources[c["source"]]), "note": inference_note(c.get("note"))}
            for c in citations
            if c["stance"] == "infers" and c.get("field") == name
        ]
        for c in citations:
            given = parsed(c.get("stated")) if recorded and c.get("stated") else None
            less = given and compare_dates(given, recorded) == "less precise"
            if c["stance"] == "supports" and c.get("field") == name and less:
                items.append({"source": source_label(sources[c["source"]]), "note": f"it gives {given}"})
        for c in whole if recorded else ():
            given = date_written_less_precisely(c["quote"], recorded)
            if given:
                items.append({"source": source_label(sources[c["source"]]), "note": f"it gives {given}"})
        if items:
            found[name] = items
    return found


def make_claim(
    footnotes,
    sources,
    *,
    anchor,
    label,
    citations,
    values,
    order=(None,),
    data=None,
    value=None,
    following=(),
):
    """A claim with its footnote entries, numbered in `order`: the order its fields are shown
    (None stands for the citations of the whole claim), so numbers run in reading order;
    `following` as assess() reads it."""
    claim = Claim(anchor=anchor, label=label, value=value, data=data or {})
    fields = list(order) + [c.get("field") for c in citations if c.get("field") not in order]
    for name in dict.fromkeys(fields):
        chosen = [c for c in citations if (c.get("field") or None) == name]
        if not chosen:
            continue
        if name is None:
            claim.markers = footnotes.cite(chosen, claim=label, anchor=anchor)
        else:
            field_label = FACT_LABELS.get(name, name)
            use = label if field_label.lower() == label.lower() else f"{label} ({field_label})"
            claim.field_markers[name] = footnotes.cite(
                chosen, claim=use, anchor=anchor, field_label=field_label
            )
    claim.notes, claim.precision, claim.disputed_fields = assess(values, citations, sources, order, following)
    claim.inferred = inferences(citations, sources, values, following)
    for name, entries in [(None, claim.markers), *claim.field_markers.items()]:
        for entry in entries:
            entry.note_on_line = entry.stance == "infers" and name in claim.inferred
    claim.support = claim_support(citations, sources)
    claim.cited = bool(citations)
    return claim


def unshown_fields(claim, item, names):
    """Citations of a field the line does not show (an end date cited for a post still held)
    are shown with the whole claim's, so that every citation has its marker."""
    for name in names:
        if not item.get(name) and name in claim.field_markers:
            claim.markers += claim.field_markers.pop(name)


def date_span(item):
    start, end = item.get("start_date"), item.get("end_date")
    if start and end:
        return f"{display_date(start)} – {display_date(end)}"
    if start and item.get("ended"):
        return f"from {display_date(start)}, end not stated"
    if start:
        return f"since {display_date(start)}"
    if end:
        return f"until {display_date(end)}"
    return "dates not stated"


def organization_chain(organization):
    chain = []
    while organization:
        chain.append(organization)
        organization = organization.get("parent")
    return chain


def profile_context(document, *, today=None):
    """Everything the profile template needs, computed from the document alone. Editors' notes
    are dropped first, so that no rendering (the admin preview included) can show them."""
    document = public(document)
    sources = {source["id"]: source for source in document["sources"]}
    footnotes = Footnotes(document["sources"])
    person_citations = document.get("citations", {})

    facts = {}
    for name in PERSON_FACTS:
        value = document.get(name)
        if not value:
            continue
        citations = [dict(c, field=name) for c in person_citations.get(name, [])]
        facts[name] = make_claim(
            footnotes,
            sources,
            anchor=f"fact-{name}",
            label=FACT_LABELS[name].capitalize(),
            citations=citations,
            values={name: value},
            value=shown_value(name, value) if name != "other_names" else value,
        )

    career = []
    following = following_posts(document["memberships"])
    for item in document["memberships"]:
        organization = item["organization"]
        label = f"{item['role']}, {organization['name']}"
        claim = make_claim(
            footnotes,
            sources,
            anchor=f"m-{item['id']}",
            label=label,
            citations=item["citations"],
            values=item,
            data=item,
            order=("start_date", "end_date", "role", "organization", None, "ordinal"),
            following=following.get(item["id"], ()),
        )
        unshown_fields(claim, item, ("start_date", "end_date", "ordinal"))
        claim.value = {
            "role": item["role"],
            "organization": organization,
            "organization_url": reverse("organization_detail", args=[organization["id"]]),
            "parents": organization_chain(organization.get("parent")),
            "span": date_span(item),
            "start": display_date(item.get("start_date")),
            "start_text": ("since " if not item.get("end_date") and not item.get("ended") else "")
            + display_date(item.get("start_date")),
            "end": display_date(item.get("end_date")),
            "ongoing": not item.get("end_date") and not item.get("ended"),
            "dates_disputed": bool(claim.disputed_fields & {"start_date", "end_date", None}),
        }
        career.append(claim)

    events = []
    for item in document["events"]:
        claim = make_claim(
            footnotes,
            sources,
            anchor=f"e-{item['id']}",
            label=item["title"],
            citations=item["citations"],
            values=item,
            data=item,
            order=("date", "title", None, "description"),
        )
        unshown_fields(claim, item, ("description",))
        claim.value = {
            "date": display_date(item["date"]),
            "title": item["title"],
            "description": item["description"],
            "kind": item["kind"],
        }
        events.append(claim)

    disputed = {
        "person": {name for name, claim in facts.items() if claim.disputed},
        "memberships": {
            item["id"]: claim.disputed_fields
            for item, claim in zip(document["memberships"], career, strict=True)
        },
    }
    # Values only implied: the line says so, and the timeline and JSON-LD must not assert them.
    inferred = {
        "person": {name for name, claim in facts.items() if claim.inferred},
        "memberships": {
            item["id"]: set(claim.inferred)
            for item, claim in zip(document["memberships"], career, strict=True)
        },
    }
    claims = [*facts.values(), *career, *events]
    sourcing = sourcing_notice(claims, document["sources"])
    return {
        "document": document,
        "facts": facts,
        "career": career,
        "current": [claim for claim in career if claim.value["ongoing"] and claim.data.get("start_date")],
        "events": events,
        "references": footnotes.listing(),
        "timeline": timeline(
            document["memberships"],
            today=today,
            disputed=disputed["memberships"],
            inferred=inferred["memberships"],
        ),
        "disputed": disputed,
        "inferred": inferred,
        "uncited": sum(not c.cited for c in claims),
        "weakly_sourced": sum(bool(c.support) for c in claims),
        "sourcing": sourcing,
        # Absolute addresses (canonical, og:url, JSON-LD) without the request: pages are
        # rendered once per revision and cached, whoever asked first.
        "base_url": settings.SITE_URL,
    }


# The page's sourcing notice -----------------------------------------------------------------------


SOURCING_KINDS = {Source.Kind.ENCYCLOPEDIA: "an encyclopedia", Source.Kind.AI_GENERATED: "AI-generated"}


def sourcing_notice(claims, sources):
    """What most of the page's cited claims share, said once under the title instead of on each
    line: None unless more than half rest on encyclopedias or AI-generated text alone. Then
    "support" is that condition ("ai-only" when AI-generated text alone backs most of them, else
    "tertiary-only"), "count" of "total" cited claims meet it, and "sources" names the sources
    they rest on with their kinds. Each claim that meets it exactly is marked `support_on_page`;
    a line that differs (AI-generated text alone where the page says encyclopedias or AI) keeps
    its badge."""
    cited = [claim for claim in claims if claim.cited]
    weak = [claim for claim in cited if claim.support]
    if not cited or len(weak) * 2 <= len(cited):
        return None
    ai_only = [claim for claim in weak if claim.support == "ai-only"]
    support, meeting = ("ai-only", ai_only) if len(ai_only) * 2 > len(cited) else ("tertiary-only", weak)
    for claim in claims:
        claim.support_on_page = claim.support == support
    kinds = {Source.Kind.AI_GENERATED} if support == "ai-only" else set(Source.TERTIARY_KINDS)
    used = {entry.citation["source"] for claim in meeting for entry in claim_entries(claim)}
    return {
        "support": support,
        "count": len(meeting),
        "total": len(cited),
        "marked": sum(bool(claim.support) and not claim.support_on_page for claim in claims),
        "sources": [
            {"title": source_label(source), "kind": SOURCING_KINDS[source["kind"]]}
            for source in sources
            if source["id"] in used and source.get("kind") in kinds
        ],
    }


def claim_entries(claim):
    """Every footnote entry of a claim, the whole claim's and its fields'."""
    return [*claim.markers, *(entry for entries in claim.field_markers.values() for entry in entries)]


# The career timeline -----------------------------------------------------------------------------

WIDTH, LEFT, RIGHT, TOP, ROW, BAR, CHAR = 960, 20, 12, 28, 24, 14, 6.6


def timeline(memberships, *, today=None, disputed=None, inferred=None):
    """Bars for an SVG timeline: one row per dated position, chronological; none if no dates.
    `disputed` maps membership ids to their disputed fields: such bars are drawn hatched;
    `inferred` to their inferred fields: such a start or end is marked, and labelled so."""
    today = today or datetime.date.today()
    disputed = disputed or {}
    inferred = inferred or {}
    dated = [m for m in memberships if m.get("start_date")]
    if not dated:
        return None
    first = min(PartialDate.parse(m["start_date"]).year for m in dated)
    last = max([today.year] + [PartialDate.parse(m["end_date"]).year for m in dated if m.get("end_date")])
    start_year, end_year = first - first % 5, last + 1
    span = (datetime.date(end_year, 1, 1) - datetime.date(start_year, 1, 1)).days
    plot = WIDTH - LEFT - RIGHT

    def x(day):
        return round(LEFT + plot * (day - datetime.date(start_year, 1, 1)).days / span, 1)

    bars = []
    for row, item in enumerate(dated):
        begin = PartialDate.parse(item["start_date"]).earliest
        ongoing = not item.get("end_date") and not item.get("ended")
        unknown_end = not item.get("end_date") and item.get("ended")
        if ongoing:
            finish = today
        elif unknown_end:  # a stub: the bar must not claim a length the sources do not give
            finish = PartialDate.parse(item["start_date"]).latest
        else:
            finish = PartialDate.parse(item["end_date"]).latest
        left, right = x(begin), max(x(finish), x(begin) + 3)
        label = f"{item['role']}, {item['organization']['name']}"
        y = TOP + row * ROW
        contested = [
            NOTE_LABELS[name] for name in ("start_date", "end_date") if name in disputed.get(item["id"], ())
        ]
        if None in disputed.get(item["id"], ()):
            contested = ["dates"]
        implied = [name for name in ("start_date", "end_date") if name in inferred.get(item["id"], ())]
        marks = ["dates disputed"] if contested else []
        marks += [f"{NOTE_LABELS[name].split()[0]} inferred" for name in implied]
        text = f"{label} ({'; '.join(marks)})" if marks else label
        text_right = right + 6 + len(text) * CHAR <= WIDTH
        bars.append(
            {
                "anchor": f"m-{item['id']}",
                "label": label,
                "text": text,
                "x": left,
                "y": y,
                "width": round(right - left, 1),
                "height": BAR,
                "ongoing": ongoing,
                "unknown_end": unknown_end,
                "disputed": " and ".join(contested),
                "inferred_start": "start_date" in implied,
                "inferred_end": "end_date" in implied and not ongoing,
                "end_mark": f"{right},{y - 3} {right},{y + BAR + 3}",
                "text_x": right + 6 if text_right else left - 6,
                "text_anchor": "start" if text_right else "end",
                "text_y": y + BAR - 3,
                "arrow": f"{right},{y} {right + 7},{y + BAR / 2} {right},{y + BAR}",
                "span": date_span(item) + (" (acting)" if item.get("acting") else ""),
            }
        )
    ticks = [
        {"year": year, "x": x(datetime.date(year, 1, 1))}
        for year in range(start_year, end_year + 1, 5 if end_year - start_year > 20 else 1)
    ]
    height = TOP + len(dated) * ROW + 8
    return {
        "bars": bars,
        "ticks": ticks,
        "width": WIDTH,
        "height": height,
        "undated": len(memberships) - len(dated),
        "any_disputed": any(bar["disputed"] for bar in bars),
        "any_inferred": any(bar["inferred_end"] for bar in bars),
        "axis_y": TOP - 8,
        "grid_bottom": height - 4,
    }


# JSON-LD -----------------------------------------------------------------------------------------

WIKIDATA = "https://www.wikidata.org/wiki/"


def json_ld(document, *, url, date_modified=None, disputed=None, inferred=None):
    """A schema.org ProfilePage about the Person, serialized safely for a <script> data block.

    `url` is the profile's address (absolute when the host is known); `disputed` (from
    profile_context) names values sources contradict, `inferred` values no source states: both
    are left out, not asserted (schema.org has no way to say a value is only implied).
    """
    disputed, inferred = disputed or {}, inferred or {}
    person_disputed = disputed.get("person", set()) | inferred.get("person", set())
    memberships_disputed = disputed.get("memberships", {})
    memberships_inferred = inferred.get("memberships", {})

    def fact(name):
        return None if name in person_disputed else document.get(name)

    roles = []
    for item in document["memberships"]:
        contested = memberships_disputed.get(item["id"], set()) | memberships_inferred.get(item["id"], set())
        if contested & {None, "organization"}:
            continue
        role = {"@type": "OrganizationRole"}
        if "role" not in contested:
            role["roleName"] = item["role"]
        if item.get("start_date") and "start_date" not in contested:
            role["startDate"] = item["start_date"]
        if item.get("end_date") and "end_date" not in contested:
            role["endDate"] = item["end_date"]
        role["memberOf"] = {"@type": "Organization", "name": item["organization"]["name"]}
        roles.append(role)
    person = {
        "@type": "Person",
        "@id": f"{url}#person",
        "url": url,
        "name": document["name"],
        "alternateName": [
            n
            for n in [
                fact("native_name"),
                fact("romanization"),
                *(o["name"] for o in (fact("other_names") or [])),
            ]
            if n
        ],
        "description": fact("summary") or None,
        "birthDate": fact("birth_date"),
        "birthPlace": {"@type": "Place", "name": fact("birth_place")} if fact("birth_place") else None,
        "deathDate": fact("death_date"),
        "deathPlace": {"@type": "Place", "name": fact("death_place")} if fact("death_place") else None,
        "memberOf": roles,
        "sameAs": [
            WIKIDATA + identifier["identifier"]
            for identifier in document.get("identifiers", [])
            if identifier.get("scheme") == "wikidata" and identifier.get("identifier")
        ],
    }
    data = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "dateModified": date_modified,
        "mainEntity": {key: value for key, value in person.items() if value not in (None, [], "")},
    }
    data = {key: value for key, value in data.items() if value not in (None, [], "")}
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    # Escaped so that nothing in the data can close the <script> element or open a comment;
    # that is what makes it safe to mark safe.
    return mark_safe(  # noqa: S308
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
