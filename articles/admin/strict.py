"""What an editor's browser sends is text: the admin takes only real ids and its own list filters.

Left alone, Django's admin reads "٣" or " 3" as the id 3 (int() does), asks the database about
numbers no id column holds (SQLite then fails: a 500), and filters a list by any column named in
its URL, the `secured` payload included (`?secured__startswith=a`, one letter at a time). Every
model admin here uses `StrictAdminMixin`, and every list filter that takes an id `database_id`.
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from articles.models import database_id


class StrictChangeList(ChangeList):
    """A list filtered only by its own filters, search, ordering and date hierarchy: any other
    parameter, a date the hierarchy cannot make or a NUL character is an invalid filter, which
    the admin answers as it does all of them (back to the list with "?e=1")."""

    def get_filters(self, request):
        asked = self.get_filters_params()
        if any("\x00" in value for values in asked.values() for value in values):
            # No stored text holds a NUL, and PostgreSQL refuses to be asked about one (a 500).
            raise IncorrectLookupParameters("A NUL character in a filter.")
        try:
            filters = super().get_filters(request)
        except (ValueError, OverflowError) as error:
            # Django checks that the year, month and day make a date, not that they fit a C int
            # nor that the end of the span exists (the year after 9999).
            raise IncorrectLookupParameters(error) from error
        # What no filter took: a column lookup the URL made up.
        undeclared = set(asked) & set(filters[2])
        if undeclared:
            raise IncorrectLookupParameters(f"Not a filter of this list: {sorted(undeclared)}")
        return filters


class StrictAdminMixin:
    """For every model admin: objects by real ids only, lists by their own filters only."""

    def get_changelist(self, request, **kwargs):
        return StrictChangeList

    def get_object(self, request, object_id, from_field=None):
        # Every model here has an integer id, and `_to_field` may only name it (Django checks).
        if database_id(object_id) is None:
            return None  # the admin's "does not exist" (preview: a 404)
        return super().get_object(request, object_id, from_field)

    def response_action(self, request, queryset):
        # Django filters by the ticked ids as they are posted: "²" or 30 digits would be a 500.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(database_id(pk) is None for pk in selected):
            self.message_user(
                request, "Nothing was done: the selection was not understood.", messages.ERROR
            )
            return None  # the list again, as for any action that could not run
        return super().response_action(request, queryset)
