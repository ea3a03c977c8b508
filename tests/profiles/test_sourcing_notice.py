"""The page's sourcing notice (issue 21): when most claims rest only on encyclopedias or
AI-generated text, the page says so once under the title, derived from the claims; badges stay
on the lines that differ, and the JSON keeps every claim's own value."""

import re

import pytest

from profiles.models import Person
from tests.factories import CitationFactory, PositionFactory, SourceFactory, cited_profile, publish

pytestmark = pytest.mark.django_db


def badges_of(html, anchor):
    """The badge texts inside the career line with this id."""
    line = re.search(rf'<li class="claim[^"]*" id="{anchor}">(.*?)</li>', html, re.DOTALL).group(1)
    return re.findall(r'<span class="badge[^"]*">([^<]*)</span>', line)


def notice_of(html):
    found = re.search(r'<p class="sourcing-notice" id="sourcing">(.*?)</p>', html, re.DOTALL)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else None


def profile(reviewer, *, facts_source, lines):
    """A profile whose facts cite `facts_source` and with one career line per list of sources."""
    person = cited_profile(slug="wang-yi", name="Wang Yi", positions=0, events=0, source=facts_source)
    anchors = []
    for sources in lines:
        position = PositionFactory(person=person)
        for source in sources:
            CitationFactory(person=person, position=position, source=source)
        anchors.append(f"m-{position.key}")
    publish(person=person, user=reviewer)
    return Person.objects.get(pk=person.pk), anchors


def test_most_claims_on_encyclopedias_or_ai_say_it_once_and_the_ai_only_line_keeps_its_badge(
    client, reviewer
):
    wiki = SourceFactory(kind="encyclopedia", title="Some Encyclopedia", publisher="")
    grok = SourceFactory(kind="ai_generated", title="Some AI Text", publisher="")
    news = SourceFactory(kind="news", title="A Newspaper", publisher="")
    person, (both, ai_alone, wiki_alone, reported) = profile(
        reviewer, facts_source=wiki, lines=[[wiki, grok], [grok], [wiki], [news]]
    )
    html = client.get("/people/wang-yi/").content.decode()

    notice = notice_of(html)
    cited = html.count('class="claim')  # every claim of this profile is cited
    assert notice.startswith(f"Sourcing: {cited - 1} of the {cited} sourced claims on this page rest only")
    assert "(Some Encyclopedia, an encyclopedia; Some AI Text, AI-generated)" in notice
    assert "A Newspaper" not in notice
    assert badges_of(html, both) == [] and badges_of(html, wiki_alone) == []
    assert badges_of(html, ai_alone) == ["AI-generated source only"]
    assert badges_of(html, reported) == []
    assert html.count('class="badge') == 1
    # The per-claim values stay on the lines' classes and in the JSON.
    assert re.search(rf'class="claim tertiary-only" id="{both}"', html)
    data = client.get("/people/wang-yi.json").json()
    kinds = {source["id"]: source["kind"] for source in data["sources"]}
    assert sorted(
        sorted(kinds[citation["source"]] for citation in membership["citations"])
        for membership in data["memberships"]
    ) == [["ai_generated"], ["ai_generated", "encyclopedia"], ["encyclopedia"], ["news"]]


def test_a_page_mostly_on_ai_text_says_so_and_badges_the_lines_with_an_encyclopedia(client, reviewer):
    wiki = SourceFactory(kind="encyclopedia")
    grok = SourceFactory(kind="ai_generated", title="Some AI Text", publisher="")
    _, (ai_alone, with_wiki) = profile(reviewer, facts_source=grok, lines=[[grok], [grok, wiki]])
    html = client.get("/people/wang-yi/").content.decode()
    notice = notice_of(html)
    assert "rest only on AI-generated text (Some AI Text, AI-generated)" in notice
    assert badges_of(html, ai_alone) == []
    assert badges_of(html, with_wiki) == ["encyclopedias/AI only"]


def test_a_page_mostly_on_first_hand_sources_has_no_notice_and_badges_every_weak_line(client, reviewer):
    news = SourceFactory(kind="news")
    wiki = SourceFactory(kind="encyclopedia")
    grok = SourceFactory(kind="ai_generated")
    _, (on_wiki, on_grok, *_) = profile(reviewer, facts_source=news, lines=[[wiki], [grok], [news], [news]])
    html = client.get("/people/wang-yi/").content.decode()
    assert notice_of(html) is None
    assert badges_of(html, on_wiki) == ["encyclopedias/AI only"]
    assert badges_of(html, on_grok) == ["AI-generated source only"]
