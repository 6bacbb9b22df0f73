"""The review desk: the Django admin set up for editors. Importing the package (Django's
autodiscover does) registers every model admin."""

from articles.admin import articles, decisions, imports, providers, stories  # noqa: F401
