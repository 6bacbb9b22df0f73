"""Names in headlines (people, places, companies): found by their capitals, weighed double in
the clusterer's comparison, and named in the reason an editor reads."""

import datetime as dt

import pytest

from articles.clustering import index as clustering_index
from articles.clustering import limits, stories
from articles.clustering.explain import why
from articles.clustering.index import Item, StoryIndex
from articles.clustering.words import names, terms
from articles.models import Article
from tests.support.factories import make_article

WHEN = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


def item(number, title, excerpt=""):
    return Item(
        id=number,
        date=WHEN + dt.timedelta(minutes=number),
        url=f"https://example.com/{number}",
        terms=terms(title, excerpt),
        related=frozenset(),
        story_id=None,
        title=title,
        names=names(title, excerpt),
    )


def test_names_are_the_capitalised_words_inside_a_sentence():
    found = names(
        "Fenwick ordered to pay €17m for leaking customer data",
        "Judges in Brno found that Fenwick kept records. Gov. Sarah Palin said nothing.",
    )
    # "Fenwick" opens the headline but is written with a capital inside the excerpt; "Judges"
    # only opens a sentence; an abbreviation's full stop ("Gov.") ends no sentence.
    assert found == {"fenwick", "brno", "sarah", "palin"}


def test_title_case_and_german_nouns_are_not_names():
    assert names("Stocks Down At Midday On Weak China Export Data") == frozenset()
    assert names("Streik bei Calder in Zürich: Beschäftigte fordern mehr Lohn", "", "de") == (
        frozenset()
    )


def _joins(first, second, fillers):
    index = StoryIndex(threshold=1.01, lexical_threshold=0.5)
    for number, (title, excerpt) in enumerate(fillers, start=10):
        index.add(item(number, title, excerpt))
    one, two = item(1, *first), item(2, *second)
    index.add(one)
    return index.add(two)[1] == "text", two


FILLERS = [(f"Gardening tips for week {n}", "Roses and tulips need water") for n in range(20)]


def test_a_shared_name_counts_for_more_than_a_shared_word():
    # Half the words in common: a name (Kestrel) tips it over, a common word (offer) would not.
    named = ("Offer for Kestrel shares rejected", "The board of Kestrel met on Monday")
    same_name = ("Bid for Kestrel shares fails", "Shareholders of Kestrel said no")
    joined, joining = _joins(named, same_name, FILLERS)
    assert joined
    assert "kestrel" in joining.evidence["names"]
    assert "shared names: kestrel" in why(joining.evidence)


def test_without_the_names_weight_the_same_pair_stays_apart(monkeypatch):
    monkeypatch.setattr(clustering_index, "NAME_WEIGHT", 1.0)
    named = ("Offer for Kestrel shares rejected", "The board of Kestrel met on Monday")
    same_name = ("Bid for Kestrel shares fails", "Shareholders of Kestrel said no")
    joined, _ = _joins(named, same_name, FILLERS)
    assert not joined


def test_an_article_telling_a_storys_headline_joins_a_little_more_easily(monkeypatch):
    first = ("Kestrel backs cash bid from Calder", "")
    second = ("Calder cash bid backed by Kestrel board", "")
    index = StoryIndex(lexical_threshold=0.5)
    for number, filler in enumerate(FILLERS, start=10):
        index.add(item(number, *filler))
    index.add(item(1, *first))
    joining = item(2, *second)
    assert index.add(joining)[1] == "text"
    score = joining.evidence["score"]
    # Without the easing, the same pair at a threshold just above its score stays apart.
    monkeypatch.setattr(limits, "HEADLINE_EASING", 0.0)
    strict = StoryIndex(lexical_threshold=score + 0.01)
    for number, filler in enumerate(FILLERS, start=10):
        strict.add(item(number, *filler))
    strict.add(item(1, *first))
    assert strict.add(item(2, *second))[1] == "new"
    monkeypatch.undo()
    eased = StoryIndex(lexical_threshold=score + 0.01)
    for number, filler in enumerate(FILLERS, start=10):
        eased.add(item(number, *filler))
    eased.add(item(1, *first))
    joined = item(2, *second)
    assert eased.add(joined)[1] == "text"
    # The reason given says the threshold this join met.
    threshold = joined.evidence["threshold"]
    assert threshold < score + 0.01 and joined.evidence["score"] >= threshold
    assert f"threshold here {threshold:.2f}" in why(joined.evidence)


def _placed(first, second, threshold):
    index = StoryIndex(lexical_threshold=threshold)
    for number, filler in enumerate(FILLERS, start=10):
        index.add(item(number, *filler))
    index.add(item(1, *first))
    joining = item(2, *second)
    return index.add(joining)[1], joining


def test_two_takeovers_whose_amounts_differ_need_more_to_join(monkeypatch):
    first = ("Calder agrees to buy Kestrel for $6bn", "")
    other_deal = ("Calder agrees to buy Kestrel for $37bn", "")
    monkeypatch.setattr(limits, "HEADLINE_EASING", 0.0)
    monkeypatch.setattr(limits, "NUMBER_CONFLICT", 0.0)
    how, joining = _placed(first, other_deal, 0.3)
    assert how == "text"
    just_under = joining.evidence["score"] - 0.005
    assert _placed(first, other_deal, just_under)[0] == "text"
    monkeypatch.setattr(limits, "NUMBER_CONFLICT", 0.03)
    assert _placed(first, other_deal, just_under)[0] == "new"
    # The same amount is no disagreement.
    assert _placed(first, ("Calder agrees to buy Kestrel for $6bn", ""), just_under)[0] == "text"


@pytest.mark.django_db
def test_an_import_keeps_the_shared_names_as_the_reason_given():
    make_article("Offer for Kestrel shares rejected", excerpt="The board of Kestrel met")
    for number in range(12):
        make_article(f"Gardening tips for week {number}", excerpt="Roses need water")
    make_article("Bid for Kestrel shares fails", excerpt="Shareholders of Kestrel said no")
    stories.cluster_new_articles()
    first = Article.objects.get(title__startswith="Offer")
    joined = Article.objects.get(title__startswith="Bid")
    assert joined.story_id == first.story_id
    assert joined.story_evidence["names"] == ["kestrel"]
    assert "shared names: kestrel" in why(joined.story_evidence)
