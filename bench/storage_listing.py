"""Listing a watched object-storage source (`storage:PREFIX`, issue 25): the time and the S3
requests to list N objects, against moto's S3 server in this process on loopback.

    python bench/storage_listing.py [--objects 1000] [--repeat 3]

Needs no database: it times `articles.ingest.sources._list_storage`, which each poll calls once
per source, and counts the requests boto3 sent. Run it on two commits to compare them.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEYS = {"access_key": "newsroom-bench", "secret_key": "newsroom-bench"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.update(DEBUG="false", SECRET_KEY="bench", DJANGO_SETTINGS_MODULE="newsroom.settings")
    import boto3
    import django
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=KEYS["access_key"],
            aws_secret_access_key=KEYS["secret_key"],
        )
        client.create_bucket(Bucket="bench")
        for n in range(args.objects):
            client.put_object(Bucket="bench", Key=f"in/{n // 100:03}/{n:06}.txt", Body=b"seed")
        django.setup()
        from django.conf import settings

        options = {"bucket_name": "bench", "endpoint_url": endpoint, "region_name": "us-east-1"}
        settings.STORAGES = {
            **settings.STORAGES,
            "bench": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**options, **KEYS}},
        }
        from django.core.files.storage import storages

        from articles.ingest.sources import _list_storage

        requests = []
        storages["bench"].connection.meta.client.meta.events.register(
            "before-call.s3.*", lambda model, **_: requests.append(model.name)
        )
        times = []
        for _ in range(args.repeat):
            requests.clear()
            start = time.perf_counter()
            listed = _list_storage("storage:bench/in")
            times.append(time.perf_counter() - start)
        assert len(listed) == args.objects, len(listed)
        print(
            f"{args.objects} objects: listed in {statistics.median(times):.2f} s "
            f"(median of {args.repeat}; {min(times):.2f}-{max(times):.2f}), "
            f"{len(requests)} requests a listing"
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
