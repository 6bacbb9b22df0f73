# ruff: noqa: E501 (the table: one headline a line)
"""Languages: detected at import from a small multilingual table, or stated by the seed (which
wins); words and stop words per language, so that articles in another language group among
themselves in stories."""

import pytest

from articles.clustering import stories
from articles.clustering.words import terms
from articles.ingest.seeds import parse_seed
from articles.languages import detect_language, language_tag, words
from articles.models import Article
from tests.support.factories import make_article
from tests.support.probes import last_figure
from tests.support.seeds import run_import, sample_fields, seed_text

# Headlines with their standfirsts, as news in each language comes.
TABLE = [
    ("en", "Parliament approves new budget after a long night of debate", "The vote ends weeks of talks."),
    ("fr", "Le parlement adopte le budget après une longue nuit de débats", "Le vote met fin à des semaines de négociations."),
    ("de", "Das Parlament verabschiedet den Haushalt nach einer langen Nacht", "Die Abstimmung beendet wochenlange Verhandlungen."),
    ("es", "El parlamento aprueba el presupuesto tras una larga noche de debate", "La votación pone fin a semanas de negociaciones."),
    ("it", "Il parlamento approva il bilancio dopo una lunga notte di dibattito", "Il voto chiude settimane di trattative."),
    ("pt", "O parlamento aprova o orçamento depois de uma longa noite de debate", "A votação encerra semanas de negociações."),
    ("nl", "Het parlement keurt de begroting goed na een lange nacht van debat", "De stemming beëindigt weken van onderhandelingen."),
    ("ja", "国会が長い夜の議論の末に予算案を可決", "採決で数週間の交渉が終わった。"),
    ("ru", "Парламент принял бюджет после долгой ночи дебатов", "Голосование завершило недели переговоров."),
]  # fmt: skip


@pytest.mark.parametrize(("language", "title", "excerpt"), TABLE, ids=[row[0] for row in TABLE])
def test_an_articles_language_is_detected_from_its_headline_and_standfirst(
    language, title, excerpt
):
    assert detect_language(title, excerpt) == language


def test_an_english_headline_full_of_place_names_is_still_english():
    # fastText gives such headlines 0.52-0.59 (of all its 176 languages); the demo corpus has many.
    assert (
        detect_language(
            "Dundee Real see off Utrecht Olympique 1-0 to book a place in the cup final",
            "Dundee Real will face the holders in the final next month after beating Utrecht.",
        )
        == "en"
    )


def test_the_detector_keeps_an_importing_process_small():
    # The parse worker loads it: py3langid's table made that process 100 MB larger.
    probe = (
        "from articles.languages.detect import detect_language\n"
        "rss = lambda: int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20\n"
        "before = rss(); detect_language('Le parlement adopte le budget')\n"
        "print(rss() - before)"
    )
    assert last_figure(probe) < 15


def test_text_that_says_nothing_of_its_language_is_unknown():
    assert detect_language("") == ""
    assert detect_language("2024 – 3:1 (12')") == ""


def test_a_seed_states_its_language_and_that_wins_over_detection():
    fields = sample_fields()  # an English headline
    assert parse_seed(seed_text(fields).encode(), "a.txt").language == "en"
    fields["language"] = "PT-br"
    item = parse_seed(seed_text(fields).encode(), "a.txt")
    assert item.language == "pt-br" and "language" not in item.extra
    fields["language"] = "Portuguese, mostly"
    item = parse_seed(seed_text(fields).encode(), "a.txt")
    assert item.language == "en"  # detected instead
    assert item.extra["language"] == "Portuguese, mostly"
    assert any(warning.startswith("language: expected a language tag") for warning in item.warnings)


def test_a_language_tag_is_checked_for_its_shape():
    assert language_tag("fr") == "fr"
    assert language_tag(" zh-Hant-TW ") == "zh-Hant-TW"
    for bad in ("", "f", "french language", "fr_FR", "fr-", 'fr"><script>', "x" * 40):
        assert language_tag(bad) is None, bad


@pytest.mark.django_db
def test_the_import_stores_each_articles_language(seed_dir):
    for number, (_, title, excerpt) in enumerate(TABLE):
        fields = sample_fields()
        fields.update(title=title, excerpt=excerpt, webUrl=f"https://example.com/{number}")
        (seed_dir / f"{number:03d}_x.txt").write_text(seed_text(fields), encoding="utf-8")
    assert run_import(seed_dir).code == 0
    stored = dict(Article.objects.values_list("title", "language"))
    assert [stored[title] for _, title, _ in TABLE] == [language for language, _, _ in TABLE]


def test_words_are_read_with_their_languages_stop_words():
    assert words("Le président et la ministre de l'économie", "fr") == [
        "président",
        "ministre",
        "économie",
    ]
    assert words("Die Regierung und der Kanzler", "de") == ["regierung", "kanzler"]
    # "die" is an English word: read as English, it stays.
    assert "die" in words("Die Regierung und der Kanzler", "en")
    # Japanese puts no spaces between words: pairs of characters stand for them.
    assert words("東京株式市場", "ja") == ["東京", "京株", "株式", "式市", "市場"]
    assert terms("Grève des cheminots", "Les cheminots en grève", "fr") == {
        "grève": 3,
        "cheminots": 3,
    }


@pytest.mark.django_db
def test_articles_in_french_group_into_a_story_among_themselves():
    def french(title, excerpt, domain):
        return make_article(
            title, excerpt=excerpt, language="fr", provider=(domain, domain), published=True
        )

    a = french(
        "Grève des cheminots : le trafic des TGV fortement perturbé mardi",
        "La SNCF annonce un train sur trois sur les lignes TGV à cause de la grève des cheminots.",
        "lemonde.example",
    )
    b = french(
        "Les cheminots en grève, trafic TGV très perturbé ce mardi",
        "Un TGV sur trois circulera mardi, prévient la SNCF, à cause de la grève des cheminots.",
        "liberation.example",
    )
    other = french(
        "Le musée du Louvre rouvre sa galerie après des travaux",
        "La galerie restaurée accueille de nouveau le public dès mardi.",
        "lefigaro.example",
    )
    stories.cluster_new_articles()
    a.refresh_from_db(), b.refresh_from_db(), other.refresh_from_db()
    assert a.story_id is not None and a.story_id == b.story_id
    assert other.story_id != a.story_id


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.requires("postgresql database")
def test_postgresql_search_finds_a_french_word_by_another_form_of_it():
    from articles.search.backends.postgres import LANGUAGE_CONFIGS
    from articles.search.ranking import search_published

    make_article(
        "Les électeurs choisissent leurs nouveaux députés",
        excerpt="Les bureaux de vote ferment à vingt heures.",
        language="fr",
    )
    make_article("Voters choose their new members of parliament", language="en")
    make_article("Die Wähler haben entschieden", language="de")

    def found(query):
        return [article.title for article in search_published(query)]

    # The French stemmer reads "électeur" and "électeurs", "député" and "députés", as one word;
    # accents folded, as in English.
    assert found("électeur") == ["Les électeurs choisissent leurs nouveaux députés"]
    assert found("depute") == ["Les électeurs choisissent leurs nouveaux députés"]
    assert found("member") == ["Voters choose their new members of parliament"]
    assert found("Wähler") == ["Die Wähler haben entschieden"]
    # "les" is a stop word in French, not in English: it drops out of the French reading only.
    assert found("les députés -parliament") == ["Les électeurs choisissent leurs nouveaux députés"]
    assert found("electeurs -député") == []
    # The configurations the trigger indexes with are those the query reads in.
    loader = __import__("articles.migrations.0023_languages_article_language", fromlist=["STEMMED"])
    assert {code: f"newsroom_{name}" for code, (name, _) in loader.STEMMED.items()} == (
        LANGUAGE_CONFIGS
    )
