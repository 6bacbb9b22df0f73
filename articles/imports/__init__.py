"""Importing seed files: finding them, parsing them in a worker, writing them in batches."""
