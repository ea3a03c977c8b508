import secrets

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from bioproject.history import History
from bioproject.models import EditorialModel, GuardedQuerySet
from profiles import identifiers as identifier_rules
from profiles.dates import PartialDateField
from profiles.search import search_people


def new_key():
    """A short random key for a position or event; imports bring their own readable ones."""
    return secrets.token_hex(6)


def check_identifiers(value):
    """Refuse a list of identifiers that is not as profiles.identifiers describes."""
    found = identifier_rules.problems(value)
    if found:
        raise ValidationError(
            {
                "identifiers": [
                    ValidationError(
                        message if index is None else f"Entry {index + 1}: {message}", code="identifier"
                    )
                    for index, message in found
                ]
            }
        )


def check_date_order(start, end, *, start_field, end_field):
    """Refuse an end before its start, comparing the days each precision allows."""
    if start and end and end.latest < start.earliest:
        raise ValidationError(
            {end_field: ValidationError(f"Ends ({end}) before it starts ({start}).", code="end_before_start")}
        )


class OrganizationQuerySet(GuardedQuerySet):
    def approved(self):
        """Organizations a reviewer has approved: the only ones readers may see."""
        return self.filter(approved_at__isnull=False)


class Organization(EditorialModel):
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
    identifiers = models.JSONField(default=list, blank=True, help_text=identifier_rules.HELP_TEXT)
    # Set when a reviewer first approves it; from then on the row is what readers see, and edits
    # wait as a PendingChange until a reviewer approves them.
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = History(excluded_fields=["approved_at"])

    objects = OrganizationQuerySet.as_manager()

    UNREVIEWED_FIELDS = ("approved_at",)
    REVIEWED_FIELDS = ("name", "native_name", "slug", "parent", "kind", "identifiers")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization_detail", args=[self.slug])

    def is_public_row(self):
        return self.approved_at is not None

    def clean(self):
        if self.identifiers is None:  # an emptied admin field
            self.identifiers = []
        check_identifiers(self.identifiers)
        if self.slug and PublicSlug.objects.taken(self.slug, organization=self):
            raise ValidationError(
                {
                    "slug": ValidationError(
                        "Another organization had this address; choose another.", code="slug_reserved"
                    )
                }
            )
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


class PersonQuerySet(GuardedQuerySet):
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

    def with_last_review_step(self):
        """People with their latest review step: its action, time, comment and who took it."""
        latest = ReviewAction.objects.of_person(models.OuterRef("pk"))
        return self.annotate(
            last_action=models.Subquery(latest.values("action")[:1]),
            last_action_at=models.Subquery(latest.values("created_at")[:1]),
            last_action_comment=models.Subquery(latest.values("comment")[:1]),
            last_action_by=models.Subquery(latest.values("user__username")[:1]),
        )

    def sent_back_to(self, user):
        """Profiles whose latest review step sent them back after this user had submitted or
        edited them, with the reviewer's comment; latest first."""
        before = {"created_at__lt": models.OuterRef("last_action_at")}
        submitted = ReviewAction.objects.of_person(models.OuterRef("pk")).filter(
            user=user, action=ReviewAction.Action.SUBMITTED, **before
        )
        worked = models.Exists(submitted)
        edited = {"history_user": user, "history_date__lt": models.OuterRef("last_action_at")}
        worked |= models.Exists(Person.history.model.objects.filter(id=models.OuterRef("pk"), **edited))
        for model in (OtherName, Position, Event, apps.get_model("sources", "Citation")):
            worked |= models.Exists(
                model.history.model.objects.filter(person_id=models.OuterRef("pk"), **edited)
            )
        return (
            self.with_last_review_step()
            .filter(worked, last_action=ReviewAction.Action.REJECTED)
            .defer(*LIVE_DOCUMENT)
            .select_related("live_revision")
            .order_by("-last_action_at", "pk")
        )

    def submitted_by(self, user):
        """Profiles this user has submitted for review, with when they last did and the latest
        review step; most recent submission first."""
        mine = ReviewAction.objects.of_person(models.OuterRef("pk")).filter(
            user=user, action=ReviewAction.Action.SUBMITTED
        )
        return (
            self.with_last_review_step()
            .filter(models.Exists(mine))
            .annotate(submitted_at=models.Subquery(mine.values("created_at")[:1]))
            .defer(*LIVE_DOCUMENT)
            .select_related("live_revision")
            .order_by("-submitted_at", "pk")
        )


class Person(EditorialModel):
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
        "identifiers",
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
        help_text="The profile's address: slug cai-qi gives /people/cai-qi/. A new slug goes live when "
        "the profile is next published; the old address then leads to the new one.",
    )
    native_name = models.CharField(
        max_length=200, blank=True, help_text="The name in its own script, e.g. 蔡奇."
    )
    native_name_lang = models.CharField(
        "native name language",
        max_length=35,
        blank=True,
        default="",
        help_text="Language tag of the native name: zh-Hans for simplified Chinese, zh-Hant for "
        "traditional, ja, ko, ru, ar …",
    )
    romanization = models.CharField(
        max_length=200, blank=True, help_text="Romanization with tones, e.g. Cài Qí."
    )
    birth_date = PartialDateField(
        help_text="As precisely as the sources give it: 1955, 1955-12 or 1955-12-05.",
        placeholder="1955-12-05",
    )
    birth_place = models.CharField(max_length=200, blank=True)
    death_date = PartialDateField(
        help_text="As precisely as the sources give it, e.g. 2019, 2019-03 or 2019-03-27. "
        "Leave empty for a living person.",
        placeholder="2019-03-27",
    )
    death_place = models.CharField(max_length=200, blank=True)
    summary = models.TextField(
        max_length=2000,
        blank=True,
        help_text="Two or three neutral sentences that open the profile. Cite it.",
    )
    identifiers = models.JSONField(
        default=list, blank=True, help_text=identifier_rules.HELP_TEXT + " Cite them like any other fact."
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

    UNREVIEWED_FIELDS = ("status", "live_revision")

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
        """The public address: the slug of the live revision (a new slug goes live with it)."""
        slug = self.live_revision.slug if self.live_revision_id else self.slug
        return reverse("person_detail", args=[slug])

    def profile_id(self):
        return self.pk

    def clean(self):
        if self.identifiers is None:  # an emptied admin field
            self.identifiers = []
        check_identifiers(self.identifiers)
        check_date_order(self.birth_date, self.death_date, start_field="birth_date", end_field="death_date")
        if self.slug and PublicSlug.objects.taken(self.slug, person=self):
            raise ValidationError(
                {
                    "slug": ValidationError(
                        "Another profile had this address; choose another.", code="slug_reserved"
                    )
                }
            )


class OtherName(EditorialModel):
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


class Position(EditorialModel):
    CITABLE_FIELDS = ("role", "organization", "start_date", "end_date", "ordinal")

    key = models.SlugField(max_length=100, unique=True, default=new_key, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    role = models.CharField(max_length=200, help_text="The title held, e.g. Mayor, Party Secretary.")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="positions")
    start_date = PartialDateField(
        help_text="1997, 1997-04 or 1997-04-05; empty if unknown.", placeholder="1997-04"
    )
    end_date = PartialDateField(
        help_text="2001, 2001-06 or 2001-06-30; empty while the post is still held.", placeholder="2001-06"
    )
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


class Event(EditorialModel):
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
    date = PartialDateField(
        null=False, blank=False, help_text="1975, 1975-08 or 1975-08-15.", placeholder="1975-08"
    )
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
        """Revisions of profiles that are published now (an unpublished profile shows none),
        except hidden ones."""
        return self.filter(person__live_revision__isnull=False, hidden_at__isnull=True)


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
    # Copied from the document for listings, which must show the published name and address,
    # not the working copy's.
    slug = models.SlugField(max_length=100, default="")
    name = models.CharField(max_length=200)
    native_name = models.CharField(max_length=200, blank=True)
    native_name_lang = models.CharField(max_length=35, blank=True)
    # Every name, role and organization of the document, folded for case- and accent-blind search.
    search_text = models.TextField(blank=True)
    # A reviewer can hide (suppress) a revision: vandalism, a defamatory line. Its document stays
    # for the record, but no public page, feed or diff shows it any more.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(blank=True)

    objects = PublishedRevisionQuerySet.as_manager()

    # All that may change on a revision once written (by profiles.publishing.revision_hide).
    SUPPRESSION_FIELDS = ("hidden_at", "hidden_by", "hidden_reason")

    class Meta:
        ordering = ["person_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["person", "number"], name="unique_revision_number")]
        indexes = [models.Index(fields=["person", "published_at"]), models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name} revision {self.number}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and not (
            update_fields and set(update_fields) <= set(self.SUPPRESSION_FIELDS)
        ):
            raise ValidationError("A published revision never changes.", code="immutable")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("revision_detail", args=[self.slug, self.number])

    @property
    def hidden(self):
        return self.hidden_at is not None


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
    anchor = models.CharField(max_length=120)  # the claim's id on the profile page
    claim = models.CharField(max_length=500)  # what the claim is, in a few words
    quote = models.TextField()
    stance = models.CharField(max_length=10)

    class Meta:
        ordering = ["source_id", "person_id", "pk"]
        indexes = [models.Index(fields=["source", "person"])]

    def __str__(self):
        return f"{self.source_id} → {self.person_id}: {self.claim}"


class ReviewActionQuerySet(models.QuerySet):
    def of_person(self, person):
        """The review steps of one profile (a Person, its pk or an OuterRef), newest first."""
        return self.filter(person=person).order_by("-created_at", "-pk")

    def in_period(self, *, since=None, until=None, user=None):
        """Steps taken after `since` and before `until` (moments), by `user` when given."""
        steps = self
        if since is not None:
            steps = steps.filter(created_at__gt=since)
        if until is not None:
            steps = steps.filter(created_at__lt=until)
        if user is not None:
            steps = steps.filter(user=user)
        return steps


class ReviewAction(models.Model):
    """One step of a review: who submitted, approved, rejected, hid, and what they said. It
    concerns a profile, or an organization or source (a shared record)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved and published"
        REJECTED = "rejected", "Sent back to the editors"
        UNPUBLISHED = "unpublished", "Unpublished"
        REVERTED = "reverted", "Reverted"
        HIDDEN = "hidden", "Revision hidden"
        OVERRIDDEN = "overridden", "Quote check overridden"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="review_actions"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="review_actions"
    )
    source = models.ForeignKey(
        "sources.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="review_actions"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    revision = models.ForeignKey(
        PublishedRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The working copy a reviewer sent back, so that the next review shows what changed since.
    document = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-created_at"]),
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["source", "-created_at"]),
            # The site-wide list, newest first (recent changes, the dashboards).
            models.Index(fields=["-created_at", "-id"], name="reviewaction_newest_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.subject}"

    @property
    def subject(self):
        return self.person or self.organization or self.source


class PublicSlugQuerySet(models.QuerySet):
    def taken(self, slug, *, person=None, organization=None):
        """Whether another person (or organization) has had this slug on the public site."""
        if person is not None:
            rows = self.filter(slug=slug, person__isnull=False)
            return rows.exclude(person_id=person.pk).exists() if person.pk else rows.exists()
        rows = self.filter(slug=slug, organization__isnull=False)
        return rows.exclude(organization_id=organization.pk).exists() if organization.pk else rows.exists()


class PublicSlug(models.Model):
    """An address a person or organization has had on the public site. Once published, a slug
    stays reserved to its record: an old address answers with a redirect to the current one."""

    slug = models.SlugField(max_length=100)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="public_slugs"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="public_slugs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PublicSlugQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) ^ models.Q(organization__isnull=True),
                name="public_slug_one_owner",
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(person__isnull=False), name="unique_person_slug"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(organization__isnull=False),
                name="unique_organization_slug",
            ),
        ]

    def __str__(self):
        return f"{self.slug} → {self.person or self.organization}"


class PendingChange(models.Model):
    """An editor's change to an approved organization or source, waiting for a reviewer.

    `values` holds the proposed values of the fields that differ from the approved row (as
    `bioproject.records.field_values` writes them), `base` what those fields were when the change
    was first proposed. Readers keep seeing the row until a reviewer approves the change.
    """

    organization = models.OneToOneField(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="pending_change"
    )
    source = models.OneToOneField(
        "sources.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="pending_change"
    )
    values = models.JSONField()
    base = models.JSONField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=True) ^ models.Q(source__isnull=True),
                name="pending_change_one_record",
            ),
        ]

    def __str__(self):
        return f"Pending change to {self.record}"

    @property
    def record(self):
        return self.organization or self.source


class RenderedPage(models.Model):
    """The live page of a published revision as rendered at publication, with its gzip and its
    Brotli: a cache of the frozen document (profiles.pages), never part of it, re-rendered by
    `render_pages`."""

    revision = models.OneToOneField(
        PublishedRevision, primary_key=True, on_delete=models.CASCADE, related_name="rendered_page"
    )
    html = models.BinaryField()
    html_gzip = models.BinaryField()
    html_br = models.BinaryField(default=b"")  # empty for pages rendered before Brotli
    rendered_at = models.DateTimeField()

    class Meta:
        ordering = ["revision_id"]

    def __str__(self):
        return f"Rendered page of {self.revision_id}"
