from django.contrib import admin, messages
from django.utils.translation import ngettext

from .models import Article, ImportRun, Provider, RelatedLink


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "domain"]
    search_fields = ["name", "domain"]


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fields = ["position", "title", "url", "provider", "source_published_at", "quality"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "provider",
        "source_published_at",
        "quality",
        "heat",
        "published",
        "reviewed_by",
        "reviewed_at",
    ]
    list_filter = ["published", "source_published", "category", "type"]
    list_select_related = ["provider", "reviewed_by"]
    search_fields = ["title", "excerpt", "provider__name", "provider__domain"]
    date_hierarchy = "source_published_at"
    inlines = [RelatedLinkInline]
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = [
        field.name
        for field in Article._meta.get_fields()
        if field.concrete
        and not field.many_to_many
        and field.name not in {"id", "published", "topics"}
    ]

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    @admin.action(permissions=["publish"], description="Publish selected articles")
    def publish_selected(self, request, queryset):
        changed = queryset.set_published(True, request.user)
        self._report(request, changed, "published")

    @admin.action(permissions=["publish"], description="Unpublish selected articles")
    def unpublish_selected(self, request, queryset):
        changed = queryset.set_published(False, request.user)
        self._report(request, changed, "unpublished")

    def _report(self, request, changed, verb):
        self.message_user(
            request,
            ngettext("%(count)d article %(verb)s.", "%(count)d articles %(verb)s.", changed)
            % {"count": changed, "verb": verb},
            messages.SUCCESS,
        )


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "started_by",
        "status",
        "files_seen",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "warnings",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
