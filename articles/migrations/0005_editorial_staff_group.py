"""Review roles: `Staff` may look at and correct, not publish; `Editors` also see the decisions.

Staff "correct" providers (names, logos); an article's own fields come from its seed file and are
read-only for everyone, and its published state and schedule belong to Editors.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_PERMISSIONS = [
    "view_article",
    "change_article",
    "view_provider",
    "change_provider",
    "view_relatedlink",
    "view_importrun",
    "view_reviewdecision",
]
EDITOR_EXTRA_PERMISSIONS = ["change_provider", "view_reviewdecision"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(codenames):
        return Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)

    staff, _ = Group.objects.get_or_create(name="Staff")
    staff.permissions.add(*permissions(STAFF_PERMISSIONS))
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions(EDITOR_EXTRA_PERMISSIONS))


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Staff").delete()
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.remove(
            *editors.permissions.filter(codename__in=EDITOR_EXTRA_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_editorial_review_history")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
