"""The desk's URLs, under the admin site's own (/admin/desk/…, named `admin:desk…`): the site
asks the Article ModelAdmin for them (`ArticleAdmin.site_urls`), which hands itself to each view.
"""

from django.urls import path

from articles.admin.desk import decisions, views


def desk_urls(article_admin):
    """Every desk URL behind the admin's own check (staff, logged in; never cached), then the
    view's (`DeskView`: the view permission; `DecisionView`: the publish permission)."""

    def desk_view(view_class):
        return article_admin.admin_site.admin_view(view_class.as_view(model_admin=article_admin))

    return [
        path("desk/", desk_view(views.DeskPageView), name="desk"),
        path("desk/items/", desk_view(views.ItemsView), name="desk_items"),
        path("desk/state/", desk_view(views.StateView), name="desk_state"),
        path("desk/undo/", desk_view(decisions.UndoView), name="desk_undo"),
        path("desk/views/", desk_view(views.SaveView), name="desk_save_view"),
        path(
            "desk/views/<str:pk>/delete/",
            desk_view(views.DeleteSavedView),
            name="desk_delete_view",
        ),
        path("desk/<str:pk>/decide/", desk_view(decisions.DecideView), name="desk_decide"),
        path(
            "desk/stories/<str:pk>/decide/",
            desk_view(decisions.StoryDecideView),
            name="desk_decide_story",
        ),
        path("desk/<str:pk>/schedule/", desk_view(decisions.ScheduleView), name="desk_schedule"),
    ]
