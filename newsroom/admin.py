"""The Newsroom admin site: the Django admin, with Articles opening on the review queue.

It lives beside the `articles.admin` package (the model admins), not in it, on purpose:
- settings install `NewsroomAdminConfig` by this module's path, before any model is loaded, and
  importing anything in the package imports the models;
- Django builds `admin.site` from `default_site` on first use, and importing the package runs its
  `@admin.register`s, which use `admin.site` again while it is being built: a site inside the
  package would be built twice, and the registrations made on the first one lost.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

# The query string of the review queue: never-reviewed articles (sorted best first by the
# article admin's ordering).
REVIEW_QUEUE_QUERY = "review=waiting"


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom review desk"
    site_title = "Newsroom admin"
    index_title = "Editors' overview"
    index_template = "admin/articles/index.html"

    def index(self, request, extra_context=None):
        # Imported here: the package imports the models, which are not ready when this loads.
        from articles.admin.dashboard import review_summary

        return super().index(request, {**review_summary(request), **(extra_context or {})})

    def get_urls(self):
        # The review desk (articles/admin/desk/), imported here: it needs the models.
        from articles.admin.desk.urls import desk_urls
        from articles.models import Article

        return desk_urls(self.get_model_admin(Article)) + super().get_urls()

    def get_app_list(self, request, app_label=None):
        """The index and the navigation sidebar link Articles to the review queue; the list's
        bare URL still means all articles, as everywhere in the admin."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                if model["model"]._meta.label == "articles.Article" and model.get("admin_url"):
                    model["admin_url"] = f"{model['admin_url']}?{REVIEW_QUEUE_QUERY}"
                    model["name"] = "Articles (review queue)"
        return app_list


class NewsroomAdminConfig(AdminConfig):
    """Installed instead of `django.contrib.admin` so that `admin.site` is the site above."""

    default_site = "newsroom.admin.NewsroomAdminSite"
