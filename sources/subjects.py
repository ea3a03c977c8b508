"""Whose passage is it? Subject resolution for the evidence finder and the drafting engine.

A passage (a sentence of an archived text) is about a person only when it names them (any of
their names or other names, in any script, or an identifier), or when it continues a passage that
does: a pronoun or their surname, later in the same paragraph. A text whose first mention of
anyone is the person (an encyclopedia article, an official biography, an obituary) is about them
from its start: each of its paragraphs opens with them in play, as a reader takes "He was
transferred to Zhejiang" at the top of a section of Cai Qi's article to be about Cai Qi.

The people a passage names are found without a model: runs of capitalised words (titles and the
words of organizations and places left out), 2 or 3 words long, or one word that is the first or
last word of such a run elsewhere in the text ("Xi" after "Xi Jinping"). The sentence's first
reference (a name or a pronoun) is taken as its subject, which is whom a following "he" means.

    mentions = passage_mentions(sentence)                 # once per passage, person-independent
    surnames = text_surnames([mentions, ...])             # once per text
    about = resolve(paragraphs_of_mentions, profile_names(document), surnames)
    # -> for each passage: Aboutness(about=True/False, names_person=..., others=("Xi Jinping",))
"""

import re
import unicodedata
from dataclasses import dataclass

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CAPITALISED = re.compile(r"[A-Z\u00c0-\u00de][\w'’-]*(?:\s+(?:[A-Z\u00c0-\u00de][\w'’-]*))*")
PRONOUN = re.compile(r"\b(?:he|she|his|her|him|himself|herself|hers)\b|[他她]", re.I)
POSSESSIVE = re.compile(r"['’]s?$")

# Words that make a capitalised run a title, an organization, a place or a date, not a person.
NOT_PERSON = frozenset(
    """academy administration affairs agency airport army assembly association bank bay board bureau
    cabinet campaign capital ceremony chamber church city coast college commission committee commune
    company conference congress council county court daily department district division dynasty east
    estate federation forum foundation front games government group hall high hospital house
    institute island journal kingdom lake league legislature library market ministry mountain museum
    national news north office olympic olympics order organization paralympic park parliament party
    people's plenary plaza post prefecture press province provincial region republic revolution river
    road school secretariat senate session society south square state station street summit times
    town township tribunal union united university valley village war west world
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
# Words that open a run before the name they qualify ("CCP General Secretary Xi Jinping").
TITLES = frozenset(
    """acting admiral ambassador chairman chairwoman chancellor chief commissioner comrade deputy
    director dr emperor executive former general governor head judge king lady leader lord madam
    mayor minister miss mr mrs ms premier president prime prince princess professor queen sen
    senator secretary sir speaker vice then late""".split()
)
# Capitalised words that open sentences and never begin a name.
OPENERS = frozenset(
    """a after afterwards also an and according although among as at before between but by despite
    during following for from further however if in it its later meanwhile moreover on once over
    since so still that the their then there these this those though through throughout thus to
    under until upon when where whereas while with within without yet
    he she his her him himself herself hers they their them it""".split()
)
PRONOUNS = frozenset("he she his her him himself herself hers they their them it".split())

LEADING = OPENERS | TITLES


def fold(word):
    """A word lower-cased, without diacritics or a possessive ending ("Cài's" is "cai")."""
    word = POSSESSIVE.sub("", word.lower().replace("’", "'"))
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Mention:
    """A reference in a passage: a run of capitalised words, a native-script run, or a pronoun."""

    start: int
    kind: str  # "name" or "pronoun"
    words: tuple = ()  # folded words of a name
    surface: str = ""
    opening: bool = False  # in a sentence's opening phrase ("Following Xi's departure, ..."), not its subject
    acronym: bool = False  # holds an acronym ("Tianjin SCO"): not a person's name


def passage_mentions(sentence):
    """The references of a sentence, in order: capitalised runs (sentence openers, titles and
    acronyms in front stripped) and pronouns. Native-script names are matched apart (see resolve)."""
    found = []
    # "Following Xi's departure from Zhejiang, Cai transferred": a possessive in an opening phrase
    # is not the subject.
    first = sentence.split(None, 1)[0] if sentence.strip() else ""
    opening_end = sentence.find(",") if fold(first) in OPENERS and fold(first) not in PRONOUNS else -1
    for match in CAPITALISED.finditer(sentence):
        raw = match.group().split()
        offset = match.start()
        # Leading openers, titles and acronyms ("In", "CCP General Secretary") are not the name.
        while raw and (
            fold(raw[0]) in OPENERS or fold(raw[0]) in TITLES or raw[0].isupper() and len(raw[0]) > 1
        ):
            offset = sentence.index(raw[0], offset) + len(raw[0])
            raw = raw[1:]
        if not raw:
            continue
        start = sentence.index(raw[0], offset)
        found.append(
            Mention(
                start,
                "name",
                tuple(fold(word) for word in raw),
                POSSESSIVE.sub("", " ".join(raw)),
                opening=start < opening_end and bool(POSSESSIVE.search(raw[-1])),
                acronym=any(word.isupper() and len(word) > 1 for word in raw),
            )
        )
    for match in PRONOUN.finditer(sentence):
        found.append(
            Mention(match.start(), "pronoun", surface=match.group(), opening=match.start() < opening_end)
        )
    return sorted(found, key=lambda mention: mention.start)


def person_like(mention):
    """Whether a run of capitalised words may be a person's name (2 or 3 words, no acronym, none of
    an organization's, a place's or a date's)."""
    words = mention.words
    return (
        2 <= len(words) <= 3
        and not mention.acronym
        and not any(word in NOT_PERSON or word.isdigit() for word in words)
    )


def text_surnames(all_mentions, text=""):
    """The single words that stand for a person in this text: the first and last words of the runs
    that look like people's names ("Xi" and "Jinping" of "Xi Jinping"), unless the text also writes
    them in lower case (then they are ordinary words: "Official biographies")."""
    surnames = set()
    for mentions in all_mentions:
        for mention in mentions:
            if mention.kind == "name" and person_like(mention):
                surnames.update((mention.words[0], mention.words[-1]))
    lower = set(re.findall(r"(?<![\w'’-])[a-z][\w'’-]*", text)) if surnames else set()
    return frozenset(surname for surname in surnames if surname not in lower)


@dataclass(frozen=True)
class Names:
    """A person's names as the resolver compares them."""

    full: frozenset  # tuples of folded words: ("cai", "qi"), ("qianshui",)
    surnames: frozenset  # single folded words that stand for them after a mention: "cai", "qi"
    native: tuple  # names in their own script, matched as substrings: "蔡奇"
    display: str = ""

    @property
    def key(self):
        return (self.full, self.surnames, self.native)


def profile_names(document):
    """The Names of a person from a profile document (or any mapping with name, native_name,
    romanization, other_names and identifiers)."""
    full, native, surnames = set(), [], set()
    written = [document.get("name"), document.get("romanization")]
    written += [other.get("name") for other in document.get("other_names") or () if isinstance(other, dict)]
    written += [
        str(identifier.get("value") or "")
        for identifier in document.get("identifiers") or ()
        if isinstance(identifier, dict)
    ]
    for name in [*written, document.get("native_name")]:
        name = str(name or "").strip()
        if not name:
            continue
        if re.search(rf"[{CJK}]", name):
            native.append(name.replace(" ", ""))
            continue
        words = tuple(fold(word) for word in re.findall(r"[\w'’-]+", name))
        if not words:
            continue
        full.add(words)
        if len(words) >= 2 and name in (document.get("name"), document.get("romanization")):
            surnames.update((words[0], words[-1]))
    return Names(frozenset(full), frozenset(surnames), tuple(native), str(document.get("name") or ""))


def contains(words, name):
    """Whether the folded words of a run hold a name's words in a row."""
    size = len(name)
    return any(words[i : i + size] == name for i in range(len(words) - size + 1))


@dataclass(frozen=True)
class Aboutness:
    """Whether a passage is about the person, and who else it names."""

    about: bool
    names_person: bool  # names them in full (or in their script), not only by pronoun or surname
    lead: str  # "person", "other", "pronoun" or "" (nobody): whom the sentence is mainly about
    others: tuple  # the other people the passage names, as written
    subject: bool = False  # the person is what the sentence is about: its subject, or its "he"


OTHER, PERSON, PRONOUN_LEAD, NOBODY = "other", "person", "pronoun", ""


def unambiguous(passages, names):
    """The person's surnames that name nobody else in this text, when it names them in full: there
    "Xi" is Xi Jinping wherever it stands (not in a text that also names Li Xi)."""
    named, shared = False, set()
    for _, mentions, _ in passages:
        for mention in mentions:
            if mention.kind != "name":
                continue
            if any(contains(mention.words, name) for name in names.full):
                named = True
            elif person_like(mention):
                shared.update(mention.words)
    return frozenset(names.surnames - shared) if named else frozenset()


def classify(sentence, mentions, names, surnames):
    """(names the person in full, has their surname, lead, other people named) for one passage."""
    names_person = any(native in sentence for native in names.native)
    has_surname = False
    lead = NOBODY
    lead_at = min((sentence.find(native) for native in names.native if native in sentence), default=None)
    if lead_at is not None:
        lead = PERSON
    others = []
    for mention in mentions:
        if mention.kind == "pronoun":
            kind = PRONOUN_LEAD
        elif any(contains(mention.words, name) for name in names.full):
            names_person, kind = True, PERSON
        elif len(mention.words) == 1 and mention.words[0] in names.surnames:
            has_surname, kind = True, PERSON
        elif person_like(mention) or len(mention.words) == 1 and mention.words[0] in surnames:
            if mention.surface not in others:
                others.append(mention.surface)
            kind = OTHER
        else:
            continue
        if not mention.opening and (lead_at is None or mention.start < lead_at):
            lead, lead_at = kind, mention.start
    return names_person, has_surname, lead, tuple(others)


def text_subject(first_leads):
    """Whether the person is the subject of the whole text: the first reference to anyone in it
    is to them (in full or by surname)."""
    return next((lead for lead in first_leads if lead != NOBODY), NOBODY) == PERSON


def resolve(passages, names, surnames):
    """For each (sentence, mentions, paragraph) in text order, the Aboutness of the person whose
    Names are given. A passage is about them when it names them, when it gives their surname in a
    paragraph where they are in play (named earlier in it, or the text's subject), or when its
    subject is a pronoun or nobody and the paragraph's last subject was them."""
    names = Names(
        names.full | {(word,) for word in unambiguous(passages, names)}, names.surnames, names.native
    )
    classified = [classify(sentence, mentions, names, surnames) for sentence, mentions, _ in passages]
    # The first sentence's subject, not anyone it names in passing ("chief of staff to Xi Jinping").
    subject = text_subject(lead for _, _, lead, _ in classified if lead in (PERSON, OTHER))
    result = []
    paragraph = object()
    in_play = current = False
    for (_, _, number), (full, surname, lead, others) in zip(passages, classified, strict=True):
        if number != paragraph:
            paragraph, in_play, current = number, subject, subject
        if full:
            in_play = True
        about = full or (in_play and surname) or (lead in (PRONOUN_LEAD, NOBODY) and current)
        own = lead == PERSON and bool(full or in_play) or lead in (PRONOUN_LEAD, NOBODY) and current
        if lead == PERSON:
            # Their surname before anyone named them in this paragraph may be someone else's.
            current = bool(full or in_play)
        elif subject and (full or in_play and surname):
            # The text's own subject, named anywhere in the sentence, is whom its next "he" means.
            current = True
        elif lead == OTHER:
            current = False
        result.append(Aboutness(bool(about), full, lead, others, bool(own)))
    return result
