# ruff: noqa: E501 (the grammar: one template a line)
"""A phrase grammar of news: events of a few kinds, each told in English, French, German and
Spanish by several templates (so one event's coverage says it in different words), for the
generated corpus (`corpus`). Every name in it is made up or a city; no text is copied from a
real article.

`Event` holds what one happening is made of (who, where, how many); `headline` and `standfirst`
tell it through a template of its kind in one language. Unrelated events of the same kind share
the kind's words ("strike", "grève") and differ in their names, as real news does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

LANGUAGES = ("en", "fr", "de", "es")
CITIES = tuple(
    "Lyon, Leeds, Porto, Graz, Bilbao, Turin, Ghent, Aarhus, Cork, Malmö, Zürich, São Paulo, "
    "Málaga, Kraków, Bergen, Dundee, Nantes, Utrecht, Seville, Bremen, Lille, Genoa, Brno, "
    "Tampere".split(", ")
)
COMPANIES = (
    "Northwind Veltra Orbix Calder Brightline Haldane Morrow Quenta Solvay Tessar Ardent Kestrel "
    "Lumera Pallas Rovik Stratos Aurel Dunmore Fenwick Halcyon"
).split()
UNIONS = ("Unite", "Verdi", "CGT", "UGT", "GMB", "IG Metall")
PARTIES = ("Greens", "Liberals", "Social Democrats", "Conservatives", "Civic Alliance")
PEOPLE = (
    "Ana Ortega, Marc Dubois, Lena Vogel, Tom Harding, Sofia Marin, Jonas Keller, Claire Morel, "
    "Priya Nair, Diego Salas, Hanna Berg"
).split(", ")
TEAMS = ("United", "Athletic", "Rovers", "Olympique", "Sporting", "Borussia", "Real", "City")
MISSIONS = ("Aster", "Helios", "Vega", "Meridian", "Polaris", "Lyra")
AGENCIES = ("ESA", "the national space agency", "Ariane", "Orbital Works")

# Kind -> language -> (headline templates, standfirst templates). Slots: {company} {other}
# {city} {union} {party} {person} {team} {rival} {mission} {agency} {n} {m} {score}.
GRAMMAR: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "strike": {
        "en": (
            (
                "{union} workers strike at {company} over pay in {city}",
                "{company} hit by {union} walkout as pay talks collapse",
                "Thousands of {company} staff walk out in {city}",
                "{city}: strike at {company} enters day {n}",
            ),
            (
                "Production at the {city} plant stopped as {union} members walked out over a "
                "{n}% pay offer.",
                "The union says talks with {company} management broke down after {n} weeks.",
            ),
        ),
        "fr": (
            (
                "Grève chez {company} à {city} : les salariés réclament des hausses de salaire",
                "{city} : les salariés de {company} en grève depuis {n} jours",
            ),
            (
                "Le syndicat {union} dénonce une offre de {n} % jugée insuffisante par les "
                "salariés de {company}.",
            ),
        ),
        "de": (
            (
                "Streik bei {company} in {city}: Beschäftigte fordern mehr Lohn",
                "{union} ruft zum Streik bei {company} auf",
            ),
            ("Die Gewerkschaft {union} lehnt das Angebot von {n} Prozent ab.",),
        ),
        "es": (
            (
                "Huelga en {company}: los trabajadores de {city} exigen subidas salariales",
                "{union} convoca huelga en la planta de {company} en {city}",
            ),
            ("El sindicato rechaza la oferta del {n} % presentada por la dirección de {company}.",),
        ),
    },
    "merger": {
        "en": (
            (
                "{company} agrees to buy {other} for ${n}bn",
                "{company} to acquire rival {other} in ${n}bn deal",
                "{other} accepts ${n}bn takeover offer from {company}",
                "{company}-{other} merger creates Europe's biggest {sector} group",
            ),
            (
                "The deal, worth ${n}bn including debt, still needs approval from regulators.",
                "Shareholders of {other} will receive a premium of {m}% on Friday's close.",
            ),
        ),
        "fr": (
            (
                "{company} rachète {other} pour {n} milliards de dollars",
                "Fusion : {other} accepte l'offre de {company}",
            ),
            ("L'opération, évaluée à {n} milliards, doit encore être validée par Bruxelles.",),
        ),
        "de": (
            (
                "{company} übernimmt {other} für {n} Milliarden Dollar",
                "Milliardenübernahme: {company} kauft Konkurrenten {other}",
            ),
            ("Die Übernahme muss noch von den Wettbewerbsbehörden genehmigt werden.",),
        ),
        "es": (
            (
                "{company} compra {other} por {n} mil millones de dólares",
                "{other} acepta la oferta de compra de {company}",
            ),
            ("La operación, valorada en {n} mil millones, necesita el visto bueno de Bruselas.",),
        ),
    },
    "election": {
        "en": (
            (
                "{person} elected mayor of {city}",
                "{party} win {city} mayoral race as {person} takes office",
                "{city} votes: {person} of the {party} beats incumbent",
            ),
            (
                "{person} won {m}% of the vote on a turnout of {n}%.",
                "The {party} candidate promised cheaper transport and {n} new homes.",
            ),
        ),
        "fr": (
            (
                "Municipales à {city} : {person} élu maire",
                "{city} : victoire de {person} au second tour",
            ),
            ("{person} l'emporte avec {m} % des voix, pour une participation de {n} %.",),
        ),
        "de": (
            (
                "{person} zum Bürgermeister von {city} gewählt",
                "Wahl in {city}: {person} gewinnt deutlich",
            ),
            (
                "{person} erhielt {m} Prozent der Stimmen bei einer Wahlbeteiligung von {n} Prozent.",
            ),
        ),
        "es": (
            (
                "{person}, elegido alcalde de {city}",
                "Elecciones en {city}: {person} gana la alcaldía",
            ),
            ("{person} obtiene el {m} % de los votos con una participación del {n} %.",),
        ),
    },
    "flood": {
        "en": (
            (
                "Floods hit {city} after {n} days of heavy rain",
                "{city} under water as river bursts its banks",
                "Hundreds evacuated as flooding swamps {city}",
            ),
            (
                "Emergency services evacuated {m} homes overnight; rail lines to {city} are closed.",
                "Forecasters expect more rain before the river falls again.",
            ),
        ),
        "fr": (
            (
                "Inondations à {city} : des centaines d'habitants évacués",
                "{city} sous les eaux après {n} jours de pluie",
            ),
            ("Les secours ont évacué {m} logements pendant la nuit.",),
        ),
        "de": (
            (
                "Hochwasser in {city}: Hunderte Menschen evakuiert",
                "Überschwemmungen nach {n} Tagen Dauerregen in {city}",
            ),
            ("Die Feuerwehr brachte in der Nacht {m} Haushalte in Sicherheit.",),
        ),
        "es": (
            (
                "Inundaciones en {city}: cientos de evacuados",
                "{city}, bajo el agua tras {n} días de lluvias",
            ),
            ("Los servicios de emergencia evacuaron {m} viviendas durante la noche.",),
        ),
    },
    "launch": {
        "en": (
            (
                "{agency} launches {mission} climate satellite",
                "{mission} satellite lifts off on its way to orbit",
                "{mission} mission reaches orbit after a flawless launch",
            ),
            (
                "The {mission} satellite will map sea levels for {n} years.",
                "Controllers confirmed contact {m} minutes after lift-off.",
            ),
        ),
        "fr": (
            (
                "Le satellite {mission} lancé avec succès",
                "Espace : la mission {mission} a atteint son orbite",
            ),
            ("Le satellite mesurera le niveau des océans pendant {n} ans.",),
        ),
        "de": (
            (
                "Satellit {mission} erfolgreich gestartet",
                "Raumfahrt: Mission {mission} erreicht ihre Umlaufbahn",
            ),
            ("Der Satellit soll {n} Jahre lang den Meeresspiegel vermessen.",),
        ),
        "es": (
            (
                "Lanzado con éxito el satélite {mission}",
                "La misión {mission} alcanza su órbita",
            ),
            ("El satélite medirá el nivel del mar durante {n} años.",),
        ),
    },
    "court": {
        "en": (
            (
                "Court fines {company} €{n}m over data breach",
                "{company} ordered to pay €{n}m for mishandling customer data",
                "Regulator's €{n}m fine against {company} upheld in court",
            ),
            (
                "Judges in {city} found that {company} kept customer records for years without "
                "consent.",
                "{company} said it would appeal the ruling.",
            ),
        ),
        "fr": (
            (
                "Données personnelles : {company} condamné à {n} millions d'euros d'amende",
                "La justice inflige une amende de {n} millions à {company}",
            ),
            (
                "Le tribunal de {city} reproche à {company} d'avoir conservé des données sans "
                "consentement.",
            ),
        ),
        "de": (
            (
                "Datenschutz: {company} muss {n} Millionen Euro Strafe zahlen",
                "Gericht bestätigt Millionenstrafe gegen {company}",
            ),
            (
                "Das Gericht in {city} wirft {company} vor, Kundendaten ohne Zustimmung gespeichert "
                "zu haben.",
            ),
        ),
        "es": (
            (
                "Multa de {n} millones de euros a {company} por proteger mal los datos",
                "Un tribunal condena a {company} a pagar {n} millones",
            ),
            ("El tribunal de {city} concluye que {company} guardó datos sin consentimiento.",),
        ),
    },
    "match": {
        "en": (
            (
                "{team} beat {rival} {score} to reach the cup final",
                "{rival} knocked out of the cup by {team}",
                "Late goal sends {team} past {rival} and into the final",
            ),
            (
                "A goal in the {m}th minute settled a tense semi-final in {city}.",
                "{team} will face the holders in the final next month.",
            ),
        ),
        "fr": (
            ("Coupe : {team} élimine {rival} ({score}) et file en finale",),
            ("Un but à la {m}e minute a fait la différence à {city}.",),
        ),
        "de": (
            ("Pokal: {team} schlägt {rival} {score} und steht im Finale",),
            ("Ein Tor in der {m}. Minute entschied das Halbfinale in {city}.",),
        ),
        "es": (
            ("Copa: el {team} vence al {rival} ({score}) y jugará la final",),
            ("Un gol en el minuto {m} decidió la semifinal en {city}.",),
        ),
    },
}
KINDS = tuple(GRAMMAR)
SECTORS = ("rail", "chip", "energy", "shipping", "telecoms", "insurance")


@dataclass(frozen=True)
class Event:
    kind: str
    slots: dict

    @classmethod
    def make(cls, rng: random.Random) -> Event:
        company, other = rng.sample(COMPANIES, 2)
        team, rival = rng.sample(TEAMS, 2)
        slots = {
            "company": company,
            "other": other,
            "city": rng.choice(CITIES),
            "union": rng.choice(UNIONS),
            "party": rng.choice(PARTIES),
            "person": rng.choice(PEOPLE),
            "team": f"{rng.choice(CITIES)} {team}",
            "rival": f"{rng.choice(CITIES)} {rival}",
            "mission": f"{rng.choice(MISSIONS)}-{rng.randint(1, 9)}",
            "agency": rng.choice(AGENCIES),
            "sector": rng.choice(SECTORS),
            "n": rng.randint(2, 40),
            "m": rng.randint(41, 89),
            "score": f"{rng.randint(1, 4)}-{rng.randint(0, 1)}",
        }
        return cls(rng.choice(KINDS), slots)

    def headline(self, language: str, rng: random.Random, turn: int | None = None) -> str:
        """A headline of this event in `language`: the template `turn` (counted round the
        kind's templates, so a family's members say it differently), else one at random."""
        titles, _ = GRAMMAR[self.kind][language]
        template = titles[turn % len(titles)] if turn is not None else rng.choice(titles)
        return template.format(**self.slots)

    def standfirst(self, language: str, rng: random.Random) -> str:
        _, excerpts = GRAMMAR[self.kind][language]
        return rng.choice(excerpts).format(**self.slots)
