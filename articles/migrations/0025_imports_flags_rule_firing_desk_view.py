"""RuleFiring.desk_view: the saved desk view a flag put the article in, backfilled from the
view's name each firing recorded (its rule's view when the names agree, else the one view of
that name; none when the name is ambiguous or the view is gone)."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    RuleFiring = apps.get_model("articles", "RuleFiring")
    SavedDeskView = apps.get_model("articles", "SavedDeskView")
    by_name = {}
    for view in SavedDeskView.objects.all():
        by_name.setdefault(view.name, []).append(view)
    firings = RuleFiring.objects.filter(action="flag", desk_view__isnull=True).select_related(
        "rule__desk_view"
    )
    for firing in firings.iterator():
        rule_view = firing.rule.desk_view if firing.rule else None
        if rule_view is not None and rule_view.name == firing.detail:
            view = rule_view
        else:
            named = by_name.get(firing.detail, [])
            view = named[0] if len(named) == 1 else None
        if view is not None:
            firing.desk_view = view
            firing.save(update_fields=["desk_view"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0024_editors_day_flow_indexes")]

    operations = [
        migrations.AddField(
            model_name="rulefiring",
            name="desk_view",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="flagged",
                to="articles.saveddeskview",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
