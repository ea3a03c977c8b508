"""Profile documents written for other tools: a Popolo collection, a CSV table of positions and
events, and Wikidata QuickStatements. Each writer takes the documents of an export
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
from profiles.models import Organization

FORMATS = ("json", "popolo", "csv", "quickstatements")


def write(data, format):
    """The text of an export (profiles_export's dict) in one of FORMATS."""
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    documents = [public(document) for document in data["people"]]
    if format == "popolo":
        return json.dumps(popolo(documents), ensure_ascii=False, indent=1) + "\n"
    if format == "csv":
        return csv_text(documents)
    if format == "quickstatements":
        return quickstatements(documents)
    raise ValueError(f"unknown format {format!r}")


# Popolo ----------------------------------------------------------------------------------------


def links(citations, sources):
    """Popolo links (url, note) to the sources of these citations, once per source and quote."""
    seen, result = set(), []
    for citation in citations:
        source = sources.get(citation["source"])
        if source is None or (source["id"], citation["quote"]) in seen:
            continue
        seen.add((source["id"], citation["quote"]))
        result.append({"url": source["url"], "note": f"{source['title']}: “{citation['quote']}”"})
    return result


def popolo(documents):
    """A Popolo collection: persons, organizations (each once, linked by parent_id) and
    memberships (linked by person_id and organization_id), with their sources as links."""
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
            "links": [{"url": source["url"], "note": source["title"]} for source in document["sources"]],
            "sources": links(person_citations, sources),
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
                    "sources": links(item["citations"], sources),
                }
            )
    return {
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
        person = {"person_id": document["id"], "person_name": document["name"]}
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

BIRTH_DATE, POSITION_HELD, START_TIME, END_TIME = "P569", "P39", "P580", "P582"
REFERENCE_URL, QUOTATION, RETRIEVED = "S854", "S1683", "S813"
PRECISION = {"year": 9, "month": 10, "day": 11}


def qs_date(value):
    """An ISO partial date as QuickStatements writes a time: +1955-12-00T00:00:00Z/10."""
    date = PartialDate.parse(value)
    month, day = date.month or 0, date.day or 0
    return f"+{date.year:04d}-{month:02d}-{day:02d}T00:00:00Z/{PRECISION[date.precision]}"


def qs_text(text):
    """A quotation as a monolingual text: on one line, without the double quotes that would end it."""
    text = " ".join(text.split()).replace('"', "'")
    return f'en:"{text}"'


def reference(citation, sources):
    source = sources[citation["source"]]
    parts = [REFERENCE_URL, f'"{source["url"]}"', QUOTATION, qs_text(citation["quote"])]
    if source.get("accessed"):
        parts += [RETRIEVED, qs_date(source["accessed"])]
    return parts


def statements(qid, prop, value, qualifiers, citations, sources):
    """One line per reference: QuickStatements adds each to the same statement."""
    return ["\t".join([qid, prop, value, *qualifiers, *reference(c, sources)]) for c in citations]


def supporting(citations, fields):
    """The citations that back these fields (or the whole claim) with the recorded value."""
    return [c for c in citations if c["stance"] == "supports" and c.get("field") in (None, *fields)]


def disputing(citations, name):
    """Disputing citations that state another date for this field."""
    return [c for c in citations if c["stance"] == "disputes" and c.get("field") == name and c.get("stated")]


def post_item(organization):
    """The Wikidata item of the post a membership is: an organization of kind "office" (a post such
    as "Mayor of Sanming") that has a Wikidata identifier. Other memberships have no post item."""
    if organization["kind"] != Organization.Kind.OFFICE:
        return None
    return value_of(organization.get("identifiers"), "wikidata")


def quickstatements(documents):
    """QuickStatements (version 1, tab-separated) for the people who have a Wikidata identifier:
    their birth date and the posts with a Wikidata item they held, with start and end dates, each
    statement referenced by every citation backing it; a date a source disputes is a statement of
    its own, referenced by that source."""
    lines = []
    for document in documents:
        qid = value_of(document.get("identifiers"), "wikidata")
        if not qid:
            continue
        sources = {source["id"]: source for source in document["sources"]}
        births = document.get("citations", {}).get("birth_date", [])
        if document.get("birth_date"):
            lines += statements(
                qid,
                BIRTH_DATE,
                qs_date(document["birth_date"]),
                [],
                supporting(births, ["birth_date"]),
                sources,
            )
        for citation in disputing(births, "birth_date"):
            lines += statements(qid, BIRTH_DATE, qs_date(citation["stated"]), [], [citation], sources)
        for item in document["memberships"]:
            post = post_item(item["organization"])
            if post is None:
                continue
            dates = {"start_date": item["start_date"], "end_date": item["end_date"]}
            backing = supporting(item["citations"], ["role", "organization", "start_date", "end_date"])
            lines += statements(qid, POSITION_HELD, post, qualifiers(dates), backing, sources)
            for name in dates:
                for citation in disputing(item["citations"], name):
                    stated = {**dates, name: citation["stated"]}
                    lines += statements(qid, POSITION_HELD, post, qualifiers(stated), [citation], sources)
    return "".join(line + "\n" for line in lines)


def qualifiers(dates):
    parts = []
    for name, prop in (("start_date", START_TIME), ("end_date", END_TIME)):
        if dates[name]:
            parts += [prop, qs_date(dates[name])]
    return parts
