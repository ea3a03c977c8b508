import json
import re

import pytest
from django.urls import reverse

from profiles.dates import PartialDate
from profiles.rendering import letters, profile_context
from tests.factories import (
    CitationFactory,
    EventFactory,
    OrganizationFactory,
    PositionFactory,
    SourceFactory,
    cited_profile,
    reviewer_user,
)
from tests.factories import publish as publish_as

pytestmark = pytest.mark.django_db

# Every quote the fixtures cite, so that the publishing gate finds them in the archived text.
ARCHIVE = (
    "Cai was born in Youxi County. He became mayor in April 2004. He joined in 1975. "
    "He was born in 1955. As party chief he became secretary. He was, in June 2004, appointed. "
    "He is the fifth-ranking member. He joined in August 1975. Second quote."
)


def publish(person, user=None):
    return publish_as(person=person, user=user or reviewer_user(), comment="Checked")


@pytest.fixture
def disputed_profile():
    """Cai Qi with a start date two sources disagree on, and a birth date one gives less precisely."""
    wikipedia = SourceFactory(id="wikipedia", publisher="Wikipedia", archived_text=ARCHIVE)
    grokipedia = SourceFactory(id="grokipedia", publisher="Grokipedia", archived_text=ARCHIVE)
    person = cited_profile(
        slug="cai-qi",
        name="Cai Qi",
        native_name="蔡奇",
        romanization="Cài Qí",
        birth_date=PartialDate(1955, 12, 5),
        positions=0,
        events=0,
        source=wikipedia,
    )
    CitationFactory(person=person, source=grokipedia, field="birth_date", quote="born in 1955", stated="1955")
    province = OrganizationFactory(name="CCP Zhejiang Committee", slug="zhejiang")
    city = OrganizationFactory(name="CCP Taizhou Committee", slug="taizhou", parent=province)
    position = PositionFactory(
        person=person,
        organization=city,
        role="Party Secretary",
        start_date=PartialDate(2004, 4),
        end_date=PartialDate(2007, 3),
    )
    CitationFactory(person=person, position=position, source=wikipedia, quote="became secretary")
    CitationFactory(
        person=person,
        position=position,
        source=grokipedia,
        field="start_date",
        stance="disputes",
        stated="2004-06",
        note="gives June 2004",
        quote="in June 2004",
    )
    current = PositionFactory(
        person=person,
        organization=province,
        role="Member",
        start_date=PartialDate(2022, 10),
        end_date=None,
        ordinal="fifth-ranked",
    )
    CitationFactory(person=person, position=current, source=wikipedia, quote="fifth-ranking member")
    event = EventFactory(person=person, date=PartialDate(1975, 8), title="Joins the CCP")
    CitationFactory(person=person, event=event, source=grokipedia, quote="joined in August 1975")
    return person


def test_footnotes_number_sources_then_their_passages_in_reading_order(client, disputed_profile):
    publish(disputed_profile)
    html = client.get("/people/cai-qi/").content.decode()
    # Wikipedia is cited first (native name), so it is source 1; Grokipedia 2. Passages (distinct
    # quotes) are numbered within their source in reading order: native name, romanization, name
    # (the same quote: passage 1.1, each citation with its own target), birth date (both sources),
    # the first post's start date, that post, the current post, the event.
    markers = re.findall(r'<a href="#(c(\d)-(\d+)([a-z]*))"(?: class="disputes")?>(\d\.\d+)</a>', html)
    assert [(target, number) for target, _, _, _, number in markers] == [
        ("c1-1", "1.1"),
        ("c1-1b", "1.1"),
        ("c1-1c", "1.1"),
        ("c1-1d", "1.1"),
        ("c2-1", "2.1"),
        ("c2-2", "2.2"),
        ("c1-2", "1.2"),
        ("c1-3", "1.3"),
        ("c2-3", "2.3"),
    ]
    assert 'class="disputes">2.2</a>' in html  # a disputing citation's marker says so
    references = html[html.index('<ol class="references">') :]
    assert references.count('<li id="ref-') == 2
    # Every marker's target is in the references, and holds its quote once.
    for target, *_ in markers:
        assert f'id="{target}"' in references
    assert references.count("<q>Cai was born</q>") == 1
    assert 'class="source-link" href="https://news.example.org/articles/' in references
    assert html.count("in June 2004") == 1  # the quote, printed once: no tooltip repeats it


def test_each_citation_of_one_source_has_its_own_marker_and_target(client):
    source = SourceFactory(archived_text=ARCHIVE)
    person = cited_profile(slug="cai-qi", positions=1, events=0, source=source)
    position = person.positions.get()
    CitationFactory(person=person, position=position, source=source, quote="Second quote.")
    publish(person)
    html = client.get("/people/cai-qi/").content.decode()
    line = re.search(r'<li class="claim" id="m-.*?</li>', html, re.S).group(0)
    assert re.findall(r'<a href="#(c[^"]+)">', line) == ["c1-2", "c1-3"]
    assert 'title="' not in line
    references = html[html.index('<ol class="references">') :]
    assert re.search(r'<li id="c1-2"><q>He became mayor in April 2004.</q>', references)
    assert re.search(r'<li id="c1-3"><q>Second quote.</q>', references)


def test_letters_continue_past_z():
    assert [letters(i) for i in (0, 1, 25, 26, 27, 51, 52)] == ["a", "b", "z", "aa", "ab", "az", "ba"]


def test_dates_render_at_their_precision(client, disputed_profile):
    publish(disputed_profile)
    html = client.get("/people/cai-qi/").content.decode()
    assert "5 December 1955" in html
    assert '<span class="date disputed">April 2004</span>' in html  # the sources differ on it
    assert '<span class="date">March 2007</span>' in html
    assert '<span class="date">since October 2022</span>' in html


def test_sources_differ_tells_contradiction_from_less_precision(client, disputed_profile):
    context = profile_context(publish(disputed_profile).document)
    [position_note] = context["career"][0].notes
    assert position_note["field"] == "start date"
    assert [(e["value"], e["sources"]) for e in position_note["entries"]] == [
        ("April 2004", ["Wikipedia"]),
        ("June 2004", ["Grokipedia"]),
    ]
    assert context["career"][0].disputed_fields == {"start_date"}
    assert context["facts"]["birth_date"].notes == []
    [mark] = context["facts"]["birth_date"].precision
    assert (mark["source"], mark["value"], mark["relation"]) == ("Grokipedia", "1955", "less precise")
    assert not context["facts"]["birth_date"].disputed

    html = client.get("/people/cai-qi/").content.decode()
    disputed = re.search(r'<li class="claim disputed" id="m-[^"]+">(.*?)</li>', html, re.S).group(1)
    assert (
        '<span class="recorded">April 2004 (Wikipedia)</span> · <span class="stated">June 2004 (Grokipedia)'
        in disputed
    )
    assert '<span class="date disputed">April 2004</span>' in disputed
    assert 'href="#c2-2" class="disputes"' in disputed
    birth = re.search(r'<span class="claim" id="fact-birth_date">(.*?)</dd>', html, re.S).group(1)
    mark = '<span class="precision less-precise"><a class="precision-mark" href="#fact-birth_date-precision"'
    assert mark in birth
    assert "sources-differ" not in birth
    assert "Grokipedia: 1955 (birth date, less precise)" in birth


def test_claims_without_citation_are_marked(client, reviewer):
    person = cited_profile(slug="cai-qi")
    PositionFactory(person=person, role="Uncited post")
    html = client.get(reverse("admin:profiles_person_preview", args=[person.pk])).content.decode()
    assert html.count("[citation needed]") == 0  # anonymous: the admin preview is refused
    client.force_login(reviewer)
    html = client.get(reverse("admin:profiles_person_preview", args=[person.pk])).content.decode()
    uncited = re.search(r'<li class="claim" id="m-[^"]+">(?:(?!</li>).)*Uncited post.*?</li>', html, re.S)
    assert "[citation needed]" in uncited.group(0)
    assert html.count("[citation needed]") == 1


def test_json_document_shape(client, disputed_profile):
    revision = publish(disputed_profile)
    response = client.get("/people/cai-qi.json")
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert set(document) >= {
        "id",
        "name",
        "other_names",
        "birth_date",
        "birth_place",
        "death_date",
        "death_place",
        "summary",
        "identifiers",
        "citations",
        "memberships",
        "events",
        "sources",
        "revision",
    }
    assert document["id"] == "cai-qi" and document["birth_date"] == "1955-12-05"
    assert document["revision"] == {
        "number": 1,
        "published_at": revision.published_at.isoformat(),
        "url": "/people/cai-qi/revisions/1/",
    }
    membership = document["memberships"][0]
    assert membership["organization"] == {
        "id": "taizhou",
        "name": "CCP Taizhou Committee",
        "native_name": "",
        "kind": "party",
        "identifiers": [],
        "parent": {
            "id": "zhejiang",
            "name": "CCP Zhejiang Committee",
            "native_name": "",
            "kind": "party",
            "identifiers": [],  # no parent: no "parent" key (Popolo's schema has no null parent)
        },
    }
    assert (membership["start_date"], membership["end_date"]) == ("2004-04", "2007-03")
    dispute = [c for c in membership["citations"] if c["stance"] == "disputes"][0]
    assert {k: dispute[k] for k in ("source", "stance", "stated", "field")} == {
        "source": "grokipedia",
        "stance": "disputes",
        "stated": "2004-06",
        "field": "start_date",
    }
    assert set(document["citations"]) == {"name", "native_name", "romanization", "birth_date"}
    assert {s["id"] for s in document["sources"]} == {"wikipedia", "grokipedia"}
    assert "archived_text" not in document["sources"][0]
    assert document["events"][0]["date"] == "1975-08"


def test_json_ld_in_the_head_is_a_profile_page_without_disputed_values(client, disputed_profile):
    revision = publish(disputed_profile)
    html = client.get("/people/cai-qi/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "ProfilePage" and data["dateModified"] == revision.published_at.isoformat()
    person = data["mainEntity"]
    assert person["@type"] == "Person" and person["@id"].endswith("/people/cai-qi/#person")
    assert person["birthDate"] == "1955-12-05"
    # Each position once; the start date the sources contradict is left out, not asserted.
    assert [role["memberOf"]["name"] for role in person["memberOf"]] == [
        "CCP Taizhou Committee",
        "CCP Zhejiang Committee",
    ]
    assert "startDate" not in person["memberOf"][0] and person["memberOf"][0]["endDate"] == "2007-03"
    assert person["memberOf"][1]["startDate"] == "2022-10"
    assert "蔡奇" in person["alternateName"]
    assert '<link rel="canonical" href="/people/cai-qi/">' in html
    assert '<meta property="og:title" content="Cai Qi">' in html


def test_timeline_svg_links_each_bar_to_its_career_line(client, disputed_profile):
    publish(disputed_profile)
    html = client.get("/people/cai-qi/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    anchors = re.findall(r'<a href="#(m-[^"]+)" class="bar( ongoing)?( disputed)?">', svg)
    assert [(ongoing, disputed) for _, ongoing, disputed in anchors] == [("", " disputed"), (" ongoing", "")]
    assert "(dates disputed)</text>" in svg and 'fill="url(#hatch)"' in svg
    for anchor, *_ in anchors:
        assert f'id="{anchor}"' in html
    assert '<title id="timeline-title">' in svg and "<polygon" in svg


def test_native_name_carries_its_language(client, disputed_profile):
    publish(disputed_profile)
    html = client.get("/people/cai-qi/").content.decode()
    assert '<span class="native-name" lang="zh-Hans">蔡奇</span>' in html


def test_organization_page_shows_succession_from_published_positions(client):
    organization = OrganizationFactory(name="Beijing Municipal Government", slug="beijing")
    source = SourceFactory()
    people = []
    for name, start, end in [
        ("Wang Anshun", "2012", "2016-10"),
        ("Cai Qi", "2016-10", "2017-05"),
        ("Chen Jining", "2017-05", None),
    ]:
        person = cited_profile(
            name=name, slug=name.lower().replace(" ", "-"), positions=0, events=0, source=source
        )
        position = PositionFactory(
            person=person,
            organization=organization,
            role="Mayor",
            start_date=PartialDate.parse(start),
            end_date=PartialDate.parse(end) if end else None,
        )
        CitationFactory(person=person, position=position, source=source)
        people.append(person)
    for person in people[:2]:
        publish(person)
    html = client.get("/organizations/beijing/").content.decode()
    assert "Wang Anshun" in html and "Cai Qi" in html and "Chen Jining" not in html  # not published
    cai_row = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"/people/cai-qi/.*?</tr>", html, re.S).group(0)
    assert "Wang Anshun" in cai_row  # preceded by
    assert client.get("/organizations/nowhere/").status_code == 404


def test_source_page_lists_every_published_claim_citing_it(client, disputed_profile):
    publish(disputed_profile)
    html = client.get("/sources/grokipedia/").content.decode()
    citing = html[html.index('<ul class="citing">') : html.index("</section>")]
    assert citing.count("/people/cai-qi/#") == 3
    assert html.count("<mark ") == 3  # each quote marked in the archived text
    assert "(disputes it)" in html
    assert client.get("/sources/unknown/").status_code == 404


@pytest.mark.parametrize(
    "query", ["cai qi", "Cài Qí", "CAI", "蔡奇", "cai  QI ", "Taizhou", "party secretary"]
)
def test_search_finds_a_person_by_any_name_in_any_script(client, disputed_profile, query):
    publish(disputed_profile)
    other = cited_profile(name="Chen Jining", slug="chen-jining", native_name="陈吉宁")
    publish(other)
    html = client.get("/search/", {"q": query}).content.decode()
    assert 'href="/people/cai-qi/"' in html
    assert 'href="/people/chen-jining/"' not in html


def test_search_ignores_unpublished_people_and_empty_queries(client, disputed_profile):
    assert "cai-qi" not in client.get("/search/", {"q": "cai"}).content.decode()
    assert client.get("/search/", {"q": ""}).status_code == 200
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 200


def test_people_list_browses_a_to_z_with_pages(client):
    source = SourceFactory()
    for index in range(55):
        publish(
            cited_profile(
                name=f"Zhang {index:02d}", slug=f"zhang-{index}", positions=0, events=0, source=source
            )
        )
    publish(cited_profile(name="Cai Qi", slug="cai-qi", positions=0, events=0, source=source))
    first = client.get("/people/").content.decode()
    assert "Cai Qi" in first and "Page 1 of 2" in first
    assert "Cai Qi" not in client.get("/people/", {"letter": "z"}).content.decode()
    assert client.get("/people/", {"page": "999999999"}).status_code == 200
    assert client.get("/people/", {"letter": "<script>"}).status_code == 200


def test_sitemap_and_healthz(client, disputed_profile, django_assert_num_queries):
    publish(disputed_profile)
    assert "/people/cai-qi/" in client.get("/sitemap.xml").content.decode()
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"


def grow(person, claims):
    source = SourceFactory()
    for number in range(claims // 2):
        position = PositionFactory(
            person=person,
            start_date=PartialDate(1950 + number % 70),
            end_date=PartialDate(1951 + number % 70),
        )
        CitationFactory(person=person, position=position, source=source)
        event = EventFactory(person=person, date=PartialDate(1950 + number % 70))
        CitationFactory(person=person, event=event, source=source, quote="He joined in 1975.")


@pytest.mark.parametrize("claims", [5, 200])
def test_public_pages_query_counts_are_constant_as_the_profile_grows(
    client, claims, django_assert_num_queries
):
    person = cited_profile(slug="cai-qi", positions=0, events=0)
    grow(person, claims)
    revision = publish(person)
    organization = person.positions.first().organization.slug
    source = revision.document["sources"][0]["id"]
    # A profile rendered afresh reads its person, then the revision's document; from the cache,
    # the person (with the revision's stamp) only.
    counts = {
        "/people/cai-qi/": 2,
        "/people/cai-qi.json": 2,
        "/people/cai-qi/revisions/": 2,
        "/people/cai-qi/revisions/1/": 2,
        "/people/cai-qi/?as_of=2100-01-01": 2,
        "/": 1,
        "/people/": 2,
        "/search/?q=person": 2,
        "/sitemap.xml": 2,
        "/feeds/revisions.atom": 1,
        f"/organizations/{organization}/": 3,
        f"/sources/{source}/": 3,  # its text is read once, to mark it (sources.views.marked_pages)
    }
    for url, queries in counts.items():
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200, url
    for url in ("/people/cai-qi/", "/people/cai-qi.json"):
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(f"/sources/{source}/").status_code == 200
