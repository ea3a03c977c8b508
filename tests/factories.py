"""factory_boy factories for every model; `cited_profile` builds a whole, publishable profile."""

import contextlib

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from bioproject import writes
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


@contextlib.contextmanager
def as_system():
    """Test data written directly, as a trusted script would: the write guard's system session
    (no user, no permission check; profiles are still locked and their state moved)."""
    from profiles import editing

    with writes.session(user=None, system=True, bulk=True) as opened:
        yield opened
        editing.finish_edits(opened)


class GuardedFactory(factory.django.DjangoModelFactory):
    """Factories of editorial records write through a system session, like the generator."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with as_system():
            return super()._create(model_class, *args, **kwargs)


class SourceFactory(GuardedFactory):
    class Meta:
        model = Source

    id = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    publisher = factory.Iterator(["Wikipedia", "Grokipedia", "Xinhua"])
    accessed = PartialDate(2026, 11, 26)
    archived_text = "Cai was born in Youxi County. He became mayor in April 2004. He joined in 1975."
    approved_at = factory.LazyFunction(timezone.now)  # shared records in tests are reviewed ones


class OrganizationFactory(GuardedFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Committee {n}")
    slug = factory.Sequence(lambda n: f"committee-{n}")
    kind = Organization.Kind.PARTY
    approved_at = factory.LazyFunction(timezone.now)


class PersonFactory(GuardedFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    native_name = ""
    # People in the tests are mostly Chinese officials; the model no longer assumes it.
    native_name_lang = factory.LazyAttribute(lambda person: "zh-Hans" if person.native_name else "")
    birth_date = None


class PositionFactory(GuardedFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "Mayor"
    start_date = PartialDate(1997)
    end_date = PartialDate(1999)


class EventFactory(GuardedFactory):
    class Meta:
        model = Event

    person = factory.SubFactory(PersonFactory)
    date = PartialDate(1975, 8)
    kind = Event.Kind.JOINED
    title = "Joins the party"


class CitationFactory(GuardedFactory):
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


def reviewer_user(username="reviewer"):
    """A member of the Reviewers group (made once)."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


def publish(*, person, user, comment=""):
    """Publish a profile as a reviewer does from the review screen, having read it now."""
    from profiles import publishing

    return publishing.profile_publish(
        person=person, user=user, comment=comment, seen=publishing.working_digest(person)
    )
