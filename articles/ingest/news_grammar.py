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
import re
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
MISSIONS = tuple(
    "Aster Helios Vega Meridian Polaris Lyra Sentinel Corvus Altair Boreas Calypso Draco "
    "Elara Fornax Hydra Ixion Juno Kepler Lumen Mira Nadir Orion Pavo Rigel".split()
)
AGENCIES = ("ESA", "the national space agency", "Ariane", "Orbital Works")

# Kind -> language -> (headline templates, standfirst templates). Slots: {company} {other}
# {city} {union} {party} {person} {team} {rival} {mission} {agency} {n} {m} {score}.
GRAMMAR: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "strike": {
        "en": (
            (
                "{union} [workers|members|staff] [strike|walk out|down tools] at {company} [over pay|in pay row|as wage talks fail] in {city}",
                "{company} [hit by|faces|braces for] {union} [walkout|stoppage|strike] [as pay talks collapse|over wages|in {city}]",
                "[Thousands|Hundreds] of {company} [staff|workers|employees] [walk out|go on strike|stop work] in {city}",
                "{city}: [strike|walkout|dispute] at {company} [enters day {n}|drags on|shows no sign of ending]",
            ),
            (
                "Production at the {city} plant stopped as {union} members walked out over a "
                "{n}% pay offer.",
                "{union} says talks with {company} management in {city} broke down after {n} weeks.",
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
            (
                "Die Gewerkschaft {union} lehnt das Angebot von {company} in {city} ab: nur {n} Prozent.",
            ),
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
                "{company} [agrees to buy|snaps up|will buy] {other} [for ${n}bn|in ${n}bn deal|for ${n} billion]",
                "{company} to [acquire|take over|swallow] [rival|competitor|peer] {other} [in ${n}bn deal|for ${n}bn]",
                "{other} [accepts|backs|agrees to] ${n}bn [takeover|buyout|cash] [offer|bid] from {company}",
                "{company}-{other} [merger|tie-up|combination] [creates|forms|builds] [Europe's|the region's] [biggest|largest|leading] {sector} [group|company|firm]",
            ),
            (
                "The {company} deal for {other}, worth ${n}bn including debt, still needs approval from regulators.",
                "Shareholders of {other} will receive a premium of {m}% from {company}.",
            ),
        ),
        "fr": (
            (
                "{company} rachète {other} pour {n} milliards de dollars",
                "Fusion : {other} accepte l'offre de {company}",
            ),
            (
                "Le rachat de {other} par {company}, évalué à {n} milliards, doit encore être validé par Bruxelles.",
            ),
        ),
        "de": (
            (
                "{company} übernimmt {other} für {n} Milliarden Dollar",
                "Milliardenübernahme: {company} kauft Konkurrenten {other}",
            ),
            ("Die Übernahme von {other} durch {company} muss noch genehmigt werden.",),
        ),
        "es": (
            (
                "{company} compra {other} por {n} mil millones de dólares",
                "{other} acepta la oferta de compra de {company}",
            ),
            (
                "La compra de {other} por {company}, valorada en {n} mil millones, necesita el visto bueno de Bruselas.",
            ),
        ),
    },
    "election": {
        "en": (
            (
                "{person} [elected|voted in as|becomes] mayor of {city}",
                "{party} [win|take|claim] {city} [mayoral race|town hall|city hall] [as {person} takes office|with {person}]",
                "{city} [votes|decides|chooses]: {person} of the {party} [beats|unseats|defeats] [incumbent|sitting mayor]",
            ),
            (
                "{person} won {m}% of the vote on a turnout of {n}%.",
                "{person}, the {party} candidate, promised {city} cheaper transport and {n} new homes.",
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
                "[Floods|Flooding|Flash floods] [hit|swamp|batter] {city} after {n} days of [heavy|torrential|relentless] rain",
                "{city} [under water|inundated|flooded] as [river|the river|swollen river] [bursts its banks|overflows|breaks through defences]",
                "[Hundreds|Scores|Dozens of families] [evacuated|rescued|forced from homes] as [flooding|floodwater|high water] [swamps|hits|engulfs] {city}",
            ),
            (
                "Emergency services evacuated {m} homes in {city} overnight; rail lines are closed.",
                "Forecasters expect more rain in {city} before the river falls again, {n} days after the first alert.",
            ),
        ),
        "fr": (
            (
                "Inondations à {city} : des centaines d'habitants évacués",
                "{city} sous les eaux après {n} jours de pluie",
            ),
            ("À {city}, les secours ont évacué {m} logements pendant la nuit.",),
        ),
        "de": (
            (
                "Hochwasser in {city}: Hunderte Menschen evakuiert",
                "Überschwemmungen nach {n} Tagen Dauerregen in {city}",
            ),
            ("Die Feuerwehr in {city} brachte in der Nacht {m} Haushalte in Sicherheit.",),
        ),
        "es": (
            (
                "Inundaciones en {city}: cientos de evacuados",
                "{city}, bajo el agua tras {n} días de lluvias",
            ),
            ("En {city}, los servicios de emergencia evacuaron {m} viviendas durante la noche.",),
        ),
    },
    "launch": {
        "en": (
            (
                "{agency} [launches|sends up|lofts] {mission} [climate|earth-observation|ocean] satellite",
                "{mission} [satellite|spacecraft|probe] [lifts off|blasts off|launches] [on its way to orbit|from the coast|at dawn]",
                "{mission} [mission|satellite] [reaches orbit|safely in orbit|in orbit] after [a flawless|a smooth|a perfect] launch",
            ),
            (
                "The {mission} satellite will map sea levels for {n} years.",
                "{agency} controllers confirmed contact with {mission} {m} minutes after lift-off.",
            ),
        ),
        "fr": (
            (
                "Le satellite {mission} lancé avec succès",
                "Espace : la mission {mission} a atteint son orbite",
            ),
            ("Le satellite {mission} mesurera le niveau des océans pendant {n} ans.",),
        ),
        "de": (
            (
                "Satellit {mission} erfolgreich gestartet",
                "Raumfahrt: Mission {mission} erreicht ihre Umlaufbahn",
            ),
            ("Der Satellit {mission} soll {n} Jahre lang den Meeresspiegel vermessen.",),
        ),
        "es": (
            (
                "Lanzado con éxito el satélite {mission}",
                "La misión {mission} alcanza su órbita",
            ),
            ("El satélite {mission} medirá el nivel del mar durante {n} años.",),
        ),
    },
    "court": {
        "en": (
            (
                "[Court|Tribunal|Judge] [fines|penalises|hits] {company} [with €{n}m fine|€{n}m] over [data breach|privacy failings|customer data]",
                "{company} [ordered to pay|must pay|told to pay] €{n}m for [mishandling|misusing|leaking] customer data",
                "[Regulator's|Watchdog's] €{n}m [fine|penalty] against {company} [upheld|confirmed|stands] [in court|on appeal]",
            ),
            (
                "Judges in {city} found that {company} kept customer records for years without "
                "consent.",
                "{company} said it would appeal the €{n}m ruling in {city}.",
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
                "{team} [beat|see off|overcome] {rival} {score} to [reach|book a place in|make] the cup final",
                "{rival} [knocked out of|dumped out of|out of] the cup [by|after defeat to|as they lose to] {team}",
                "[Late goal|Stoppage-time winner|Late strike] [sends|fires|carries] {team} past {rival} [and into the final|to the final]",
            ),
            (
                "A goal in the {m}th minute against {rival} settled a tense semi-final in {city}.",
                "{team} will face the holders in the final next month after beating {rival}.",
            ),
        ),
        "fr": (
            ("Coupe : {team} élimine {rival} ({score}) et file en finale",),
            ("Un but à la {m}e minute face à {rival} a fait la différence à {city}.",),
        ),
        "de": (
            ("Pokal: {team} schlägt {rival} {score} und steht im Finale",),
            ("Ein Tor in der {m}. Minute gegen {rival} entschied das Halbfinale in {city}.",),
        ),
        "es": (
            ("Copa: el {team} vence al {rival} ({score}) y jugará la final",),
            ("Un gol en el minuto {m} ante el {rival} decidió la semifinal en {city}.",),
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
            "mission": rng.choice(MISSIONS),
            "agency": rng.choice(AGENCIES),
            "sector": rng.choice(SECTORS),
            "n": rng.randint(2, 40),
            "m": rng.randint(41, 89),
            "score": f"{rng.randint(1, 4)}-{rng.randint(0, 1)}",
        }
        return cls(rng.choice(KINDS), slots)

    def headline(self, language: str, rng: random.Random, turn: int | None = None) -> str:
        """A headline of this event in `language`: the template `turn` (counted round the
        kind's templates, so a family's members say it differently), else one at random; each
        `[a|b]` in it one of its words at random."""
        titles, _ = GRAMMAR[self.kind][language]
        template = titles[turn % len(titles)] if turn is not None else rng.choice(titles)
        text = _choose_words(template, rng).format(**self.slots)
        return text[0].upper() + text[1:]

    def standfirst(self, language: str, rng: random.Random) -> str:
        _, excerpts = GRAMMAR[self.kind][language]
        return _choose_words(rng.choice(excerpts), rng).format(**self.slots)


_CHOICE = re.compile(r"\[([^\]]+)\]")


def _choose_words(template: str, rng: random.Random) -> str:
    """`[a|b|c]` becomes one of a, b, c."""
    return _CHOICE.sub(lambda match: rng.choice(match[1].split("|")), template)
