"""The desk's forms: the schedule an editor posts, and what the filter form in the desk's
header offers (its markup is in templates/django/admin/desk/desk.html)."""

from django import forms
from taggit.models import Tag

from articles.admin.desk.queue import LIVE, desk_url
from articles.models import Provider, database_id


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(required=False)
    unpublish_at = forms.DateTimeField(required=False)

    def errors_text(self) -> str:
        """What was wrong, in one line for the status bar or a message."""
        return " ".join(
            f"{self.fields[name].label or name.replace('_', ' ')}: {' '.join(errors)}"
            for name, errors in self.errors.items()
        )


# The list filters offered as selects; provider and topic are chosen from an item's links.
SELECTED_FILTERS = ("quality_band", "category", "disagrees")
CHOSEN_FROM_LINKS = (("provider", Provider), ("topic", Tag))


def filter_form(query, filters) -> dict:
    """What the filter form offers: the list filters' own choices, the chosen provider and
    topic by name (chosen from an item's links, not from a list of thousands)."""
    by_name = {f.parameter_name: f for f in filters}
    selects = [
        {
            "name": parameter,
            "label": by_name[parameter].title.capitalize(),
            "value": query.get(parameter, ""),
            "choices": list(by_name[parameter].lookup_choices),
        }
        for parameter in SELECTED_FILTERS
    ]
    chosen = []
    for parameter, model in CHOSEN_FROM_LINKS:
        pk = database_id(query.get(parameter, ""))
        if pk is not None:
            name = model.objects.filter(pk=pk).values_list("name", flat=True).first()
            remaining = query.copy()
            del remaining[parameter]
            chosen.append(
                {
                    "name": parameter,
                    "value": pk,
                    "label": f"{parameter.capitalize()}: {name or f'#{pk}'}",
                    "remove_url": desk_url(remaining),
                }
            )
    return {
        "selects": selects,
        "chosen": chosen,
        "live": bool(query.get(LIVE)),
        "active": bool(query),
    }
