"""The desk's forms: the schedule an editor posts, and what the filter form in the desk's
header offers (its markup is in templates/django/admin/desk/desk.html)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from taggit.models import Tag

from articles.admin.desk.queue import FLAGGED, LIVE, TODAY, desk_url
from articles.admin.schedule_field import EXAMPLE, ScheduleTimeField, when_short, zone_name
from articles.editorial.schedule import check_schedule_order
from articles.models import Provider, database_id


class ScheduleForm(forms.Form):
    """The desk's `s`: publish, to go live at a time (and come down at one). A decision like
    `p`, recorded with its schedule: `z` takes both back."""

    publish_at = ScheduleTimeField(label="Go live at")
    unpublish_at = ScheduleTimeField(label="Come down at")

    def clean(self):
        data = super().clean()
        publish_at, unpublish_at = data.get("publish_at"), data.get("unpublish_at")
        if self.errors:
            return data
        now = timezone.now()
        if not (publish_at or unpublish_at):
            raise forms.ValidationError(
                f"Type when it goes live, as {EXAMPLE} ({zone_name()}); to publish now, press p."
            )
        if publish_at and publish_at <= now:
            raise forms.ValidationError(
                f"{when_short(publish_at, now)} has passed (it is {when_short(now, now)}): "
                "type a time to come, or press p to publish now."
            )
        if unpublish_at and unpublish_at <= now:
            raise forms.ValidationError(f"{when_short(unpublish_at, now)} has passed.")
        try:
            check_schedule_order(publish_at, unpublish_at)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return data

    def errors_text(self) -> str:
        """What was wrong, in one line for the status bar or a message."""
        return " ".join(
            (f"{self.fields[name].label}: " if name in self.fields else "") + " ".join(errors)
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
        "today": bool(query.get(TODAY)),
        "flagged": bool(query.get(FLAGGED)),
        "active": bool(query),
    }
