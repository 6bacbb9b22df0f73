"""The Django admin set up for editors: the model admins, their lists' filters and search, the
article page, and the review desk (`desk/`). Importing the package (Django's autodiscover does)
registers every model admin on the site of newsroom/admin.py, which asks `ArticleAdmin` for the
desk's URLs and the index's review box and imports nothing of this package.

May import: Django, `articles.models`, `articles.db`, `articles.page_cache`, `articles.search`
(its query language), `articles.reader` (the preview, the markdown). No other package of the
product imports it (Django's autodiscover does)."""

from articles.admin import (  # noqa: F401
    articles,
    decisions,
    import_rules,
    imports,
    providers,
    stories,
    webhooks,
)
