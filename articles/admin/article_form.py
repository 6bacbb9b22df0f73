"""The article page's form: the editor's fields (the decision, the schedule, the headline and
excerpt readers read) and the public note a correction may carry."""

from django import forms
from django.utils import timezone

from articles.admin.schedule_field import EXAMPLE, ScheduleTimeField
from articles.editorial.corrections import MAX_NOTE
from articles.models import Article


class ArticleAdminForm(forms.ModelForm):
    # Typed as text, one box each, labelled (articles/admin/schedule_field.py), not the admin's
    # date and time boxes: one format on every screen.
    publish_at = ScheduleTimeField(label="Go live at")
    unpublish_at = ScheduleTimeField(label="Come down at")
    # Not a column: saved as the `Correction` the headline or excerpt change records.
    correction_note = forms.CharField(
        label="Public correction note",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to readers on the article and on /corrections/, dated: say what was "
        "wrong. Leave it empty for a silent fix (a typo).",
    )

    class Meta:
        model = Article
        fields = ["published", "publish_at", "unpublish_at", "editor_title", "editor_excerpt"]
        widgets = {
            "editor_title": forms.TextInput(attrs={"class": "vTextField correction-text"}),
            "editor_excerpt": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "editor_title": "What readers see instead of the source's title. Empty: the "
            "source's. No import changes it.",
            "editor_excerpt": "What readers see instead of the source's excerpt. Empty: the "
            "source's.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Say which clock the schedule runs on: the site's time zone, whoever reads the page.
        zone = timezone.get_current_timezone_name()
        for name in ("publish_at", "unpublish_at"):
            if name in self.fields:
                self.fields[name].help_text = (
                    Article._meta.get_field(name).help_text + f" In {zone}, typed as {EXAMPLE}."
                )
