"""The Newsroom admin site: the Django admin, with Articles opening on the review queue.

It lives beside the `articles.admin` package (the model admins), not in it, on purpose:
- settings install `NewsroomAdminConfig` by this module's path, before any model is loaded, and
  importing anything in the package imports the models;
- Django builds `admin.site` from `default_site` on first use, and importing the package runs its
  `@admin.register`s, which use `admin.site` again while it is being built: a site inside the
  package would be built twice, and the registrations made on the first one lost.

So it imports nothing of the package either: what the articles add to the site (the review
desk's URLs, the index's review box, the queue's link) it asks of the Article ModelAdmin that
the package registered, through public hooks (`ArticleAdmin.site_urls`, `index_context`,
`update_app_list_entry`); the index's imports box, of the ImportRun ModelAdmin
(`ImportRunAdmin.index_context`).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom review desk"
    site_title = "Newsroom admin"
    index_title = "Editors' overview"
    index_template = "admin/articles/index.html"

    def article_admin(self):
        """The Article ModelAdmin registered on this site (once the models are loaded)."""
        return self.get_model_admin(apps.get_model("articles", "Article"))

    def index(self, request, extra_context=None):
        review_box = self.article_admin().index_context(request)
        imports_box = self.get_model_admin(apps.get_model("articles", "ImportRun")).index_context(
            request
        )
        return super().index(request, {**review_box, **imports_box, **(extra_context or {})})

    def get_urls(self):
        return self.article_admin().site_urls() + super().get_urls()

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        article_admin = self.article_admin()
        for app in app_list:
            for model in app["models"]:
                if model["model"] is article_admin.model:
                    article_admin.update_app_list_entry(model)
        return app_list


class NewsroomAdminConfig(AdminConfig):
    """Installed instead of `django.contrib.admin` so that `admin.site` is the site above."""

    default_site = "newsroom.admin.NewsroomAdminSite"
