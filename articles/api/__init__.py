"""The read API, /api/v1/ (Django REST framework, drf-spectacular for its OpenAPI document):
`representation` (what an article, story, topic or provider looks like to the outside: plain
functions, also webhook bodies), `params` (query parameters checked at the edge), `reads` (what
readers may see, a keyset page at a time), `views`, `urls`, `schemas` (the OpenAPI document's
description of `representation`), `throttling` (the rate limit per client).

May import: `articles.models`, `articles.page_cache`, `articles.cache_breaker`, `articles.search`,
`articles.reader` (cursors, indexes), `articles.db`, `newsroom.login_throttling` (the client's
address). Nothing of `articles.admin` or `articles.editorial`."""
