import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from bioproject.history import History
from bioproject.models import CleanTextModel
from profiles.dates import PartialDateField
from profiles.search import search_people


def new_key():
    """A short random key for a position or event; imports bring their own readable ones."""
    return secrets.token_hex(6)


def check_date_order(start, end, *, start_field, end_field):
    """Refuse an end before its start, comparing the days each precision allows."""
    if start and end and end.latest < start.earliest:
        raise ValidationError(
            {end_field: ValidationError(f"Ends ({end}) before it starts ({start}).", code="end_before_start")}
        )


class Organization(CleanTextModel):
    class Kind(models.TextChoices):
        PARTY = "party", "Party or party committee"
        GOVERNMENT = "government", "Government"
        LEGISLATURE = "legislature", "Legislature"
        COMMISSION = "commission", "Commission"
        OFFICE = "office", "Office or department"
        UNIVERSITY = "university", "University or school"
        MILITARY = "military", "Military"
        COMMUNE = "commune", "Commune or village"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    native_name = models.CharField(
        max_length=200, blank=True, help_text="The name in its own script, e.g. 中共北京市委."
    )
    slug = models.SlugField(
        max_length=100, unique=True, help_text="The organization's address on the public site."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The body it is part of: a city committee inside a provincial committee.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    history = History()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization_detail", args=[self.slug])

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError(
                    {
                        "parent": ValidationError(
                            "An organization cannot be inside itself.", code="parent_cycle"
                        )
                    }
                )
            ancestor = ancestor.parent


# The heavy columns of a live revision, which lists of people never need.
LIVE_DOCUMENT = ("live_revision__document", "live_revision__search_text")


class PersonQuerySet(models.QuerySet):
    def published(self):
        """People with a published revision, the only ones readers may see."""
        return self.filter(live_revision__isnull=False)

    def listed(self):
        """Published people with their live revision's name, but not its (large) document."""
        return self.published().select_related("live_revision").defer(*LIVE_DOCUMENT)

    def review_queue(self):
        """Profiles waiting for a reviewer, longest waiting first, with who submitted them,
        when, and their note."""
        submitted = ReviewAction.objects.filter(
            person=models.OuterRef("pk"), action=ReviewAction.Action.SUBMITTED
        ).order_by("-created_at")
        return (
            self.filter(status=Person.Status.IN_REVIEW)
            .select_related("live_revision")
            .defer(*LIVE_DOCUMENT)
            .annotate(
                submitted_at=models.Subquery(submitted.values("created_at")[:1]),
                submitted_note=models.Subquery(submitted.values("comment")[:1]),
                submitted_by=models.Subquery(submitted.values("user__username")[:1]),
            )
            .order_by("submitted_at")
        )

    def search(self, query):
        """Published people matching the query in any of their names, roles or organizations."""
        return search_people(self.published(), query)


class Person(CleanTextModel):
    # Facts of the person that the public page shows and that citations can back one by one.
    CITABLE_FIELDS = (
        "name",
        "native_name",
        "romanization",
        "other_names",
        "birth_date",
        "birth_place",
        "death_date",
        "death_place",
        "summary",
    )

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Published, with pending changes"

    name = models.CharField(max_length=200, help_text="The name readers know, in Latin script.")
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The profile's address: slug cai-qi gives /people/cai-qi/. Changing it breaks old links.",
    )
    native_name = models.CharField(
        max_length=200, blank=True, help_text="The name in its own script, e.g. 蔡奇."
    )
    native_name_lang = models.CharField(
        "native name language",
        max_length=35,
        blank=True,
        default="zh-Hans",
        help_text="Language tag of the native name, e.g. zh-Hans, zh-Hant, ru, ar.",
    )
    romanization = models.CharField(
        max_length=200, blank=True, help_text="Romanization with tones, e.g. Cài Qí."
    )
    birth_date = PartialDateField(
        help_text="As precisely as the sources give it: 1955, 1955-12 or 1955-12-05."
    )
    birth_place = models.CharField(max_length=200, blank=True)
    death_date = PartialDateField(help_text="Leave empty for a living person.")
    death_place = models.CharField(max_length=200, blank=True)
    summary = models.TextField(
        max_length=2000,
        blank=True,
        help_text="Two or three neutral sentences that open the profile. Cite it.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    live_revision = models.ForeignKey(
        "profiles.PublishedRevision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Workflow fields change through the publishing services, which log them as ReviewActions.
    history = History(excluded_fields=["status", "live_revision"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "slug"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["status", "name"])]
        permissions = [
            ("submit_person", "Can submit a profile for review"),
            ("publish_person", "Can publish, reject, unpublish and revert a profile"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("person_detail", args=[self.slug])

    def clean(self):
        check_date_order(self.birth_date, self.death_date, start_field="birth_date", end_field="death_date")


class OtherName(CleanTextModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=200)
    note = models.CharField(
        max_length=200, blank=True, help_text="What kind of name: pseudonym, former name, …"
    )
    history = History(
        indexes=[models.Index(fields=["person", "history_date"], name="hist_othername_person_date")]
    )

    class Meta:
        ordering = ["person_id", "name"]
        verbose_name = "other name"

    def __str__(self):
        return self.name


class Position(CleanTextModel):
    CITABLE_FIELDS = ("role", "organization", "start_date", "end_date", "ordinal")

    key = models.SlugField(max_length=100, unique=True, default=new_key, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    role = models.CharField(max_length=200, help_text="The title held, e.g. Mayor, Party Secretary.")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="positions")
    start_date = PartialDateField(help_text="1997, 1997-04 or 1997-04-05; empty if unknown.")
    end_date = PartialDateField(help_text="Empty while the post is still held.")
    ended = models.BooleanField(
        default=False,
        help_text="Tick when the post has ended but the sources give no end date, so that "
        "readers do not see it as current.",
    )
    acting = models.BooleanField(default=False, help_text="Held as acting or interim holder.")
    concurrent = models.BooleanField(default=False, help_text="Held at the same time as another post.")
    ordinal = models.CharField(max_length=100, blank=True, help_text="Rank or ordinal, e.g. fifth-ranked.")
    note = models.TextField(blank=True, help_text="Shown to readers under the position.")
    editors_note = models.TextField(
        "editors' note", blank=True, help_text="For editors and reviewers only; never shown to readers."
    )
    history = History(
        indexes=[models.Index(fields=["person", "history_date"], name="hist_position_person_date")]
    )

    class Meta:
        ordering = ["person_id", "start_date", "end_date", "pk"]
        indexes = [models.Index(fields=["organization", "start_date"])]

    def __str__(self):
        return f"{self.role}, {self.organization}" if self.organization_id else self.role

    def clean(self):
        check_date_order(self.start_date, self.end_date, start_field="start_date", end_field="end_date")


class Event(CleanTextModel):
    CITABLE_FIELDS = ("date", "title", "description")

    class Kind(models.TextChoices):
        BORN = "born", "Born"
        DIED = "died", "Died"
        JOINED = "joined", "Joined a party or organization"
        STUDIED = "studied", "Studies and degrees"
        APPOINTED = "appointed", "Appointed"
        PROMOTED = "promoted", "Promoted or elected"
        SPOKE = "spoke", "Speech or statement"
        MET = "met", "Meeting or visit"
        POLICY = "policy", "Policy or campaign"
        INCIDENT = "incident", "Incident"
        CRITICISED = "criticised", "Criticism or controversy"
        OTHER = "other", "Other"

    key = models.SlugField(max_length=100, unique=True, default=new_key, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    date = PartialDateField(null=False, blank=False, help_text="1975, 1975-08 or 1975-08-15.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Neutral, one or two sentences.")
    editors_note = models.TextField(
        "editors' note", blank=True, help_text="For editors and reviewers only; never shown to readers."
    )
    history = History(
        indexes=[models.Index(fields=["person", "history_date"], name="hist_event_person_date")]
    )

    class Meta:
        ordering = ["person_id", "date", "pk"]

    def __str__(self):
        return f"{self.date}: {self.title}" if self.date else self.title


class PublishedRevisionQuerySet(models.QuerySet):
    def live_at(self, moment):
        """Revisions published by that moment, the one live then first."""
        return self.filter(published_at__lte=moment).order_by("-published_at", "-number")

    def visible(self):
        """Revisions of profiles that are published now (an unpublished profile shows none)."""
        return self.filter(person__live_revision__isnull=False)


class PublishedRevision(models.Model):
    """A profile document as a reviewer approved it: immutable, numbered per person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    document = models.JSONField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    # Copied from the document for listings, which must show the published name, not the draft.
    name = models.CharField(max_length=200)
    native_name = models.CharField(max_length=200, blank=True)
    native_name_lang = models.CharField(max_length=35, blank=True)
    # Every name, role and organization of the document, folded for case- and accent-blind search.
    search_text = models.TextField(blank=True)

    objects = PublishedRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["person_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["person", "number"], name="unique_revision_number")]
        indexes = [models.Index(fields=["person", "published_at"]), models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name} revision {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("A published revision never changes.", code="immutable")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("revision_detail", args=[self.person.slug, self.number])


class PublishedPosition(models.Model):
    """A position of a live revision, kept so organization pages read only published data."""

    revision = models.ForeignKey(PublishedRevision, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="published_positions"
    )
    key = models.CharField(max_length=100)
    role = models.CharField(max_length=200)
    start_date = PartialDateField()
    end_date = PartialDateField()
    ended = models.BooleanField(default=False)
    acting = models.BooleanField(default=False)

    class Meta:
        ordering = ["organization_id", "role", "start_date", "end_date"]
        indexes = [models.Index(fields=["organization", "role", "start_date"])]

    def __str__(self):
        return f"{self.role}, {self.organization_id}: {self.person_id}"


class PublishedCitation(models.Model):
    """A citation in a live revision: what the source page lists as citing it."""

    revision = models.ForeignKey(PublishedRevision, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="published_citations")
    anchor = models.CharField(max_length=120)
    claim = models.CharField(max_length=500)
    quote = models.TextField()
    stance = models.CharField(max_length=10)

    class Meta:
        ordering = ["source_id", "person_id", "pk"]
        indexes = [models.Index(fields=["source", "person"])]

    def __str__(self):
        return f"{self.source_id} → {self.person_id}: {self.claim}"


class ReviewAction(models.Model):
    """One step of a profile's review: who submitted, approved, rejected, and what they said."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved and published"
        REJECTED = "rejected", "Sent back to the editors"
        UNPUBLISHED = "unpublished", "Unpublished"
        REVERTED = "reverted", "Reverted"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="review_actions")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    revision = models.ForeignKey(
        PublishedRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.person}"
