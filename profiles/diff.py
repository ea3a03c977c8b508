"""What changed between two profile documents, claim by claim and field by field.

Reviewers read it at a glance: each change says added, removed or changed, on which claim, and
old → new for each field, dates as readers see them.
"""

from dataclasses import dataclass, field

from profiles.dates import display_date

PERSON_FIELDS = [
    "name",
    "native_name",
    "native_name_lang",
    "romanization",
    "birth_date",
    "birth_place",
    "death_date",
    "death_place",
    "summary",
]
MEMBERSHIP_FIELDS = [
    "role",
    "organization",
    "start_date",
    "end_date",
    "ended",
    "acting",
    "concurrent",
    "ordinal",
    "note",
]
EVENT_FIELDS = ["date", "kind", "title", "description"]
CITATION_FIELDS = ["stance", "stated", "locator", "note"]


@dataclass
class Change:
    action: str  # "added", "removed" or "changed"
    claim: str  # what the reader would call it: "Birth date", "Position: Mayor, Sanming …"
    fields: list = field(default_factory=list)  # [(field label, old text, new text)]


def shown(name, value):
    """A document value as the reviewer should read it."""
    if value is None or value == "":
        return "—"
    if name in {"birth_date", "death_date", "start_date", "end_date", "date"}:
        return display_date(value)
    if name == "organization":
        return value["name"]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def field_changes(old, new, names):
    return [
        (name.replace("_", " "), shown(name, old.get(name)), shown(name, new.get(name)))
        for name in names
        if _comparable(name, old.get(name)) != _comparable(name, new.get(name))
    ]


def _comparable(name, value):
    if name == "organization" and value:
        return value["id"], value["name"]
    return value if value not in (None, "") else None


def membership_label(item):
    return f"Position: {item['role']}, {item['organization']['name']}"


def event_label(item):
    return f"Event: {item['title']} ({display_date(item['date'])})"


def citation_key(citation):
    return citation["source"], citation.get("field") or "", citation["quote"]


def citation_label(claim, citation):
    about = f" ({citation['field'].replace('_', ' ')})" if citation.get("field") else ""
    return f"Citation of {claim}{about} to {citation['source']}: “{_short(citation['quote'])}”"


def _short(text, length=90):
    return text if len(text) <= length else text[: length - 1] + "…"


def citations_diff(claim, old, new):
    changes = []
    before = {citation_key(c): c for c in old}
    after = {citation_key(c): c for c in new}
    for key, citation in after.items():
        if key not in before:
            changes.append(
                Change("added", citation_label(claim, citation), field_changes({}, citation, CITATION_FIELDS))
            )
        else:
            fields = field_changes(before[key], citation, CITATION_FIELDS)
            if fields:
                changes.append(Change("changed", citation_label(claim, citation), fields))
    changes += [Change("removed", citation_label(claim, c)) for k, c in before.items() if k not in after]
    return changes


def claims_diff(old_items, new_items, names, label):
    changes = []
    before = {item["id"]: item for item in old_items}
    after = {item["id"]: item for item in new_items}
    for key, item in after.items():
        if key not in before:
            changes.append(Change("added", label(item), field_changes({}, item, names)))
            changes += citations_diff(label(item), [], item["citations"])
            continue
        fields = field_changes(before[key], item, names)
        if fields:
            changes.append(Change("changed", label(item), fields))
        changes += citations_diff(label(item), before[key]["citations"], item["citations"])
    for key, item in before.items():
        if key not in after:
            changes.append(Change("removed", label(item)))
    return changes


def document_diff(old, new):
    """The changes that turn document `old` (None: never published) into `new`."""
    old = old or {"citations": {}, "memberships": [], "events": [], "other_names": []}
    changes = []
    for name in PERSON_FIELDS:
        if _comparable(name, old.get(name)) != _comparable(name, new.get(name)):
            action = (
                "added"
                if old.get(name) in (None, "")
                else ("removed" if new.get(name) in (None, "") else "changed")
            )
            changes.append(
                Change(
                    action,
                    name.replace("_", " ").capitalize(),
                    [(name.replace("_", " "), shown(name, old.get(name)), shown(name, new.get(name)))],
                )
            )
    old_names = {(o["name"], o["note"]) for o in old.get("other_names", [])}
    new_names = {(o["name"], o["note"]) for o in new.get("other_names", [])}
    changes += [
        Change("added", f"Other name: {n}" + (f" ({note})" if note else ""))
        for n, note in sorted(new_names - old_names)
    ]
    changes += [
        Change("removed", f"Other name: {n}" + (f" ({note})" if note else ""))
        for n, note in sorted(old_names - new_names)
    ]
    for name in sorted(set(old["citations"]) | set(new["citations"])):
        changes += citations_diff(
            name.replace("_", " ").capitalize(),
            old["citations"].get(name, []),
            new["citations"].get(name, []),
        )
    changes += claims_diff(old["memberships"], new["memberships"], MEMBERSHIP_FIELDS, membership_label)
    changes += claims_diff(old["events"], new["events"], EVENT_FIELDS, event_label)
    return changes
