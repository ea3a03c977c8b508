"""The editor's form (issue 13): stand-alone position, event and citation pages return to their
person and can submit it; the error summary links to each field in error; date boxes show an
example of their own kind of date; the native name's language has no default."""

import re

import pytest
from django.urls import reverse

from profiles import publishing
from profiles.models import Person
from sources.models import Citation
from tests.factories import OrganizationFactory, SourceFactory, cited_profile
from tests.forms import form_data
from tests.profiles.test_admin import new_person_form

pytestmark = pytest.mark.django_db


def part_url(person, kind, action="change"):
    app = "sources" if kind == "citation" else "profiles"
    record = {
        "position": person.positions.first(),
        "event": person.events.first(),
        "citation": Citation.objects.filter(person=person).first(),
    }[kind]
    return reverse(f"admin:{app}_{kind}_{action}", args=[record.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("kind", ["position", "event", "citation"])
def test_saving_a_part_of_a_profile_on_its_own_page_returns_to_the_person(client, editor, kind):
    person = cited_profile(slug="cai-qi")
    client.force_login(editor)
    url = part_url(person, kind)
    data = form_data(client.get(url), f"{kind}_form")
    data.update(edit_summary="Checked", _save="Save")
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:profiles_person_change", args=[person.pk])
    landed = client.get(response["Location"])
    assert any("was changed successfully" in message and kind in message for message in messages_of(landed))
    assert Person.objects.get(pk=person.pk).status == Person.Status.DRAFT


@pytest.mark.parametrize("kind", ["position", "event", "citation"])
def test_save_and_continue_on_a_part_page_stays_there(client, editor, kind):
    person = cited_profile(slug="cai-qi")
    client.force_login(editor)
    url = part_url(person, kind)
    data = form_data(client.get(url), f"{kind}_form")
    data.update(edit_summary="Checked", _continue="Save and continue editing")
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url


@pytest.mark.parametrize("kind", ["position", "event", "citation"])
def test_a_part_page_offers_save_and_submit_which_submits_its_person(client, editor, kind):
    person = cited_profile(slug="cai-qi")
    client.force_login(editor)
    url = part_url(person, kind)
    page = client.get(url)
    assert 'name="_submit_for_review" value="Save and submit for review"' in page.content.decode()
    data = form_data(page, f"{kind}_form")
    data.update(edit_summary="Ready", _submit_for_review="Save and submit for review")
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:profiles_person_change", args=[person.pk])
    assert "Saved and submitted for review." in messages_of(response)
    assert Person.objects.get(pk=person.pk).status == Person.Status.IN_REVIEW


def test_a_refused_submit_from_a_part_page_is_a_message_and_the_edit_is_kept(client, editor):
    person = cited_profile(slug="cai-qi")
    publishing.profile_submit(person=person, user=editor)  # already in review: submit is refused
    client.force_login(editor)
    url = part_url(person, "position")
    data = form_data(client.get(url), "position_form")
    data.update(role="Acting Mayor", edit_summary="Title", _submit_for_review="Save and submit for review")
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert any(message.startswith("Saved, but not submitted:") for message in messages_of(response))
    assert person.positions.filter(role="Acting Mayor").exists()


def test_add_position_page_returns_to_the_person_it_was_added_to(client, editor):
    person = cited_profile(slug="cai-qi", positions=0)
    client.force_login(editor)
    url = reverse("admin:profiles_position_add")
    data = form_data(client.get(url, {"person": person.pk}), "position_form")
    data.update(
        role="Mayor",
        organization=OrganizationFactory().pk,
        start_date="1997-04",
        edit_summary="New post",
        **{"citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0"},
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == reverse("admin:profiles_person_change", args=[person.pk])
    assert person.positions.get().role == "Mayor"


def test_error_summary_links_to_every_field_in_error(client, editor):
    client.force_login(editor)
    data = new_person_form(client, OrganizationFactory(), SourceFactory())
    data["birth_date"] = "1955-02-30"
    data["positions-1-start_date"] = "2004"
    data["positions-1-end_date"] = "2003"
    data["positions-0-citations-0-quote"] = ""
    response = client.post(reverse("admin:profiles_person_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index('<ul class="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        ("id_birth_date", "Birth date"),
        ("id_positions-0-citations-0-quote", "Position #1 › citation #1, quote"),
        ("id_positions-1-end_date", "Position #2, end date"),
    ]
    for target, _ in links:
        assert html.count(f'id="{target}"') == 1
    assert html.index('class="errornote"') < html.index('class="error-summary"') < html.index('id="id_name"')


def test_a_page_without_errors_has_no_error_summary(client, editor):
    client.force_login(editor)
    assert "error-summary" not in client.get(reverse("admin:profiles_person_add")).content.decode()


def placeholder(html, field_id):
    tag = re.search(rf'<input [^>]*id="{re.escape(field_id)}"[^>]*>', html).group(0)
    return re.search(r'placeholder="([^"]*)"', tag).group(1)


def test_date_boxes_show_an_example_of_their_own_kind_of_date(client, editor):
    client.force_login(editor)
    person_page = client.get(reverse("admin:profiles_person_add")).content.decode()
    assert placeholder(person_page, "id_birth_date") == "1955-12-05"
    assert placeholder(person_page, "id_death_date") == "2019-03-27"
    assert placeholder(person_page, "id_positions-__prefix__-start_date") == "1997-04"
    assert placeholder(person_page, "id_positions-__prefix__-end_date") == "2001-06"
    assert placeholder(person_page, "id_events-__prefix__-date") == "1975-08"
    source_page = client.get(reverse("admin:sources_source_add")).content.decode()
    assert placeholder(source_page, "id_accessed") == "2026-11-26"
    assert placeholder(source_page, "id_published") == "2024-03-05"
    assert "The day we read it, e.g. 2026-11-26." in source_page
    event_page = client.get(reverse("admin:profiles_event_add")).content.decode()
    assert placeholder(event_page, "id_date") == "1975-08"


def test_native_name_language_has_no_default_and_suggests_tags(client, editor):
    assert Person._meta.get_field("native_name_lang").default == ""
    client.force_login(editor)
    html = client.get(reverse("admin:profiles_person_add")).content.decode()
    box = re.search(r'<input [^>]*id="id_native_name_lang"[^>]*>', html).group(0)
    assert 'value="' not in box and 'list="id_native_name_lang-suggestions"' in box
    datalist = html[html.index('<datalist id="id_native_name_lang-suggestions">') :]
    datalist = datalist[: datalist.index("</datalist>")]
    tags = re.findall(r'<option value="([^"]+)">', datalist)
    assert tags[:8] == ["zh-Hans", "zh-Hant", "ja", "ko", "ru", "uk", "ar", "fa"] and "hi" in tags
    # A person saved without one has none: no Chinese tag for a Russian name.
    data = form_data(client.get(reverse("admin:profiles_person_add")), "person_form")
    data.update(name="Ivan Petrov", slug="ivan-petrov", native_name="Иван Петров", edit_summary="New")
    for group in ("other_names", "citations", "positions", "events"):
        data[f"{group}-TOTAL_FORMS"] = "0"
    assert client.post(reverse("admin:profiles_person_add"), data).status_code == 302
    assert Person.objects.get(slug="ivan-petrov").native_name_lang == ""
