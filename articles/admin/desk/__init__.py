"""The review desk (/admin/desk/): the review queue beside a reading pane, decided by keys
(static/articles/admin/desk.js), with undo and saved views. `queue` says which articles an editor
sees, `items` how each is shown, `views` answers each page, `decisions` each post that decides,
`urls` names them for the admin site, `forms` reads what is posted and offers the filters.

May import: Django, `articles.models`, `articles.page_cache`, `articles.reader.markdown`, the
modules of `articles.admin` it reuses (filters, changelist, display, article_page), and
`articles.db`. Never `articles.admin.articles` (the ArticleAdmin, which imports the desk's URLs
and hands itself to its views), nor the admin site.

desk.js records, in `window.deskTimings`, the milliseconds from each move or decision key to
the next item shown (one entry per key press). It is part of the desk on purpose: the browser
tests check the keys were timed, and bench/desk.py reports the median and the worst from it.
"""
