"""Public diffs: /people/<slug>/revisions/<n>/diff/ says what changed from the previous revision
readers may see, claim by claim, in words; hidden revisions never leak into one."""

import pytest

from profiles import publishing
from profiles.dates import PartialDate
from tests.factories import (
    CitationFactory,
    OrganizationFactory,
    PositionFactory,
    SourceFactory,
    as_system,
    cited_profile,
    publish,
)

pytestmark = pytest.mark.django_db


def main(html):
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def three_revisions(reviewer):
    """Revision 1; revision 2 adds a position and moves the birth date; revision 3 changes a
    position's start date and a citation's quote."""
    source = SourceFactory(id="xinhua-2004", title="Cai Qi named mayor", publisher="Xinhua")
    person = cited_profile(
        slug="cai-qi", name="Cai Qi", birth_date=PartialDate(1955, 12), positions=1, source=source
    )
    publish(person=person, user=reviewer, comment="First version")
    organization = OrganizationFactory(name="Fuzhou Municipal Committee", slug="fuzhou-committee")
    with as_system():
        person.birth_date = PartialDate(1955, 12, 5)
        person.save()
    position = PositionFactory(
        person=person,
        organization=organization,
        role="Party Secretary",
        start_date=PartialDate(2004, 4),
        end_date=None,
    )
    CitationFactory(person=person, position=position, source=source, quote="He became mayor in April 2004.")
    publish(person=person, user=reviewer, comment="Fuzhou post added")
    with as_system():
        position.start_date = PartialDate(2004, 5)
        position.save()
    publish(person=person, user=reviewer, comment="Start month corrected")
    return person


def test_the_diff_says_what_changed_in_words(client, three_revisions):
    response = client.get("/people/cai-qi/revisions/2/diff/")
    assert response.status_code == 200
    changes = [(change.action, change.claim) for change in response.context["changes"]]
    assert ("changed", "Birth date") in changes
    assert ("added", "Position: Party Secretary, Fuzhou Municipal Committee") in changes
    assert any(
        action == "added" and claim.startswith("Citation of Position: Party Secretary")
        for action, claim in changes
    )
    assert len(changes) == 3, changes
    html = main(response.content.decode())
    assert "Birth date changed from <del>December 1955</del> to <ins>5 December 1955</ins>" in html
    assert "Cai Qi named mayor (Xinhua)" in html  # the source by name ...
    assert "xinhua-2004" not in html  # ... never by key
    assert "fuzhou-committee" not in html and "April 2004" in html
    assert "Start date: <ins>April 2004</ins>" in html
    assert "supports the claim" in html
    # What did not change is not listed.
    assert "Mayor, Committee" not in html and "Name" not in [claim for _, claim in changes]


def test_the_diff_of_revision_3_lists_only_its_own_change(client, three_revisions):
    response = client.get("/people/cai-qi/revisions/3/diff/")
    changes = [(change.action, change.claim) for change in response.context["changes"]]
    assert changes == [("changed", "Position: Party Secretary, Fuzhou Municipal Committee")]
    html = main(response.content.decode())
    assert "Start date changed from <del>April 2004</del> to <ins>May 2004</ins>" in html
    assert "Birth date" not in html


def test_no_diff_for_the_first_revision_or_one_that_does_not_exist(client, three_revisions):
    assert client.get("/people/cai-qi/revisions/1/diff/").status_code == 404
    assert client.get("/people/cai-qi/revisions/4/diff/").status_code == 404
    assert client.get("/people/nobody/revisions/2/diff/").status_code == 404


def test_a_hidden_revision_has_no_diff_and_never_appears_in_another(client, reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi", summary="A politician.")
    publish(person=person, user=reviewer)
    with as_system():
        person.summary = "A politician. VANDAL TEXT"
        person.save()
    vandalised = publish(person=person, user=reviewer)
    with as_system():
        person.summary = "A politician from Fujian."
        person.save()
    publish(person=person, user=reviewer)
    publishing.revision_hide(revision=vandalised, user=reviewer, reason="Vandalism")
    assert client.get("/people/cai-qi/revisions/2/diff/").status_code == 404
    response = client.get("/people/cai-qi/revisions/3/diff/")
    assert response.status_code == 200
    assert response.context["previous"].number == 1
    html = response.content.decode()
    assert "VANDAL" not in html
    assert "Summary changed from <del>A politician.</del> to <ins>A politician from Fujian.</ins>" in html
    assert "the latest earlier revision readers can see" in html
    listing = client.get("/people/cai-qi/revisions/").content.decode()
    assert "/people/cai-qi/revisions/3/diff/" in listing
    assert (
        "/people/cai-qi/revisions/2/diff/" not in listing
        and "/people/cai-qi/revisions/1/diff/" not in listing
    )


def test_when_the_first_revisions_are_hidden_the_first_visible_has_no_diff(client, reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi", summary="One.")
    first = publish(person=person, user=reviewer)
    with as_system():
        person.summary = "Two."
        person.save()
    publish(person=person, user=reviewer)
    publishing.revision_hide(revision=first, user=reviewer, reason="Defamatory")
    assert client.get("/people/cai-qi/revisions/2/diff/").status_code == 404
    listing = client.get("/people/cai-qi/revisions/").content.decode()
    assert "/diff/" not in listing and "First version" in listing


def test_an_unpublished_profile_has_no_diffs(client, reviewer, three_revisions):
    publishing.profile_unpublish(person=three_revisions, user=reviewer, reason="Legal review")
    assert client.get("/people/cai-qi/revisions/2/diff/").status_code == 404


def test_an_old_address_answers_301_to_the_diff_under_the_current_one(client, reviewer, three_revisions):
    with as_system():
        three_revisions.slug = "cai-qi-politician"
        three_revisions.save()
    publish(person=three_revisions, user=reviewer)
    response = client.get("/people/cai-qi/revisions/2/diff/")
    assert response.status_code == 301
    assert response["Location"] == "/people/cai-qi-politician/revisions/2/diff/"
    assert client.get(response["Location"]).status_code == 200


def test_revision_pages_and_the_list_link_to_their_diffs(client, three_revisions):
    listing = client.get("/people/cai-qi/revisions/").content.decode()
    assert "/people/cai-qi/revisions/2/diff/" in listing and "/people/cai-qi/revisions/3/diff/" in listing
    assert "/people/cai-qi/revisions/1/diff/" not in listing
    assert "/people/cai-qi/revisions/2/diff/" in client.get("/people/cai-qi/revisions/2/").content.decode()
    assert "/diff/" not in client.get("/people/cai-qi/revisions/1/").content.decode()


@pytest.mark.parametrize("positions", [1, 25])
def test_the_diff_page_queries_do_not_grow_with_the_profile(
    client, reviewer, positions, django_assert_num_queries
):
    person = cited_profile(slug="cai-qi", positions=positions)
    publish(person=person, user=reviewer)
    with as_system():
        for position in person.positions.all():
            position.role = "Renamed"
            position.save()
    publish(person=person, user=reviewer)
    with django_assert_num_queries(2):
        response = client.get("/people/cai-qi/revisions/2/diff/")
    assert len(response.context["changes"]) == positions
