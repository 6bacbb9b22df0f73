# The project root on sys.path, so tests can use bench.corpus.
