"""Brotli for readers who ask for it: made once at publication beside the gzip, served from the
worker's memory by the reader's Accept-Encoding, weights and refusals (q=0) included."""

import gzip
from unittest import mock

import brotli
import pytest

from profiles import pages, serving, views
from profiles.models import RenderedPage
from tests.factories import cited_profile, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_worker_memory():
    serving.bodies.clear()
    serving.learnt.clear()
    yield
    serving.bodies.clear()
    serving.learnt.clear()


@pytest.fixture
def published(reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publish(person=person, user=reviewer)
    return person


def test_publication_stores_a_brotli_body_beside_the_gzip(published):
    stored = RenderedPage.objects.get(revision=published.live_revision)
    assert brotli.decompress(bytes(stored.html_br)) == bytes(stored.html)
    assert gzip.decompress(bytes(stored.html_gzip)) == bytes(stored.html)


def test_a_brotli_reader_gets_the_stored_brotli_and_the_same_validator(client, published):
    plain = client.get("/people/cai-qi/")
    compressed = client.get("/people/cai-qi/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    stored = RenderedPage.objects.get(revision=published.live_revision)
    assert compressed["Content-Encoding"] == "br"
    assert compressed.content == bytes(stored.html_br)
    assert compressed["Content-Length"] == str(len(stored.html_br))
    assert brotli.decompress(compressed.content) == plain.content
    assert compressed["ETag"] == plain["ETag"]
    assert "Accept-Encoding" in compressed["Vary"] and "Accept-Encoding" in plain["Vary"]


@pytest.mark.parametrize(
    "header, coding",
    [
        ("br", "br"),
        ("gzip, br;q=0", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("*", "br"),
        ("*;q=0.5, br;q=0", "gzip"),
        ("identity", None),
        ("", None),
        ("BR;Q=0.8 , gzip;q=0.8", "br"),
        ("gzip;q=nonsense, br;q=0.1", "br"),
    ],
)
def test_the_coding_follows_the_readers_weights_and_refusals(header, coding):
    assert serving.chosen_coding(header, ("br", "gzip")) == coding


def test_a_reader_refusing_brotli_gets_the_gzip(client, published):
    zipped = client.get("/people/cai-qi/", HTTP_ACCEPT_ENCODING="br;q=0, gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == client.get("/people/cai-qi/").content


def test_a_page_stored_before_brotli_is_served_gzip_to_a_brotli_reader(client, published):
    RenderedPage.objects.filter(revision=published.live_revision).update(html_br=b"")
    response = client.get("/people/cai-qi/", HTTP_ACCEPT_ENCODING="br, gzip")
    assert response["Content-Encoding"] == "gzip"


def test_a_page_a_reader_had_to_render_gets_its_brotli_too(client, reviewer):
    person = cited_profile(slug="wang-yi", name="Wang Yi")
    with mock.patch.object(pages, "RENDER_AT_PUBLICATION_LIMIT", 0):
        publish(person=person, user=reviewer)
    response = client.get("/people/wang-yi/", HTTP_ACCEPT_ENCODING="br")
    assert response["Content-Encoding"] == "br" and b"Wang Yi" in brotli.decompress(response.content)


def test_the_worker_memory_serves_brotli_without_the_database(client, published, django_assert_num_queries):
    client.get("/people/cai-qi/")  # the whole stack once: the worker learns the headers and the body
    revision = published.live_revision
    stamp = views.RevisionResponseMixin.stamp(revision)
    with (
        mock.patch.object(serving, "lookup", return_value=(stamp, "cai-qi")),
        django_assert_num_queries(0),
    ):
        response = client.get("/people/cai-qi/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "br" and response["Vary"] == "Accept-Encoding"
    assert response.content == bytes(RenderedPage.objects.get(revision=revision).html_br)


def test_the_worker_memory_counts_the_brotli_body_in_its_bound():
    bodies = serving.Bodies(1000)
    bodies.put("a", serving.Entry(b"x" * 100, b"y" * 50, "e", "d", "text/html", b"z" * 40))
    assert bodies.size == 190
