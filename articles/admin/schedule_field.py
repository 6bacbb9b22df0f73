"""One way to type a schedule's moment on every screen (the desk's `s`, the article page): text,
`2026-12-20 08:00`, in the site's time zone, which the field says; a bad value gets a message
in words. And one way to say a schedule back: "Goes live 20 Dec 08:00 UTC"."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

TYPED = "%Y-%m-%d %H:%M"
EXAMPLE = "2026-12-20 08:00"
# Also understood: what a datetime-local box sent, and seconds.
UNDERSTOOD = (TYPED, "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S")


def zone_name() -> str:
    return timezone.get_current_timezone_name()


class ScheduleInput(forms.DateTimeInput):
    """A text box for a moment, shown as it is typed."""

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": EXAMPLE,
            "autocomplete": "off",
            "spellcheck": "false",
            **(attrs or {}),
        }
        super().__init__(attrs, format=TYPED)


class ScheduleTimeField(forms.DateTimeField):
    """A moment of a schedule typed as text (`EXAMPLE`), in the site's time zone."""

    widget = ScheduleInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(input_formats=UNDERSTOOD, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value.strip() if isinstance(value, str) else value)
        except forms.ValidationError:
            raise forms.ValidationError(
                f"“{str(value)[:40]}” is not a date and time: type it as {EXAMPLE} "
                f"({zone_name()}).",
                code="invalid",
            ) from None


def when_short(moment, now=None) -> str:
    """A moment in the site's time zone, with its zone; the year only when it is not this
    year's: "20 Dec 08:00 UTC", "3 Jan 2027 08:00 UTC"."""
    local, today = timezone.localtime(moment), timezone.localtime(now or timezone.now())
    return date_format(local, "j M H:i T" if local.year == today.year else "j M Y H:i T")


def schedule_words(publish_at, unpublish_at, now=None) -> str:
    """What a published article's schedule means to readers, in words."""
    now = now or timezone.now()
    if publish_at and publish_at > now:
        text = f"Goes live {when_short(publish_at, now)}"
    else:
        text = "Live now"
    if unpublish_at:
        text += f", comes down {when_short(unpublish_at, now)}"
    return text + "."
