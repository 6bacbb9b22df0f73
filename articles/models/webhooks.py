"""Webhooks: the endpoints editors register, the deliveries owed to them, and what was last
announced of each article (so each transition is announced once). The behaviour lives in
`articles.webhooks`; the worker delivers (`articles.tasks.webhooks`)."""

import secrets

from django.db import models

EVENTS = ["article.published", "article.unpublished", "article.updated", "story.updated"]


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes it: `whsec_` and 32 random bytes, base64."""
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(16)


class WebhookEndpoint(models.Model):
    url = models.URLField("URL", max_length=2000)
    events = models.JSONField(default=list, blank=True, help_text="the events sent; none: all")
    active = models.BooleanField(default=True)
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    disabled_reason = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = "webhook endpoint"

    def __str__(self):
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=40)
    # What the event is about ("article:12", "story:3"): deliveries of one subject go in order.
    subject = models.CharField(max_length=40)
    message_id = models.CharField(max_length=40, default=new_message_id, unique=True)
    body = models.TextField(help_text="the JSON sent, exactly (signatures cover these bytes)")
    created_at = models.DateTimeField(db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)  # a worker is sending it
    queued_until = models.DateTimeField(null=True, blank=True)  # a task for it is queued
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["endpoint", "subject", "id"], name="delivery_subject_order"),
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self):
        return f"{self.event_type} {self.subject} → {self.endpoint_id}"


class ArticleAnnouncement(models.Model):
    """Whether webhooks were last told this article is visible to readers."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    visible = models.BooleanField()
    announced_at = models.DateTimeField()

    def __str__(self):
        return f"{self.article_id}: {'visible' if self.visible else 'hidden'}"
