import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from sources.fields import WebURLFormField
from sources.models import Citation, Source, comparable_text
from tests.factories import (
    CitationFactory,
    EventFactory,
    PersonFactory,
    PositionFactory,
    SourceFactory,
    as_system,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:msgbox(1)",
        "ftp://files.example.org/a.txt",
        "file:///etc/passwd",
    ],
)
def test_source_urls_other_than_http_are_refused_with_a_clear_message(url):
    source = SourceFactory.build(url=url)
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "are not allowed: give an http:// or https:// address" in " ".join(error.value.message_dict["url"])
    form_field = WebURLFormField()
    with pytest.raises(ValidationError, match="not allowed"):
        form_field.clean(url)


def test_web_urls_are_accepted_and_their_scheme_lower_cased():
    source = SourceFactory(url="HTTPS://en.wikipedia.org/wiki/Cai_Qi")
    source.full_clean()
    source.refresh_from_db()
    assert source.url == "https://en.wikipedia.org/wiki/Cai_Qi"


def test_the_database_refuses_a_non_web_url_even_without_validation():
    with pytest.raises(IntegrityError), as_system():
        Source.objects.create(id="bad", title="Bad", url="javascript:alert(1)")


def test_source_key_is_made_from_publisher_and_title_when_left_empty():
    with as_system():
        first = Source.objects.create(title="Cai Qi", publisher="Wikipedia", url="https://a.example/1")
        second = Source.objects.create(title="Cai Qi", publisher="Wikipedia", url="https://a.example/2")
    assert (first.pk, second.pk) == ("wikipedia-cai-qi", "wikipedia-cai-qi-2")


def test_quote_verification_ignores_whitespace_and_typographic_quotes():
    source = SourceFactory(archived_text="He said “we   must\nbuild” and it’s done.")
    assert source.verification_of('He said "we must build" and it\'s done.') == "verified"
    assert source.verification_of("He said we must build") == "unverified"
    assert SourceFactory(archived_text="").verification_of("anything") == "no_archive"
    assert comparable_text(" a\u00a0 b ") == "a b"


def test_citation_stores_its_verification_and_person_of_its_claim():
    position = PositionFactory()
    citation = CitationFactory(
        person=PersonFactory(), position=position, quote="He became mayor in April 2004."
    )
    assert citation.person == position.person
    assert citation.verification == Citation.Verification.VERIFIED


def test_citation_must_name_a_field_of_its_own_kind_of_claim():
    event = EventFactory()
    citation = CitationFactory.build(
        person=event.person, event=event, field="start_date", source=SourceFactory()
    )
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert error.value.error_dict["field"][0].code == "wrong_field"
    person_fact = CitationFactory.build(person=event.person, field="", source=SourceFactory())
    with pytest.raises(ValidationError) as error:
        person_fact.full_clean()
    assert error.value.error_dict["field"][0].code == "field_required"


def test_citation_pointing_at_a_claim_of_another_person_is_refused():
    position = PositionFactory()
    citation = CitationFactory.build(person=PersonFactory(), position=position, source=SourceFactory())
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert error.value.error_dict["person"][0].code == "other_person"


def test_disputing_citation_must_say_what_the_source_gives():
    position = PositionFactory()
    citation = CitationFactory.build(
        person=position.person,
        position=position,
        field="start_date",
        stance="disputes",
        source=SourceFactory(),
    )
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "stated" in error.value.message_dict
    citation.stated = "June 2004"
    citation.full_clean()
    assert citation.stated == "2004-06"  # dates are stored as ISO partial dates
    citation.stated = "Juno 2004"
    with pytest.raises(ValidationError):
        citation.full_clean()


def test_deleting_a_claim_deletes_its_citations_and_history_keeps_them():
    position = PositionFactory()
    citation = CitationFactory(person=position.person, position=position)
    with as_system():
        position.delete()
    assert not Citation.objects.filter(pk=citation.pk).exists()
    kinds = list(Citation.history.filter(id=citation.pk).values_list("history_type", flat=True))
    assert sorted(kinds) == ["+", "-"]
