"""Profile documents written for other tools: a Popolo collection, a CSV table of positions and
events, and Wikidata QuickStatements. The JSON, Popolo and CSV files carry the data's licence
(profiles.licensing). Each writer takes the documents of an export
(profiles.transfer.profiles_export) and returns the text of the file; what maps where is described
in docs/profile-format.md ("Other formats").

Whatever the export holds, these formats carry only what readers may see: editors' notes and
archived texts never leave in them.
"""

import csv
import io
import json

from profiles.dates import PartialDate
from profiles.documents import public
from profiles.identifiers import value_of
from profiles.licensing import DATA_LICENSE, DATA_LICENSE_LINE
from profiles.models import Organization
from profiles.uris import host_language, uri

FORMATS = ("json", "popolo", "csv", "quickstatements")


def write(data, format, *, notes=None):
    """The text of an export (profiles_export's dict) in one of FORMATS; `notes` receives what a
    format had to leave out, and why."""
    if format == "json":
        return json.dumps({"license": DATA_LICENSE, **data}, ensure_ascii=False, indent=1) + "\n"
    documents = [public(document) for document in data["people"]]
    if format == "popolo":
        return json.dumps(popolo(documents), ensure_ascii=False, indent=1) + "\n"
    if format == "csv":
        return csv_text(documents)
    if format == "quickstatements":
        return quickstatements(documents, notes)
    raise ValueError(f"unknown format {format!r}")


# Popolo ----------------------------------------------------------------------------------------


# Popolo readers take `sources` as what backs a record. A citation that disputes it, or from which
# it is only inferred, goes in an extension key of its own, where no reader takes it for support.
OTHER_STANCES = {"disputes": "disputed_by", "infers": "inferred_from"}


def link_note(citation, source):
    """What a link says of a citation: the source's title and the quote; for a disputing or
    inferring one, also the fact it is about and what it gives or how it is inferred."""
    note = f"{source['title']}: “{citation['quote']}”"
    if citation["stance"] == "disputes":
        return f"{note} (disputes {citation.get('field') or 'it'}: {citation['stated'] or citation['note']})"
    if citation["stance"] == "infers":
        return f"{note} (implies {citation.get('field') or 'it'}: {citation['note']})"
    return note


def links(citations, sources, stance="supports"):
    """Popolo links (url, note) to the sources of the citations of one stance, once per source and
    quote."""
    seen, result = set(), []
    for citation in citations:
        source = sources.get(citation["source"])
        if source is None or citation["stance"] != stance or (source["id"], citation["quote"]) in seen:
            continue
        seen.add((source["id"], citation["quote"]))
        result.append({"url": uri(source["url"]), "note": link_note(citation, source)})
    return result


def popolo_sources(citations, sources):
    """A record's Popolo `sources` (the citations that support it) and, when there are any, the
    ones that dispute it or from which it is inferred, each under its own key."""
    result = {"sources": links(citations, sources)}
    for stance, key in OTHER_STANCES.items():
        found = links(citations, sources, stance)
        if found:
            result[key] = found
    return result


def popolo(documents):
    """A Popolo collection: persons, organizations (each once, linked by parent_id) and
    memberships (linked by person_id and organization_id), with the sources that support them as
    `sources`, and those that dispute them (`disputed_by`) or imply them (`inferred_from`) apart."""
    persons, organizations, memberships = [], {}, []
    for document in documents:
        sources = {source["id"]: source for source in document["sources"]}
        person_citations = [c for items in document.get("citations", {}).values() for c in items]
        person = {
            "id": document["id"],
            "name": document["name"],
            "other_names": [
                {"name": other["name"], "note": other["note"]} for other in document.get("other_names", [])
            ],
            "identifiers": document.get("identifiers", []),
            "birth_date": document.get("birth_date"),
            "death_date": document.get("death_date"),
            "summary": document.get("summary") or None,
            "links": [{"url": uri(source["url"]), "note": source["title"]} for source in document["sources"]],
            **popolo_sources(person_citations, sources),
        }
        if document.get("native_name"):
            person["other_names"].insert(
                0, {"name": document["native_name"], "note": f"native name ({document['native_name_lang']})"}
            )
        persons.append(person)
        for item in document["memberships"]:
            organization = item["organization"]
            while organization and organization["id"] not in organizations:
                organizations[organization["id"]] = popolo_organization(organization)
                organization = organization.get("parent")
            memberships.append(
                {
                    "id": item["id"],
                    "person_id": document["id"],
                    "organization_id": item["organization"]["id"],
                    "role": item["role"],
                    "label": f"{item['role']}, {item['organization']['name']}",
                    "start_date": item["start_date"],
                    "end_date": item["end_date"],
                    **popolo_sources(item["citations"], sources),
                }
            )
    return {
        "license": DATA_LICENSE,
        "persons": persons,
        "organizations": sorted(organizations.values(), key=lambda o: o["id"]),
        "memberships": memberships,
    }


def popolo_organization(organization):
    result = {
        "id": organization["id"],
        "name": organization["name"],
        "classification": organization["kind"],
        "identifiers": organization.get("identifiers", []),
        "other_names": (
            [{"name": organization["native_name"], "note": "native name"}]
            if organization["native_name"]
            else []
        ),
    }
    if organization.get("parent"):
        result["parent_id"] = organization["parent"]["id"]
    return result


# CSV -------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "person_id",
    "person_name",
    "record",  # membership or event
    "id",
    "role",
    "organization_id",
    "organization_name",
    "kind",
    "title",
    "date",
    "start_date",
    "end_date",
    "ended",
    "citation_sources",  # one line per citation, in the same order in each citation_ column
    "citation_stances",
    "citation_stated",
    "citation_quotes",
    "license",  # the data's licence, on every row: a CSV has no other place that travels with it
)
DATE_COLUMNS = ("date", "start_date", "end_date")
# A cell a spreadsheet would run as a formula starts with one of these: it gets a leading '.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def citation_columns(citations):
    def lines(values):
        return "\n".join(" ".join((value or "").split()) for value in values)

    return {
        "citation_sources": lines(c["source"] for c in citations),
        "citation_stances": lines(c["stance"] for c in citations),
        "citation_stated": lines(c["stated"] for c in citations),
        "citation_quotes": lines(c["quote"] for c in citations),
    }


def csv_rows(documents):
    for document in documents:
        person = {"person_id": document["id"], "person_name": document["name"], "license": DATA_LICENSE_LINE}
        for item in document["memberships"]:
            yield {
                **person,
                "record": "membership",
                "id": item["id"],
                "role": item["role"],
                "organization_id": item["organization"]["id"],
                "organization_name": item["organization"]["name"],
                "start_date": item["start_date"],
                "end_date": item["end_date"],
                "ended": item["ended"],
                **citation_columns(item["citations"]),
            }
        for item in document["events"]:
            yield {
                **person,
                "record": "event",
                "id": item["id"],
                "kind": item["kind"],
                "title": item["title"],
                "date": item["date"],
                **citation_columns(item["citations"]),
            }


def csv_text(documents):
    """One row per membership and per event, with its dates (ISO partial dates, as precise as
    the sources) and its citations."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(documents):
        writer.writerow(
            {
                name: (row.get(name) or "") if name in DATE_COLUMNS else cell(row.get(name))
                for name in CSV_COLUMNS
            }
        )
    return out.getvalue()


# QuickStatements -------------------------------------------------------------------------------
#
# Wikidata's model (Help:Statements, Help:Sources, Property talk:P39): a statement is an item, a
# property and one value, with qualifiers, and references that back the whole statement, its
# qualifiers included. QuickStatements v1 adds a line whose value an existing statement has to that
# statement (its qualifiers and its reference), so each (item, property, value) is written with
# one set of qualifiers, and a reference only where it states the value and every qualifier.

BIRTH_DATE, DEATH_DATE, EMPLOYER = "P569", "P570", "P108"
START_TIME, END_TIME = "P580", "P582"
REFERENCE_URL, QUOTATION, RETRIEVED = "S854", "S1683", "S813"
PERSON_DATES = {"birth_date": BIRTH_DATE, "death_date": DEATH_DATE}
PRECISION = {"year": 9, "month": 10, "day": 11}
QUOTATION_LIMIT = 1500  # the longest string Wikibase stores; a longer quote is left off the reference


def qs_date(value):
    """An ISO partial date as QuickStatements writes a time: +1955-12-00T00:00:00Z/10."""
    date = PartialDate.parse(value)
    month, day = date.month or 0, date.day or 0
    return f"+{date.year:04d}-{month:02d}-{day:02d}T00:00:00Z/{PRECISION[date.precision]}"


def qs_text(text, language):
    """A quotation as a monolingual text in its language: on one line, without the double quotes
    that would end it."""
    text = " ".join(text.split()).replace('"', "'")
    return f'{language}:"{text}"'


def source_language(source):
    """The language a source is written in: its own `language`, else the one its address names
    (zh.wikipedia.org), else undetermined (`und`, which Wikidata's monolingual texts accept)."""
    return source.get("language") or host_language(source["url"]) or "und"


def reference(citation, sources):
    """The reference a citation gives: the source's URL (as a URI), the quote in the source's
    language, and the day it was read."""
    source = sources[citation["source"]]
    parts = [REFERENCE_URL, f'"{uri(source["url"])}"']
    if len(citation["quote"]) <= QUOTATION_LIMIT:
        parts += [QUOTATION, qs_text(citation["quote"], source_language(source))]
    if source.get("accessed"):
        parts += [RETRIEVED, qs_date(source["accessed"])]
    return parts


def stated_date(citation, recorded):
    """The date a citation of a date field states: what it gives (`stated`) when it gives a value
    of its own, at that precision, else the recorded one if it supports it; None for an
    inference or a dispute that gives no date."""
    if citation["stance"] == "infers":
        return None
    if citation.get("stated"):
        try:
            return PartialDate.parse(citation["stated"]).isoformat()
        except ValueError:
            return None
    return recorded if citation["stance"] == "supports" else None


def date_statements(qid, prop, recorded, citations, sources):
    """One statement per date the citations state, the recorded one first, each referenced by
    the citations that state it at that precision."""
    by_value = {recorded: []} if recorded else {}
    for citation in citations:
        value = stated_date(citation, recorded)
        if value:
            by_value.setdefault(value, []).append(citation)
    return [
        "\t".join([qid, prop, qs_date(value), *reference(citation, sources)])
        for value, backing in by_value.items()
        for citation in backing
    ]


def employer_item(organization):
    """The Wikidata item of an agency (an organization of kind "office": a department or office,
    which employs the people who work in it), or None."""
    if organization["kind"] != Organization.Kind.OFFICE:
        return None
    return value_of(organization.get("identifiers"), "wikidata")


def whole_claim(citations, field=None):
    """Citations that state a membership as recorded: supporting ones of the whole claim (or of
    one field), giving no value of their own."""
    return [c for c in citations if c["stance"] == "supports" and c.get("field") == field and not c["stated"]]


def membership_statements(qid, document, sources, notes):
    """P108 (employer) statements for the agencies with a Wikidata item the person worked in: one
    statement per agency, dated when a single membership there is stated whole, else undated.
    Other memberships are left out, with the reason in notes."""
    spells = {}
    for item in document["memberships"]:
        organization = item["organization"]
        employer = employer_item(organization)
        if employer:
            spells.setdefault(employer, []).append(item)
        elif value_of(organization.get("identifiers"), "wikidata"):
            notes.append(
                f"{document['id']}: {item['role']}, {organization['name']}: left out; position held "
                "(P39) names the item of the post, which profiles do not record, and "
                f"{organization['kind']} {value_of(organization['identifiers'], 'wikidata')} is an "
                "organization"
            )
    lines = []
    for employer, items in spells.items():
        dated = whole_claim(items[0]["citations"]) if len(items) == 1 else []
        qualifiers = []
        if dated:
            for name, prop in (("start_date", START_TIME), ("end_date", END_TIME)):
                if items[0][name]:
                    qualifiers += [prop, qs_date(items[0][name])]
            backing = dated
        else:
            backing = [c for item in items for c in whole_claim(item["citations"])]
            backing += [c for item in items for c in whole_claim(item["citations"], "organization")]
            if len(items) > 1:
                notes.append(
                    f"{document['id']}: {len(items)} memberships of {employer}: one employer "
                    "statement without dates (QuickStatements would merge their dates into one)"
                )
        lines += ["\t".join([qid, EMPLOYER, employer, *qualifiers, *reference(c, sources)]) for c in backing]
    return lines


def quickstatements(documents, notes=None):
    """QuickStatements (version 1, tab-separated) for the people who have a Wikidata identifier:
    their birth and death dates, and the agencies they worked in (P108), each statement written
    once per reference that states it. `notes` receives what was left out, and why."""
    notes = [] if notes is None else notes
    lines = []
    for document in documents:
        qid = value_of(document.get("identifiers"), "wikidata")
        if not qid:
            continue
        sources = {source["id"]: source for source in document["sources"]}
        for field, prop in PERSON_DATES.items():
            citations = document.get("citations", {}).get(field, [])
            lines += date_statements(qid, prop, document.get(field), citations, sources)
        lines += membership_statements(qid, document, sources, notes)
    return "".join(line + "\n" for line in dict.fromkeys(lines))
