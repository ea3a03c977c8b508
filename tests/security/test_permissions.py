"""The permission matrix: anonymous, editor, reviewer and superuser against every admin page,
workflow action and public URL. Drafts, review comments and the audit trail reach no one who
should not see them."""

import pytest
from django.urls import reverse

from profiles import publishing
from profiles.models import Event, Organization, OtherName, Person, PublishedRevision, ReviewAction
from sources.models import Citation, Source
from tests.factories import SourceFactory, as_system, cited_profile, publish
from tests.forms import form_data

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "reviewer", "superuser"]
MODELS = {  # model name -> (app, can the editor delete it?)
    "person": ("profiles", False),
    "organization": ("profiles", False),
    "position": ("profiles", True),
    "event": ("profiles", True),
    "othername": ("profiles", True),
    "source": ("sources", False),
    "citation": ("sources", True),
}


@pytest.fixture
def world(reviewer):
    published = cited_profile(slug="published", name="Published Person")
    publish(person=published, user=reviewer, comment="Public comment")
    draft_source = SourceFactory(id="draft-source")
    draft = cited_profile(slug="draft", name="Draft Person", source=draft_source)
    publishing.profile_submit(person=draft, user=reviewer, note="Secret submit note")
    publishing.profile_reject(person=draft, user=reviewer, comment="Secret review comment")
    with as_system():
        OtherName.objects.create(person=published, name="Alias")
    return {"published": published, "draft": draft}


@pytest.fixture
def login(client, editor, reviewer, superuser):
    def as_role(role):
        client.logout()
        if role != "anonymous":
            client.force_login({"editor": editor, "reviewer": reviewer, "superuser": superuser}[role])
        return client

    return as_role


def world_objects(world):
    person = world["published"]
    return {
        "person": person,
        "organization": Organization.objects.first(),
        "position": person.positions.first(),
        "event": person.events.first(),
        "othername": OtherName.objects.first(),
        "source": Source.objects.first(),
        "citation": Citation.objects.first(),
    }


def admin_pages(world):
    person = world["published"]
    objects = world_objects(world)
    for name, (app, editor_deletes) in MODELS.items():
        pk = objects[name].pk
        for view, args, editor_ok in [
            ("changelist", [], True),
            ("add", [], True),
            ("change", [pk], True),
            ("history", [pk], True),
            ("delete", [pk], editor_deletes),
        ]:
            # An approved organization or source, and a person ever published, are deleted by
            # nobody: readers may see them (a person is unpublished instead).
            anyone = not (view == "delete" and name in ("organization", "source", "person"))
            yield (
                f"{name} {view}",
                reverse(f"admin:{app}_{name}_{view}", args=args),
                {"editor": editor_ok and anyone, "reviewer": anyone, "superuser": anyone},
            )
    for view, editor_ok in [("review", True), ("preview", True), ("audit", True)]:
        yield (
            f"person {view}",
            reverse(f"admin:profiles_person_{view}", args=[person.pk]),
            {"editor": editor_ok, "reviewer": True, "superuser": True},
        )
    for name, (app, _) in MODELS.items():
        # The history form shows an old version; reading it is allowed, saving it never is.
        record = objects[name].history.order_by("history_id").first()
        yield (
            f"{name} history form",
            reverse(f"admin:{app}_{name}_simple_history", args=[objects[name].pk, record.history_id]),
            {"editor": True, "reviewer": True, "superuser": True},
        )
    for name in ("organization", "source"):
        app = MODELS[name][0]
        yield (
            f"{name} review",
            reverse(f"admin:{app}_{name}_review", args=[objects[name].pk]),
            {"editor": True, "reviewer": True, "superuser": True},
        )
    yield (
        "review queue",
        reverse("admin:profiles_person_review_queue"),
        {"editor": False, "reviewer": True, "superuser": True},
    )
    yield (
        "recent changes",
        reverse("admin:profiles_person_recent_changes"),
        {"editor": True, "reviewer": True, "superuser": True},
    )
    yield (
        "review actions",
        reverse("admin:profiles_reviewaction_changelist"),
        {"editor": True, "reviewer": True, "superuser": True},
    )


@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_by_role(world, login, role):
    client = login(role)
    for label, url, allowed in admin_pages(world):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/admin/login/" in response["Location"], label
        elif allowed[role]:
            assert response.status_code == 200, (label, role)
        else:
            assert response.status_code == 403, (label, role)


@pytest.mark.parametrize(
    ("role", "can_submit", "can_publish"),
    [
        ("anonymous", False, False),
        ("editor", True, False),
        ("reviewer", True, True),
        ("superuser", True, True),
    ],
)
def test_workflow_actions_by_role(world, login, role, can_submit, can_publish):
    """Every workflow step through its real URL: the services refuse whoever may not take it."""
    person, published = world["draft"], world["published"]
    client = login(role)
    denied = 302 if role == "anonymous" else 403
    url = reverse("admin:profiles_person_change", args=[person.pk])
    data = form_data(client.get(url), "person_form") if role != "anonymous" else {}
    response = client.post(url, {**data, "_submit_for_review": "1"})
    assert response.status_code == (302 if can_submit else denied)
    # The change form never publishes or sends back, whoever asks.
    data = form_data(client.get(url), "person_form") if role != "anonymous" else {}
    assert client.post(url, {**data, "_publish": "1"}).status_code == denied
    assert client.post(url, {**data, "_reject": "1", "review_comment": "x"}).status_code == denied
    review = reverse("admin:profiles_person_review", args=[person.pk])
    token = form_data(client.get(review), "review-decision").get("review_token", "x") if can_publish else "x"
    for action in ("_reject", "_publish"):
        response = client.post(review, {action: "1", "review_comment": "x", "review_token": token})
        assert response.status_code == (302 if can_publish else denied), action
    assert (Person.objects.get(pk=person.pk).live_revision_id is not None) == can_publish
    steps = [
        (
            reverse("admin:profiles_person_revert", args=[published.pk, 1]),
            {"reason": "Vandalism", "confirm": "1"},
        ),
        (reverse("admin:profiles_person_hide", args=[published.pk, 1]), {"reason": "Defamatory"}),
        (
            reverse("admin:profiles_person_review", args=[published.pk]),
            {"_unpublish": "1", "reason": "Legal", "confirm": "1"},
        ),
    ]
    for step, payload in steps:
        assert client.post(step, payload).status_code == (302 if can_publish else denied), step
    if not can_publish:
        assert not PublishedRevision.objects.filter(person=person).exists()
        assert not PublishedRevision.objects.filter(hidden_at__isnull=False).exists()
        assert not ReviewAction.objects.filter(action__in=["reverted", "hidden", "unpublished"]).exists()
        assert Person.objects.get(pk=published.pk).live_revision_id is not None
    else:
        assert ReviewAction.objects.filter(action="hidden").exists()
        assert Person.objects.get(pk=published.pk).live_revision_id is None


def public_urls():
    return [
        "/",
        "/people/",
        "/people/?letter=D",
        "/search/?q=draft",
        "/search/?q=person",
        "/sitemap.xml",
        "/feeds/revisions.atom",
        "/people/published/",
        "/people/published.json",
        "/people/published/revisions/",
        "/people/published/revisions/1/",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_drafts_and_review_comments_never_reach_public_urls(world, login, role):
    client = login(role)
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in (
            "Draft Person",
            "/people/draft/",
            "Secret review comment",
            "Secret submit note",
            "draft-source",
        ):
            assert secret not in body, (url, secret)
    for url in [
        "/people/draft/",
        "/people/draft.json",
        "/people/draft/revisions/",
        "/people/draft/revisions/1/",
        "/people/draft/?as_of=2100-01-01",
        "/sources/draft-source/",
        "/people/published/revisions/2/",
        "/people/published/revisions/0/",
        "/people/nobody/",
    ]:
        assert client.get(url).status_code == 404, url


def test_organizations_and_sources_known_only_from_drafts_are_not_public(world, client):
    draft_org = world["draft"].positions.first().organization
    assert client.get(f"/organizations/{draft_org.slug}/").status_code == 404
    published_org = world["published"].positions.first().organization
    page = client.get(f"/organizations/{published_org.slug}/").content.decode()
    assert "Published Person" in page and "Draft Person" not in page


@pytest.mark.parametrize("role", ROLES)
def test_history_forms_and_bulk_actions_never_write_around_the_services(world, login, role):
    """A POST to any history form is refused; a bulk delete runs through the services, so it is
    allowed exactly where the role may delete, and moves the profile's state."""
    client = login(role)
    denied = 302 if role == "anonymous" else 403
    person = world["published"]
    for name, obj in world_objects(world).items():
        record = obj.history.order_by("history_id").first()
        url = reverse(f"admin:{MODELS[name][0]}_{name}_simple_history", args=[obj.pk, record.history_id])
        assert client.post(url, {"_publish": "1"}).status_code == denied, name
    changelist = reverse("admin:profiles_event_changelist")
    event = person.events.first()
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    may_delete = role != "anonymous"  # editors and reviewers both may delete events
    assert Event.objects.filter(pk=event.pk).exists() != may_delete, (role, response.status_code)
    if may_delete:
        assert Person.objects.get(pk=person.pk).status == Person.Status.PENDING
        assert Event.history.filter(id=event.pk, history_type="-").exists()
    # Approved organizations and sources are never deleted, by anyone.
    objects = world_objects(world)
    for name in ("organization", "source"):
        url = reverse(f"admin:{MODELS[name][0]}_{name}_changelist")
        client.post(url, {"action": "delete_selected", "_selected_action": [objects[name].pk], "post": "yes"})
        assert type(objects[name]).objects.filter(pk=objects[name].pk).exists(), (name, role)
