"""One history per person: edits and review steps in one timeline (Django's History link and the
old audit-trail address), its filters, and the comparison of any two published revisions."""

import datetime

import pytest
from django.urls import reverse

from profiles import publishing
from profiles.models import ReviewAction
from tests.factories import as_system, cited_profile, publish

pytestmark = pytest.mark.django_db


def history_url(person):
    return reverse("admin:profiles_person_history", args=[person.pk])


def rows(response):
    """The timeline's rows as (kind, what) pairs, in order."""
    return [
        (
            "step" if kind == "step" else "edit",
            item.action if kind == "step" else f"{item.kind} {item.action}",
        )
        for kind, item in response.context["items"]
    ]


@pytest.fixture
def reviewed(editor, reviewer):
    """A profile edited, submitted, sent back, fixed and published, with another person's edits
    and steps that must not show."""
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    other = cited_profile(slug="other", name="Someone Else")
    publishing.profile_submit(person=other, user=editor, note="other note")
    publishing.profile_submit(person=person, user=editor, note="Please check the dates")
    publishing.profile_reject(person=person, user=reviewer, comment="The start date is wrong")
    position = person.positions.first()
    with as_system():
        position.role = "Vice Mayor"
        position.save()
    publish(person=person, user=reviewer, comment="Dates checked")
    return person


def test_history_link_audit_address_and_timeline_are_one_page(client, reviewer, reviewed):
    client.force_login(reviewer)
    response = client.get(history_url(reviewed))
    assert response.status_code == 200
    html = response.content.decode()
    audit = client.get(reverse("admin:profiles_person_audit", args=[reviewed.pk]))
    assert audit.status_code == 200 and rows(audit) == rows(response)
    # Newest first: the approval, then the fix, then the send-back and the submission.
    found = rows(response)
    assert found[0] == ("step", ReviewAction.Action.APPROVED)
    steps = [what for kind, what in found if kind == "step"]
    assert steps == ["approved", "rejected", "submitted"]
    assert found.index(("edit", "position changed")) < found.index(("step", "rejected"))
    assert "Please check the dates" in html and "The start date is wrong" in html and "Dates checked" in html
    assert "other note" not in html and "Someone Else" not in html
    assert "<del>Mayor</del> → <ins>Vice Mayor</ins>" in html


def test_timeline_filters_by_kind_user_and_day(client, reviewer, editor, reviewed):
    client.force_login(reviewer)
    url = history_url(reviewed)
    only_steps = rows(client.get(url, {"kind": "review"}))
    assert only_steps == [("step", "approved"), ("step", "rejected"), ("step", "submitted")]
    positions = rows(client.get(url, {"kind": "position"}))
    assert positions and {kind for kind, _ in positions} == {"edit"}
    assert {what.split()[0] for _, what in positions} == {"position"}
    by_editor = rows(client.get(url, {"user": "editor"}))
    assert by_editor == [("step", "submitted")]  # the factories' edits have no user
    by_reviewer = client.get(url, {"user": "reviewer", "kind": "review"})
    assert rows(by_reviewer) == [("step", "approved"), ("step", "rejected")]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    later = client.get(url, {"since": tomorrow})
    assert rows(later) == [] and "0 records" in later.content.decode()
    assert rows(client.get(url, {"until": "2000-01-01"})) == []
    bad = client.get(url, {"since": "2020-01-02", "until": "2020-01-01"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_history_of_a_missing_person_is_a_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("admin:profiles_person_history", args=["999999"])).status_code == 404
    assert client.get("/admin/profiles/person/abc/history/").status_code in (302, 404)


def test_readers_cannot_open_the_history(client, reviewed):
    response = client.get(history_url(reviewed))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("edits", [2, 30])
def test_timeline_queries_do_not_grow_with_the_history(
    client, reviewer, edits, django_assert_max_num_queries
):
    person = cited_profile(slug="cai-qi")
    position = person.positions.first()
    for number in range(edits):
        with as_system():
            position.role = f"Role {number}"
            position.save()
        if number % 3 == 0:
            publish(person=person, user=reviewer, comment=f"round {number}")
    client.force_login(reviewer)
    with django_assert_max_num_queries(24):
        response = client.get(history_url(person))
    assert response.status_code == 200 and rows(response)


def test_compare_any_two_revisions_in_words(client, reviewer, editor):
    person = cited_profile(slug="cai-qi", name="Cai Qi", birth_place="Youxi")
    publish(person=person, user=reviewer)
    with as_system():
        person.birth_place = "Youxi County, Fujian"
        person.save()
    publish(person=person, user=reviewer)
    with as_system():
        person.name = "Cai Qi (蔡奇)"
        person.save()
    publish(person=person, user=reviewer)
    client.force_login(editor)
    url = reverse("admin:profiles_person_compare", args=[person.pk])
    response = client.get(url, {"old": 1, "new": 3})
    assert response.status_code == 200
    changes = [(c.action, c.claim) for c in response.context["changes"]]
    assert changes == [("changed", "Name"), ("changed", "Birth place")]
    html = response.content.decode()
    assert "<del>Youxi</del> → <ins>Youxi County, Fujian</ins>" in html
    only_last = client.get(url, {"old": 2, "new": 3}).context["changes"]
    assert [c.claim for c in only_last] == ["Name"]
    assert client.get(url, {"old": 2, "new": 2}).context["compare_form"].errors
    assert client.get(url, {"old": 1, "new": 9}).context["changes"] is None  # not a choice
    timeline = client.get(history_url(person)).content.decode()
    assert f"{url}?old=2&amp;new=3" in timeline
