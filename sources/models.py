from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from bioproject.history import History
from bioproject.models import EditorialModel, GuardedQuerySet
from profiles import claims
from profiles.claims import CLAIM_FIELDS, DATE_FIELDS
from profiles.dates import PartialDate, PartialDateField
from sources.fields import WebURLField

# A language tag as Wikidata's monolingual texts take it (BCP 47, lower case): en, zh, zh-hant, yue.
LANGUAGE_TAG = RegexValidator(
    r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$",
    "Write the language as a code in lower case: en, zh, zh-hant, ja.",
    code="language_tag",
)

TYPOGRAPHIC_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
)


def comparable_text(text):
    """Text with typographic quotes made straight and every run of whitespace one space."""
    return " ".join((text or "").translate(TYPOGRAPHIC_QUOTES).split())


class SourceQuerySet(GuardedQuerySet):
    def approved(self):
        """Sources a reviewer has approved: the only ones readers may see."""
        return self.filter(approved_at__isnull=False)


class Source(EditorialModel):
    class Kind(models.TextChoices):
        NEWS = "news", "News report"
        OFFICIAL = "official", "Official or primary document"
        SCHOLARLY = "scholarly", "Book or journal"
        ENCYCLOPEDIA = "encyclopedia", "Encyclopedia or other tertiary source"
        AI_GENERATED = "ai_generated", "AI-generated"
        OTHER = "other", "Other"

    # Claims backed only by these kinds carry a badge for readers (they rest on no first-hand report).
    TERTIARY_KINDS = (Kind.ENCYCLOPEDIA, Kind.AI_GENERATED)

    id = models.SlugField(
        "key",
        max_length=100,
        primary_key=True,
        blank=True,
        help_text="Short permanent key, e.g. wikipedia-cai-qi. Left empty, it is made from the "
        "publisher and title.",
    )
    title = models.CharField(max_length=300)
    url = WebURLField("URL", max_length=500, help_text="The page cited: http or https only.")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text="What sort of source it is; readers see when a claim rests only on encyclopedias "
        "or AI-generated text.",
    )
    language = models.CharField(
        max_length=20,
        blank=True,
        validators=[LANGUAGE_TAG],
        help_text="The language it is written in, as a code: en, zh, zh-hant, ja. Left empty, it is "
        "read from the address (zh.wikipedia.org is zh), else undetermined.",
    )
    version_url = WebURLField(
        "pinned version URL",
        max_length=500,
        blank=True,
        help_text="The exact version read, when the page changes over time: a Wikipedia oldid link, "
        "for example.",
    )
    publisher = models.CharField(max_length=200, blank=True, help_text="e.g. Wikipedia, Xinhua.")
    author = models.CharField(max_length=200, blank=True)
    published = PartialDateField(
        "publication date",
        help_text="As precisely as the source gives it: 2024, 2024-03 or 2024-03-05.",
        placeholder="2024-03-05",
    )
    accessed = PartialDateField(
        "date accessed", help_text="The day we read it, e.g. 2026-11-26.", placeholder="2026-11-26"
    )
    archive_url = WebURLField(
        "archive URL",
        max_length=500,
        blank=True,
        help_text="A frozen copy, e.g. on the Wayback Machine: http or https only.",
    )
    note = models.TextField(blank=True, help_text="Shown to readers: caveats about the source.")
    editors_note = models.TextField(
        "editors' note", blank=True, help_text="For editors and reviewers only; never shown to readers."
    )
    archived_text = models.TextField(
        blank=True,
        help_text="What the source said when we read it. Quotes are checked against this text.",
    )
    # Set when a reviewer first approves it; from then on the row is what readers see (and what
    # quotes are checked against), and edits wait as a PendingChange until a reviewer approves them.
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = History(excluded_fields=["approved_at"])

    objects = SourceQuerySet.as_manager()

    UNREVIEWED_FIELDS = ("approved_at", "editors_note")
    REVIEWED_FIELDS = (
        "title",
        "kind",
        "url",
        "language",
        "version_url",
        "publisher",
        "author",
        "published",
        "accessed",
        "archive_url",
        "note",
        "archived_text",
    )

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["url"], name="unique_source_url"),
            models.CheckConstraint(
                condition=models.Q(url__startswith="http://") | models.Q(url__startswith="https://"),
                name="source_url_http",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def save(self, *args, **kwargs):
        if not self.id:
            self.id = self.free_key(slugify(f"{self.publisher} {self.title}")[:90] or "source")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("source_detail", args=[self.pk])

    def is_public_row(self):
        return self.approved_at is not None

    @classmethod
    def free_key(cls, base):
        key, number = base, 1
        while cls.objects.filter(pk=key).exists():
            number += 1
            key = f"{base}-{number}"
        return key

    def live_quotes_broken_by(self, text):
        """The live profiles whose quotes of this source are in its archived text but would not be
        in `text` (a correction waiting for review): [(person, [quote, ...])], by name."""
        before, after = comparable_text(self.archived_text), comparable_text(text)
        broken = {}
        uses = self.published_citations.select_related("person__live_revision").only(
            "quote", "person__slug", "person__live_revision__name", "person__live_revision__slug"
        )
        for use in uses.order_by("person__live_revision__name", "person_id", "pk"):
            quote = comparable_text(use.quote)
            if quote and quote in before and quote not in after:
                broken.setdefault(use.person, []).append(use.quote)
        return list(broken.items())

    def verification_of(self, quote):
        """How a quote stands against this source's archived text."""
        if not self.archived_text.strip():
            return Citation.Verification.NO_ARCHIVE
        if comparable_text(quote) and comparable_text(quote) in comparable_text(self.archived_text):
            return Citation.Verification.VERIFIED
        return Citation.Verification.UNVERIFIED


class CitationQuerySet(GuardedQuerySet):
    def person_facts(self):
        """Citations of a person's own facts (not of a position or event)."""
        return self.filter(position__isnull=True, event__isnull=True)


class Citation(EditorialModel):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", "supports the claim"
        DISPUTES = "disputes", "disputes the claim"
        INFERS = "infers", "implies it (inferred, not stated)"

    class Verification(models.TextChoices):
        VERIFIED = "verified", "verified"
        UNVERIFIED = "unverified", "unverified"
        NO_ARCHIVE = "no_archive", "no archive"

    FIELD_CHOICES = [("", "the whole claim"), *claims.FIELD_CHOICES]

    person = models.ForeignKey(
        "profiles.Person",
        on_delete=models.CASCADE,
        related_name="citations",
        help_text="Whose profile the claim is in.",
    )
    position = models.ForeignKey(
        "profiles.Position",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="citations",
    )
    event = models.ForeignKey(
        "profiles.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    field = models.CharField(
        max_length=30,
        blank=True,
        choices=FIELD_CHOICES,
        help_text="The one fact it backs (e.g. only the start date), or the whole claim.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(help_text="The sentence of the source that says so, copied exactly.")
    locator = models.CharField(
        max_length=200, blank=True, help_text="Where in the source: section, page, paragraph."
    )
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.SUPPORTS)
    stated = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the source gives when it differs from the recorded value. "
        "For dates write it as a date: 2004-06.",
    )
    note = models.CharField(
        max_length=500,
        blank=True,
        help_text='Shown to readers, e.g. "gives June 2004"; for an inferred value, how it is inferred.',
    )
    editors_note = models.CharField(
        "editors' note",
        max_length=500,
        blank=True,
        help_text="For editors and reviewers only; never shown to readers.",
    )
    verification = models.CharField(
        max_length=12,
        choices=Verification.choices,
        default=Verification.NO_ARCHIVE,
        editable=False,
    )
    # A reviewer may publish a quote that fails the check, with a reason readers see as "not
    # verified against an archived copy". It holds for the quote it was given for only.
    override_reason = models.TextField(blank=True, editable=False)
    override_quote = models.TextField(blank=True, editable=False)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    override_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The verification is recomputed from the source, so its changes are not edits to record.
    history = History(
        excluded_fields=["verification"],
        indexes=[models.Index(fields=["person", "history_date"], name="hist_citation_person_date")],
    )

    objects = CitationQuerySet.as_manager()

    UNREVIEWED_FIELDS = ("verification",)

    class Meta:
        ordering = ["person_id", "position_id", "event_id", "field", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position__isnull=True) | models.Q(event__isnull=True),
                name="citation_one_claim",
            ),
            models.CheckConstraint(
                condition=~models.Q(stance="disputes") | ~models.Q(stated="", note=""),
                name="citation_dispute_says_what",
            ),
            models.CheckConstraint(
                condition=~models.Q(stance="infers") | ~models.Q(note=""),
                name="citation_inference_says_how",
            ),
        ]
        indexes = [models.Index(fields=["source", "person"])]

    def __str__(self):
        return f"{self.source_id}: {self.quote[:60]}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_source_id = instance.__dict__.get("source_id")
        return instance

    def save(self, *args, **kwargs):
        claim = self.claim_object()
        if claim is not None:
            self.person_id = claim.person_id
        if self.override_reason and getattr(self, "_stored_source_id", self.source_id) != self.source_id:
            # A reviewer let this quote through for the source they read it in; another source's
            # text needs a review of its own.
            self.override_reason, self.override_quote, self.override_by, self.override_at = "", "", None, None
        self.verification = self.source.verification_of(self.quote)
        super().save(*args, **kwargs)
        self._stored_source_id = self.source_id

    @property
    def overridden(self):
        """Whether a reviewer let this very quote through the quote check."""
        return bool(self.override_reason) and self.override_quote == self.quote

    def claim_kind(self):
        """Which kind of claim this backs: "position", "event" or a fact of the "person"."""
        if self.position_id or (Citation.position.is_cached(self) and self.position is not None):
            return "position"
        if self.event_id or (Citation.event.is_cached(self) and self.event is not None):
            return "event"
        return "person"

    def claim_object(self):
        kind = self.claim_kind()
        return {
            "position": self.position if kind == "position" else None,
            "event": self.event if kind == "event" else None,
        }.get(kind)

    def clean(self):
        errors = {}
        kind = self.claim_kind()
        if self.field and self.field not in CLAIM_FIELDS[kind]:
            errors["field"] = ValidationError(
                "A %(kind)s has no field “%(field)s”: choose one of %(allowed)s.",
                code="wrong_field",
                params={"kind": kind, "field": self.field, "allowed": ", ".join(CLAIM_FIELDS[kind])},
            )
        if kind == "person" and not self.field:
            errors["field"] = ValidationError(
                "Say which fact of the person this citation backs.", code="field_required"
            )
        claim = self.claim_object()
        if claim is not None and claim.person_id and self.person_id and (claim.person_id != self.person_id):
            errors["person"] = ValidationError(
                "This claim belongs to another person's profile.", code="other_person"
            )
        if self.stance == self.Stance.DISPUTES and not (self.stated or self.note):
            errors["stated"] = ValidationError(
                "Say what the disputing source gives instead.", code="dispute_without_value"
            )
        if self.stance == self.Stance.INFERS and not self.note:
            errors["note"] = ValidationError(
                "Say how the value is inferred from the source (readers see this note).",
                code="inference_without_note",
            )
        if self.stated and self.field in DATE_FIELDS:
            try:
                self.stated = PartialDate.parse(self.stated).isoformat()
            except ValueError as error:
                errors["stated"] = ValidationError(
                    f"For a date, write what the source gives as a date. {error}",
                    code="invalid_date",
                )
        if errors:
            raise ValidationError(errors)
