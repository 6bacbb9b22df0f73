"""Webhook endpoints (URL, events, active; the secret shown once, on the page after adding) and
their delivery log (status, attempts, response code, time), with "send again"."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from articles.admin.strict import StrictAdminMixin
from articles.models import EVENTS, WebhookDelivery, WebhookEndpoint
from articles.tasks.webhooks import send_again
from articles.webhooks.announcing import start_from_what_readers_see
from articles.webhooks.endpoints import check_destination


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=[(e, e) for e in EVENTS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every event.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "events", "active", "description"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        check_destination(url)
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(StrictAdminMixin, admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "active", "event_list", "disabled_reason", "created_at"]
    readonly_fields = ["disabled_reason"]

    @admin.display(description="events")
    def event_list(self, endpoint):
        return ", ".join(endpoint.events) or "all"

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return (
            fields if obj and obj.disabled_reason else [f for f in fields if f != "disabled_reason"]
        )

    def changelist_view(self, request, extra_context=None):
        for endpoint in WebhookEndpoint.objects.exclude(disabled_reason="").filter(active=False):
            messages.warning(request, f"Webhook {endpoint.url}: {endpoint.disabled_reason}")
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        starting = obj.active and (not change or "active" in form.changed_data)
        if change and starting:
            obj.disabled_reason = ""
        super().save_model(request, obj, form, change)
        if starting:
            start_from_what_readers_see(obj)
        if not change:
            messages.warning(
                request,
                format_html(
                    "Signing secret for {} (shown once; give it to the receiver): <code>{}</code>",
                    obj.url,
                    obj.secret,
                ),
            )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(StrictAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at", "event_type", "subject", "endpoint", "state", "attempts", "response_code",
        "last_attempt_at", "last_error",
    ]  # fmt: skip
    list_filter = ["state", "event_type", "endpoint"]
    actions = ["send_again_action"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send again", permissions=["view"])
    def send_again_action(self, request, queryset):
        count = send_again(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} deliveries queued to be sent again.")
