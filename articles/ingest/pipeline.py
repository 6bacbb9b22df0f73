"""The import's pipeline of two: while this process writes one batch, a worker parses the next."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_all_start_methods, get_context

from articles.db.memory import release_free_memory
from articles.ingest.files import RawFile
from articles.ingest.seeds import SeedError, SeedItem, parse_seeds

# Files per transaction. Two batches are in flight at once (one parsing, one writing): 250 keeps
# memory flat and well under 120 MB at 100,000 files, at no measurable cost in speed.
DEFAULT_BATCH_SIZE = 250
# And bytes of seed files per batch: 250 files of up to 1 MiB each held a quarter of a gigabyte
# twice over, with what it parsed into (200 files of 950 KB excerpts peaked at 993 MB). A file
# larger than this is a batch of its own.
BATCH_BYTES = 16 * 1024 * 1024
# Batches between two hand-backs of the heap's free pages (`release_free_memory`): at 100,000
# files, every batch kept the importing process at 124 MB, every 8th at 128 MB, never at 194.
TRIM_EVERY = 8

# (path, what it parsed into), as `parse_seeds` returns them.
ParsedFile = tuple[str, SeedItem | SeedError]
Parse = Callable[[list[RawFile]], Future[list[ParsedFile]]]


def run_pipeline(
    files: Iterable[str],
    *,
    batch_size: int,
    parallel: bool,
    read: Callable[[list[str]], list[RawFile]],
    write: Callable[[list[ParsedFile]], None],
    on_files_done: Callable[[int], None],
) -> None:
    """Read, parse and write batch after batch of `files`; `on_files_done(n)` after each write.

    With `parallel`, parsing (the costliest step) runs in a worker process while this one writes
    the previous batch to the database.
    """
    with _parser(parallel=parallel) as parse:
        pending: tuple[Future[list[ParsedFile]], int] | None = None
        for number, batch in enumerate(_batches(files, batch_size)):
            parsing = (parse(read(batch)), len(batch))
            if pending is not None:
                _write_parsed(*pending, write, on_files_done)
                if number % TRIM_EVERY == 0:
                    release_free_memory()
            pending = parsing
        if pending is not None:
            _write_parsed(*pending, write, on_files_done)


def _write_parsed(
    parsing: Future[list[ParsedFile]],
    file_count: int,
    write: Callable[[list[ParsedFile]], None],
    on_files_done: Callable[[int], None],
) -> None:
    write(parsing.result())
    on_files_done(file_count)


@contextmanager
def _parser(parallel: bool) -> Iterator[Parse]:
    """Yields parse(files) -> a Future of `parse_seeds(files)`, in a worker process or here."""
    if not parallel or "fork" not in get_all_start_methods():

        def parse_here(files: list[RawFile]) -> Future[list[ParsedFile]]:
            future: Future[list[ParsedFile]] = Future()
            future.set_result(parse_seeds(files))
            return future

        yield parse_here
        return
    # fork, not spawn: spawn re-runs the caller's main module in the worker (a script without
    # a __main__ guard would run twice). The forked worker only parses text; it never touches
    # the database connection it inherits, and it exits without closing it.
    with ProcessPoolExecutor(
        max_workers=1, mp_context=get_context("fork"), initializer=_exit_with_parent
    ) as pool:
        try:
            yield lambda files: pool.submit(parse_seeds, files)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def _exit_with_parent() -> None:
    """In the parse worker: leave as soon as the importing process is gone (killed, say).

    The worker inherits the importer's open files and connections, the import lock's among
    them; an orphan waiting forever for work would keep that lock and refuse every later import.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def _batches(files: Iterable[str], size: int) -> Iterator[list[str]]:
    """`files` in batches of at most `size` files and `BATCH_BYTES` bytes (by their sizes on
    disk; one that cannot be read counts nothing here, `read_files` says why)."""
    batch: list[str] = []
    total = 0
    for path in files:
        try:
            length = os.stat(path).st_size
        except OSError:
            length = 0
        if batch and (len(batch) >= size or total + length > BATCH_BYTES):
            yield batch
            batch, total = [], 0
        batch.append(path)
        total += length
    if batch:
        yield batch
