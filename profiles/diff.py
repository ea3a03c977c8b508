"""What changed between two profile documents, claim by claim and field by field.

Reviewers read it at a glance: each change says added, removed or changed, on which claim, and
old → new for each field, dates as readers see them, sources and organizations by name. An edited
quote is one change with its words marked. `review_groups()` gathers the changes under their claim
with the evidence the working copy cites for it, so a reviewer sees a changed date next to the
quote that must say so.
"""

import difflib
import re
from dataclasses import dataclass, field

from profiles.claims import CLAIM_FIELDS, DATE_FIELDS, LABELS
from profiles.dates import display_date

# The person's own facts, in the order of the form; other names are compared as a set below.
PERSON_FIELDS = [name for name in CLAIM_FIELDS["person"] if name != "other_names"]
PERSON_FIELDS.insert(PERSON_FIELDS.index("native_name") + 1, "native_name_lang")
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
    group: str = ""  # the claim it belongs to, for a citation's change; else the claim itself
    words: list = field(default_factory=list)  # an edited quote: [(kind, text)], kind equal/delete/insert

    def __post_init__(self):
        self.group = self.group or self.claim


def shown(name, value):
    """A document value as the reviewer should read it."""
    if value is None or value == "" or value == []:
        return "—"
    if name in DATE_FIELDS:
        return display_date(value)
    if name == "organization":
        return value["name"]
    if name == "identifiers":
        return ", ".join(f"{item['scheme']}: {item['identifier']}" for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def label(name):
    return LABELS.get(name, name.replace("_", " "))


def field_changes(old, new, names):
    return [
        (label(name), shown(name, old.get(name)), shown(name, new.get(name)))
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


def citation_label(claim, citation, sources=None):
    about = f" ({label(citation['field'])})" if citation.get("field") else ""
    source = (sources or {}).get(citation["source"], citation["source"])
    return f"Citation of {claim}{about} to {source}: “{_short(citation['quote'])}”"


def word_diff(old, new):
    """The words of `new` against `old`: [(kind, text)], kind "equal", "delete" or "insert"."""
    before, after = old.split(), new.split()
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("equal", " ".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("delete", " ".join(before[i1:i2])))
        if j2 > j1:
            parts.append(("insert", " ".join(after[j1:j2])))
    return parts


# A long text is compared sentence by sentence (lines and sentence ends), then word by word
# inside what changed: a 5 MB text costs the matcher its sentences, not its words.
SENTENCE_END = re.compile(r"(?<=[.!?\n\u3002\uff01\uff1f])")
LONG_TEXT = 300  # characters: a longer value, or one of several lines, is shown as passages
CONTEXT_WORDS = 25  # unchanged words shown either side of a change


def is_long_text(*values):
    return any(isinstance(v, str) and (len(v) > LONG_TEXT or "\n" in v.strip()) for v in values)


def text_passages(old, new, context=CONTEXT_WORDS):
    """The changes that turn text `old` into `new`, every changed word in full, with up to
    `context` unchanged words either side: [(kind, text)], kind "equal", "delete", "insert", or
    "gap" where unchanged text is left out."""
    before, after = SENTENCE_END.split(old), SENTENCE_END.split(new)
    # The same beginning and end are set aside first: most edits change one place of a long text.
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    parts = [("equal", "".join(before[:start]))]
    middle_before, middle_after = before[start : len(before) - end], after[start : len(after) - end]
    matcher = difflib.SequenceMatcher(a=middle_before, b=middle_after)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("equal", "".join(middle_before[i1:i2])))
        else:
            parts += word_diff("".join(middle_before[i1:i2]), "".join(middle_after[j1:j2]))
    parts.append(("equal", "".join(before[len(before) - end :])))
    merged = []
    for kind, text in parts:
        if merged and kind == "equal" == merged[-1][0]:
            merged[-1] = ("equal", merged[-1][1] + " " + text)
        elif text:
            merged.append((kind, text))
    parts, shown = merged, []
    for index, (kind, text) in enumerate(parts):
        if kind != "equal":
            shown.append((kind, text))
            continue
        words = text.split()
        head = words[:context] if index > 0 else []
        tail = words[-context:] if index < len(parts) - 1 else []
        if len(words) <= len(head) + len(tail):
            shown.append(("equal", " ".join(words)))
            continue
        if head:
            shown.append(("equal", " ".join(head)))
        shown.append(("gap", "…"))
        if tail:
            shown.append(("equal", " ".join(tail)))
    return [(kind, text) for kind, text in shown if text]


def _short(text, length=90):
    return text if len(text) <= length else text[: length - 1] + "…"


def citations_diff(claim, old, new, sources=None):
    changes = []
    before = {citation_key(c): c for c in old}
    after = {citation_key(c): c for c in new}
    added = [c for key, c in after.items() if key not in before]
    removed = [c for key, c in before.items() if key not in after]
    for key, citation in after.items():
        if key in before:
            fields = field_changes(before[key], citation, CITATION_FIELDS)
            if fields:
                changes.append(
                    Change("changed", citation_label(claim, citation, sources), fields, group=claim)
                )
    for citation in added:
        # A quote edited in place is the same citation: one source, one field, one quote changed.
        edited = next(
            (
                c
                for c in removed
                if (c["source"], c.get("field")) == (citation["source"], citation.get("field"))
            ),
            None,
        )
        if edited is not None:
            removed.remove(edited)
            fields = [("quote", _short(edited["quote"]), _short(citation["quote"]))]
            fields += field_changes(edited, citation, CITATION_FIELDS)
            words = word_diff(edited["quote"], citation["quote"])
            changes.append(
                Change("changed", citation_label(claim, citation, sources), fields, group=claim, words=words)
            )
        else:
            fields = field_changes({}, citation, CITATION_FIELDS)
            changes.append(Change("added", citation_label(claim, citation, sources), fields, group=claim))
    changes += [Change("removed", citation_label(claim, c, sources), group=claim) for c in removed]
    return changes


def claims_diff(old_items, new_items, names, claim_label, sources):
    changes = []
    before = {item["id"]: item for item in old_items}
    after = {item["id"]: item for item in new_items}
    for key, item in after.items():
        if key not in before:
            changes.append(Change("added", claim_label(item), field_changes({}, item, names)))
            changes += citations_diff(claim_label(item), [], item["citations"], sources)
            continue
        fields = field_changes(before[key], item, names)
        if fields:
            changes.append(Change("changed", claim_label(item), fields))
        changes += citations_diff(claim_label(item), before[key]["citations"], item["citations"], sources)
    for key, item in before.items():
        if key not in after:
            changes.append(Change("removed", claim_label(item)))
    return changes


def source_names(*documents):
    """Each source's name as a reviewer knows it (its publisher, else its title), by id."""
    return {
        source["id"]: source.get("publisher") or source.get("title") or source["id"]
        for document in documents
        if document
        for source in document.get("sources", [])
    }


def document_diff(old, new):
    """The changes that turn document `old` (None: never published) into `new`."""
    old = old or {"citations": {}, "memberships": [], "events": [], "other_names": [], "sources": []}
    sources = source_names(old, new)
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
                    label(name).capitalize(),
                    [(label(name), shown(name, old.get(name)), shown(name, new.get(name)))],
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
            label(name).capitalize(),
            old["citations"].get(name, []),
            new["citations"].get(name, []),
            sources,
        )
    changes += claims_diff(
        old["memberships"], new["memberships"], MEMBERSHIP_FIELDS, membership_label, sources
    )
    changes += claims_diff(old["events"], new["events"], EVENT_FIELDS, event_label, sources)
    return changes


def claim_citations(document):
    """{claim label: its citations}, labelled as document_diff labels claims."""
    evidence = {}
    for name, citations in document.get("citations", {}).items():
        evidence[label(name).capitalize()] = citations
    for item in document["memberships"]:
        evidence[membership_label(item)] = item["citations"]
    for item in document["events"]:
        evidence[event_label(item)] = item["citations"]
    return evidence


def review_groups(old, new):
    """The changes from `old` to `new` gathered under their claims, in order, each claim with the
    citations the new document gives it (source by name, quote, verification): the evidence a
    reviewer weighs the change against."""
    groups = {}
    for change in document_diff(old, new):
        groups.setdefault(change.group, []).append(change)
    evidence = claim_citations(new)
    names = source_names(new)
    return [
        {
            "claim": claim,
            "changes": changes,
            "removed": changes[0].action == "removed" and changes[0].group == changes[0].claim,
            "evidence": [
                {
                    **citation,
                    "source_name": names.get(citation["source"], citation["source"]),
                    "field_label": label(citation["field"]) if citation.get("field") else "",
                }
                for citation in evidence.get(claim, [])
            ],
        }
        for claim, changes in groups.items()
    ]
