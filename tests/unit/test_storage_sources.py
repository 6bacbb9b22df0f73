"""Watched object-storage sources (`IMPORT_SOURCES` entry `storage:PREFIX`) against an S3 server
(moto's, in this process, on loopback), through django-storages as in production: each new or
changed object imported once, a `.part` object left alone until renamed, an object arriving
mid-poll picked up by the next poll, the same name in two sources kept apart, and the listing
made in one paginated call per source, not requests per object."""

import datetime as dt
import logging

import pytest
from django.core.files.storage import storages

from articles.ingest import sources
from articles.models import Article, ImportRun, ImportSource
from tests.support.seeds import sample_fields, seed_text
from tests.support.services import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.requires("moto_server")]

KEYS = {"access_key": "newsroom-test", "secret_key": "newsroom-test"}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_client(endpoint):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )


def s3_storage(endpoint, bucket):
    options = {"bucket_name": bucket, "endpoint_url": endpoint, "region_name": "us-east-1"}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**options, **KEYS}}


@pytest.fixture
def buckets(s3_endpoint, settings, request):
    """Two buckets, as the storages "wires" and "agency"; the source `storage:wires/in`."""
    client = s3_client(s3_endpoint)
    names = {}
    for storage in ("wires", "agency"):
        names[storage] = f"{storage}-{abs(hash(request.node.nodeid)) % 10**8}"
        client.create_bucket(Bucket=names[storage])
    settings.STORAGES = {
        **settings.STORAGES,
        **{storage: s3_storage(s3_endpoint, bucket) for storage, bucket in names.items()},
    }
    settings.IMPORT_SOURCES = ["storage:wires/in"]
    settings.IMPORT_SETTLE_SECONDS = 0  # S3 writes an object whole
    storages._storages = {}  # built again from the settings above
    yield client, names
    storages._storages = {}
    for bucket in names.values():
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for entry in page.get("Contents", ()):
                client.delete_object(Bucket=bucket, Key=entry["Key"])
        client.delete_bucket(Bucket=bucket)


def seed(n, **changes):
    data = sample_fields()
    data.update(
        title=f"Stored story {n}",
        originalUrl=f"https://example.com/s-{n}",
        webUrl=f"https://example.com/s-{n}",
    )
    data.update(changes)
    return seed_text(data)


def put(buckets, key, text, storage="wires"):
    client, names = buckets
    client.put_object(Bucket=names[storage], Key=key, Body=text.encode())


def test_new_objects_are_imported_once_and_a_changed_one_again(buckets):
    put(buckets, "in/a.txt", seed(1))
    put(buckets, "in/deeper/b.md", seed(2))
    put(buckets, "elsewhere/c.txt", seed(3))  # not under the prefix
    assert sources.poll().files == 2
    assert set(Article.objects.values_list("title", flat=True)) == {
        "Stored story 1",
        "Stored story 2",
    }
    assert sources.poll().files == 0  # nothing new: no run, nothing read
    assert ImportRun.objects.count() == 1

    put(buckets, "in/a.txt", seed(1, title="Stored story 1, updated"))
    assert sources.poll().files == 1
    assert Article.objects.filter(title="Stored story 1, updated").exists()
    assert Article.objects.count() == 2


def test_a_part_object_waits_until_it_is_renamed(buckets):
    client, names = buckets
    put(buckets, "in/a.txt.part", seed(1)[:40])  # being written
    assert sources.poll().files == 0
    assert not Article.objects.exists()

    put(buckets, "in/a.txt.part", seed(1))
    bucket = names["wires"]
    client.copy_object(Bucket=bucket, Key="in/a.txt", CopySource=f"{bucket}/in/a.txt.part")
    client.delete_object(Bucket=bucket, Key="in/a.txt.part")
    assert sources.poll().files == 1
    assert Article.objects.get().title == "Stored story 1"


def test_an_object_arriving_while_a_poll_runs_is_imported_by_the_next(buckets, monkeypatch):
    put(buckets, "in/a.txt", seed(1))
    real_import = sources.run_import

    def import_while_an_object_arrives(paths, **options):
        put(buckets, "in/late.txt", seed(9))  # after the listing, during the run
        return real_import(paths, **options)

    monkeypatch.setattr(sources, "run_import", import_while_an_object_arrives)
    assert sources.poll().files == 1
    monkeypatch.setattr(sources, "run_import", real_import)
    assert Article.objects.count() == 1
    assert sources.poll().files == 1
    assert Article.objects.filter(title="Stored story 9").exists()


def test_an_object_gone_between_listing_and_reading_waits_for_the_next_poll(buckets, monkeypatch):
    """Removed (or renamed) by its writer after the listing: the others are imported, the
    source says nothing is wrong, and the poll does not fail."""
    client, names = buckets
    put(buckets, "in/0-gone.txt", seed(2))  # read first
    put(buckets, "in/a.txt", seed(1))
    real_list = sources._list_storage

    def list_then_remove(location):
        listed = real_list(location)
        client.delete_object(Bucket=names["wires"], Key="in/0-gone.txt")
        return listed

    monkeypatch.setattr(sources, "_list_storage", list_then_remove)
    assert sources.poll().files == 1
    assert Article.objects.get().title == "Stored story 1"
    assert ImportSource.objects.get().last_error == ""


def test_the_same_name_in_two_sources_imports_both(buckets, settings):
    settings.IMPORT_SOURCES = ["storage:wires/in", "storage:agency/in"]
    put(buckets, "in/today.txt", seed(1), storage="wires")
    put(buckets, "in/today.txt", seed(2), storage="agency")
    assert sources.poll().files == 2
    assert set(Article.objects.values_list("title", flat=True)) == {
        "Stored story 1",
        "Stored story 2",
    }


def test_names_that_flatten_alike_stay_apart(buckets):
    put(buckets, "in/a/b.txt", seed(1))
    put(buckets, "in/a__b.txt", seed(2))
    assert sources.poll().files == 2
    assert Article.objects.count() == 2


def test_a_key_that_would_climb_out_of_the_scratch_folder_is_left_alone(buckets):
    put(buckets, "in/../../escape.txt", seed(1))  # a legal object name
    put(buckets, "in/ok.txt", seed(2))
    assert sources.poll().files == 1
    assert Article.objects.get().title == "Stored story 2"


def test_a_prefix_is_listed_in_one_paginated_call_not_requests_per_object(buckets, monkeypatch):
    """1,000 objects once took 28.9 s to list: two requests (size, date) per object."""
    for n in range(1, 1201):
        put(buckets, f"in/many/{n:04}.txt", "x")
    calls = []
    client = storages["wires"].connection.meta.client
    client.meta.events.register("before-call.s3.*", lambda model, **_: calls.append(model.name))
    listed = sources._list_storage("storage:wires/in")
    assert len(listed) == 1200
    fingerprint, modified = listed["in/many/0001.txt"]
    assert fingerprint.startswith("1:")
    assert abs(modified - dt.datetime.now(dt.UTC).timestamp()) < 600
    assert calls == ["ListObjectsV2", "ListObjectsV2"]  # 1,000 a page
