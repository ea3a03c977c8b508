"""The public source page of a long archived text: marked once per version (not per request),
answered 304 to a matching validator, the same whatever irrelevant query it is given, and cut into
parts whose quote links land on the part that holds the quote."""

import re
from unittest import mock

import pytest
from django.core.cache import cache

from profiles import editing, publishing
from sources import views
from tests.factories import SourceFactory, as_system, cited_profile, publish

pytestmark = pytest.mark.django_db

FILLER = "The county archive lists many other names and dates here.\n"


@pytest.fixture(autouse=True)
def small_parts(monkeypatch):
    monkeypatch.setattr(views, "PART_CHARACTERS", 2_000, raising=False)
    if hasattr(views, "MarkedParts"):  # each test starts with nothing marked in this worker
        monkeypatch.setattr(views, "marked_parts", views.MarkedParts())
    cache.clear()


@pytest.fixture
def long_source(reviewer):
    # Cai's birth on part 1, "He joined in 1975." and the mayoralty near the end: part 4 of 4.
    text = (
        "Cai was born in Youxi County.\n"
        + FILLER * 120
        + "He joined in 1975. He became mayor in April 2004.\n"
    )
    with as_system():
        source = SourceFactory(id="long", archived_text=text)
    publish(person=cited_profile(slug="cai-qi", source=source), user=reviewer)
    return source


def test_a_long_text_is_cut_into_parts_of_at_most_the_limit(client, long_source):
    first = client.get("/sources/long/").content.decode()
    assert "Part 1 of 4" in first and 'href="/sources/long/?page=2" rel="next"' in first
    texts = []
    for number in range(1, 5):
        html = client.get(f"/sources/long/?page={number}").content.decode()
        part = re.search(r'<div class="archived-text">(.*?)</div>', html, re.S).group(1)
        texts.append(re.sub(r'<span class="backs">.*?</span>|<[^>]+>', "", part))
        assert len(texts[-1]) <= 2_000
    assert "".join(texts).replace("&#x27;", "'") == long_source.archived_text
    assert client.get("/sources/long/?page=5").status_code == 404
    assert client.get("/sources/long/?page=" + "9" * 30).status_code == 404


def test_a_quote_link_lands_on_the_part_that_holds_it(client, long_source):
    first = client.get("/sources/long/").content.decode()
    mayor = re.search(r'<q>He became mayor in April 2004.</q> <a href="([^"]+)" class="in-context">', first)
    born = re.search(r'<q>Cai was born</q> <a href="([^"]+)" class="in-context">', first)
    assert born.group(1) == "#p1"
    url, anchor = mayor.group(1).split("#")
    assert url == "/sources/long/?page=4"
    assert f'<mark id="{anchor}">He became mayor in April 2004.</mark>' in client.get(url).content.decode()
    assert f'id="{anchor}"' not in first
    last = client.get(url).content.decode()
    assert re.search(r'<q>Cai was born</q> <a href="/sources/long/#p1" class="in-context">', last)


def test_the_text_is_marked_once_and_a_matching_validator_gets_304(
    client, long_source, django_assert_num_queries
):
    with mock.patch.object(views, "marked_text", wraps=views.marked_text) as marking:
        first = client.get("/sources/long/")
        assert marking.call_count == 4  # each part, once
        for query in ("", "?utm_source=x", "?page=1&x=1", "?page=abc"):
            with django_assert_num_queries(2):  # the source's version, its citations; not the text
                again = client.get(f"/sources/long/{query}")
            assert again.content == first.content and again["ETag"] == first["ETag"]
        assert marking.call_count == 4
    with django_assert_num_queries(2):
        response = client.get("/sources/long/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert client.get("/sources/long/?page=2")["ETag"] != first["ETag"]


def test_a_new_version_of_the_text_or_of_what_cites_it_is_marked_again(client, long_source, reviewer, editor):
    first = client.get("/sources/long/")
    long_source.archived_text = long_source.archived_text.replace("Youxi County", "Youxi county, Fujian")
    editing.shared_record_save(record=long_source, user=editor, reason="Fuller text")
    publishing.shared_record_approve(
        record=long_source, user=reviewer, seen=publishing.shared_digest(long_source)
    )
    second = client.get("/sources/long/")
    assert second["ETag"] != first["ETag"] and "Fujian" in second.content.decode()
    publish(person=cited_profile(slug="other", name="Other Person", source=long_source), user=reviewer)
    third = client.get("/sources/long/")
    assert third["ETag"] != second["ETag"] and "Other Person" in third.content.decode()
