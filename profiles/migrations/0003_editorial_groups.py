"""The Editors and Reviewers groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDIT = ["add", "change", "view"]
EDITORS = {
    "profiles": {
        "person": EDIT + ["submit"],
        "organization": EDIT,
        "position": EDIT + ["delete"],
        "event": EDIT + ["delete"],
        "othername": EDIT + ["delete"],
        "reviewaction": ["view"],
    },
    "sources": {"source": EDIT, "citation": EDIT + ["delete"]},
}
REVIEWERS = {
    "profiles": {
        **EDITORS["profiles"],
        "person": EDIT + ["submit", "publish", "delete"],
        "organization": EDIT + ["delete"],
    },
    "sources": {**EDITORS["sources"], "source": EDIT + ["delete"]},
}


def codename(action, model):
    return f"{action}_{model}"


def grant(apps, group_name, table):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    wanted = []
    for app_label, models in table.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=codename(action, model)
                    )
                )
    group.permissions.set(wanted)


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant(apps, "Editors", EDITORS)
    grant(apps, "Reviewers", REVIEWERS)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0002_initial"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
