"""The drafting engine (issue 20): from an approved source's archived text to proposed claims.

Pure functions: no database, no model, no network. `draft(text, catalogue=..., people=...)` reads a
text and returns, for each person it names (the people of `people` it names, and the text's own
subject when nobody knows them yet), the claims it states:

- positions: role, organization (matched to the catalogue of approved organizations, or proposed
  as a new one with its kind and parent where the text gives them), start and end dates at the
  precision the text gives ("in April 2007" is 2007-04, "since 2022" a start of 2022); an end
  implied by the next appointment is an `infers` proposal with a note saying so;
- events: a dated sentence's date, kind and a short description taken from it;
- person facts: birth date and place, native name and romanization, other names.

Every proposal quotes a whole sentence or clause of the text (so its quote is verified by
construction), with the locator of its passage, a confidence, and its relation to the profile as it
stands (new, recorded, more_precise, less_precise, contradicts: a contradiction is offered as a
disputing citation, never as a replacement). The rules are those of the genre, not of any one text:
a date grammar (sources.evidence.find_dates), appointment verbs, role words, organization names
weighed by how rare their words are in the catalogue, and subject resolution (sources.subjects):
nothing is proposed for a person from a passage about someone else.

The database side (which people and organizations exist, what a profile records, writing the
ticked proposals) is `sources.drafting_admin` and the `draft_from_source` command.
"""

import math
import re
from dataclasses import dataclass, field

from sources import evidence, subjects

# Dates -------------------------------------------------------------------------------------------

KINDS = ("position", "event", "fact")
RELATIONS = ("new", "recorded", "more_precise", "less_precise", "contradicts")


def iso(year, month=None, day=None):
    return evidence.iso(year, month, day)


def dates_in(text):
    """[(start, end, iso)] of the dates written in a text; a bare year inside a fuller date is not
    counted twice (find_dates already keeps the first, longest reading)."""
    return [(start, end, iso(year, month, day)) for start, end, year, month, day in evidence.find_dates(text)]


ASIDE = re.compile(r"\([^()]*\)|born[^.;,)]*\d{4}|died[^.;,)]*\d{4}", re.I)


def career_dates(text):
    """The dates of a text that may date a post: not those of an aside in parentheses, nor a birth
    or death ("Cai Qi (born December 5, 1955) is a member of ...")."""
    asides = [(m.start(), m.end()) for m in ASIDE.finditer(text)]
    return [d for d in dates_in(text) if not any(a <= d[0] < b for a, b in asides)]


def compare_dates(recorded, proposed):
    """ "recorded", "more_precise", "less_precise" or "contradicts" for two ISO partial dates."""
    if recorded == proposed:
        return "recorded"
    if not recorded:
        return "more_precise" if proposed else "recorded"
    if not proposed:
        return "less_precise"
    if proposed.startswith(recorded + "-"):
        return "more_precise"
    if recorded.startswith(proposed + "-"):
        return "less_precise"
    return "contradicts"


# Words of the genre ------------------------------------------------------------------------------

ROLE_HEADS = (
    "mayor|governor|secretary|director|head|chief|member|chairman|chairwoman|chairperson|president|"
    "premier|minister|clerk|leader|commissioner|ambassador|commander|mishu|editor|judge|prosecutor|"
    "spokesman|spokesperson|principal|dean|rector|manager|officer|deputy|vice-chairman"
)
ROLE_MODIFIERS = (
    "acting|executive|first|second|deputy|vice|assistant|standing|division|general|party|ccp|cpc|"
    "committee|municipal|provincial|permanent|alternate|full|chief|senior|honorary|political|"
    "first-ranked|first-ranking|fifth-ranked|fifth-ranking"
)
ROLE = re.compile(rf"\b(?P<role>(?:(?:{ROLE_MODIFIERS})\s+)*(?:{ROLE_HEADS}))s?\b(?![-’'])", re.I)
# The verbs and copulas that say a person took a post.
ANCHOR = re.compile(
    r"\b(?:became|become|becoming|appointed|elected|named|served|serving|serve|worked|working|"
    r"promoted|transferred|assumed|took\s+on|made|re-elected|elevated|chosen|selected|sworn\s+in|"
    r"installed|succeeded|succeeding|headed|led|progressed|rose|moved|revealed\s+as|confirmed\s+as|designated|"
    r"was\s+(?:the|a|an)|is\s+(?:the|a|an)|"
    r"as\s+(?:the\s+|a\s+|an\s+|its\s+)?(?:[\w-]+\s+){0,3}?(?=(?:mayor|governor|secretary|director|head|member|"
    r"chairman|president|leader)\b)|"
    r"was\s+(?:also\s+)?(?:the\s+)?(?:acting\s+)?(?=(?:mayor|governor|secretary|director|head|member)))\b",
    re.I,
)
# "In July 2008, as Hangzhou mayor, Cai started a scheme": "as" says which post he held, not when it began.
AS_ROLE = re.compile(
    r"\bas\s+(?:the\s+|a\s+|an\s+|its\s+)?(?:[\w-]+\s+){0,3}?(?=(?:mayor|governor|secretary|director|head|member|"
    r"chairman|president|leader)\b)",
    re.I,
)
TRANSFER = re.compile(r"\btransferred\b", re.I)
GENERIC_ROLE_WORDS = {"party", "ccp", "cpc", "committee", "municipal", "provincial", "political", "general"}
ROLE_KEEP_GENERIC = {"general secretary", "secretary general", "political commissar"}
GOVERNMENT_ROLES = {"mayor", "governor", "premier", "vice governor", "vice mayor", "executive vice governor"}
PARTY_ROLES = {"secretary", "deputy secretary", "party secretary"}
# Where the organization's name stops.
ORG_STOP = re.compile(
    r"\s*(?:,|;|\(|\[|\bfrom\b|\bbetween\b|\buntil\b|\bsince\b|\bserving\b|\bworking\b|\bwhere\b|"
    r"\bwhich\b|\bwho\b|\bafter\b|\bbefore\b|\bduring\b|\bwhen\b|\bby\b|\bin\s+(?:\d|early|late|mid)|"
    rf"\bon\s+(?:\d|(?:{evidence.MONTH_NAMES})\b)|\bin\s+(?:{evidence.MONTH_NAMES})\b|\bimmediately\b|\band\s+(?:was|became|as|then|later|also)\b|\bas\b|\bthe\s+top\b|\bto\s+(?!the\s+\d)\w+\s|$)",
    re.I,
)
ARTICLE = re.compile(r"^(?:the|a|an|its|his|her|their)\s+", re.I)
ORDINAL_WORD = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh)-rank(?:ed|ing)\b", re.I
)

EVENT_VERBS = {
    "born": re.compile(r"\bborn\b", re.I),
    "died": re.compile(r"\b(?:died|passed away)\b", re.I),
    "joined": re.compile(r"\bjoined\b", re.I),
    "studied": re.compile(
        r"\b(?:graduated|studied|enrolled|obtained|pursued|attended\s+\w+\s+(?:university|school|college))\b",
        re.I,
    ),
    "appointed": re.compile(r"\b(?:appointed|became|named|transferred|assumed|took\s+on)\b", re.I),
    "promoted": re.compile(r"\b(?:promoted|elected|elevated)\b", re.I),
    "spoke": re.compile(r"\b(?:said|spoke|called|announced|stated|urged|published|pledged|stressed)\b", re.I),
    "met": re.compile(
        r"\b(?:met|meets|hosted|hosts|visited|chaired|presided|held\s+talks|conferred|received)\b", re.I
    ),
    "policy": re.compile(r"\b(?:launched|initiated|ordered|directed|campaign|operation)\b", re.I),
    "criticised": re.compile(r"\b(?:criticised|criticized|controversy|accused)\b", re.I),
    "other": re.compile(r"\b(?:awarded|officiated|attended|relinquished|resigned|retired|revealed)\b", re.I),
}

BIRTH = re.compile(r"\bborn\b", re.I)
BIRTH_PLACE = re.compile(
    rf"\bborn\b[^.;]*?\b(?:in|at)\s+(?!(?i:{evidence.MONTH_NAMES})\b)(?!\d)"
    r"(?P<place>[A-Z][\w'’-]*(?:(?:,\s*|\s+)(?:[A-Z][\w'’-]*|province|county|city|prefecture))*)"
)
NATIVE = re.compile(
    r"\((?:(?:Chinese|simplified Chinese|traditional Chinese|Japanese|Korean|Russian|Arabic|Hindi|"
    r"Vietnamese|Thai|Hebrew|Greek|native name)\s*:\s*(?P<native>[^;,)]+))"
    r"(?:[;,]\s*(?:pinyin|romanized|romanization|Hepburn|Revised Romanization)\s*:\s*(?P<roman>[^;,)]+))?",
    re.I,
)
NATIVE_LANG = {
    "chinese": "zh-Hans",
    "simplified chinese": "zh-Hans",
    "traditional chinese": "zh-Hant",
    "japanese": "ja",
    "korean": "ko",
    "russian": "ru",
    "arabic": "ar",
    "hindi": "hi",
    "vietnamese": "vi",
    "thai": "th",
    "hebrew": "he",
    "greek": "el",
}
OTHER_NAME = re.compile(
    r"\b(?:also known as|better known as|known as|nicknamed|under the (?:pen )?name|born as|"
    r"formerly known as|née|né)\s+(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
)


# Proposals ---------------------------------------------------------------------------------------


@dataclass
class Proposal:
    """One claim the text states, with its quote, where it stands and how it relates to the profile."""

    kind: str  # "position", "event" or "fact"
    field: str  # "" for a whole position or event; a field name for a fact or one date
    value: dict
    quote: str
    locator: str
    confidence: float
    stance: str = "supports"
    relation: str = "new"
    note: str = ""  # readers' note of an inferred value
    start: int = 0  # where the quote stands in the text
    target: str = ""  # the key of the recorded position or event it is about, if any
    cited: bool = False  # the profile already cites this source for it

    def as_dict(self):
        return {
            "kind": self.kind,
            "field": self.field,
            "value": self.value,
            "quote": self.quote,
            "locator": self.locator,
            "stance": self.stance,
            "relation": self.relation,
            "confidence": round(self.confidence, 2),
        }


@dataclass
class PersonDraft:
    """What the text states about one person: known (`slug`) or not yet in the database."""

    slug: str | None
    name: str
    document: dict
    proposals: list = field(default_factory=list)

    def as_dict(self):
        return {"person": self.slug, "name": self.name, "proposals": [p.as_dict() for p in self.proposals]}


# Organizations -----------------------------------------------------------------------------------

ORG_SYNONYMS = {
    "cpc": "ccp",
    "communist": "ccp",
    "municipality": "municipal",
    "city": "municipal",
    "province": "provincial",
    "prc": "china",
    "central": "central",
    "party": "ccp",
}
ORG_NOISE = {"the", "of", "for", "and", "in", "at", "a", "an", "its", "his", "her", "s", "to"}


def org_words(name):
    words = re.findall(r"[\w’']+", re.sub(r"(?i)\bpolitical\s+bureau\b", "politburo", name or "").lower())
    return [
        ORG_SYNONYMS.get(w.rstrip("'s").rstrip("’s"), w.rstrip("'s").rstrip("’s"))
        for w in words
        if w not in ORG_NOISE
    ]


class Catalogue:
    """The approved organizations, their words weighed by rarity (a city's name counts, "Committee"
    barely), to match the organization a sentence names."""

    def __init__(self, organizations):
        self.organizations = list(organizations)
        self.words = [
            set(org_words(o["name"])) | set(org_words(o.get("native_name"))) for o in self.organizations
        ]
        total = len(self.organizations) or 1
        frequency = {}
        for words in self.words:
            for word in words:
                frequency[word] = frequency.get(word, 0) + 1
        self.weight = {word: math.log(1 + total / count) for word, count in frequency.items()}
        # Words in a quarter of the catalogue or more ("Committee", "CCP") do not make a match alone.
        self.common = {word for word, count in frequency.items() if count * 4 >= total and total >= 8}
        self.common |= GENERIC_ORG_WORDS if total < 8 else set()

    def is_place(self, word):
        """Whether a word names a place in the catalogue: a rare word of several organizations'
        names ("Sanming" of its city's government and party committee), not of a generic kind."""
        folded = evidence.fold(word).rstrip("'s")
        count = sum(1 for words in self.words if folded in words)
        return (
            word[:1].isupper()
            and count >= 1
            and folded not in self.common
            and folded not in GENERIC_ORG_WORDS
            and folded not in DESCRIPTIVE_ORG_WORDS
            and not ORG_NOUNS.fullmatch(word)
        )

    def match(self, phrase, *, kind=None, context=()):
        """(organization, score 0..1) best matching a phrase ("the city of Sanming", "Quzhou's CCP
        committee"), favouring `kind` ("government" for a mayor); (None, 0) when none shares a
        distinctive word with it. `context` words (the rest of the sentence) only break ties."""
        wanted = set(org_words(phrase))
        if not wanted or not self.organizations:
            return None, 0.0
        # "Secretariat of the Chinese Communist Party": the Secretariat, not the party.
        head = set(org_words(re.split(r"\s+of\s+", phrase, maxsplit=1)[0])) if " of " in phrase else set()
        best, best_score = None, 0.0
        for organization, words in zip(self.organizations, self.words, strict=True):
            shared = wanted & words
            if not shared:
                continue
            distinctive = sum(self.weight[w] for w in shared if w not in self.common)
            if not distinctive:
                continue
            have = sum(self.weight[w] for w in words)
            asked = sum(self.weight.get(w, 2.0) for w in wanted)
            score = sum(self.weight[w] * (2.0 if w in head else 1.0) for w in shared) / math.sqrt(
                have * asked
            )
            if kind and organization.get("kind") == kind:
                score *= 1.35
            elif kind and organization.get("kind") not in (None, "", "other"):
                score *= 0.75
            # The sentence's other words ("Fujian") choose between two General Offices.
            score += 0.1 * len((words - shared - self.common) & set(context))
            if score > best_score:
                best, best_score = organization, score
        return best, min(best_score, 1.0)


GOVERNMENT_KINDS = {"government", "", None, "other"}
# Words that describe a body rather than say where it is: never a place.
DESCRIPTIVE_ORG_WORDS = {
    "central",
    "national",
    "general",
    "standing",
    "executive",
    "political",
    "affairs",
    "security",
    "state",
    "work",
    "reform",
    "leading",
    "special",
    "supreme",
    "international",
    "joint",
    "united",
}
MATCHED = 0.5  # the least match score (sources.drafting.Catalogue.match) taken as naming an organization
GENERIC_ORG_WORDS = {"ccp", "committee", "municipal", "provincial", "people's", "people", "government"}
ORG_NOUNS = re.compile(
    r"\b(?:Committee|Office|Department|Government|Commission|University|Commune|Party|Group|Congress|"
    r"Bureau|Ministry|Council|Politburo|Secretariat|Academy|School|Court|Assembly|Team)\b"
)
# A role that is someone else's: "the deputy of then Governor ...", "his son, who worked as".
SOMEONE_ELSES = re.compile(
    r"(?:\b(?:of|to|by|with|for|under|replacing|succeeding)\s+(?:then\s+|the\s+|former\s+)*(?:(?-i:[A-Z])[\w-]*\s+){0,3}$)|"
    r"\b(?:son|daughter|wife|husband|father|mother|brother|sister|widow|predecessor|successor)\b",
    re.I,
)
FAMILY = re.compile(r"\b(?:son|daughter|wife|husband|father|mother|brother|sister|widow|couple)\b", re.I)
END_VERB = re.compile(r"\b(?:relinquished|resigned|stepped\s+down|left|retired|removed|dismissed)\b", re.I)
# "appointed to the 19th CCP Politburo", "elected to the Secretariat": membership of a body.
JOINED_BODY = re.compile(
    r"\b(?:appointed|elected|promoted|named|elevated|admitted|co-opted)\s+to\s+(?:the\s+)?"
    r"(?P<org>(?:\d+(?:st|nd|rd|th)\s+)?[A-Z][\w'’-]*(?:\s+(?:of\s+the\s+|of\s+)?[A-Z][\w'’-]*)*)"
)


def role_kind(role):
    lowered = role.lower()
    if lowered in GOVERNMENT_ROLES or lowered.endswith(("mayor", "governor")):
        return "government"
    if lowered in PARTY_ROLES or lowered.endswith("secretary") and "general" not in lowered:
        return "party"
    return None


def clean_role(raw):
    """The role as a profile writes it: "the CCP committee secretary" is "Secretary", "deputy CCP
    secretary" "Deputy Secretary", "executive vice governor" "Executive Vice Governor"."""
    words = ORDINAL_WORD.sub("", raw).split()
    lowered = " ".join(w.lower() for w in words)
    if lowered in ROLE_KEEP_GENERIC:
        kept = words
    else:
        kept = [w for w in words if w.lower() not in GENERIC_ROLE_WORDS]
    if not kept:
        kept = words[-1:]
    if kept and kept[-1].lower() == "deputy" and len(kept) == 1:
        return "Deputy"
    return " ".join(w[:1].upper() + w[1:].lower() for w in kept)


def organization_hint(raw_role):
    """Words of the organization that the role phrase itself carries ("CCP committee secretary")."""
    return [
        w
        for w in raw_role.split()
        if w.lower() in {"party", "ccp", "cpc", "committee", "municipal", "provincial"}
    ]


# Clauses -----------------------------------------------------------------------------------------

# "In April 2007, ...", "On 31 October 2016 ...", "By March 1993 ...": a date that opens a sentence.
LEADING_DATE = re.compile(
    rf"^\s*(?:(?:early|late)\s+)?(?:in|on|by|from|since|around|circa)\s+(?:(?:early|late|mid)\s+)?"
    rf"(?:\d{{1,2}}\s+)?(?:(?:{evidence.MONTH_NAMES})\.?\s+)?(?:\d{{1,2}},?\s+)?\d{{4}}",
    re.I,
)
CLAUSE_SPLIT = re.compile(
    r";\s+|,\s+(?:and\s+)?(?:then|later|also)\s+|,\s+and\s+(?=(?:as|was|became|served|in)\b)"
)


def clauses(sentence):
    """(offset, clause) of a sentence's clauses: split at semicolons and at ", then", ", and later"
    (not inside parentheses: "(Chinese: 蔡奇; pinyin: Cài Qí)" is one aside)."""
    found, start = [], 0
    for match in CLAUSE_SPLIT.finditer(sentence):
        before = sentence[: match.start()]
        if before.count("(") > before.count(")"):
            continue
        if match.start() > start:
            found.append((start, sentence[start : match.start()]))
        start = match.end()
    found.append((start, sentence[start:]))
    return [(offset, text) for offset, text in found if text.strip()]


def span_dates(text):
    """(start, end) ISO dates a clause gives to what it states: "from X to Y", "between X and Y",
    "since X", "until Y", "in X" (the first date), each None when not given."""
    found = career_dates(text)
    if not found:
        return None, None
    start = end = None
    for a, b in ((r"\bfrom\b", r"\b(?:to|until|till)\b"), (r"\bbetween\b", r"\band\b")):
        match = re.search(rf"{a}\s+(?:[^,;]*?\s)?(?=\S*\d)", text, re.I)
        if match:
            first = next((d for d in found if d[0] >= match.start()), None)
            if first:
                rest = re.search(b, text[first[1] :], re.I)
                second = next((d for d in found if rest and d[0] >= first[1] + rest.start()), None)
                start = first[2]
                end = second[2] if second else None
                return start, end
    until = re.search(r"\b(?:until|till|through)\b", text, re.I)
    since = re.search(r"\bsince\b", text, re.I)
    for s, _, value in found:
        if until and s > until.start() and end is None:
            end = value
        elif since and s > since.start() and start is None:
            start = value
        elif start is None and not (until and s > until.start()):
            start = value
    return start, end


# People ------------------------------------------------------------------------------------------


def text_subject_name(index):
    """The name of the person a text is about (its first reference to anyone, written in full), or
    None: the lead of a biography, an obituary, an encyclopedia article."""
    for number, passage in enumerate(index.passages[:6]):
        for mention in passage.mentions:
            if mention.kind == "name" and subjects.person_like(mention) and not mention.opening:
                sentence = index.quote(number)
                return sentence[mention.start : mention.start + len(mention.surface)].strip()
            if mention.kind == "pronoun":
                break
    return None


def candidate_names(index):
    """Every run of capitalised words that may be a person's name, as written (for a lookup)."""
    found = []
    for passage in index.passages:
        for mention in passage.mentions:
            if mention.kind == "name" and subjects.person_like(mention) and mention.surface not in found:
                found.append(mention.surface)
    return found


# The engine --------------------------------------------------------------------------------------


def draft(text, *, catalogue=(), people=(), slugs=None, source_id=None):
    """[PersonDraft] for the people a text names: each of `people` (profile documents, their
    working copies) that it names, and the text's own subject when none of them is it. With
    `slugs`, only those people. `catalogue`: organization documents (id, name, native_name, kind,
    parent) of the approved organizations. `source_id`: this source's key, to tell which claims
    of a profile already cite it."""
    index = evidence.index_for(text)
    if not index.passages:
        return []
    organizations = catalogue if isinstance(catalogue, Catalogue) else Catalogue(catalogue)
    drafts = []
    for document in people:
        if slugs is not None and document.get("id") not in slugs:
            continue
        about = index.about(subjects.profile_names(document))
        if any(a.names_person for a in about):
            drafts.append(PersonDraft(document.get("id"), document.get("name", ""), document))
    subject = text_subject_name(index)
    known = {name for d in drafts for name in subjects.profile_names(d.document).full}
    if subject and slugs is None and tuple(subjects.fold(w) for w in subject.split()) not in known:
        drafts.insert(0, PersonDraft(None, subject, {"id": None, "name": subject, "other_names": []}))
    for person in drafts:
        about = index.about(subjects.profile_names(person.document))
        proposals = person_facts(index, about, person.document)
        positions = person_positions(index, about, organizations, subjects.profile_names(person.document))
        proposals += positions
        proposals += implied_ends(positions)
        proposals += person_events(index, about, positions, subjects.profile_names(person.document))
        if person.slug is not None:
            relate(proposals, person.document, source_id)
        person.proposals = proposals
    return drafts


def own_passages(index, about):
    """(number, sentence, passage) of the passages whose subject is the person (not of those that name
    them in passing: "In March 2023, he became director, succeeding Ding Xuexiang" is not Ding's)."""
    for number, passage in enumerate(index.passages):
        if about[number].about and about[number].subject:
            yield number, index.quote(number), passage


def person_facts(index, about, document):
    proposals = []
    seen = set()
    for number, sentence, passage in own_passages(index, about):
        for match in NATIVE.finditer(sentence):
            native = match.group("native").strip()
            lang = NATIVE_LANG.get(match.group(0)[1:].split(":")[0].strip().lower(), "")
            if re.search(f"[{subjects.CJK}]", native) or lang:
                add_fact(
                    proposals,
                    seen,
                    "native_name",
                    {"native_name": native, "native_name_lang": lang},
                    sentence,
                    passage,
                    0.9,
                )
            if match.group("roman"):
                add_fact(
                    proposals,
                    seen,
                    "romanization",
                    {"romanization": match.group("roman").strip()},
                    sentence,
                    passage,
                    0.85,
                )
        if BIRTH.search(sentence) and number < len(index.passages):
            born = BIRTH.search(sentence)
            dates = [d for d in dates_in(sentence) if d[0] > born.start()]
            if dates:
                best = max(dates, key=lambda d: len(d[2]))
                add_fact(
                    proposals,
                    seen,
                    "birth_date",
                    {"birth_date": best[2]},
                    sentence,
                    passage,
                    0.9 if len(best[2]) == 10 else 0.75,
                )
            place = BIRTH_PLACE.search(sentence)
            if place:
                value = re.sub(r"\s+province\b", "", place.group("place"), flags=re.I).strip(" ,")
                value = re.sub(r",\s*(?:Province|County|City)$", "", value).strip(" ,")
                add_fact(proposals, seen, "birth_place", {"birth_place": value}, sentence, passage, 0.8)
        for match in OTHER_NAME.finditer(sentence):
            add_fact(
                proposals,
                seen,
                f"other_names:{match.group('name')}",
                {"other_names": [{"name": match.group("name"), "note": ""}]},
                sentence,
                passage,
                0.7,
            )
    if document.get("id") is None and document.get("name"):
        first = next(((n, s, p) for n, s, p in own_passages(index, about) if document["name"] in s), None)
        if first:
            add_fact(
                proposals,
                seen,
                "name",
                {"name": document["name"]},
                first[1],
                first[2],
                0.95,
                quote_clause=False,
            )
    return proposals


def add_fact(proposals, seen, key, value, sentence, passage, confidence, *, quote_clause=True):
    name = key.partition(":")[0]
    if key in seen or name in seen and name != "other_names":
        return
    seen.add(key)
    seen.add(name)
    proposals.append(
        Proposal("fact", name, value, sentence, passage.locator, confidence, start=passage.start)
    )


def person_positions(index, about, organizations, names=None):
    """Position proposals: in each clause of the person's passages with an appointment verb, each
    role word and the organization after it ("of", "at") or before it ("Quzhou's"); and each body
    the person was appointed or elected to ("elected to the Secretariat": a member)."""
    found = []
    for _, sentence, passage in own_passages(index, about):
        opening = LEADING_DATE.match(sentence)
        sentence_start = dates_in(opening.group())[0][2] if opening and dates_in(opening.group()) else None
        anchored = verb = False
        for _, clause in clauses(sentence):
            if ANCHOR.search(clause):
                anchored = True
            elif not anchored:
                continue
            # ", and then deputy director of ... from 1992": the verb of an earlier clause still holds.
            verb = verb or appointed(clause)
            if names is not None and led_by_other(clause, names):
                continue
            # A career moves locally: the place of the post before ("Fujian") chooses between two
            # "General Office"s.
            near = (
                {
                    w
                    for w in org_words(found[-1].value["organization"]["name"])
                    if organizations.is_place(w.title())
                }
                if found
                else set()
            )
            found += clause_positions(clause, sentence, passage, organizations, sentence_start, verb, near)
            found += body_memberships(clause, sentence, passage, organizations, sentence_start)
    return merged(found)


def appointed(clause):
    """Whether a clause says a post was taken or held (a verb of the genre), not only "as ROLE"."""
    return any(not AS_ROLE.match(clause, m.start()) for m in ANCHOR.finditer(clause))


def led_by_other(clause, names):
    """Whether a clause's first named person, before its verb, is someone else ("at the time, Xi
    Jinping was the party secretary of Zhejiang")."""
    anchor = ANCHOR.search(clause)
    for mention in subjects.passage_mentions(clause[: anchor.start()] if anchor else clause):
        if mention.kind == "pronoun":
            return False
        if mention.kind == "name" and subjects.person_like(mention):
            return not any(subjects.contains(mention.words, name) for name in names.full)
    return False


LEADS = re.compile(
    r"\b(?:appointed|chosen|named|tasked|picked)\s+to\s+(?P<verb>lead|head|chair|direct)\s+(?:the\s+)?"
    r"(?P<org>[\w'’ -]+?)(?=[,.;]|\[|\s+(?:in|on|from|since|until)\s+(?:\d|(?:"
    + evidence.MONTH_NAMES
    + r")\b)|$)",
    re.I,
)
LEAD_ROLES = {"lead": "Leader", "head": "Head", "chair": "Chairman", "direct": "Director"}


def body_memberships(clause, sentence, passage, organizations, sentence_start):
    proposals = []
    for match in LEADS.finditer(clause):
        organization, score = organizations.match(match.group("org"))
        if organization is None or score < 0.3:
            continue
        dates = career_dates(clause)
        value = {
            "role": LEAD_ROLES[match.group("verb").lower()],
            "organization": {"id": organization["id"], "name": organization["name"]},
            "start_date": dates[0][2] if dates else sentence_start,
            "end_date": None,
        }
        proposals.append(Proposal("position", "", value, sentence, passage.locator, 0.6, start=passage.start))
    for match in JOINED_BODY.finditer(clause):
        phrase = match.group("org")
        if ROLE.search(phrase) or not ORG_NOUNS.search(phrase):
            continue
        organization, score = organizations.match(phrase)
        after = clause[match.end() :]
        role = re.match(
            r"\s+as\s+(?:its\s+|the\s+|a\s+)?(?P<role>[\w-]+(?:\s+[\w-]+){0,2}?)\b(?=[,.;]|\s+(?:of|in|on|and)\b|$)",
            after,
        )
        role_name = (
            clean_role(ROLE.search(role.group("role")).group("role"))
            if role and ROLE.search(role.group("role"))
            else "Member"
        )
        start = (
            career_dates(after[:80]) or career_dates(clause[: match.start()]) or [(0, 0, sentence_start)]
        )[0][2]
        org_value = (
            {"id": organization["id"], "name": organization["name"]}
            if organization is not None
            else {"id": None, "name": re.sub(r"^\d+(?:st|nd|rd|th)\s+", "", phrase), "kind": "other"}
        )
        value = {"role": role_name, "organization": org_value, "start_date": start, "end_date": None}
        confidence = 0.5 + 0.3 * min(score * 2, 1.0) + (0.15 if start else 0.0)
        proposals.append(
            Proposal(
                "position", "", value, sentence, passage.locator, min(confidence, 0.95), start=passage.start
            )
        )
    return proposals


def clause_positions(clause, sentence, passage, organizations, sentence_start, verb=True, near=frozenset()):
    roles = list(ROLE.finditer(clause))
    anchor = ANCHOR.search(clause)
    proposals = []
    for number, match in enumerate(roles):
        if (
            anchor
            and match.start() < anchor.start()
            and re.match(r"\s*(?:him|her|them)\b", clause[anchor.end() :])
        ):
            # A role before the verb is someone else's ("the governor appointed him").
            continue
        raw = match.group("role")
        if raw.lower() in {"deputy", "general", "party", "chief", "official"}:
            continue
        if SOMEONE_ELSES.search(clause[: match.start()][-40:]) and not re.search(
            r"(?:\bas|\b(?:position|post|role|office|title|rank)(?:\s+of)?|\b(?:promoted|progressed|rose|elevated|"
            r"returned|moved|advanced|appointed|named|elected|transferred)\s+to(?:\s+become)?)\s+(?:the\s+|a\s+|an\s+)?$",
            clause[: match.start()],
        ):
            continue
        ending = END_VERB.search(clause[: match.start()])
        if re.search(r"\b(?:neither|nor|not|never|no)\b(?:\s+\w+){0,2}\s*$", clause[: match.start()], re.I):
            continue  # "neither a member nor alternate member"
        if re.search(r"\b(?:that(?:'s|’s|\s+is|\s+was)|which\s+(?:is|was))\b", clause[: match.start()]):
            continue  # "the first director that's also member of": a remark, not an appointment
        if FAMILY.search(clause[: match.start()]):
            continue
        end_of_segment = roles[number + 1].start() if number + 1 < len(roles) else len(clause)
        segment = clause[match.end() : end_of_segment]
        before = clause[max(0, match.start() - 60) : match.start()]
        org_phrase = ""
        of = re.match(r"\s*(?:of|at|in|for)\s+(?:the\s+)?(?=[A-Z])|\s*of\s+(?:the\s+)?", segment)
        if of:
            rest = segment[of.end() :]
            stop = ORG_STOP.search(rest)
            org_phrase = rest[: stop.start()] if stop else rest
        possessive = re.search(r"([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)['’]s\s+(?:[\w-]+\s+){0,3}$", before)
        if not org_phrase.strip() and possessive:
            org_phrase = possessive.group(1)
        prefix = re.search(r"((?:[A-Z][\w'’-]*\s+){1,5})$", clause[: match.start()])
        if not org_phrase.strip() and prefix and (ORG_NOUNS.search(prefix.group(1) + raw)):
            # "Appointed CPC Beijing Municipal Committee secretary": the body is named before the role.
            org_phrase = prefix.group(1).strip() + " " + " ".join(organization_hint(raw))
        if (
            not org_phrase.strip()
            and number + 1 < len(roles)
            and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", segment)
        ):
            # "the deputy CCP committee secretary and Mayor of Quzhou": both of Quzhou.
            after = clause[roles[number + 1].end() :]
            of_next = re.match(r"\s*(?:of|at|in|for)\s+(?:the\s+)?", after, re.I)
            if of_next:
                rest = after[of_next.end() :]
                stop = ORG_STOP.search(rest)
                org_phrase = rest[: stop.start()] if stop else rest
        hint = organization_hint(raw)
        if not of and not org_phrase.strip() and (hint or role_kind(clean_role(raw)) == "government"):
            # "the deputy CCP secretary, and later ... mayor of the city of Sanming": the place of the
            # sentence's other posts; "appointed as mayor by the Beijing Municipal People's Congress".
            places = [
                w
                for m in NAME_LIKE.finditer(sentence)
                for w in m.group().split()
                if w.lower() not in ORG_NOISE
            ]
            places = [w for w in places if organizations.is_place(w)]
            if places:
                org_phrase = " ".join(
                    [*hint, places[-1] if match.start() > sentence.find(places[-1]) else places[0]]
                )
        org_phrase = ARTICLE.sub("", org_phrase.strip(" ,.")).strip()
        if len(org_phrase) > 120:
            org_phrase = org_phrase[:120].rsplit(" ", 1)[0]
        if not org_phrase and re.search(r"\bthere\b", clause[: match.start()]):
            # "transferred to the Fujian Provincial Committee of the CCP, working there as a clerk"
            named = [
                m.group()
                for m in NAME_LIKE.finditer(sentence[: sentence.find(clause) + match.start()])
                if ORG_NOUNS.search(m.group())
            ]
            org_phrase = named[-1] if named else ""
        org_at = clause.find(org_phrase, match.end()) if org_phrase else -1
        dates_from = org_at + len(org_phrase) if org_at >= 0 else match.end()
        role = clean_role(raw)
        hint = organization_hint(raw)
        if not org_phrase:
            continue
        kind = role_kind(role) or ("party" if hint else None)
        phrase = " ".join([*hint, org_phrase]) if hint and kind == "party" else org_phrase
        context = {evidence.fold(w) for w in sentence.split()} | set(near)
        organization, score = organizations.match(phrase, kind=kind, context=context)
        if (
            organization is not None
            and kind == "government"
            and organization.get("kind") not in GOVERNMENT_KINDS
        ):
            organization = None  # a mayor of a party committee: the phrase was not the post's body
        start, end = span_dates(clause[dates_from:end_of_segment])
        if start is None:
            # Dates before the role: "Between March 2002 and April 2004 Cai served as",
            # "in May 1999 serving as".
            earlier_start, earlier_end = span_dates(clause[: match.start()])
            start, end = earlier_start, end or earlier_end
        if start is None:
            start = sentence_start
        if ending:
            start, end = None, start or end
        elif not verb:
            # Only "as ROLE": the post held at the time of what the sentence tells, which began before.
            own = clause[match.start() : end_of_segment]
            since = re.search(r"\bsince\b", own, re.I)
            start = span_dates(own[since.start() :])[0] if since else None
            end = None
        if organization is not None and score < MATCHED:
            organization = None  # "a member of its affairs meeting" is not the Cyberspace Affairs Commission
        if organization is not None:
            org_value = {"id": organization["id"], "name": organization["name"]}
        elif (
            not NAME_LIKE.fullmatch(org_phrase)
            or not ORG_NOUNS.search(org_phrase)
            or len(org_phrase.split()) < 2
            or POSSESSIVE_END.search(org_phrase)
        ):
            continue  # "a leading group", "the 19th", "Xi": not an organization's name
        else:
            org_value = {"id": None, "name": new_org_name(org_phrase), "kind": kind or "other"}
            parent = re.search(r"\b(?:of|in)\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)$", org_phrase)
            if parent:
                found, _ = organizations.match(parent.group(1))
                if found is not None:
                    org_value["parent"] = {"id": found["id"], "name": found["name"]}
        value = {
            "role": ("Acting " + role)
            if re.search(r"\bacting\b", raw, re.I) and "Acting" not in role
            else role,
            "organization": org_value,
            "start_date": start,
            "end_date": end,
        }
        confidence = 0.5 + 0.3 * min(score * 2, 1.0) + (0.15 if start else 0.0)
        proposals.append(
            Proposal(
                "position", "", value, sentence, passage.locator, min(confidence, 0.95), start=passage.start
            )
        )
    return proposals


POSSESSIVE_END = re.compile(r"['’]s?$")
# An organization named in the text: capitalised words, with "of", "for", "the", "and" between them.
NAME_LIKE = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|the|and|on|in)\s+)*[A-Z][\w'’-]*)*")


def new_org_name(phrase):
    words = phrase.split()
    return " ".join(w[:1].upper() + w[1:] if w.islower() and w not in ORG_NOISE else w for w in words)


def position_key(value):
    org = value["organization"]
    return (value["role"].lower(), org["id"] or org["name"].lower())


def merged(proposals):
    """One proposal per position and start: a statement less precise than another of the same post
    is left out (the more precise one is kept); conflicting dates stay apart."""
    kept = []
    for proposal in proposals:
        key = position_key(proposal.value)
        twin = None
        for other in kept:
            if position_key(other.value) != key:
                continue
            a, b = other.value["start_date"], proposal.value["start_date"]
            if not a or not b or compare_dates(a, b) != "contradicts":
                twin = other
                break
        if twin is None:
            lead = next(
                (
                    o
                    for o in kept
                    if position_key(o.value) == key and (o.locator == "Lead") != (proposal.locator == "Lead")
                ),
                None,
            )
            if lead is not None and proposal.locator == "Lead":
                continue  # a lead summarises; where the body dates the same post otherwise, the body is kept
            if lead is not None:
                kept.remove(lead)
            kept.append(proposal)
            continue
        if compare_dates(twin.value["start_date"], proposal.value["start_date"]) == "more_precise":
            proposal.value["end_date"] = proposal.value["end_date"] or twin.value["end_date"]
            kept[kept.index(twin)] = proposal
        elif not twin.value["end_date"] and proposal.value["end_date"]:
            twin.value["end_date"] = proposal.value["end_date"]
    return kept


def implied_ends(positions):
    """For a post the text gives no end to, the start of the person's next post of the same kind
    of role (the next mayoralty ends a mayoralty) or the next transfer: an `infers` proposal."""
    dated = sorted((p for p in positions if p.value["start_date"]), key=lambda p: p.value["start_date"])
    proposals = []
    for number, proposal in enumerate(dated):
        if proposal.value["end_date"]:
            continue
        head = proposal.value["role"].split()[-1].lower()
        for later in dated[number + 1 :]:
            if later.value["start_date"][:4] <= proposal.value["start_date"][:4]:
                continue
            same_role = later.value["role"].split()[-1].lower() == head
            if same_role or TRANSFER.search(later.quote):
                value = {**proposal.value, "end_date": later.value["start_date"]}
                org = later.value["organization"]["name"]
                note = (
                    f"Inferred from the next appointment the source gives ({later.value['role']}, "
                    f"{org}, {later.value['start_date']})."
                )
                proposals.append(
                    Proposal(
                        "position",
                        "end_date",
                        value,
                        later.quote,
                        later.locator,
                        0.5,
                        stance="infers",
                        note=note,
                        start=later.start,
                    )
                )
                break
    return proposals


# "In August, Cai hosted ...", "On December 11, ...": a month (and day) whose year an earlier sentence gave.
YEARLESS = re.compile(
    rf"\b(?:in|on|by|since|until|from|to)\s+(?:(?P<day>\d{{1,2}})\s+)?(?P<month>{evidence.MONTH_NAMES})\.?"
    r"(?:\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?)?(?![\w-])(?!,?\s+\d{4})",
    re.I,
)


def clause_dates(clause, year):
    """The dates of a clause (asides left out); a month without its year takes `year`, the last
    year the text gave before it."""
    found = career_dates(clause)
    if found or year is None:
        return found
    for match in YEARLESS.finditer(clause):
        month = evidence.MONTHS.get(match.group("month").lower().rstrip("."))
        day = match.group("day") or match.group("day2")
        day = int(day) if day and 1 <= int(day) <= 31 else None
        if month:
            found.append((match.start(), match.end(), iso(year, month, day)))
    return found


def someone_elses(clause, names):
    """Whether a clause tells of someone else: a relative before its verb ("her husband, Tomás
    Rivera, was named ambassador") or another named person ("Xi Jinping was the secretary")."""
    anchor = ANCHOR.search(clause)
    if FAMILY.search(clause[: anchor.start()] if anchor else clause):
        return True
    return names is not None and led_by_other(clause, names)


def person_events(index, about, positions=(), names=None):
    """Event proposals: each dated clause of the person's passages (what it says happened, its
    kind from its verb), and the start of each position the text gives (an appointment)."""
    proposals = []
    seen = set()
    year = None
    own = {number for number, _, _ in own_passages(index, about)}
    for number, passage in enumerate(index.passages):
        sentence = index.quote(number)
        if number in own:
            for _, clause in clauses(sentence):
                found = clause_dates(clause, year)
                if not found or someone_elses(clause, names):
                    continue
                kind = next((k for k, verb in EVENT_VERBS.items() if verb.search(clause)), "other")
                born = kind in ("born", "died")
                date = max((d[2] for d in dates_in(clause)), key=len) if born else found[0][2]
                quote = clause.strip().rstrip(",;")
                if len(quote) < 25:
                    quote = sentence
                if (date, kind) in seen or born and number > 0 and (date, kind) in seen:
                    continue
                seen.add((date, kind))
                proposals.append(
                    Proposal(
                        "event",
                        "",
                        {
                            "date": date,
                            "kind": kind,
                            "title": event_title(clause, kind),
                            "description": quote,
                        },
                        quote,
                        passage.locator,
                        (0.6 if len(date) > 4 else 0.45) if kind != "other" else 0.35,
                        start=passage.start,
                    )
                )
        years = [d[2][:4] for d in dates_in(sentence)]
        if years:
            year = int(years[-1])
    for position in positions:
        date = position.value["start_date"]
        if not date or position.stance != "supports" or (date, "appointed") in seen:
            continue
        seen.add((date, "appointed"))
        value = position.value
        title = f"Becomes {value['role'].lower()} of {value['organization']['name']}"
        proposals.append(
            Proposal(
                "event",
                "",
                {"date": date, "kind": "appointed", "title": title[:200], "description": position.quote},
                position.quote,
                position.locator,
                position.confidence * 0.9,
                start=position.start,
            )
        )
    return proposals


def event_title(clause, kind):
    """A short title from the clause: its verb and what follows, a few words."""
    verb = EVENT_VERBS[kind].search(clause)
    words = clause[verb.start() :].split()[:8] if verb else clause.split()[:8]
    title = " ".join(words).rstrip(",.;:")
    title = re.sub(r"\[\d+\]", "", title)
    return title[:1].upper() + title[1:]


# Relation to the profile -------------------------------------------------------------------------


def relate(proposals, document, source_id):
    """Set each proposal's relation to the profile document (and `target`, `cited`); a
    contradiction becomes a disputing citation (stance "disputes") of the recorded claim."""
    memberships = document.get("memberships") or []
    events = document.get("events") or []
    for proposal in proposals:
        if proposal.kind == "fact":
            relate_fact(proposal, document, source_id)
        elif proposal.kind == "position":
            key = position_key(proposal.value)
            same = [m for m in memberships if position_key(membership_value(m)) == key]
            if not same:
                continue
            field = "end_date" if proposal.field == "end_date" else "start_date"
            best = min(
                same,
                key=lambda m: RELATIONS.index(compare_dates(m.get(field) or "", proposal.value[field] or "")),
            )
            proposal.target = best["id"]
            proposal.relation = compare_dates(best.get(field) or "", proposal.value[field] or "")
            proposal.cited = any(c.get("source") == source_id for c in best.get("citations") or ())
            if proposal.relation == "contradicts":
                proposal.stance, proposal.field = "disputes", field
        else:
            value = proposal.value
            same = [
                e
                for e in events
                if e.get("kind") == value["kind"] and (e.get("date") or "")[:4] == value["date"][:4]
            ]
            if not same:
                continue
            best = same[0]
            proposal.target = best["id"]
            proposal.relation = compare_dates(best.get("date") or "", value["date"])
            proposal.cited = any(c.get("source") == source_id for c in best.get("citations") or ())
            if proposal.relation == "contradicts":
                proposal.stance, proposal.field = "disputes", "date"


def membership_value(membership):
    organization = membership.get("organization") or {}
    return {
        "role": membership.get("role") or "",
        "organization": {"id": organization.get("id"), "name": organization.get("name") or ""},
        "start_date": membership.get("start_date"),
        "end_date": membership.get("end_date"),
    }


def relate_fact(proposal, document, source_id):
    name = proposal.field
    cited = (document.get("citations") or {}).get(name) or []
    proposal.cited = any(c.get("source") == source_id for c in cited)
    if name == "other_names":
        have = {o.get("name", "").lower() for o in document.get("other_names") or ()}
        proposal.relation = "recorded" if proposal.value["other_names"][0]["name"].lower() in have else "new"
        return
    recorded = document.get(name) or ""
    stated = proposal.value.get(name) or ""
    if not recorded:
        proposal.relation = "new"
    elif name in ("birth_date", "death_date"):
        proposal.relation = compare_dates(str(recorded), stated)
    elif evidence.fold(str(recorded)).replace(" ", "") == evidence.fold(stated).replace(" ", ""):
        proposal.relation = "recorded"
    elif evidence.fold(stated) in evidence.fold(str(recorded)):
        proposal.relation = "less_precise"
    elif evidence.fold(str(recorded)) in evidence.fold(stated):
        proposal.relation = "more_precise"
    else:
        proposal.relation = "contradicts"
    if proposal.relation == "contradicts":
        proposal.stance = "disputes"
