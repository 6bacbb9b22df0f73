"""Articles into stories: one event as many providers covered it. Runs inside an import (or
`manage.py cluster_stories`), never in a web request.

May import: `articles.models`, `articles.db`, `articles.ingest.seeds` (canonical URLs)."""
