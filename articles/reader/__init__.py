"""What readers see: URLs, views, listings and cards, the article page, feeds, sitemaps, share
images, seed Markdown to HTML, and the Jinja2 environment of reader pages.

May import: `articles.models`, `articles.page_cache`, `articles.search`, `articles.ingest.seeds`
(canonical URLs), `articles.db` (reads compiled once). Nothing of `articles.admin` or
`articles.editorial`."""
