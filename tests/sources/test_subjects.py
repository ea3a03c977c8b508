"""Subject resolution (sources/subjects.py) in the evidence finder: a passage is offered for a
person only when it names them or continues a passage that does."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from profiles.dates import PartialDate
from sources import evidence, subjects
from tests.factories import (
    CitationFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SourceFactory,
)

DEMO = Path(__file__).resolve().parents[2] / "profiles/demo/cai-qi.json"


def demo_text(source_id):
    people = json.loads(DEMO.read_text())["people"]
    return next(s["archived_text"] for p in people for s in p["sources"] if s["id"] == source_id)


LI_QIANG = {
    "id": "li-qiang",
    "name": "Li Qiang",
    "native_name": "李强",
    "romanization": "Lǐ Qiáng",
    "other_names": [],
    "birth_date": "1959-07",
    "birth_place": "Rui'an, Zhejiang",
    "citations": {},
    "memberships": [
        {
            "id": "li-qiang-governor-zhejiang",
            "role": "Governor",
            "organization": {"id": "zj", "name": "Zhejiang Provincial People's Government", "parent": None},
            "start_date": "2013-02",
            "end_date": "2016-06",
            "acting": False,
            "ordinal": "",
        },
        {
            "id": "li-qiang-mayor",
            "role": "Mayor",
            "organization": {"id": "bj", "name": "Beijing Municipal People's Government", "parent": None},
            "start_date": "2016",
            "end_date": None,
            "acting": False,
            "ordinal": "",
        },
    ],
    "events": [
        {
            "id": "li-qiang-joins",
            "date": "1983-04",
            "kind": "joined",
            "title": "Joins the CCP",
            "description": "",
        }
    ],
}


def test_another_persons_article_offers_nothing_about_its_subject():
    text = demo_text("wikipedia-cai-qi")
    index = evidence.index_for(text)
    for field in ("birth_date", "birth_place", "native_name", "name"):
        for suggestion in evidence.suggest(index, LI_QIANG, field=field):
            assert "Li Qiang" in suggestion.quote, (field, suggestion.quote)
    for membership in LI_QIANG["memberships"]:
        for suggestion in evidence.suggest(index, membership, person=LI_QIANG):
            assert "Li Qiang" in suggestion.quote, suggestion.quote
    results = evidence.source_claims(index, LI_QIANG)
    assert [r.claim for r in results if r.disputes] == []
    backed = [r for r in results if r.backed]
    assert all("Li Qiang" in r.passage.quote for r in backed)
    # The one sentence naming him is Cai Qi's: it says so.
    for result in backed:
        assert result.passage.led_by_other and "Cai" in result.passage.others


def test_the_articles_own_subject_is_found_in_pronoun_and_surname_passages():
    text = demo_text("wikipedia-cai-qi")
    cai = json.loads(DEMO.read_text())["people"][0]
    born = evidence.suggest(text, cai, field="birth_date")
    assert born[0].quote.startswith("Cai was born in Youxi County")
    quzhou = "He was transferred to Zhejiang province in May 1999"
    about = evidence.index_for(text).about(subjects.profile_names(cai))
    passages = evidence.index_for(text).passages
    number = next(n for n, p in enumerate(passages) if text[p.start : p.end].startswith(quzhou))
    assert about[number].about


def test_a_pronoun_after_another_persons_sentence_is_theirs():
    text = (
        "Wang Min (born 1950) is a politician. Wang Min became mayor of Ningbo in 2002.\n\n"
        "Zhou Lan became governor in 2003. She was born in Hangzhou in 1948.\n"
    )
    wang = {"id": "wang-min", "name": "Wang Min", "birth_place": "Ningbo", "birth_date": "1950"}
    zhou = {"id": "zhou-lan", "name": "Zhou Lan", "birth_place": "Hangzhou", "birth_date": "1948"}
    quotes = [s.quote for s in evidence.suggest(text, wang, field="birth_place")]
    assert "She was born in Hangzhou in 1948." not in quotes
    assert evidence.suggest(text, zhou, field="birth_place")[0].quote == "She was born in Hangzhou in 1948."


def test_a_surname_before_any_mention_in_the_paragraph_is_not_enough():
    text = "Zhou Lan is a politician.\n\nLi was born in Quzhou in 1960.\n"
    li = {"id": "li-qiang", "name": "Li Qiang", "birth_place": "Quzhou", "birth_date": "1960"}
    assert evidence.suggest(text, li, field="birth_place") == []
    named = "Zhou Lan is a politician.\n\nLi Qiang met her. Li was born in Quzhou in 1960.\n"
    assert evidence.suggest(named, li, field="birth_place")[0].quote == "Li was born in Quzhou in 1960."


def test_native_names_and_other_names_count_as_naming():
    text = "周兰是政治家。李强出生于瑞安。他喜欢茶。"
    li = {"id": "li-qiang", "name": "Li Qiang", "native_name": "李强", "birth_place": "瑞安"}
    assert [s.quote for s in evidence.suggest(text, li, field="birth_place")] == ["李强出生于瑞安。"]


def test_a_huge_text_is_indexed_around_the_person_and_stays_quick():
    filler = "Zhou Lan visited a factory in Ningbo and spoke about exports.\n" * 90_000  # 5.7 MB
    text = filler + "Wang Min was born in Quzhou in 1950.\n" + filler
    wang = {"id": "wang-min", "name": "Wang Min", "birth_place": "Quzhou", "birth_date": "1950"}
    found = evidence.suggest(text, wang, field="birth_place")  # its time: tests/perf/evidence.py
    assert found[0].quote == "Wang Min was born in Quzhou in 1950."
    assert evidence.index_for(text, evidence.focus_words(wang)).partial


def test_someone_named_in_passing_in_the_first_sentence_is_not_the_texts_subject():
    text = demo_text("wikipedia-cai-qi")
    xi = {"id": "xi-jinping", "name": "Xi Jinping"}
    index = evidence.index_for(text)
    about = index.about(subjects.profile_names(xi))
    offered = [index.quote(n) for n, a in enumerate(about) if a.about]
    assert offered and all("Xi" in quote for quote in offered), offered


# The evidence page, with the database --------------------------------------------------------------


@pytest.mark.django_db
def test_the_evidence_page_offers_nothing_about_cai_qi_for_a_profile_sharing_his_source(client, editor):
    source = SourceFactory(id="wikipedia-cai-qi", archived_text=demo_text("wikipedia-cai-qi"))
    li = PersonFactory(
        name="Li Qiang", slug="li-qiang", birth_date=PartialDate(1959, 7), birth_place="Rui'an"
    )
    zhejiang = OrganizationFactory(name="Zhejiang Provincial People's Government", slug="zhejiang-government")
    PositionFactory(person=li, organization=zhejiang, role="Governor", start_date=PartialDate(2013, 2))
    CitationFactory(person=li, source=source, field="name", quote="Li Qiang")
    client.force_login(editor)
    response = client.get(reverse("admin:sources_source_evidence", args=[source.pk]), {"person": "li-qiang"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows["disputes"] == []
    assert all("Li Qiang" in row["passage"].quote for row in rows["backed"])
    for row in rows["backed"]:
        assert "Cai" in row["others"]  # the one sentence naming him is Cai's, and says so
    assert "Youxi County" not in response.content.decode()


def test_a_huge_text_without_a_person_is_indexed_up_to_the_bound():
    text = "Zhou Lan visited a factory in Ningbo and spoke about exports.\n" * 90_000
    index = evidence.index_for(text)
    indexed = sum(p.end - p.start for p in index.passages)
    assert index.partial and evidence.LARGE_TEXT * 0.85 < indexed <= evidence.LARGE_TEXT
