"""A long import hands the heap's freed pages back to the system after each batch: glibc kept
them, and the importing process grew to 196 MB at 100,000 files with Python's heap flat."""

from tests.support.probes import last_figure

PROBE = """
from articles.db.memory import release_free_memory
rss = lambda: int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
blocks = [bytes(2000) + str(n).encode() for n in range(60000)]  # ~120 MB, past pymalloc
kept = blocks[::20]  # a few survivors scattered through the heap, as a batch's leave
del blocks
before = rss()
release_free_memory()
print(before - rss())
"""


def test_freed_memory_goes_back_to_the_system():
    assert last_figure(PROBE) > 50  # MB handed back
