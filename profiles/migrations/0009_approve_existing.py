"""Records that readers could already see were, in effect, approved: mark them so, and reserve
every slug a published revision has used (now also kept on each revision)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    now = timezone.now()
    apps.get_model("profiles", "Organization").objects.filter(approved_at__isnull=True).update(
        approved_at=now
    )
    apps.get_model("sources", "Source").objects.filter(approved_at__isnull=True).update(approved_at=now)
    PublishedRevision = apps.get_model("profiles", "PublishedRevision")
    for revision in PublishedRevision.objects.filter(slug="").only("pk", "document").iterator():
        PublishedRevision.objects.filter(pk=revision.pk).update(slug=revision.document["id"])
    PublicSlug = apps.get_model("profiles", "PublicSlug")
    seen = set()
    revisions = apps.get_model("profiles", "PublishedRevision").objects.order_by("published_at")
    for person_id, slug in revisions.values_list("person_id", "document__id").iterator():
        if slug not in seen:
            seen.add(slug)
            PublicSlug.objects.create(slug=slug, person_id=person_id)
    organizations = apps.get_model("profiles", "Organization").objects.all()
    for organization_id, slug in organizations.values_list("pk", "slug").iterator():
        PublicSlug.objects.create(slug=slug, organization_id=organization_id)


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0008_write_path"),
        ("sources", "0003_write_path"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
