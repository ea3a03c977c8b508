import pytest
from django.urls import reverse

from profiles.models import Event, OtherName, Person, Position
from sources.models import Citation, Source
from tests.factories import CitationFactory, OrganizationFactory, SourceFactory, as_system, cited_profile
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def management(data, prefix, total, initial=0):
    data[f"{prefix}-TOTAL_FORMS"] = str(total)
    data[f"{prefix}-INITIAL_FORMS"] = str(initial)
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"


def new_person_form(client, organization, source):
    data = form_data(client.get(reverse("admin:profiles_person_add")), "person_form")
    data.update(
        {
            "name": "Cai Qi",
            "slug": "cai-qi",
            "native_name": "蔡奇",
            "birth_date": "1955-12-05",
            "edit_summary": "New profile from Wikipedia",
        }
    )
    management(data, "citations", 1)
    data.update(
        {
            "citations-0-field": "name",
            "citations-0-source": source.pk,
            "citations-0-quote": "Cai was born",
            "citations-0-stance": "supports",
        }
    )
    management(data, "positions", 2)
    for index, (role, start) in enumerate([("Mayor", "1997"), ("Party Secretary", "2002-04")]):
        data.update(
            {
                f"positions-{index}-role": role,
                f"positions-{index}-organization": organization.pk,
                f"positions-{index}-start_date": start,
            }
        )
        management(data, f"positions-{index}-citations", 1)
        data.update(
            {
                f"positions-{index}-citations-0-source": source.pk,
                f"positions-{index}-citations-0-quote": "He became mayor in April 2004.",
                f"positions-{index}-citations-0-stance": "supports",
            }
        )
    management(data, "events", 1)
    data.update({"events-0-date": "1975-08", "events-0-kind": "joined", "events-0-title": "Joins"})
    management(data, "events-0-citations", 1)
    data.update(
        {
            "events-0-citations-0-source": source.pk,
            "events-0-citations-0-field": "date",
            "events-0-citations-0-quote": "He joined in 1975.",
            "events-0-citations-0-stance": "supports",
        }
    )
    return data


def test_editor_enters_a_person_with_cited_positions_and_events_in_one_save(client, editor):
    organization, source = OrganizationFactory(), SourceFactory()
    client.force_login(editor)
    data = new_person_form(client, organization, source)
    response = client.post(reverse("admin:profiles_person_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get(slug="cai-qi")
    assert [p.role for p in person.positions.order_by("start_date")] == ["Mayor", "Party Secretary"]
    assert Citation.objects.filter(person=person).count() == 4
    assert Citation.objects.get(event__person=person).field == "date"
    # Every record of the save has the editor and the edit summary in its history.
    for model in (Person, Position, Event, Citation):
        records = model.history.all()
        assert records.exists()
        assert {(r.history_user, r.history_change_reason) for r in records} == {
            (editor, "New profile from Wikipedia")
        }


def test_impossible_date_gets_a_clear_message_on_the_field_and_nothing_is_saved(client, editor):
    client.force_login(editor)
    data = new_person_form(client, OrganizationFactory(), SourceFactory())
    data["birth_date"] = "1955-02-30"
    data["positions-1-start_date"] = "2004"
    data["positions-1-end_date"] = "2003"
    response = client.post(reverse("admin:profiles_person_add"), data)
    assert response.status_code == 200
    assert "February 1955 has 28 days" in response.content.decode()
    assert "Ends (2003) before it starts (2004)" in response.content.decode()
    assert not Person.objects.exists() and not Position.objects.exists()


def test_citation_url_scheme_is_refused_in_the_source_form(client, editor):
    client.force_login(editor)
    data = form_data(client.get(reverse("admin:sources_source_add")), "source_form")
    data.update({"id": "x", "title": "X", "url": "javascript:alert(1)"})
    response = client.post(reverse("admin:sources_source_add"), data)
    assert response.status_code == 200
    assert "“javascript:” links are not allowed" in response.content.decode()
    assert not Source.objects.exists()


def test_edit_summary_of_a_change_is_kept_per_inline_record(client, editor):
    person = cited_profile(slug="cai-qi")
    client.force_login(editor)
    url = reverse("admin:profiles_person_change", args=[person.pk])
    data = form_data(client.get(url), "person_form")
    data["positions-0-role"] = "Acting Mayor"
    data["edit_summary"] = "Title as in the 1997 notice"
    assert client.post(url, data).status_code == 302
    record = Position.history.filter(role="Acting Mayor").get()
    assert (record.history_user, record.history_change_reason) == (editor, "Title as in the 1997 notice")
    history = client.get(reverse("admin:profiles_position_history", args=[record.id]))
    assert "Title as in the 1997 notice" in history.content.decode()


def pages(person, organization):
    position, event = person.positions.first(), person.events.first()
    citation = Citation.objects.filter(person=person).first()
    source = citation.source
    with as_system():
        other = OtherName.objects.create(person=person, name="Alias")
    objects = {
        "person": person,
        "position": position,
        "event": event,
        "citation": citation,
        "source": source,
        "othername": other,
        "organization": organization,
    }
    for name, obj in objects.items():
        app = "sources" if name in {"citation", "source"} else "profiles"
        yield f"{name} changelist", reverse(f"admin:{app}_{name}_changelist")
        yield f"{name} change", reverse(f"admin:{app}_{name}_change", args=[obj.pk])
        yield f"{name} history", reverse(f"admin:{app}_{name}_history", args=[obj.pk])
        yield f"{name} add", reverse(f"admin:{app}_{name}_add")


def admin_query_counts(client, size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = cited_profile(slug=f"size-{size}", positions=size, events=size)
    for number in range(size):
        CitationFactory(person=person, field="name", quote=f"quote {number}")
    counts = {}
    for label, url in pages(person, person.positions.first().organization):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, label
        counts[label] = len(queries)
    return counts


def test_every_admin_page_answers_with_a_query_count_that_does_not_grow(client, superuser):
    client.force_login(superuser)
    admin_query_counts(client, 1)  # warms Django's per-process caches (content types)
    small, large = admin_query_counts(client, 2), admin_query_counts(client, 12)
    # The one history's first page holds whichever kinds of record came last (a query per kind
    # on it): bounded, but not the same at every size.
    history = "person history"
    assert {k: v for k, v in small.items() if k != history} == {
        k: v for k, v in large.items() if k != history
    }
    assert large[history] <= 24 and small[history] <= 24
    assert max(large.values()) <= 20, large
    # 15: whether the person was ever published (may it be deleted); 16: how many citations of
    # the person's own facts the form would post (the large-profile switch).
    assert large["person change"] <= 16


def test_a_long_profile_lists_its_claims_with_links_instead_of_a_form_each(
    client, editor, django_assert_max_num_queries
):
    from profiles.admin import PersonAdmin

    person = cited_profile(slug="long", positions=PersonAdmin.LARGE_PROFILE, events=1)
    client.force_login(editor)
    url = reverse("admin:profiles_person_change", args=[person.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert 'name="positions-TOTAL_FORMS"' not in page and 'name="events-TOTAL_FORMS"' not in page
    position = person.positions.first()
    assert reverse("admin:profiles_position_change", args=[position.pk]) in page
    assert f"{reverse('admin:profiles_position_add')}?person={person.pk}" in page
    data = form_data(client.get(url), "person_form")
    data.update(summary="Still editable", edit_summary="Lead")
    assert client.post(url, data).status_code == 302
    assert Person.objects.get(pk=person.pk).summary == "Still editable"
    assert Position.objects.filter(person=person).count() == PersonAdmin.LARGE_PROFILE
    add = client.get(reverse("admin:profiles_position_add"), {"person": person.pk}).content.decode()
    assert f'value="{person.pk}"' in add
