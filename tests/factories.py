"""factory_boy factories for every model; `cited_profile` builds a whole, publishable profile."""

import factory
from django.contrib.auth import get_user_model

from profiles.dates import PartialDate
from profiles.models import Event, Organization, Person, Position
from sources.models import Citation, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    id = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    publisher = factory.Iterator(["Wikipedia", "Grokipedia", "Xinhua"])
    accessed = PartialDate(2026, 11, 26)
    archived_text = "Cai was born in Youxi County. He became mayor in April 2004. He joined in 1975."


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Committee {n}")
    slug = factory.Sequence(lambda n: f"committee-{n}")
    kind = Organization.Kind.PARTY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    native_name = ""
    birth_date = None


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "Mayor"
    start_date = PartialDate(1997)
    end_date = PartialDate(1999)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    person = factory.SubFactory(PersonFactory)
    date = PartialDate(1975, 8)
    kind = Event.Kind.JOINED
    title = "Joins the party"


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    person = factory.SubFactory(PersonFactory)
    source = factory.SubFactory(SourceFactory)
    quote = "He became mayor in April 2004."
    field = ""


def cited_profile(*, positions=2, events=1, source=None, **person_fields):
    """A person whose every shown fact, position and event cites `source`."""
    source = source or SourceFactory()
    person = PersonFactory(**person_fields)
    CitationFactory(person=person, source=source, field="name", quote="Cai was born")
    for name in (
        "native_name",
        "romanization",
        "birth_date",
        "birth_place",
        "death_date",
        "death_place",
        "summary",
    ):
        if getattr(person, name):
            CitationFactory(person=person, source=source, field=name, quote="Cai was born")
    for number in range(positions):
        position = PositionFactory(
            person=person, start_date=PartialDate(1990 + number), end_date=PartialDate(1991 + number)
        )
        CitationFactory(person=person, position=position, source=source)
    for number in range(events):
        event = EventFactory(person=person, date=PartialDate(1975, 8, 1 + number))
        CitationFactory(person=person, event=event, source=source, quote="He joined in 1975.")
    return person
