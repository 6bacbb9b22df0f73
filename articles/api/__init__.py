"""The read API, /api/v1/ (Django REST framework, drf-spectacular for its OpenAPI document):
`representation` (what an article, story, topic or provider looks like to the outside, plain
functions, also webhook bodies), `params` (query parameters checked at the edge), `views`,
`urls`, `schemas` (the OpenAPI components).

May import: `articles.models`, `articles.page_cache`, `articles.browser_cache`,
`articles.search`, `articles.reader` (cursors, listings' lookups), `articles.db`. Nothing of
`articles.admin` or `articles.editorial`."""
