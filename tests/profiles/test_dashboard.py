"""The workbench on the admin home: what waits for reviewers (with its age, linking to the queue),
what came back to an editor (with the reviewer's comment) and where their submissions stand; and
the review queue one click from every admin page for those who may publish."""

import pytest
from django.urls import reverse

from profiles import editing, publishing
from profiles.models import Person
from tests.factories import OrganizationFactory, SourceFactory, UserFactory, cited_profile, publish

pytestmark = pytest.mark.django_db

QUEUE = "/admin/profiles/person/review-queue/"


def section(html, name):
    start = html.index(f'class="module workbench-{name}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def workload(editor, reviewer):
    """Two profiles in review, one draft, one published, one sent back to the editor, a new
    organization and a change waiting on an approved source."""
    waiting = [cited_profile(slug=f"waiting-{n}", name=f"Waiting {n}") for n in range(2)]
    for person in waiting:
        publishing.profile_submit(person=person, user=editor, note="Please look")
    cited_profile(slug="draft", name="Still A Draft")
    publish(person=cited_profile(slug="live", name="Already Live"), user=reviewer)
    back = cited_profile(slug="back", name="Sent Back Person")
    publishing.profile_submit(person=back, user=editor)
    publishing.profile_reject(person=back, user=reviewer, comment="The birth year needs a second source")
    OrganizationFactory(name="Brand New Committee", approved_at=None)
    OrganizationFactory(name="Long Approved Committee")
    source = SourceFactory(title="Approved Article")
    source.title = "Approved Article, retitled"
    editing.shared_record_save(record=source, user=editor, reason="Title as published")
    return waiting


def test_reviewers_see_what_waits_with_its_age_and_a_link_to_the_queue(client, reviewer, workload):
    client.force_login(reviewer)
    html = client.get("/admin/").content.decode()
    waiting = section(html, "waiting")
    assert f'<a class="section" href="{QUEUE}">Waiting for review (4)</a>' in waiting
    for name in ("Waiting 0", "Waiting 1", "Brand New Committee", "Approved Article"):
        assert name in waiting, name
    for name in ("Still A Draft", "Already Live", "Sent Back Person", "Long Approved Committee"):
        assert name not in waiting, name
    assert "a change to the source" in waiting and "new organization" in waiting
    assert waiting.count("minute") >= 4  # each row's age ("0 minutes")
    review = reverse("admin:profiles_person_review", args=[workload[0].pk])
    assert review in waiting


def test_editors_see_what_was_sent_back_to_them_and_their_submissions(client, editor, workload):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "workbench-waiting" not in html and QUEUE not in html  # not a reviewer
    sent_back = section(html, "sent-back")
    assert "Sent back to you (1)" in sent_back
    assert "Sent Back Person" in sent_back and "The birth year needs a second source" in sent_back
    assert "Waiting 0" not in sent_back
    submissions = section(html, "submissions")
    assert submissions.count("<tr>") == 4  # the header and three profiles
    assert "Waiting 0" in submissions and "Sent Back Person" in submissions
    assert "In review" in submissions and "Sent back to the editors by reviewer" in submissions
    assert "Still A Draft" not in submissions and "Already Live" not in submissions


def test_sent_back_counts_edits_and_leaves_once_resubmitted(editor, reviewer, workload):
    other = UserFactory(username="other-editor", is_staff=True)
    other.groups.add(*editor.groups.all())
    # The editor edited a profile that someone else submitted; it is sent back to both.
    edited = cited_profile(slug="edited", name="Edited By Editor")
    edited.birth_place = "Youxi"
    editing.record_save(record=edited, user=editor, reason="Birthplace")
    publishing.profile_submit(person=edited, user=other)
    publishing.profile_reject(person=edited, user=reviewer, comment="Cite the birthplace")
    # Someone else's profile sent back, which the editor never touched.
    theirs = cited_profile(slug="theirs", name="Not The Editors")
    publishing.profile_submit(person=theirs, user=other)
    publishing.profile_reject(person=theirs, user=reviewer, comment="Not for you")
    assert list(Person.objects.sent_back_to(editor).values_list("name", flat=True)) == [
        "Edited By Editor",
        "Sent Back Person",
    ]
    assert set(Person.objects.sent_back_to(other).values_list("name", flat=True)) == {
        "Edited By Editor",
        "Not The Editors",
    }
    back = Person.objects.get(slug="back")
    publishing.profile_submit(person=back, user=editor)
    assert list(Person.objects.sent_back_to(editor).values_list("name", flat=True)) == ["Edited By Editor"]
    assert Person.objects.submitted_by(editor).get(slug="back").last_action == "submitted"


def test_the_review_queue_is_linked_from_every_admin_page_for_reviewers_only(client, editor, reviewer):
    person = cited_profile(slug="cai-qi")
    pages = ["/admin/", reverse("admin:profiles_person_change", args=[person.pk]), "/admin/sources/source/"]
    client.force_login(reviewer)
    for url in pages:
        assert (
            f'<a href="{QUEUE}" class="review-queue-link">Review queue</a>'
            in client.get(url).content.decode()
        )
    client.force_login(editor)
    for url in pages:
        assert QUEUE not in client.get(url).content.decode(), url


def test_nothing_waiting_says_so(client, reviewer):
    client.force_login(reviewer)
    html = client.get("/admin/").content.decode()
    assert "Waiting for review (0)" in html and "Nothing is waiting for review." in html
    assert "workbench-sent-back" not in html  # a reviewer who submitted nothing has no editor lists


def grow(size, editor, reviewer):
    for number in range(size):
        person = cited_profile(slug=f"q{size}-{number}")
        publishing.profile_submit(person=person, user=editor)
        back = cited_profile(slug=f"b{size}-{number}")
        publishing.profile_submit(person=back, user=editor)
        publishing.profile_reject(person=back, user=reviewer, comment=f"fix {number}")
        OrganizationFactory(approved_at=None)


@pytest.mark.parametrize("size", [2, 15])
def test_the_admin_home_queries_do_not_grow_with_the_work(
    client, editor, reviewer, size, django_assert_max_num_queries
):
    grow(size, editor, reviewer)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    for user in (reviewer, editor, superuser):
        client.force_login(user)
        with django_assert_max_num_queries(14):
            assert client.get("/admin/").status_code == 200
