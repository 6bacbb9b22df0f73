"""Share images are no longer stored at a public media address (they are drawn into the cache
and served only while readers may see the article): delete the ones earlier versions stored
under share-images/, which stayed reachable after an article was unpublished or deleted."""

from django.core.files.storage import default_storage
from django.db import migrations

FOLDER = "share-images"


def delete_stored_share_images(apps, schema_editor):
    try:
        folders, _ = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return  # none were ever stored here
    for folder in folders:
        _, files = default_storage.listdir(f"{FOLDER}/{folder}")
        for name in files:
            default_storage.delete(f"{FOLDER}/{folder}/{name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_search_vector")]

    operations = [
        migrations.RunPython(delete_stored_share_images, migrations.RunPython.noop, elidable=True)
    ]
