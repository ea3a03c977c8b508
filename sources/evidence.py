"""The evidence finder: which passages of a source's archived text back a claim.

A plain, explainable ranker. A source's archived text is split once into passages (sentences, with
their character offsets and a locator: the section heading they fall under, as editors write it)
and counted into an inverted index. A claim of a profile document (a membership, an event, or one
of the person's own facts) becomes weighted query terms: the words of its role, organization,
title..., its dates at their precision ("2002-03" is matched by "March 2002", "Mar. 2002",
"2002-03", and less strongly by any mention of 2002), the person's names in their scripts. Passages
are scored with BM25 (TF-IDF with a length correction): rare words count, words that every passage
has count for nothing, and each suggestion says which terms it matched. No model, no network, pure
Python: a 40,000-character source is indexed in tens of milliseconds and queried in about a
millisecond.

From a profile document (profiles.documents.person_document) and a claim id, the way the admin's
`GET /admin/sources/source/<id>/suggest/?claim=<kind>:<key>[&field=<name>]` calls it:

    from sources.evidence import find_claim, index_for, suggest

    document = person_document(person)
    kind, claim = find_claim(document, "membership:cai-qi-mayor-sanming")   # or "event:<event key>",
                                                                             # "person:<slug>"
    index = index_for(source.archived_text)      # memoised by a hash of the text (bounded LRU)
    suggestions = suggest(index, claim, field="start_date", person=document, limit=5)
    payload = {"suggestions": [s.as_dict() for s in suggestions]}
    # each: {"quote": verbatim substring of the text, "locator": "Early local careers: Fujian",
    #        "score": 7.31, "matched": ["mayor", "Sanming", "November 1997", "1997"]}

With a person (the `person` document, or a person claim itself), only the passages about them are
offered (sources.subjects: they name them, or continue a passage that does); each Suggestion says
which other people its passage names (`others`) and whether its subject is someone else
(`led_by_other`: then it yields no candidate dispute). A text over LARGE_TEXT characters is indexed
around the person's names (`index_for(text, focus_words(document))`).

`field` narrows the claim to one fact (`start_date` of a membership, `date` of an event,
`birth_place` of a person...); a person claim needs one (without it the person's names are asked
for). Calling `index_for(text)` when a source is saved or reviewed warms the cache.

Also: `closest_passage(text, quote)` (the passage most like a quote that is not found verbatim) and
`source_claims(index, document)` (for each claim of a document, the passage of this source that
appears to back it, and candidate disputes: the passage gives another date or place).
"""

import calendar
import hashlib
import math
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from sources import subjects

# Text --------------------------------------------------------------------------------------------

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else even
    ever few for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just least less many may me might more most much must my myself neither
    no nor not now of off on once only or other our ours ourselves out over own per same she should
    since so some such than that the their theirs them themselves then there these they this those
    though through thus to too under until up upon very via was we were what when where whether which
    while who whom whose why will with within without would yet you your yours yourself""".split()
)

# One spelling for the words of Chinese political titles that sources write several ways.
SYNONYMS = {
    "cpc": ("ccp",),
    "communist": ("ccp",),
    "prc": ("china",),
    "politburo": ("politburo",),
    "psc": ("politburo", "standing", "committee"),
    "vice": ("deputy",),
    "mishu": ("secretary",),
    "municipality": ("municipal",),
    "province": ("provincial",),
}
PHRASES = {
    ("political", "bureau"): ("politburo",),
    ("people", "republic"): ("china",),
    ("party", "chief"): ("party", "secretary"),
}

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
TOKEN = re.compile(rf"[{CJK}]+|[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:st|nd|rd|th)?", re.UNICODE)
CJK_RUN = re.compile(rf"[{CJK}]")

# Dates in prose. Each pattern yields (year, month, day); a day implies its month and year, a month
# its year, so "5 December 1955" is found by claims of 1955, 1955-12 and 1955-12-05.
DATE_PATTERNS = [
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTH_NAMES})\.?,?\s+(?P<year>\d{{4}})\b",
        re.I,
    ),
    re.compile(
        rf"\b(?P<month>{MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I
    ),
    re.compile(rf"\b(?P<month>{MONTH_NAMES})\.?,?\s+(?:of\s+)?(?P<year>\d{{4}})\b", re.I),
    re.compile(r"(?<![\d.,/-])(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?(?![\d-])"),
    re.compile(r"(?P<year>\d{4})\s*年\s*(?:(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日)?)?"),
    re.compile(r"(?<![\d.,])(?P<year>1[0-9]{3}|20[0-9]{2})(?!\d|[.,]\d)"),
]

REFERENCE_MARK = re.compile(r"\[\d+\]")


def fold(word):
    """A word lower-cased and without diacritics ("Cài" and "Cai" are one name)."""
    word = word.lower().replace("’", "'")
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word, *, name=False):
    """A light English stemmer: enough that "served", "serving" and "serves" meet. Names (`name`:
    written with a capital) only lose a possessive or plural ending: "Beijing" stays whole."""
    if word.endswith(("'s", "s'")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if name:
        return word
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    return word


def words(text):
    """(term, surface) pairs of the words of a text: folded, stemmed, synonyms joined, stop words
    and bare numbers left out (dates are counted apart). CJK runs count as their character pairs."""
    raw = []
    for match in TOKEN.finditer(text):
        token = match.group()
        if CJK_RUN.match(token):
            if len(token) == 1:
                raw.append((token, token))
            raw.extend((token[i : i + 2], token[i : i + 2]) for i in range(len(token) - 1))
            continue
        if token.isdigit():
            continue
        folded = fold(token)
        if folded in STOP_WORDS or len(folded) < 2 and not folded.isdigit():
            continue
        raw.append((folded, token))
    pairs = []
    position = 0
    while position < len(raw):
        two = tuple(stem(word) for word, _ in raw[position : position + 2])
        if len(two) == 2 and two in PHRASES:
            surface = f"{raw[position][1]} {raw[position + 1][1]}"
            pairs.extend((term, surface) for term in PHRASES[two])
            position += 2
            continue
        word, surface = raw[position]
        for term in SYNONYMS.get(word, (word,)):
            pairs.append((stem(term, name=surface[:1].isupper()), surface))
        position += 1
    return pairs


def date_terms(text):
    """(term, label) pairs for the dates of a text: "y:1955", "m:1955-12", "d:1955-12-05"."""
    return [
        term for *_, year, month, day in find_dates(text) for term in partial_date_terms(year, month, day)
    ]


def partial_date_terms(year, month=None, day=None):
    terms = [(f"y:{year:04d}", str(year))]
    if month:
        terms.append((f"m:{year:04d}-{month:02d}", f"{calendar.month_name[month]} {year}"))
    if month and day:
        terms.append((f"d:{year:04d}-{month:02d}-{day:02d}", f"{day} {calendar.month_name[month]} {year}"))
    return terms


def parse_iso(value):
    """(year, month, day) of an ISO partial date ("2002", "2002-03", "2002-03-05"), or None."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", str(value or "").strip())
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    return year, month, day


# The index ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A sentence of the archived text, where it stands, and what it counts."""

    start: int
    end: int
    locator: str
    terms: Counter
    length: int
    paragraph: int  # offset of the line it stands in: sentences of one paragraph share it
    mentions: tuple = ()  # the names and pronouns it holds (sources.subjects), in order


@dataclass
class SentenceIndex:
    """The passages of one archived text and their term statistics, built once per text."""

    text: str
    passages: list
    postings: dict  # term -> [(passage number, count)]
    document_frequency: dict
    average_length: float
    surnames: frozenset = frozenset()  # single words that stand for a person in this text
    partial: bool = False  # a huge text, of which only the paragraphs naming `focus` are indexed
    _about: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, text, focus=()):
        """The index of a text; of a huge one (over LARGE_TEXT characters), only its opening and the
        lines that hold one of the `focus` words (a person's names, lower-cased), up to LARGE_TEXT."""
        text = text or ""
        keep = kept_lines(text, focus) if len(text) > LARGE_TEXT else None
        passages = []
        postings = {}
        for start, end, locator, paragraph in split_passages(text, keep=keep):
            sentence = text[start:end]
            terms = Counter(term for term, _ in words(sentence))
            terms.update(term for term, _ in date_terms(sentence))
            mentions = tuple(subjects.passage_mentions(sentence))
            passage = Passage(start, end, locator, terms, max(1, sum(terms.values())), paragraph, mentions)
            for term, count in terms.items():
                postings.setdefault(term, []).append((len(passages), count))
            passages.append(passage)
        average = sum(p.length for p in passages) / len(passages) if passages else 1.0
        frequency = {term: len(entries) for term, entries in postings.items()}
        surnames = subjects.text_surnames((passage.mentions for passage in passages), text)
        return cls(text, passages, postings, frequency, average, surnames, keep is not None)

    def about(self, names):
        """For each passage, its subjects.Aboutness for the person of these subjects.Names."""
        found = self._about.get(names.key)
        if found is None:
            found = subjects.resolve(
                [(self.quote(n), p.mentions, p.paragraph) for n, p in enumerate(self.passages)],
                names,
                self.surnames,
            )
            if len(self._about) > 32:
                self._about.clear()
            self._about[names.key] = found
        return found

    def quote(self, number):
        passage = self.passages[number]
        return self.text[passage.start : passage.end]

    def idf(self, term):
        """BM25's inverse document frequency; 0 for a term in half the passages or more."""
        total = len(self.passages)
        frequency = self.document_frequency.get(term, 0)
        if not frequency or frequency * 2 > total and total > 3:
            return 0.0
        return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))


INDEX_CACHE_SIZE = 64
_index_cache = OrderedDict()
_index_lock = threading.Lock()


def text_key(text):
    return hashlib.blake2b((text or "").encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


LARGE_TEXT = 80_000  # characters: beyond it, a text is indexed around the person asked about


def kept_lines(text, focus):
    """{line offset: characters to index} of a huge text: its opening lines, then the lines naming
    one of the `focus` words (all lines without `focus`), LARGE_TEXT characters in all (a line longer
    than what is left is cut)."""
    keep, budget, position = {}, LARGE_TEXT, 0
    opening = LARGE_TEXT // 10
    for line in text.splitlines(keepends=True):
        if budget <= 0:
            break
        lowered = line.lower() if focus else ""
        if position < opening or not focus or any(word in lowered for word in focus):
            keep[position] = min(len(line), budget)
            budget -= keep[position]
        position += len(line)
    return keep


def focus_words(document):
    """The lower-cased names of a person (from a profile document) that pick a huge text's lines."""
    if not document:
        return ()
    names = subjects.profile_names(document)
    found = {" ".join(name) for name in names.full} | set(names.surnames) | set(names.native)
    return tuple(sorted(word for word in found if len(word) > 1))


def index_for(text, focus=()):
    """The SentenceIndex of a text, memoised by a hash of the text in a bounded in-process LRU. A
    huge text is indexed around the `focus` words (see SentenceIndex.build and focus_words)."""
    focus = tuple(focus) if len(text or "") > LARGE_TEXT else ()
    key = (text_key(text), focus)
    with _index_lock:
        index = _index_cache.get(key)
        if index is not None:
            _index_cache.move_to_end(key)
            return index
    index = SentenceIndex.build(text, focus)
    with _index_lock:
        _index_cache[key] = index
        _index_cache.move_to_end(key)
        while len(_index_cache) > INDEX_CACHE_SIZE:
            _index_cache.popitem(last=False)
    return index


# Passages and locators ---------------------------------------------------------------------------

MAX_PASSAGE = 800  # characters: longer runs without sentence punctuation are cut at spaces
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st jr sr no nos vs etc inc ltd co corp gen gov lt col capt sgt rev fig vol
    pp approx dept univ est jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k""".split()
)
SENTENCE_END = re.compile(r"([.!?]+|[。！？]+)([\"'”’)\]]*)((?:\[[^\]\n]{1,12}\])*)")
HEADING_END = re.compile(r"[.!?,;:。！？]$")
EDIT_MARK = "[edit]"


def split_passages(text, keep=None):
    """(start, end, locator, paragraph offset) of every sentence of the text, in order; with `keep`
    ({line offset: characters}), of those lines only, each cut to its length."""
    lines = []
    position = 0
    for line in text.splitlines(keepends=True):
        if keep is None or position in keep:
            cut = line if keep is None else line[: keep[position]]
            lines.append((position, cut.rstrip("\r\n")))
        position += len(line)
    wiki = any(line.strip() == EDIT_MARK for _, line in lines)
    references = wiki and bool(REFERENCE_MARK.search(text))
    content = [number for number, (_, line) in enumerate(lines) if line.strip() not in ("", EDIT_MARK)]
    heading = {number for number in content if is_heading(lines, number, wiki)}
    following = dict(zip(content, content[1:], strict=False))
    # Plain text does not say a heading's level. A heading right under another is its subsection;
    # one that a subsection follows starts a section; any other is the sibling of the one before it
    # (in a Wikipedia text, whose headings all look alike, it stands alone).
    chain = []
    previous = None
    for number in content:
        offset, line = lines[number]
        stripped = line.strip()
        if number in heading:
            if previous in heading:
                chain = [*chain, stripped]
            elif wiki or following.get(number) in heading:
                chain = [stripped]
            else:
                chain = [*chain[:-1], stripped]
            previous = number
            continue
        previous = number
        locator = ": ".join(chain) if chain else "Lead"
        if references and heading and number > min(heading) and not REFERENCE_MARK.search(line):
            locator += " (image caption)"
        for start, end in split_sentences(line):
            yield offset + start, offset + end, locator[:200], offset


def is_heading(lines, number, wiki):
    """A short line without sentence punctuation standing alone; in a Wikipedia text, one that the
    "[edit]" link follows."""
    stripped = lines[number][1].strip()
    if len(stripped) > 100 or len(stripped.split()) > 12 or HEADING_END.search(stripped):
        return False
    following = next((line.strip() for _, line in lines[number + 1 :] if line.strip()), "")
    if wiki:
        return following == EDIT_MARK
    before = lines[number - 1][1].strip() if number else ""
    after = lines[number + 1][1].strip() if number + 1 < len(lines) else ""
    return not before and not after and bool(following) and stripped[:1].isupper()


def split_sentences(line):
    """(start, end) of the sentences of one line, reference marks after a full stop left out."""
    start = len(line) - len(line.lstrip())
    spans = []
    for match in SENTENCE_END.finditer(line):
        end = match.end(2)
        after = match.end()
        rest = line[after:]
        punctuation = match.group(1)
        if punctuation[0] not in "。！？":
            if rest and not rest[:1].isspace():
                continue
            following = rest.lstrip()[:1]
            if following and not (
                following.isupper()
                or following.isdigit()
                or following in "\"'“‘(["
                or CJK_RUN.match(following)
            ):
                continue
            before = re.search(r"([\w.]+)$", line[start : match.start()])
            word = before.group(1).lower() if before else ""
            if punctuation == "." and (word in ABBREVIATIONS or len(word) == 1 and word.isalpha()):
                continue
        if end > start:
            spans.append((start, end))
        start = after + (len(rest) - len(rest.lstrip()))
    if start < len(line.rstrip()):
        spans.append((start, len(line.rstrip())))
    for span_start, span_end in spans:
        yield from cut_long(line, span_start, span_end)


def cut_long(line, start, end):
    """Cut a run longer than MAX_PASSAGE at spaces (or anywhere, for text without spaces)."""
    while end - start > MAX_PASSAGE:
        cut = line.rfind(" ", start + MAX_PASSAGE // 2, start + MAX_PASSAGE)
        if cut <= start:
            cut = start + MAX_PASSAGE
        yield start, cut
        start = cut
        while start < end and line[start].isspace():
            start += 1
    if end > start:
        yield start, end


def find_dates(text):
    """(start, end, year, month, day) of each date written in a text, in order of appearance; a day
    or month is None when the text does not give it."""
    found = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end, *_ in found):
                continue
            parts = match.groupdict()
            year = int(parts["year"])
            month = parts.get("month")
            if month is not None and not month.isdigit():
                month = MONTHS.get(month.lower().rstrip("."))
            month = int(month) if month else None
            day = int(parts["day"]) if parts.get("day") else None
            if not 100 <= year <= 9999 or month is not None and not 1 <= month <= 12:
                continue
            if day is not None and not 1 <= day <= 31:
                day = None
            found.append((match.start(), match.end(), year, month, day))
    return sorted(found)


def iso(year, month=None, day=None):
    return "-".join(part for part in (f"{year:04d}", month and f"{month:02d}", day and f"{day:02d}") if part)


# Claims ------------------------------------------------------------------------------------------

KIND_WORDS = {
    "born": "born birth",
    "died": "died death",
    "joined": "joined member",
    "studied": "studied graduated degree university",
    "appointed": "appointed became named",
    "promoted": "promoted elected",
    "spoke": "said speech called",
    "met": "met meeting visit",
    "policy": "policy campaign",
    "criticised": "criticised criticism controversy",
}
# As in sources.models (CLAIM_FIELDS["person"], DATE_FIELDS), which is not imported: the models may
# import this module to index a source's text when it is saved.
PERSON_FIELDS = ("name", "native_name", "romanization", "other_names", "birth_date", "birth_place")
PERSON_FIELDS += ("death_date", "death_place", "summary")
DATE_FIELDS = {"birth_date", "death_date", "start_date", "end_date", "date"}


@dataclass(frozen=True)
class Term:
    """One query term: what is looked for, how much it counts, and how to show it to an editor."""

    term: str
    weight: float
    label: str

    @property
    def is_date(self):
        return self.term[:2] in ("y:", "m:", "d:")


class Terms:
    """Query terms gathered from the parts of a claim; a term named twice keeps its largest weight."""

    def __init__(self):
        self.weights = {}
        self.labels = {}

    def text(self, text, weight, *, dates=False):
        """The words of a text; with `dates`, also the dates written in it (free text)."""
        for term, surface in words(str(text or "")):
            self.add(term, weight, surface)
        if dates:
            for term, label in date_terms(str(text or "")):
                self.add(term, weight, label)

    def date(self, value, weight):
        parts = parse_iso(value)
        if parts is None:
            return
        year, month, day = parts
        # A month is worth more than its year, so that "March 2002" outranks "in 2002".
        factors = {"y": 1.0, "m": 1.4, "d": 1.0}
        for term, label in partial_date_terms(year, month, day):
            self.add(term, weight * factors[term[0]], label)

    def add(self, term, weight, label):
        if weight > self.weights.get(term, 0.0):
            self.weights[term] = weight
        self.labels.setdefault(term, label)

    def result(self):
        return [Term(term, weight, self.labels[term]) for term, weight in self.weights.items() if weight > 0]


def claim_kind(claim):
    """ "membership", "event" or "person", from the keys of a claim of a profile document."""
    if "role" in claim:
        return "membership"
    if "title" in claim and "kind" in claim:
        return "event"
    return "person"


def organization_names(organization):
    names = []
    while organization:
        names.append((organization.get("name", ""), organization.get("native_name", "")))
        organization = organization.get("parent")
    return names


def claim_terms(claim, *, field=None, person=None):
    """The weighted query terms of a claim (a membership, event or person of a profile document),
    or of one of its fields. `person` (the profile document) adds the person's names, lightly."""
    terms = Terms()
    kind = claim_kind(claim)
    if person is not None and person is not claim:
        for name in person_names(person):
            terms.text(name, 0.2)
    if kind == "membership":
        membership_terms(terms, claim, field)
    elif kind == "event":
        event_terms(terms, claim, field)
    else:
        person_terms(terms, claim, field)
    return terms.result()


DATE_VERBS = {
    "start_date": "appointed became named elected promoted assumed",
    "end_date": "until transferred succeeded relinquished replaced left",
}


def membership_terms(terms, claim, field):
    focus = {"role": "role", "organization": "organization", "ordinal": "ordinal"}.get(field)
    main = 0.7 if field in DATE_FIELDS else 1.0
    terms.text(claim.get("role"), main * (1.5 if focus == "role" else 1.0))
    names = organization_names(claim.get("organization"))
    for depth, (name, native) in enumerate(names):
        weight = (0.8 if depth == 0 else 0.25) * main * (1.5 if focus == "organization" else 1.0)
        terms.text(name, weight)
        terms.text(native, weight)
    if claim.get("acting"):
        terms.text("acting", main)
    terms.text(claim.get("ordinal"), 0.8 * (2.0 if focus == "ordinal" else 1.0))
    # The words that say a post began or ended, for a citation of its start or end alone.
    terms.text(DATE_VERBS.get(field, ""), 0.3)
    for date_field, weight in (("start_date", 1.0), ("end_date", 0.8)):
        if field in DATE_FIELDS:
            weight = 2.0 if field == date_field else 0.3
        elif field:
            weight *= 0.5
        terms.date(claim.get(date_field), weight)


def event_terms(terms, claim, field):
    weights = {None: (1.0, 0.5, 1.0), "date": (0.8, 0.3, 2.0), "title": (1.3, 0.4, 0.6)}
    title, description, date = weights.get(field, (0.7, 1.0, 0.5))
    terms.text(claim.get("title"), title)
    terms.text(claim.get("description"), description, dates=True)
    terms.date(claim.get("date"), date)
    terms.text(KIND_WORDS.get(claim.get("kind"), ""), 0.4)


def person_terms(terms, person, field):
    field = field or "name"
    names = {"name": 1.0, "native_name": 1.0, "romanization": 1.0}
    if field in names:
        names = {key: 1.5 if key == field else 0.6 for key in names}
        for key, weight in names.items():
            terms.text(person.get(key), weight)
        terms.text("born", 0.3)
    elif field == "other_names":
        for other in person.get("other_names") or ():
            terms.text(other.get("name"), 1.5)
            terms.text(other.get("note"), 0.3)
        terms.text(person.get("name"), 0.3)
    elif field in ("birth_date", "birth_place", "death_date", "death_place"):
        event = "born" if field.startswith("birth") else "died"
        terms.text(KIND_WORDS[event], 1.0)
        prefix = field.split("_")[0]
        terms.date(person.get(f"{prefix}_date"), 2.0 if field.endswith("date") else 0.4)
        terms.text(person.get(f"{prefix}_place"), 1.5 if field.endswith("place") else 0.4)
        terms.text(person.get("name"), 0.2)
    else:
        terms.text(person.get(field), 0.6, dates=True)


def person_names(person):
    names = [person.get("name"), person.get("native_name"), person.get("romanization")]
    names += [other.get("name") for other in person.get("other_names") or ()]
    return [name for name in names if name]


# Ranking -----------------------------------------------------------------------------------------

K1 = 1.2
B = 0.5


@dataclass
class Suggestion:
    """A passage of the archived text offered as a quote for a claim."""

    quote: str
    locator: str
    score: float
    matched: list
    start: int = 0
    end: int = 0
    coverage: float = 0.0
    others: tuple = ()  # the other people the passage names (it is about the person asked, too)
    led_by_other: bool = False  # its subject is someone else: it names the person in passing

    def as_dict(self):
        return {"quote": self.quote, "locator": self.locator, "score": self.score, "matched": self.matched}


def as_index(text_or_index, person=None):
    if isinstance(text_or_index, SentenceIndex):
        return text_or_index
    return index_for(text_or_index or "", focus_words(person))


def subject_of(claim, person):
    """The profile document whose passages a claim may be backed by: `person`, or the claim itself
    when it is a person; None when neither names anyone (then no passage is set aside)."""
    subject = person if person is not None else (claim if claim_kind(claim) == "person" else None)
    if subject is None or not subjects.profile_names(subject).full and not subject.get("native_name"):
        return None
    return subject


def about_person(index, person):
    """For each passage of the index, whether it is about the person (a list of subjects.Aboutness),
    or None when there is no person to ask about."""
    if person is None:
        return None
    return index.about(subjects.profile_names(person))


def rank(index, terms):
    """{passage number: {term: its share of the score}} for every passage that matches a term."""
    shares = {}
    for term in terms:
        idf = index.idf(term.term)
        if not idf:
            continue
        for number, count in index.postings.get(term.term, ()):
            passage = index.passages[number]
            norm = K1 * (1 - B + B * passage.length / index.average_length)
            shares.setdefault(number, {})[term] = term.weight * idf * count * (K1 + 1) / (count + norm)
    return shares


# Free text (an event's description, a person's summary) is backed sentence by sentence, often by
# the sentences that follow the one naming the event: for it, a passage also earns part of the score
# of the passage before it in its paragraph, and each further suggestion counts the terms earlier
# ones matched for less, so that the suggestions cover the text between them.
FREE_TEXT_FIELDS = {"description", "summary"}
CONTEXT = 0.3
DECAY = 0.5
LEAD_BOOST = 1.5
COVERED = 0.3


def ordered(index, shares, free_text, limit, about=None):
    """(score, passage number, matched terms) of the best `limit` passages, best first; with `about`,
    of the passages about the person only."""
    if about is not None:
        shares = {number: share for number, share in shares.items() if about[number].about}
    scores = {number: sum(share.values()) for number, share in shares.items()}
    if not free_text:
        best = sorted(scores, key=lambda number: (-scores[number], number))[:limit]
        return [(scores[number], number, list(shares[number])) for number in best]
    context = {}
    for source, score in scores.items():
        paragraph = index.passages[source].paragraph
        for step in (-1, 1):
            number, share = source + step, CONTEXT * (1.0 if step > 0 else 0.5)
            while 0 <= number < len(index.passages) and index.passages[number].paragraph == paragraph:
                context[number] = max(context.get(number, 0.0), share * score)
                number, share = number + step, share * DECAY
    candidates = set(scores) | {n for n in context if about is None or about[n].about}
    chosen = []
    covered = set()
    while candidates and len(chosen) < limit:

        def value(number):
            own = sum(v * (COVERED if t in covered else 1.0) for t, v in shares.get(number, {}).items())
            return own + context.get(number, 0.0)

        number = min(candidates, key=lambda n: (-value(n), n))
        candidates.discard(number)
        chosen.append((value(number), number, list(shares.get(number, ()))))
        covered.update(shares.get(number, ()))
    return chosen


CORE_WEIGHT = 0.5  # terms below it (the person's names, parent organizations...) only help ranking


def possible_score(index, terms):
    """What a passage matching each core term of a claim once would weigh (terms the text never
    uses counted at its highest weight): the denominator of a suggestion's coverage. Dates are left
    out: coverage says whether a passage is about the claim; whether its dates agree is apart."""
    absent = max((index.idf(term) for term in index.document_frequency), default=0.0)
    return sum(
        term.weight * (index.idf(term.term) if term.term in index.document_frequency else absent)
        for term in terms
        if term.weight >= CORE_WEIGHT and not term.is_date
    )


def suggest(text_or_index, claim, *, field=None, person=None, limit=5):
    """The passages of an archived text (or its SentenceIndex) that best back a claim, best first:
    Suggestions whose as_dict() is {"quote", "locator", "score", "matched"}."""
    subject = subject_of(claim, person)
    index = as_index(text_or_index, subject)
    terms = claim_terms(claim, field=field, person=person)
    if not index.passages or not terms:
        return []
    about = about_person(index, subject)
    possible = possible_score(index, terms) or 1.0
    suggestions = []
    shares = rank(index, terms)
    if field == "summary":
        # A profile's summary retells a text's lead (the part before its first heading).
        for number, share in shares.items():
            if index.passages[number].locator == "Lead":
                shares[number] = {term: value * LEAD_BOOST for term, value in share.items()}
    ranked = ordered(index, shares, field in FREE_TEXT_FIELDS, limit, about)
    for score, number, matched in ranked:
        passage = index.passages[number]
        labels = list(dict.fromkeys(term.label for term in sorted(matched, key=lambda t: -t.weight)))
        found = sum(
            term.weight * index.idf(term.term)
            for term in matched
            if term.weight >= CORE_WEIGHT and not term.is_date
        )
        suggestions.append(
            Suggestion(
                quote=index.quote(number),
                locator=passage.locator,
                score=round(score, 3),
                matched=labels,
                start=passage.start,
                end=passage.end,
                coverage=round(found / possible, 3),
                others=about[number].others if about is not None else (),
                led_by_other=about is not None and not about[number].subject,
            )
        )
    return suggestions


# Quotes not found verbatim -----------------------------------------------------------------------

TYPOGRAPHIC_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
)


def comparable(text):
    """Text with typographic quotes made straight and runs of whitespace one space, and for each of
    its characters the offset of the character it came from."""
    characters = []
    offsets = []
    space = False
    for offset, character in enumerate((text or "").translate(TYPOGRAPHIC_QUOTES)):
        if character.isspace():
            space = bool(characters)
            continue
        if space:
            characters.append(" ")
            offsets.append(offset - 1)
            space = False
        characters.append(character)
        offsets.append(offset)
    return "".join(characters), offsets


def locate(text, quote):
    """(start, end) of a quote in a text, whitespace and typographic quotes aside; None if absent."""
    flat_quote, _ = comparable(quote)
    if not flat_quote:
        return None
    flat_text, offsets = comparable(text)
    found = flat_text.find(flat_quote)
    if found < 0:
        return None
    return offsets[found], offsets[found + len(flat_quote) - 1] + 1


def closest_passage(text, quote, *, window=3):
    """The passage of a text most like a quote (one to `window` consecutive sentences), as a
    Suggestion whose score is a similarity from 0 to 1; the quote itself, scored 1.0, when it stands
    verbatim; None when nothing shares a word with it."""
    import difflib

    index = as_index(text)
    span = locate(index.text, quote)
    if span is not None:
        start, end = span
        number = next((n for n, p in enumerate(index.passages) if p.end > start), 0)
        locator = index.passages[number].locator if index.passages else ""
        return Suggestion(index.text[start:end], locator, 1.0, [], start, end, 1.0)
    wanted = Counter(term for term, _ in words(quote))
    wanted.update(term for term, _ in date_terms(quote))
    weight = {term: index.idf(term) or 0.1 for term in wanted}
    total = sum(weight.values())
    if not total:
        return None
    candidates = []
    for first in range(len(index.passages)):
        have = Counter()
        for last in range(first, min(first + window, len(index.passages))):
            have.update(index.passages[last].terms)
            shared = sum(weight[term] for term in wanted if term in have)
            if not shared:
                continue
            recall = shared / total
            precision = shared / (shared + sum(index.idf(t) or 0.1 for t in have if t not in wanted))
            candidates.append((2 * recall * precision / (recall + precision), first, last))
    if not candidates:
        return None
    flat_quote = comparable(quote)[0].lower()
    best = None
    for overlap, first, last in sorted(candidates, reverse=True)[:8]:
        start, end = index.passages[first].start, index.passages[last].end
        ratio = difflib.SequenceMatcher(
            None, flat_quote, comparable(index.text[start:end])[0].lower()
        ).ratio()
        score = round((overlap + ratio) / 2, 3)
        if best is None or score > best.score:
            best = Suggestion(
                index.text[start:end], index.passages[first].locator, score, [], start, end, overlap
            )
    return best


# What else a source says -------------------------------------------------------------------------

BACKED_COVERAGE = 0.3  # share of a claim's weighted words a passage must match to appear to back it
# "born in December 1955 in Fuzhou": a month after "in" is a date, not the place.
PLACE_AFTER_EVENT = re.compile(
    rf"\b(?:born|died)\b[^.;]*?\b(?:in|at)\s+(?!(?i:{MONTH_NAMES})\b)"
    r"((?:[A-Z][\w'’-]*)(?:(?:,\s*|\s+)(?:[A-Z][\w'’-]*))*)"
)


@dataclass
class Dispute:
    """The passage appears to give another value than the recorded one: for an editor to confirm."""

    field: str
    recorded: str
    stated: str
    # The passage that gives the other value (for a place, not always the claim's best passage).
    passage: "Suggestion | None" = field(default=None, compare=False, repr=False)

    def as_dict(self):
        return {"field": self.field, "recorded": self.recorded, "stated": self.stated}


@dataclass
class ClaimEvidence:
    """For one claim (or person fact): this source's best passage, and whether it seems to back it."""

    claim: str  # "membership:<key>", "event:<key>" or "person:<slug>"
    field: str | None
    passage: Suggestion | None
    backed: bool
    disputes: list = field(default_factory=list)

    def as_dict(self):
        return {
            "claim": self.claim,
            "field": self.field,
            "passage": self.passage.as_dict() if self.passage else None,
            "coverage": self.passage.coverage if self.passage else 0.0,
            "backed": self.backed,
            "disputes": [dispute.as_dict() for dispute in self.disputes],
        }


def document_claims(document):
    """(claim id, field, claim) for every claim of a profile document: the person's facts with a
    value, one by one, then the memberships and events as wholes."""
    for name in PERSON_FIELDS:
        if document.get(name):
            yield f"person:{document.get('id')}", name, document
    for membership in document.get("memberships") or ():
        yield f"membership:{membership.get('id')}", None, membership
    for event in document.get("events") or ():
        yield f"event:{event.get('id')}", None, event


def find_claim(document, claim_id):
    """(kind, claim) for a claim id of a document: "membership:<position key>", "event:<event key>"
    or "person:<slug>" (the person document itself). Raises KeyError for an unknown id."""
    kind, _, key = str(claim_id).partition(":")
    if kind == "person" and key == document.get("id"):
        return "person", document
    collection = {"membership": "memberships", "event": "events"}.get(kind)
    for claim in document.get(collection, ()) if collection else ():
        if claim.get("id") == key:
            return kind, claim
    raise KeyError(claim_id)


def source_claims(text_or_index, document, *, threshold=BACKED_COVERAGE):
    """For every claim of a profile document, what this source says about it: a ClaimEvidence with
    the best passage, `backed` when it matches at least `threshold` of the claim's weighted terms,
    and the candidate disputes of a backing passage (another date, another place)."""
    index = as_index(text_or_index, document)
    results = []
    for claim_id, name, claim in document_claims(document):
        best = suggest(index, claim, field=name, person=document, limit=3)
        passage = best[0] if best else None
        backed = bool(passage) and passage.coverage >= threshold
        told = passage if backed else None
        if name in ("birth_place", "death_place"):
            # A source giving another place matches the claim by "born" or "died" alone, so its
            # sentence may rank below one that names the recorded place in another connection.
            event = "born" if name == "birth_place" else "died"
            told = next((s for s in best if re.search(rf"\b{event}\b", s.quote, re.I)), None)
        # A sentence about someone else that names the person in passing gives that someone's dates.
        disputes = candidate_disputes(claim, name, told.quote) if told and not told.led_by_other else []
        for dispute in disputes:
            dispute.passage = told
        results.append(ClaimEvidence(claim_id, name, passage, backed, disputes))
    return results


def compatible(recorded, written):
    """Whether two (year, month, day) dates can be the same day, each at its own precision."""
    return all(a is None or b is None or a == b for a, b in zip(recorded, written, strict=True))


def candidate_disputes(claim, name, quote):
    """The dates and places a passage gives that differ from the claim's (the candidate disputes)."""
    kind = claim_kind(claim)
    if kind == "membership":
        date_fields = ["start_date", "end_date"]
    elif kind == "event":
        date_fields = ["date"]
    else:
        date_fields = [name] if name in ("birth_date", "death_date") else []
    recorded = {f: parse_iso(claim.get(f)) for f in date_fields if parse_iso(claim.get(f))}
    written = [(year, month, day) for *_, year, month, day in find_dates(quote)]
    unexplained = [date for date in written if not any(compatible(r, date) for r in recorded.values())]
    disputes = []
    for date_field, value in recorded.items():
        if unexplained and not any(compatible(value, date) for date in written):
            stated = unexplained[-1] if date_field == "end_date" else unexplained[0]
            disputes.append(Dispute(date_field, claim.get(date_field), iso(*stated)))
    if name in ("birth_place", "death_place", "birth_date", "death_date") and claim.get(
        name.replace("_date", "_place")
    ):
        place_field = name.replace("_date", "_place")
        event = "born" if place_field == "birth_place" else "died"
        recorded_words = {term for term, _ in words(claim[place_field])}
        for match in PLACE_AFTER_EVENT.finditer(quote):
            if event not in match.group(0).lower():
                continue
            place = match.group(1).strip(" ,")
            if not recorded_words & {term for term, _ in words(place)}:
                disputes.append(Dispute(place_field, claim[place_field], place))
                break
    return disputes
