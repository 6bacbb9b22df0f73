"""Articles into stories: one event as many providers covered it. Runs inside an import (or
`manage.py cluster_stories`), never in a web request.

`stories` is the entry (`cluster_new_articles`, `rebuild`, and `run_clustering` for the
command; an import calls `apart.cluster_new_articles_apart`, the same in a child process whose
stories the importing process writes, its articles read and embedded by a process of their
own); one
sweep reads articles in date order (`reading`), places each in a sliding window of stories
(`index`, on the headline words and names of `words`, its threshold moved by `limits`) and
stores the stories that leave it
(`writing`), with the evidence of each placement (`Article.story_evidence`) that `explain`
turns into what the pages say. `embedding` loads its model lazily: only this path embeds.
`evaluation` scores the clusterer against labelled stories (B-cubed), for a test and
bench/stories.py.

May import: `articles.models`, `articles.db`, `articles.ingest.seeds` (canonical URLs),
`articles.webhooks.events` (which stories changed, for webhook receivers)."""
