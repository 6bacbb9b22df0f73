"""The review desk (/admin/desk/): the queue beside a reading pane, decided by keys
(static/articles/admin/desk.js), with undo and saved views."""
