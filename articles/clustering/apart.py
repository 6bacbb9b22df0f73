"""An import's clustering in a short-lived child process: the embedding model (about 40 MB
with its tokenizer), numpy's buffers and the sweep's window live and die there, so the
importing process (`manage.py import_seeds`, a task worker that imports again and again) never
holds them: its own peak stays that of writing articles, and the model's memory goes back to
the system as soon as the stories are written.

The importing process, which would only wait, writes the stories: the child sends each batch
of finished stories down the pipe (`writing.FinishedStory`: ids, evidence, a lead's facts) and
sweeps on while they are written, so placing and writing share the machine's two cores (the
same statements in the same order as in one process). The child sends `SENT_BATCH` stories at a
time, fewer than a batch written in one process, so the importing process holds less of them at
once; on Linux the pipe's buffer is widened to `PIPE_BUFFER` so the child sweeps on while a
batch is being written instead of waiting in `send` (the buffer bounds how far ahead it runs).

The child places the articles while a process of its own (`_read_apart`, forked from it) reads
them in date order and embeds them, a chunk ahead: reading was about 40% of a sweep's time
(docs/performance/stories.md), and the importing process, which only writes, left a core idle.
So the model is loaded there, not in the child.

The child is forked, so it starts with the app loaded and reads what the parent committed
through a database connection of its own; when it cannot see that (inside a transaction, as
tests run, or on an in-memory SQLite database) or cannot fork, clustering runs here instead.
"""

from __future__ import annotations

import fcntl
import resource
import traceback
from collections.abc import Iterator
from multiprocessing import get_all_start_methods, get_context

from django.db import connections

from articles.clustering.index import Item
from articles.clustering.reading import STREAM_CHUNK, items_in_date_order
from articles.clustering.stories import ClusterSummary, cluster_new_articles
from articles.clustering.writing import write_stories
from articles.db.memory import release_free_memory
from articles.models import Article, readers_see_changes

# Connections (and PostgreSQL pools) the child inherited: kept referenced, never closed. A
# closed or collected psycopg connection tells the server to end its session, which is the
# parent's; the child leaves with os._exit, so nothing of them is ever finalised.
_inherited: list = []

SENT_BATCH = 200  # stories per message: the importing process holds one message at a time
PIPE_BUFFER = 1 << 20  # bytes; Linux's default is 64 KB, its unprivileged limit 1 MB


def cluster_new_articles_apart() -> ClusterSummary:
    """`cluster_new_articles()`, in a child process when it can see the committed articles.

    Nothing to place (an unchanged re-import): one query, no child, no model loaded."""
    if not Article.objects.filter(story__isnull=True).exists():
        return ClusterSummary()
    if not _child_sees_our_data():
        return cluster_new_articles()
    release_free_memory()  # the child starts from this process's pages: fewer of them
    # Not a daemon, so that it may start its reading process; it is always joined below, and
    # killed when this process gives up on it.
    child, receiving = _forked(_in_child, name="clustering", daemon=False)
    answered = False
    try:
        outcome, value, wrote = _write_what_it_sends(receiving)
        answered = True
    finally:
        receiving.close()
        if not answered:
            child.kill()  # a write failed here: the child's sweep is of no use any more
        child.join()
    if outcome == "done":
        if wrote:
            readers_see_changes()
        return value
    if outcome == "died":
        raise RuntimeError(f"the clustering process ended without a result (exit {child.exitcode})")
    raise RuntimeError(f"clustering failed in its process:\n{value}")


def _write_what_it_sends(receiving) -> tuple[str, object, bool]:
    """Write each batch of stories the child sends, in order; return its last word (outcome,
    value) and whether any story was written."""
    wrote = False
    while True:
        try:
            outcome, value = receiving.recv()
        except EOFError:
            return "died", None, wrote
        if outcome != "stories":
            return outcome, value, wrote
        write_stories(value)
        wrote = True


def _forked(target, *args, name: str, daemon: bool):
    """A forked process running `target(sending, *args)`, started, and this end of its pipe:
    `sending` is the process's end, widened (`_widen`) and closed here."""
    context = get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _widen(sending)
    process = context.Process(target=target, args=(sending, *args), name=name, daemon=daemon)
    process.start()
    sending.close()
    return process, receiving


def _reporting(sending, work) -> None:
    """Run `work()` in a forked process: its connections are its own, a failure goes down
    `sending` as ("failed", traceback), and the connections it opened are closed at the end."""
    try:
        _drop_inherited_connections()
        work()
    except BaseException:
        sending.send(("failed", traceback.format_exc()))
    finally:
        for connection in connections.all(initialized_only=True):
            connection.close()  # its own
        sending.close()


def _widen(pipe_end) -> None:
    """A wider pipe on Linux; elsewhere, or past the system's limit, the default one."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is None:
        return
    try:
        fcntl.fcntl(pipe_end.fileno(), set_size, PIPE_BUFFER)
    except OSError:
        pass  # the limit (/proc/sys/fs/pipe-max-size) is lower here: the default pipe works


def _child_sees_our_data() -> bool:
    if "fork" not in get_all_start_methods():
        return False
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            return False  # uncommitted rows: a connection of the child's own would miss them
        if getattr(connection, "is_in_memory_db", lambda: False)():
            return False  # the child would write to its own copy
    return True


def _in_child(sending) -> None:
    def sweep():
        # Each chunk's rows, terms and vectors are freed as the window moves on: hand them back.
        summary = cluster_new_articles(
            on_progress=lambda read: release_free_memory(),
            write=lambda batch: sending.send(("stories", batch)),
            batch=SENT_BATCH,
            # The reading process closes its copy of this pipe's end: held open there, a child
            # that died would not read as ended.
            read=lambda query: _read_apart(query, not_ours=sending),
        )
        # The larger of this process and its reading process (which holds the model).
        summary.peak_mb = (
            max(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            )
            / 1024
        )
        sending.send(("done", summary))

    _reporting(sending, sweep)


def _drop_inherited_connections() -> None:
    for connection in connections.all():
        if connection.connection is not None:
            _inherited.append(connection.connection)
            connection.connection = None  # the next query opens the child's own
        pools = getattr(type(connection), "_connection_pools", None)
        if pools:
            _inherited.append(dict(pools))
            pools.clear()


def _read_apart(query, *, not_ours) -> Iterator[Item]:
    """`items_in_date_order(query)`, read and embedded in a process of its own while this one
    places what it has sent: `STREAM_CHUNK` items a message, in order. `not_ours`: a pipe end
    the reading process inherits and closes."""
    reader, receiving = _forked(_reading, query, not_ours, name="clustering-reader", daemon=True)
    try:
        while True:
            try:
                kind, value = receiving.recv()
            except EOFError:
                raise RuntimeError(
                    f"the reading process ended without its articles (exit {reader.exitcode})"
                ) from None
            if kind == "items":
                yield from value
            elif kind == "done":
                return
            else:
                raise RuntimeError(f"reading articles failed in its process:\n{value}")
    finally:
        receiving.close()  # a reader still sending now fails, and ends
        reader.join(timeout=10)
        if reader.is_alive():
            reader.kill()
            reader.join()


def _reading(sending, query, not_ours) -> None:
    not_ours.close()

    def read():
        chunk: list[Item] = []
        for item in items_in_date_order(query):
            chunk.append(item)
            if len(chunk) == STREAM_CHUNK:
                sending.send(("items", chunk))
                chunk = []
                release_free_memory()
        sending.send(("items", chunk))
        sending.send(("done", None))

    _reporting(sending, read)
