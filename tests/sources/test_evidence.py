"""The evidence finder (sources/evidence.py): plain functions, no database."""

import time

from sources.evidence import (
    SentenceIndex,
    closest_passage,
    find_claim,
    index_for,
    source_claims,
    suggest,
)

TEXT = """Wang Min (Chinese: 王敏; born 3 May 1950) is a Chinese politician.

Career

[edit]

Wang joined the Communist Party in 1970.[1] In 1998 Wang moved to Ningbo.[2] \
In March 2002, Wang became the mayor of Ningbo.[2] The weather in Ningbo was mild that year.[3]

Later life

[edit]

He retired in 2010.[4]
"""

MAYOR = {
    "id": "wang-min-mayor-ningbo",
    "role": "Mayor",
    "organization": {
        "id": "ningbo",
        "name": "Ningbo Municipal People's Government",
        "native_name": "",
        "parent": None,
    },
    "start_date": "2002-03",
    "end_date": None,
    "acting": False,
    "ordinal": "",
}
PERSON = {
    "id": "wang-min",
    "name": "Wang Min",
    "native_name": "王敏",
    "romanization": "Wáng Mǐn",
    "other_names": [{"name": "Old Wang", "note": ""}],
    "birth_date": "1950-05-03",
    "birth_place": "Ningbo",
    "citations": {},
    "memberships": [MAYOR],
    "events": [],
}


def test_suggestions_are_verbatim_substrings_with_the_four_keys():
    suggestions = suggest(TEXT, MAYOR, person=PERSON)
    assert suggestions
    for suggestion in suggestions:
        assert TEXT[suggestion.start : suggestion.end] == suggestion.quote
        assert set(suggestion.as_dict()) == {"quote", "locator", "score", "matched"}
    assert suggestions[0].quote == "In March 2002, Wang became the mayor of Ningbo."
    assert suggestions[0].locator == "Career"
    assert {"Mayor", "March 2002", "2002"} <= set(suggestions[0].matched)


def test_month_precision_ranks_the_month_sentence_above_the_year_sentence():
    text = "In 2002 he became mayor of Quzhou. Later, in March 2002, he became mayor of Quzhou."
    claim = {**MAYOR, "organization": {"name": "Quzhou", "native_name": ""}}
    quotes = [s.quote for s in suggest(text, claim, field="start_date")]
    assert quotes[:2] == [
        "Later, in March 2002, he became mayor of Quzhou.",
        "In 2002 he became mayor of Quzhou.",
    ]
    for written in ("Mar. 2002", "2002-03", "March, 2002"):
        other = f"In 2002 he became mayor of Quzhou. He was mayor of Quzhou from {written}."
        assert suggest(other, claim, field="start_date")[0].quote.endswith(f"{written}.")


def test_other_names_and_native_script_match():
    text = "The weather was mild. 王敏 spoke at the meeting. Old Wang laughed. It rained."
    native = suggest(text, PERSON, field="native_name")
    assert native[0].quote == "王敏 spoke at the meeting."
    assert "王敏" in native[0].matched
    assert suggest(text, PERSON, field="other_names")[0].quote == "Old Wang laughed."


def test_synonyms_of_party_names_match():
    text = "He studied law. He joined the CPC in 1970. He liked tea."
    event = {"id": "joins", "date": "1970", "kind": "joined", "title": "Joins the CCP", "description": ""}
    assert suggest(text, event)[0].quote == "He joined the CPC in 1970."


def test_stop_words_do_not_count():
    text = "It was of the and to in a by. Mayor Li spoke."
    claim = {**MAYOR, "role": "The mayor of the city", "organization": {"name": "Of the", "native_name": ""}}
    suggestions = suggest(text, claim)
    assert [s.quote for s in suggestions] == ["Mayor Li spoke."]
    assert not {"the", "of", "The", "Of"} & set(suggestions[0].matched)


def test_words_in_every_passage_count_for_nothing():
    text = "Wang went to Ningbo. Wang went to Hangzhou. Wang went to Quzhou. Wang went to Taizhou."
    claim = {**MAYOR, "role": "Wang", "organization": {"name": "Hangzhou", "native_name": ""}}
    suggestions = suggest(text, claim)
    assert [s.quote for s in suggestions] == ["Wang went to Hangzhou."]


def test_closest_passage_finds_a_lightly_altered_quote():
    quote = "In March 2002 Wang became mayor of the city of Ningbo."
    passage = closest_passage(TEXT, quote)
    assert passage.quote == "In March 2002, Wang became the mayor of Ningbo."
    assert 0.5 < passage.score < 1
    verbatim = closest_passage(TEXT, "Wang   joined the Communist Party in 1970.")
    assert verbatim.score == 1.0 and verbatim.quote == "Wang joined the Communist Party in 1970."
    assert closest_passage(TEXT, "zzz qqq") is None


def test_source_claims_backs_claims_and_flags_another_date():
    text = "In March 2002, Wang became the mayor of Ningbo. Wang was born in Ningbo on 3 May 1950."
    results = {(r.claim, r.field): r for r in source_claims(text, PERSON)}
    mayor = results[("membership:wang-min-mayor-ningbo", None)]
    assert mayor.backed and mayor.disputes == []
    assert results[("person:wang-min", "birth_date")].backed

    disputed = "In June 2004, Wang became the mayor of Ningbo. Wang was born in Hangzhou on 3 May 1950."
    results = {(r.claim, r.field): r for r in source_claims(disputed, PERSON)}
    mayor = results[("membership:wang-min-mayor-ningbo", None)]
    assert [d.as_dict() for d in mayor.disputes] == [
        {"field": "start_date", "recorded": "2002-03", "stated": "2004-06"}
    ]
    place = results[("person:wang-min", "birth_place")]
    assert [(d.field, d.stated) for d in place.disputes] == [("birth_place", "Hangzhou")]
    assert set(mayor.as_dict()) == {"claim", "field", "passage", "coverage", "backed", "disputes"}


def test_less_precise_date_is_not_a_dispute():
    results = source_claims("In 2002, Wang became the mayor of Ningbo.", PERSON)
    mayor = next(r for r in results if r.claim.startswith("membership:"))
    assert mayor.backed and mayor.disputes == []


def test_empty_text_gives_no_suggestions():
    assert suggest("", MAYOR) == []
    assert suggest("   \n\n ", MAYOR) == []
    assert closest_passage("", "anything") is None
    assert all(not r.backed for r in source_claims("", PERSON))


def test_odd_input_does_not_crash():
    filler = "words without any full stop " * 2000
    long_text = f"{filler}the mayor of Ningbo from March 2002 {filler}"  # 112,000 characters
    index = SentenceIndex.build(long_text)
    assert all(p.end - p.start <= 800 for p in index.passages)
    best = suggest(index, MAYOR)[0].quote
    assert best in long_text and "mayor of Ningbo from March 2002" in best
    cjk = "王敏于二〇〇二年三月任宁波市市长" * 200 + "。王敏出生于宁波。"
    assert all(p.end - p.start <= 800 for p in SentenceIndex.build(cjk).passages)
    assert all(s.quote in cjk for s in suggest(cjk, PERSON, field="native_name"))
    cjk = "今天天气很好。王敏出生于宁波。他喜欢茶。"
    assert suggest(cjk, PERSON, field="native_name")[0].quote == "王敏出生于宁波。"
    assert suggest("2002年3月，王敏任宁波市市长。他喜欢茶。", MAYOR, field="start_date")[0].quote == (
        "2002年3月，王敏任宁波市市长。"
    )
    for text in ("....", "[edit]", "\n\n\n", "A.B.C.", "1234567890" * 100, "\x00\ufeff"):
        suggest(text, MAYOR)
        closest_passage(text, "mayor")
        source_claims(text, PERSON)
    assert suggest(TEXT, {"role": "", "organization": None}) == []


def test_index_is_memoised_by_text_and_quick():
    text = TEXT * 100
    assert index_for(text) is index_for(str(text))
    started = time.perf_counter()
    for _ in range(20):
        suggest(index_for(text), MAYOR, person=PERSON)
    assert (time.perf_counter() - started) / 20 < 0.05


def test_find_claim_resolves_claim_ids():
    assert find_claim(PERSON, "membership:wang-min-mayor-ningbo") == ("membership", MAYOR)
    assert find_claim(PERSON, "person:wang-min") == ("person", PERSON)
    try:
        find_claim(PERSON, "event:nothing")
    except KeyError:
        pass
    else:
        raise AssertionError("an unknown claim id is a KeyError")
