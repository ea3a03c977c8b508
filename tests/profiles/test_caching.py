import gzip
import io
import json
import time
import uuid
from unittest import mock

import pytest
from django.core.management import call_command

from profiles import pages, publishing, serving, views
from profiles.models import Person, RenderedPage
from tests.conftest import redis_url
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


@pytest.fixture(autouse=True)
def empty_worker_memory():
    serving.bodies.clear()
    serving.learnt.clear()
    yield
    serving.bodies.clear()
    serving.learnt.clear()


def test_the_live_page_is_rendered_at_publication_and_its_first_reader_renders_nothing(
    client, published, django_assert_num_queries
):
    stored = RenderedPage.objects.get(revision=published.live_revision)
    assert b"Cai Qi" in bytes(stored.html) and gzip.decompress(bytes(stored.html_gzip)) == bytes(stored.html)
    with (
        mock.patch.object(pages, "live_page_html") as render,
        mock.patch.object(views, "render_to_string") as render_other,
        django_assert_num_queries(2),  # the person with its live revision, the stored page
    ):
        first = client.get("/people/cai-qi/")
    assert not render.called and not render_other.called
    assert first.content == bytes(stored.html)
    with django_assert_num_queries(1):  # the body is in the worker now
        again = client.get("/people/cai-qi/")
    assert again.content == first.content


def test_a_gzip_reader_gets_the_stored_gzip_and_both_readers_the_same_validator(client, published):
    plain = client.get("/people/cai-qi/")
    zipped = client.get("/people/cai-qi/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] == plain["ETag"] and "Accept-Encoding" in plain["Vary"]
    json_zipped = client.get("/people/cai-qi.json", HTTP_ACCEPT_ENCODING="gzip")
    assert json.loads(gzip.decompress(json_zipped.content))["revision"]["number"] == 1


def test_a_permalink_says_not_current_as_soon_as_a_newer_revision_is_live(client, published, reviewer):
    first = client.get("/people/cai-qi/revisions/1/")
    assert b"Read the current version" not in first.content
    with as_system():
        published.name = "Cai Qi (renamed)"
        published.save()
    publish(person=published, user=reviewer)
    later = client.get("/people/cai-qi/revisions/1/")
    assert b"Read the current version (revision 2)" in later.content and later["ETag"] != first["ETag"]


def test_render_pages_renders_again_every_live_page_and_missing_ones(published, reviewer):
    other = cited_profile(slug="li-qiang", name="Li Qiang")
    publish(person=other, user=reviewer)
    RenderedPage.objects.filter(revision=published.live_revision).update(html=b"old", html_gzip=b"old")
    RenderedPage.objects.filter(revision=other.live_revision).delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("render_pages", "--missing", stdout=out, stderr=err)
    assert "Rendered 1 page" in out.getvalue() and "1/1 pages" in err.getvalue()
    assert bytes(RenderedPage.objects.get(revision=published.live_revision).html) == b"old"
    call_command("render_pages", stdout=out, stderr=err)
    assert b"Cai Qi" in bytes(RenderedPage.objects.get(revision=published.live_revision).html)
    assert RenderedPage.objects.count() == 2


def test_a_bulk_publication_leaves_rendering_to_the_first_reader(client, reviewer, settings):
    person = cited_profile(slug="wang-yi", name="Wang Yi")
    with mock.patch.object(pages, "RENDER_AT_PUBLICATION_LIMIT", 0):
        publish(person=person, user=reviewer)
    assert not RenderedPage.objects.exists()
    assert b"Wang Yi" in client.get("/people/wang-yi/").content
    assert RenderedPage.objects.filter(revision=Person.objects.get(pk=person.pk).live_revision).exists()


def test_the_worker_memory_is_bounded_in_bytes():
    bodies = serving.Bodies(1000)
    for number in range(10):
        bodies.put(str(number), serving.Entry(b"x" * 150, b"y" * 50, "e", "d", "text/html"))
    assert bodies.size <= 1000 and len(bodies.entries) == 5
    assert bodies.get("0") is None and bodies.get("9") is not None
    bodies.put("huge", serving.Entry(b"x" * 600, b"", "e", "d", "text/html"))  # over a quarter: not kept
    assert bodies.get("huge") is None


@pytest.fixture
def shared_redis(settings):
    from tests.profiles.test_multiple_servers import redis_or_skip

    redis = redis_or_skip()
    prefix = f"test-caching-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "bioproject.cache.FailSoftRedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    serving.subscriber.forget_all()
    serving.subscriber.slugs.clear()
    yield
    for key in redis.scan_iter(f"{prefix}:*", count=1000):
        redis.delete(key)


def test_a_hit_costs_no_query_and_a_publication_is_served_by_its_server_at_once(
    client, published, reviewer, shared_redis, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get("/people/cai-qi/")  # learns the stack's headers, stores the live stamp in Redis
    deadline = time.monotonic() + 5
    while not serving.subscriber.trusted() and time.monotonic() < deadline:
        time.sleep(0.05)
    client.get("/people/cai-qi/")  # the memo learns the stamp
    with django_assert_num_queries(0):
        hit = client.get("/people/cai-qi/")
    assert hit.status_code == 200 and b"Revision 1," in hit.content
    assert hit["X-Frame-Options"] == "DENY" and "s-maxage" in hit["Cache-Control"]
    assert hit["Content-Length"] == str(len(hit.content))  # not sent chunked
    zipped = client.get("/people/cai-qi/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip" and zipped["Content-Length"] == str(len(zipped.content))
    assert client.get("/people/cai-qi/", HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304
    with as_system():
        published.name = "Cai Qi (renamed)"
        published.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish(person=published, user=reviewer)
    fresh = client.get("/people/cai-qi/")
    assert b"Revision 2," in fresh.content and b"Cai Qi (renamed)" in fresh.content
    with django_capture_on_commit_callbacks(execute=True):
        publishing.profile_unpublish(person=Person.objects.get(pk=published.pk), user=reviewer, reason="x")
    assert client.get("/people/cai-qi/").status_code == 404


def test_the_sitemap_becomes_an_index_of_pages_that_list_every_profile(client, reviewer, monkeypatch):
    from profiles.sitemaps import ProfileSitemap

    for number in range(3):
        publish(person=cited_profile(slug=f"person-{number}", name=f"Person {number}"), user=reviewer)
    monkeypatch.setattr(ProfileSitemap, "limit", 2)
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index and "sitemap.xml?p=2" in index and "p=3" not in index
    listed = client.get("/sitemap.xml?p=1").content.decode() + client.get("/sitemap.xml?p=2").content.decode()
    assert all(f"/people/person-{number}/" in listed for number in range(3))


def test_search_answers_429_with_a_notice_past_the_per_client_rate(client, published, settings):
    settings.SEARCH_RATE_PER_MINUTE = 2
    assert client.get("/search/", {"q": "cai"}).status_code == 200
    assert client.get("/search/", {"q": "cai"}, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get("/search/", {"q": "cai"}).status_code == 200
    refused = client.get("/search/", {"q": "cai"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many searches" in refused.content.decode()
    assert client.get("/search/", {"q": "cai"}, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get("/people/cai-qi/").status_code == 200


def test_an_organization_page_lists_its_holders_page_by_page(client, reviewer, monkeypatch):
    from profiles.dates import PartialDate
    from tests.factories import CitationFactory, OrganizationFactory, PositionFactory

    with as_system():
        body = OrganizationFactory(slug="state-council", name="State Council")
    for number in range(3):
        with as_system():
            person = cited_profile(slug=f"premier-{number}", name=f"Premier {number}", positions=0, events=0)
            position = PositionFactory(
                person=person,
                organization=body,
                role="Premier",
                start_date=PartialDate(2000 + number),
                end_date=PartialDate(2001 + number),
            )
            CitationFactory(person=person, position=position)
        publish(person=person, user=reviewer)
    monkeypatch.setattr(views, "HOLDERS_PAGE_SIZE", 2)
    first = client.get("/organizations/state-council/").content.decode()
    second = client.get("/organizations/state-council/?page=2").content.decode()
    assert "Premier 0" in first and "Premier 1" in first and "/people/premier-2/" in first  # successor
    assert ">Premier 2<" in second and "/people/premier-1/" in second  # its predecessor
    assert 'rel="next"' in first


def test_with_redis_down_readers_take_the_database_path_and_never_get_a_replaced_revision(
    client, published, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "bioproject.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    serving.subscriber.heard = 0.0
    assert b"Revision 1," in client.get("/people/cai-qi/").content
    assert serving.lookup("cai-qi") is None  # no stamp without Redis: the database decides
    with as_system():
        published.name = "Cai Qi (renamed)"
        published.save()
    with (
        mock.patch.object(serving, "LIVE_STAMP_SECONDS", 0),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish(person=published, user=reviewer)
    assert b"Revision 2," in client.get("/people/cai-qi/").content
