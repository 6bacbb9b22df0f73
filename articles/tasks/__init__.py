"""Background work on Django's Tasks API (the `django-tasks` backport; newsroom/background.py
picks the backend): one module per concern (`webhooks`), `periodic` (what runs every so often),
`scheduler` (a worker's tick that enqueues due periodic work) and `worker` (what
`manage.py run_worker` runs).

A task's arguments are ids, never rows: the database holds the state, so a task run twice
(a worker killed mid-task, a periodic run enqueued again) finds the work done and does nothing.

May import: Django, django-tasks, `articles.models` and the domain modules below it.
"""
