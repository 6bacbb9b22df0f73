"""Admin screens for records that only the code which made them writes."""


class ReadOnlyAdminMixin:
    """For a ModelAdmin or an inline whose rows are a record (review decisions, import runs, a
    seed file's related links): nobody adds, changes or deletes them here, not even a superuser.
    Seeing them still takes the model's view permission."""

    # `obj` too: an inline is asked with the parent object, a ModelAdmin without.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
