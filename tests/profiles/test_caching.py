from unittest import mock

import pytest

from profiles import views
from tests.factories import as_system, cited_profile, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publish(person=person, user=reviewer)
    return person


@pytest.mark.parametrize("url", ["/people/cai-qi/", "/people/cai-qi.json", "/people/cai-qi/revisions/1/"])
def test_published_pages_carry_validators_and_shared_cache_headers(client, published, url):
    response = client.get(url)
    assert response["ETag"] and response["Last-Modified"]
    assert "public" in response["Cache-Control"] and "s-maxage=" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/people/cai-qi/", "/people/cai-qi.json"])
def test_a_conditional_get_answers_304_without_rendering(client, published, url, django_assert_num_queries):
    first = client.get(url)
    with (
        mock.patch.object(views, "render_to_string") as render,
        mock.patch.object(views, "profile_context") as context,
        django_assert_num_queries(1),
    ):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert not render.called and not context.called
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_the_rendered_page_is_cached_per_revision_and_a_new_revision_has_a_new_key(
    client, published, reviewer
):
    first = client.get("/people/cai-qi/")
    with mock.patch.object(views, "render_to_string") as render:
        cached = client.get("/people/cai-qi/")
    assert not render.called and cached.content == first.content
    with as_system():
        published.name = "Cai Qi (renamed)"
        published.save()
    publish(person=published, user=reviewer)
    fresh = client.get("/people/cai-qi/")
    assert fresh["ETag"] != first["ETag"] and b"Cai Qi (renamed)" in fresh.content
    assert client.get("/people/cai-qi/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
