"""Every write an editor makes: publish or keep (`publishing`), schedule (`schedule`), undo
(`undo`), story corrections and story decisions, provider logos. Each is a mixin the models
inherit, so callers keep calling the models (`Article.objects.filter(...).set_published(...)`,
`story.merge(...)`); every `ReviewDecision` row is built by one builder (`records`).

May import: Django, `articles.page_cache`, and modules of this package. Never `articles.models`
(the models import these mixins while they load, and importing any of its modules runs that
package): a write reaches the other models through its own (`self.model`, a relation's
`related_model`), or `django.apps` when it runs. What the models and these writes share sits
here (`writes`: batches, `readers_see_changes`). This `__init__` imports nothing."""
