"""Providers: names and domains come with the imports; the newsroom sets their logos here."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from articles.admin.display import changelist_url
from articles.admin.strict import StrictAdminMixin
from articles.editorial import logos
from articles.models import Provider


class ProviderAdminForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["logo"]
        widgets = {
            "logo": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
            )
        }

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        self.logo_images = None
        if upload and upload != self.initial.get("logo") and hasattr(upload, "content_type"):
            self.logo_images = logos.process_logo(upload)
        return upload


@admin.register(Provider)
class ProviderAdmin(StrictAdminMixin, admin.ModelAdmin):
    class Media:
        css = {"all": ["articles/admin/review_desk.css"]}  # no inline styles under the CSP

    form = ProviderAdminForm
    list_display = ["thumbnail", "name", "domain", "article_count"]
    list_display_links = ["name"]
    search_fields = ["name", "domain"]
    readonly_fields = ["name", "domain", "thumbnail", "article_count"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "domain", "logo", "thumbnail", "article_count"],
                "description": "The name and domain come from the seed files (each import "
                "brings the latest name); the logo is the newsroom's own.",
            },
        )
    ]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, provider):
        count = getattr(provider, "article_count", None)
        if count is None:
            return "—"
        url = changelist_url("article", provider=provider.pk)
        return format_html('<a href="{}">{}</a>', url, count)

    @admin.display(description="thumbnail")
    def thumbnail(self, provider):
        if not provider.logo_thumbnail:
            return "—"
        return format_html(
            '<img class="provider-thumbnail" src="{}" alt="">',
            provider.logo_thumbnail.url,
        )

    def has_add_permission(self, request):
        return False  # providers come with the articles of an import

    def save_model(self, request, obj, form, change):
        if "logo" in form.changed_data:
            obj.set_logo(form.logo_images)  # the checked images, not the raw upload
        super().save_model(request, obj, form, change)
