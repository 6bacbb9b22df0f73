import datetime as dt

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from articles.ingest.corpus import Corpus
from articles.models import Article, Provider
from tests.support.seeds import run_import, sample_fields, seed_text

pytestmark = pytest.mark.django_db


def snapshot() -> list[dict]:
    """Everything a seed put into the database, per article, comparable across databases."""
    rows = []
    articles = Article.objects.select_related("provider").prefetch_related(
        "related_links__provider", "taggedarticle_set__tag"
    )
    for article in articles.order_by("canonical_url"):
        rows.append(
            {
                **{
                    name: getattr(article, name)
                    for name in (
                        "title",
                        "excerpt",
                        "body",
                        "category",
                        "type",
                        "source_published_at",
                        "original_url",
                        "web_url",
                        "canonical_url",
                        "quality",
                        "heat",
                        "secured",
                        "extra",
                        "published",
                        "publish_at",
                        "unpublish_at",
                        "editor_title",
                        "editor_excerpt",
                        "slug",
                    )
                },
                "provider": (article.provider.domain, article.provider.name),
                "topics": [
                    t.tag.name for t in sorted(article.taggedarticle_set.all(), key=lambda t: t.id)
                ],
                "related": [
                    (
                        link.position,
                        link.title,
                        link.excerpt,
                        link.url,
                        link.source_published_at,
                        link.type,
                        link.quality,
                        link.provider and (link.provider.domain, link.provider.name),
                        link.extra,
                    )
                    for link in article.related_links.all()
                ],
            }
        )
    return rows


def every_field_item() -> str:
    fields = sample_fields()
    fields["title"] = "Ünïcode <b>title</b> 東京 🚀 & more"
    fields["excerpt"] = "Line one\n---\nline three after a fake delimiter"
    fields["topics"] = ["Zeta", "Alpha", "Émile"]
    fields["quality"] = "high"  # not applied, kept
    fields["mood"] = {"tone": "upbeat", "scores": [1, 2.5, None, True]}
    fields["provider"]["country"] = "US"
    fields["related"][0]["lang"] = "en"
    fields["related"].append({"title": "Only the required", "webUrl": "https://x.example/a"})
    fields["webUrl"] = "https://Example.COM/Path?q=1#frag"
    return seed_text(fields, body="# Heading\n\n---\n\nBody with a rule above.\n")


def test_export_then_import_into_an_empty_database_gives_the_same_data(tmp_path):
    source = tmp_path / "source"
    Corpus(seed=3, providers=30, topics=20).write(source, 120)
    (source / "zz_every_field.txt").write_text(every_field_item(), encoding="utf-8")
    assert run_import(source).code == 0
    editor = User.objects.create_user("editor")
    # Ten articles published, then five of them unpublished again (pks depend on the database).
    first_ten = list(Article.objects.order_by("pk").values_list("pk", flat=True)[:10])
    Article.objects.filter(pk__in=first_ten).set_published(True, editor)
    Article.objects.filter(pk__in=first_ten[5:]).set_published(False, editor)
    # An embargo and an expiry an editor set survive too.
    soon = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    Article.objects.filter(pk=first_ten[0]).set_schedule(soon, None, editor)
    Article.objects.filter(pk=first_ten[1]).set_schedule(None, soon, editor)
    # So do an editor's headline and excerpt, beside the source's title and excerpt.
    corrected = Article.objects.get(pk=first_ten[2])
    corrected.correct(editor, title="Corrected: “a” & <b>", excerpt="Line one\n---\nfixed")
    Article.objects.get(pk=first_ten[3]).correct(editor, title="", excerpt="Only the excerpt")
    visible = set(Article.objects.published().values_list("canonical_url", flat=True))
    before = snapshot()

    out = tmp_path / "export"
    call_command("export_seeds", str(out), verbosity=0)
    assert len(list(out.iterdir())) == 121

    Article.objects.all().delete()
    Provider.objects.all().delete()
    Tag.objects.all().delete()
    result = run_import(out)

    assert result.code == 0, result
    assert snapshot() == before
    assert set(Article.objects.published().values_list("canonical_url", flat=True)) == visible


def test_exported_file_is_a_readable_seed(tmp_path, write_seed):
    run_import(write_seed("item.txt", every_field_item()))
    call_command("export_seeds", str(tmp_path / "out"), verbosity=0)

    text = (tmp_path / "out" / "item.txt").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("\n---\n")[0].removeprefix("---\n"))
    assert front["title"] == "Ünïcode <b>title</b> 東京 🚀 & more"
    assert front["topics"] == ["Zeta", "Alpha", "Émile"]
    assert front["quality"] == "high"
    assert front["published"] is False
    assert text.endswith("Body with a rule above.\n")


def test_an_article_from_a_file_a_folder_import_would_skip_is_exported_under_a_name_it_takes(
    tmp_path, write_seed
):
    run_import(write_seed("news.yml", every_field_item()))  # named explicitly on the command line
    call_command("export_seeds", str(tmp_path / "out"), verbosity=0)

    [exported] = (tmp_path / "out").iterdir()
    assert exported.suffix == ".txt"
    Article.objects.all().delete()
    assert run_import(tmp_path / "out").code == 0
    assert Article.objects.count() == 1
