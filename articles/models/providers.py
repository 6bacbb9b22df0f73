"""Providers: the publishers articles come from."""

from django.db import models
from django.db.models.functions import Lower

from articles.editorial.logos import ProviderLogo


class Provider(ProviderLogo, models.Model):
    """A publisher, identified by its lower-case domain. Its logo is set with `set_logo`
    (`articles.editorial.logos`)."""

    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, unique=True)
    logo = models.ImageField(
        upload_to="providers/",
        blank=True,
        help_text="PNG, JPEG, WebP or GIF; checked and re-encoded as PNG on upload.",
    )
    # Made from `logo` on upload (see articles/editorial/logos.py), for lists and reader pages.
    logo_thumbnail = models.ImageField(upload_to="providers/", blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")), name="provider_domain_lower_case"
            ),
        ]

    def __str__(self):
        return self.name
