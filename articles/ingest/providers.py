"""Providers from a batch of seed items: each domain's id, creating the new ones, and the names
readers see. A provider's name is the latest a seed readers may see gives: a held seed (its
article unpublished, embargoed or expired once written) does not rename the byline, "Read at",
JSON-LD, /providers/ and share images of the provider's published articles; its new name waits
for an editor (Providers in the admin) or for a seed readers may see. Every rename, applied or
not, is told to the run (its warnings, on the run's page)."""

from __future__ import annotations

from dataclasses import dataclass

from articles.ingest.seeds import SeedItem
from articles.models import Provider


@dataclass(frozen=True, slots=True)
class Rename:
    file_name: str
    domain: str
    old: str
    new: str
    applied: bool

    def __str__(self):
        if self.applied:
            return (
                f"{self.file_name}: provider {self.domain} renamed from “{self.old}” to "
                f"“{self.new}”"
            )
        return (
            f"{self.file_name}: names provider {self.domain} “{self.new}” (readers see "
            f"“{self.old}”); not applied, as readers may not see this article: an editor can "
            f"rename the provider, or a seed readers may see will"
        )


def upsert_providers(items: list[SeedItem], shown: set[str]) -> tuple[dict[str, int], list[Rename]]:
    """Provider id by domain, and the renames the items ask for. `shown`: the canonical URLs
    of the items whose article readers may see once written."""
    named: dict[str, SeedItem] = {}  # a domain -> the latest item readers may see naming it
    held: dict[str, SeedItem] = {}  # ... and the latest held one
    for item in items:
        if item.provider.name != item.provider.domain:  # a seed without a name gives none
            (named if item.canonical_url in shown else held)[item.provider.domain] = item
    wanted: dict[str, str] = {}
    for item in items:
        wanted.setdefault(item.provider.domain, item.provider.domain)
        for link in item.related:
            if link.provider:
                wanted.setdefault(link.provider.domain, link.provider.name)
    for domain, item in (*held.items(), *named.items()):  # a shown name over a held one
        wanted[domain] = item.provider.name
    known = _by_domain(wanted)
    missing = [Provider(domain=d, name=n) for d, n in wanted.items() if d not in known]
    if missing:
        Provider.objects.bulk_create(missing, ignore_conflicts=True)
        known.update(_by_domain([provider.domain for provider in missing]))
    created = {provider.domain for provider in missing}
    renames, renamed = [], []
    for domain, item in named.items():
        provider = known[domain]
        if domain not in created and provider.name != item.provider.name:
            renames.append(Rename(item.file_name, domain, provider.name, item.provider.name, True))
            provider.name = item.provider.name
            renamed.append(provider)
    for domain, item in held.items():
        provider = known[domain]
        if domain not in created and provider.name != item.provider.name:
            renames.append(Rename(item.file_name, domain, provider.name, item.provider.name, False))
    if renamed:
        Provider.objects.bulk_update(renamed, ["name"])
    return {domain: provider.id for domain, provider in known.items()}, renames


def _by_domain(domains) -> dict[str, Provider]:
    return {
        provider.domain: provider
        for provider in Provider.objects.filter(domain__in=list(domains)).only(
            "id", "domain", "name"
        )
    }
