"""Bad input, tried on purpose. Each case gets a clear error or is rendered harmless, never a
500, and nothing saved before is changed. Extend the tables when you find a new way in."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profiles.dates import PartialDate
from profiles.documents import person_document
from profiles.importing import ImportProblems
from profiles.models import Person, Position
from profiles.transfer import profiles_import
from sources.models import Citation, Source
from tests.factories import (
    CitationFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SourceFactory,
    as_system,
    cited_profile,
    publish,
    reviewer_user,
)
from tests.forms import form_data
from tests.profiles.test_import_export import small_file

pytestmark = pytest.mark.django_db

BAD_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://%0aalert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,x",
    " data:text/html,x ",
    "vbscript:msgbox(1)",
    "VbScript:msgbox(1)",
    "ftp://example.org/x",
    "file:///etc/passwd",
    "https://",
    "http://exa mple.org/",
    "https://exa<mple.org/",
]
URL_FIELDS = ["url", "archive_url"]


@pytest.mark.parametrize("field", URL_FIELDS)
@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_urls_are_refused_in_every_url_field_and_nothing_changes(client, reviewer, field, url):
    source = SourceFactory(url="https://en.wikipedia.org/wiki/Cai_Qi")
    client.force_login(reviewer)
    change = reverse("admin:sources_source_change", args=[source.pk])
    data = form_data(client.get(change), "source_form")
    data[field] = url
    response = client.post(change, data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    source.refresh_from_db()
    assert (source.url, source.archive_url) == ("https://en.wikipedia.org/wiki/Cai_Qi", "")


@pytest.mark.parametrize("url", BAD_URLS[:13])
def test_bad_urls_are_refused_by_the_import(url):
    data = small_file()
    data["people"][0]["sources"][0]["url"] = url
    with pytest.raises(ImportProblems, match=r"people\[0\]\.sources\[0\]\.url"):
        profiles_import(data=data, user=reviewer_user(), reason="x")
    assert not Source.objects.exists()


PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "]]><svg onload=alert(1)>",
    "' onmouseover='alert(1)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_every_text_field_is_inert_on_every_page(client, reviewer, payload):
    source = SourceFactory(
        title=f"Title {payload}",
        publisher=f"Pub {payload}",
        author=f"Author {payload}",
        note=f"Note {payload}",
        archived_text=f"Quote {payload} Stated {payload}",
    )
    organization = OrganizationFactory(name=f"Org {payload}", native_name=f"机构 {payload}")
    person = PersonFactory(
        slug="payload",
        name=f"Name {payload}",
        native_name=f"蔡 {payload}",
        romanization=f"Rom {payload}",
        birth_place=f"Place {payload}",
        summary=f"Summary {payload}",
        native_name_lang="zh-Hans",
    )
    for fact in ("name", "native_name", "romanization", "birth_place", "summary"):
        CitationFactory(
            person=person,
            source=source,
            field=fact,
            quote=f"Quote {payload}",
            locator=f"Loc {payload}",
            note=f"CNote {payload}",
        )
    position = PositionFactory(
        person=person,
        organization=organization,
        role=f"Role {payload}",
        ordinal=f"Ord {payload}",
        note=f"PNote {payload}",
        start_date=PartialDate(2000),
        end_date=None,
    )
    CitationFactory(
        person=person,
        position=position,
        source=source,
        quote=f"Quote {payload}",
        stance="disputes",
        stated=f"Stated {payload}",
    )
    event = EventFactory(person=person, title=f"Event {payload}", description=f"Desc {payload}")
    CitationFactory(person=person, event=event, source=source, quote=f"Quote {payload}")
    publish(person=person, user=reviewer, comment=f"Comment {payload}")

    pages = [
        "/people/payload/",
        "/people/payload/revisions/",
        "/people/payload/revisions/1/",
        f"/organizations/{organization.slug}/",
        f"/sources/{source.pk}/",
        "/",
        "/people/",
        "/search/?q=name",
        "/feeds/revisions.atom",
        "/sitemap.xml",
    ]
    client.force_login(reviewer)
    pages += [
        reverse("admin:profiles_person_change", args=[person.pk]),
        reverse("admin:profiles_person_review", args=[person.pk]),
        reverse("admin:profiles_person_audit", args=[person.pk]),
        reverse("admin:profiles_person_preview", args=[person.pk]),
        reverse("admin:sources_citation_changelist"),
        reverse("admin:profiles_position_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if "<" in payload:
            assert payload not in body, url
        assert_inert(body, url)
    profile = client.get("/people/payload/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', profile, re.S).group(1)
    assert json.loads(block)["mainEntity"]["name"] == f"Name {payload}"
    svg = profile[profile.index("<svg") : profile.index("</svg>")]
    assert "Role &lt;" in svg or "Role &#x27;" in svg or "Role &quot;" in svg or "Role ]]&gt;" in svg
    assert client.get("/people/payload.json").json()["name"] == f"Name {payload}"


class ActiveParts(HTMLParser):
    """Collects what a browser would run: event-handler attributes and script elements."""

    def __init__(self):
        super().__init__()
        self.handlers, self.scripts = [], []

    def handle_starttag(self, tag, attrs):
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]
        attributes = dict(attrs)
        if (
            tag == "script"
            and "src" not in attributes
            and attributes.get("type") not in {"application/ld+json", "application/json"}
        ):
            self.scripts.append(attributes)


def assert_inert(body, where):
    parts = ActiveParts()
    parts.feed(body)
    assert parts.handlers == [] and parts.scripts == [], where


LONG = "x" * 5000


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", LONG, "Ensure this value has at most 200 characters"),
        ("slug", "a" * 101, "at most 100 characters"),
        ("slug", "no spaces", "Enter a valid “slug”"),
        ("summary", LONG, "at most 2000 characters"),
        ("birth_place", "Youxi\x00County", "Null characters are not allowed"),
        ("birth_place", "Youxi\x07County", "Remove the invisible control character U+0007"),
        ("name", "Cai\u202eQi", "Remove the invisible control character U+202E"),
        ("birth_date", "0000", "is not a year"),
        ("birth_date", "1955-02-29", "February 1955 has 28 days"),
        ("birth_date", "1955-00", "There is no month 0"),
        ("birth_date", "99999", "is not a date"),
        ("birth_date", "1955-12-05T00:00", "is not a date"),
        ("birth_date", "-1955", "is not a date"),
        ("birth_date", "December", "has no year"),
        ("birth_date", "x" * 100, "at most 40 characters"),
        ("death_date", "1950", "before it starts"),
    ],
)
def test_bad_person_input_gets_a_clear_message_and_changes_nothing(client, editor, field, value, message):
    person = cited_profile(slug="cai-qi", name="Cai Qi", birth_date=PartialDate(1955, 12, 5))
    before = person_document(person)
    client.force_login(editor)
    url = reverse("admin:profiles_person_change", args=[person.pk])
    data = form_data(client.get(url), "person_form")
    data[field] = value
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert person_document(Person.objects.get(pk=person.pk)) == before


@pytest.mark.parametrize(
    "text", ["كاي تشي", "עברית", "Cài Qí", "Ca\u0300i\u0301 Qi\u0301", "蔡奇\u200d", "👩🏽‍💼 emoji"]
)
def test_right_to_left_and_combining_text_is_kept_and_shown(client, reviewer, text):
    person = cited_profile(slug="cai-qi", name=f"Name {text}", positions=0, events=0)
    publish(person=person, user=reviewer)
    assert text in client.get("/people/cai-qi/").content.decode()


def test_end_before_start_on_a_position_is_refused(client, editor):
    person = cited_profile(slug="cai-qi")
    position = person.positions.first()
    client.force_login(editor)
    url = reverse("admin:profiles_position_change", args=[position.pk])
    data = form_data(client.get(url), "position_form")
    data.update(start_date="2004-06", end_date="2004-04")
    response = client.post(url, data)
    assert "Ends (April 2004) before it starts (June 2004)" in response.content.decode()
    assert Position.objects.get(pk=position.pk).end_date == position.end_date


def test_a_citation_of_another_persons_claim_is_refused(client, editor):
    mine, theirs = cited_profile(slug="mine"), cited_profile(slug="theirs")
    client.force_login(editor)
    url = reverse("admin:sources_citation_add")
    data = form_data(client.get(url), "citation_form")
    data.update(
        person=mine.pk,
        position=theirs.positions.first().pk,
        source=Source.objects.first().pk,
        quote="He became mayor in April 2004.",
        stance="supports",
    )
    response = client.post(url, data)
    assert "This claim belongs to another person" in response.content.decode()
    assert (
        Citation.objects.filter(person=mine).count()
        == Citation.objects.filter(person=mine, position__person=mine).count()
        + Citation.objects.filter(person=mine, position__isnull=True).count()
    )


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "\\",
        "' OR 1=1 --",
        "\x00",
        "蔡\x00奇",
        "a" * 10000,
        "<script>",
        "&&&",
        "   ",
        "\u202e",
        "(",
        "cai:*",
        "!",
        "cai | qi",
    ],
)
def test_malformed_search_queries_are_harmless(client, reviewer, query):
    publish(person=cited_profile(slug="cai-qi", name="Cai Qi"), user=reviewer)
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</header>", 1)[1]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999", "1e9", "", "%00"])
@pytest.mark.parametrize("url", ["/people/", "/search/?q=cai"])
def test_huge_or_odd_page_numbers_are_harmless(client, url, page):
    separator = "&" if "?" in url else "?"
    assert client.get(f"{url}{separator}page={page}").status_code == 200


@pytest.mark.parametrize(
    "as_of",
    [
        "yesterday",
        "2024-13-01",
        "2024-02-30",
        "2024-3-1",
        "",
        "0000-01-01",
        "9999-12-31",
        "2024-01-01T00:00",
        "<script>",
        "2024-01-01\x00",
    ],
)
def test_malformed_as_of_is_a_clear_400_or_a_page(client, reviewer, as_of):
    publish(person=cited_profile(slug="cai-qi"), user=reviewer)
    response = client.get("/people/cai-qi/", {"as_of": as_of})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert b"as_of must be a day written YYYY-MM-DD" in response.content


def mutate(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


PATHS = [
    ("people", 0, "birth_date"),
    ("people", 0, "name"),
    ("people", 0, "id"),
    ("people", 0, "memberships", 0, "start_date"),
    ("people", 0, "memberships", 0, "role"),
    ("people", 0, "memberships", 0, "organization"),
    ("people", 0, "events", 0, "date"),
    ("people", 0, "sources", 0, "url"),
    ("people", 0, "events", 0, "citations", 0, "source"),
    ("people", 0, "citations"),
    ("people", 0, "memberships"),
    ("people",),
]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=30),
    st.lists(st.text(max_size=5), max_size=2),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), value=VALUES)
def test_any_mangled_import_file_imports_whole_or_nothing(path, value):
    data = small_file()
    mutate(data, path, value)
    try:
        profiles_import(data=data, user=reviewer_user(), reason="fuzz")
    except ImportProblems as error:
        assert error.problems and all(":" in problem for problem in error.problems)
        assert not Person.objects.exists() and not Source.objects.exists()
    else:
        for person in Person.objects.all():
            assert person_document(person)["name"] == person.name
        with as_system():
            Person.objects.all().delete()
            Citation.objects.all().delete()
            Source.objects.all().delete()


@pytest.mark.parametrize(
    "url",
    [
        "/people/cai-qi/revisions/99999999999999999999999/",
        "/people/cai-qi/revisions/0/",
        "/admin/profiles/person/99999999999999999999/review/",
        "/admin/profiles/person/abc/audit/",
        "/admin/profiles/person/abc/review/",
        "/admin/profiles/person/99999999999999999999/change/",
        "/admin/profiles/position/99999999999999999999/change/",
        "/admin/sources/source/..%2f/change/",
    ],
)
def test_guessed_or_malformed_ids_in_urls_are_a_404_or_a_redirect(client, reviewer, url):
    publish(person=cited_profile(slug="cai-qi"), user=reviewer)
    client.force_login(reviewer)
    assert client.get(url).status_code in (302, 404)
    assert client.post("/admin/profiles/person/1/revert/99999999999999999999/").status_code in (302, 404)
