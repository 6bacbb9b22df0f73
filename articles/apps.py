from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from django.db.backends.signals import connection_created

        from articles import database_version_of_pages, page_cache
        from articles.db import timestamps
        from articles.models import Article, ReaderPagesVersion

        # The page cache imports nothing of the app; it learns here where the next embargo or
        # expiry comes from, to look it up again when the one it knows has passed.
        page_cache.look_up_schedule_with(Article.objects.next_schedule_change)
        # ...and where the reader-pages version kept in the database is read (every page key
        # carries it, so a change whose cache bump was lost in an outage still shows).
        database_version_of_pages.look_up_with(ReaderPagesVersion.current)
        # PostgreSQL's timestamps read by psycopg's compiled loader (Django hides it).
        connection_created.connect(timestamps.read_with_compiled_loader, dispatch_uid="timestamps")
