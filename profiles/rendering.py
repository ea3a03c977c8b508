"""Turn a profile document into what the profile template shows: footnotes, notes where sources
differ, the career timeline and JSON-LD. Pure functions of the document: no database access.
"""

import datetime
import json
import string
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.safestring import mark_safe

from profiles.dates import PartialDate, display_date
from sources.models import DATE_FIELDS

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


def letters(index):
    """a, b, … z, aa, ab … for the index-th use of a reference."""
    text = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        text = string.ascii_lowercase[remainder] + text
    return text


# How a note names the field the sources differ on ("Sources differ on the birth date").
NOTE_LABELS = {
    **FACT_LABELS,
    "birth_date": "birth date",
    "death_date": "date of death",
    "birth_place": "birthplace",
    "death_place": "place of death",
    "ordinal": "rank",
}


def footnote_groups(markers):
    """Markers with runs of one reference joined: [1][1][2] reads [1][2]; every use keeps its
    own anchor for its backlink, and the tooltip gives every quote."""
    groups = []
    for marker in markers or ():
        if groups and groups[-1]["number"] == marker.number:
            group = groups[-1]
            group["ids"].append(marker.id)
            group["title"] += f" / {marker.quote}"
            group["disputing"] |= marker.stance == "disputes"
        else:
            groups.append(
                {
                    "number": marker.number,
                    "ids": [marker.id],
                    "title": marker.quote,
                    "disputing": marker.stance == "disputes",
                }
            )
    return groups


def source_label(source):
    return source.get("publisher") or source.get("title") or source["id"]


@dataclass
class Marker:
    number: int
    letter: str
    quote: str
    stance: str

    @property
    def id(self):
        return f"cite-{self.number}-{self.letter}"


@dataclass
class Reference:
    number: int
    source: dict
    uses: list = field(default_factory=list)  # [{"marker", "claim", "anchor", "citation"}]


class Footnotes:
    """Numbers sources in order of first use; every use gets a letter for its backlink."""

    def __init__(self, sources):
        self.sources = {source["id"]: source for source in sources}
        self.references = {}

    def cite(self, citations, *, claim, anchor):
        markers = []
        for citation in citations:
            reference = self.references.get(citation["source"])
            if reference is None:
                reference = Reference(len(self.references) + 1, self.sources[citation["source"]])
                self.references[citation["source"]] = reference
            marker = Marker(
                reference.number, letters(len(reference.uses)), citation["quote"], citation["stance"]
            )
            reference.uses.append({"marker": marker, "claim": claim, "anchor": anchor, "citation": citation})
            markers.append(marker)
        return markers

    def listing(self):
        return sorted(self.references.values(), key=lambda reference: reference.number)


def shown_value(name, value):
    if name in DATE_FIELDS:
        return display_date(value)
    if name == "organization" and isinstance(value, dict):
        return value["name"]
    return value or ""


def differences(values, citations, sources):
    """Notes on what each source gives where the sources do not all agree with the record."""
    notes = []
    differing = [c for c in citations if c.get("stated") or c["stance"] == "disputes"]
    for name in dict.fromkeys(c.get("field") for c in differing):
        recorded = values.get(name) if name else None
        agreeing = [
            c
            for c in citations
            if c["stance"] == "supports" and not c.get("stated") and c.get("field") in (name, None)
        ]
        entries = []
        if recorded:
            labels = dict.fromkeys(source_label(sources[c["source"]]) for c in agreeing)
            entries += [
                {"source": label, "value": shown_value(name, recorded), "recorded": True} for label in labels
            ]
        relation = "differs"
        for citation in (c for c in differing if c.get("field") == name):
            stated = citation.get("stated") or citation.get("note")
            if name in DATE_FIELDS and recorded and citation.get("stated"):
                try:
                    given = PartialDate.parse(citation["stated"])
                    stated = str(given)
                    consistent = given.overlaps(PartialDate.parse(recorded))
                except ValueError:
                    consistent = False
                relation = (
                    "contradicts"
                    if not consistent
                    else (relation if relation == "contradicts" else "less precise")
                )
            elif citation["stance"] == "disputes":
                relation = "contradicts"
            entries.append(
                {
                    "source": source_label(sources[citation["source"]]),
                    "value": stated,
                    "recorded": False,
                    "stance": citation["stance"],
                }
            )
        notes.append(
            {
                "field": NOTE_LABELS.get(name, name) if name else "",
                "relation": relation,
                "entries": entries,
            }
        )
    return notes


@dataclass
class Claim:
    anchor: str
    label: str
    value: object = None
    markers: list = field(default_factory=list)  # markers backing the whole claim
    field_markers: dict = field(default_factory=dict)  # field name -> markers
    notes: list = field(default_factory=list)
    disputed: bool = False
    cited: bool = False
    data: dict = field(default_factory=dict)


def make_claim(footnotes, sources, *, anchor, label, citations, values, order=(None,), data=None, value=None):
    """A claim with its footnote markers, numbered in `order`: the order its fields are shown
    (None stands for the markers of the whole claim), so numbers run in reading order."""
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
            claim.field_markers[name] = footnotes.cite(chosen, claim=use, anchor=anchor)
    claim.notes = differences(values, citations, sources)
    claim.disputed = any(c["stance"] == "disputes" for c in citations)
    claim.cited = bool(citations)
    return claim


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
    """Everything the profile template needs, computed from the document alone."""
    sources = {source["id"]: source for source in document["sources"]}
    footnotes = Footnotes(document["sources"])
    person_citations = document.get("citations", {})

    facts = {}
    for name in (
        "name",
        "native_name",
        "romanization",
        "other_names",
        "summary",
        "birth_date",
        "birth_place",
        "death_date",
        "death_place",
    ):
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
    # The whole-claim markers of a fact are its field markers: show them in one place.
    for claim in facts.values():
        for markers in claim.field_markers.values():
            claim.markers += markers
        claim.field_markers = {}

    career = []
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
        )
        claim.value = {
            "role": item["role"],
            "organization": organization,
            "organization_url": reverse("organization_detail", args=[organization["id"]]),
            "parents": organization_chain(organization.get("parent")),
            "span": date_span(item),
            "start": display_date(item.get("start_date")),
            "end": display_date(item.get("end_date")),
            "ongoing": not item.get("end_date") and not item.get("ended"),
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
        claim.value = {
            "date": display_date(item["date"]),
            "title": item["title"],
            "description": item["description"],
            "kind": item["kind"],
        }
        events.append(claim)

    return {
        "document": document,
        "facts": facts,
        "career": career,
        "current": [claim for claim in career if claim.value["ongoing"] and claim.data.get("start_date")],
        "events": events,
        "references": footnotes.listing(),
        "timeline": timeline(document["memberships"], today=today),
        "jsonld": json_ld(document),
        "uncited": sum(not c.cited for c in [*facts.values(), *career, *events]),
    }


# The career timeline -----------------------------------------------------------------------------

WIDTH, LEFT, RIGHT, TOP, ROW, BAR, CHAR = 960, 20, 12, 28, 24, 14, 6.6


def timeline(memberships, *, today=None):
    """Bars for an SVG timeline: one row per dated position, chronological; none if no dates."""
    today = today or datetime.date.today()
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
        text_right = right + 6 + len(label) * CHAR <= WIDTH
        bars.append(
            {
                "anchor": f"m-{item['id']}",
                "label": label,
                "x": left,
                "y": y,
                "width": round(right - left, 1),
                "height": BAR,
                "ongoing": ongoing,
                "unknown_end": unknown_end,
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
        "axis_y": TOP - 8,
        "grid_bottom": height - 4,
    }


# JSON-LD -----------------------------------------------------------------------------------------


def json_ld(document):
    """schema.org Person with its roles, serialized safely for a <script> data block."""
    roles = []
    for item in document["memberships"]:
        role = {"@type": "Role", "roleName": item["role"]}
        if item.get("start_date"):
            role["startDate"] = item["start_date"]
        if item.get("end_date"):
            role["endDate"] = item["end_date"]
        roles.append(role)
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": document["name"],
        "alternateName": [
            n
            for n in [
                document.get("native_name"),
                document.get("romanization"),
                *(o["name"] for o in document.get("other_names", [])),
            ]
            if n
        ],
        "description": document.get("summary") or None,
        "birthDate": document.get("birth_date"),
        "birthPlace": {"@type": "Place", "name": document["birth_place"]}
        if document.get("birth_place")
        else None,
        "deathDate": document.get("death_date"),
        "deathPlace": {"@type": "Place", "name": document["death_place"]}
        if document.get("death_place")
        else None,
        "hasOccupation": [
            dict(role, hasOccupation={"@type": "Occupation", "name": m["role"]})
            for role, m in zip(roles, document["memberships"], strict=True)
        ],
        "affiliation": [
            dict(role, affiliation={"@type": "Organization", "name": m["organization"]["name"]})
            for role, m in zip(roles, document["memberships"], strict=True)
        ],
    }
    data = {key: value for key, value in data.items() if value not in (None, [], "")}
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    # Escaped so that nothing in the data can close the <script> element or open a comment;
    # that is what makes it safe to mark safe.
    return mark_safe(  # noqa: S308
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
