"""Words of a text as clustering compares them, per language: split into words (or, in
Japanese and Chinese, which put no spaces between words, into pairs of characters), lower-cased,
the language's stop words left out. An unknown language ("") is read as English, which most of
our news is; a language without a list here loses no words but those of one letter."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)
_UNSPACED = frozenset({"ja", "zh"})  # written without spaces between words
# One run of Han, kana or Hangul characters, read as overlapping pairs of characters.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

# Function words, and a headline's stock words ("says", "live") that tell nothing of the event.
_STOP = {
    "en": """a about after again against all also am an and any are as at be because been before
    being between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our out over own same she should so some
    such than that the their them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your says
    said new news report reports update live latest video watch""",
    "fr": """au aux avec ce ces cette dans de des du elle en et eux il ils je la le les leur
    leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa
    se ses son sur ta te tes toi ton tu un une vos votre vous est sont été être avoir ont fait
    après avant selon contre entre sans sous plus moins très aussi comme dont tout tous toute
    toutes été deux trois dit annonce direct vidéo nouveau nouvelle""",
    "de": """der die das den dem des ein eine einer eines einem einen und oder aber auch als am
    an auf aus bei bis durch für gegen im in ist mit nach nicht noch nur ob sich sie er es wir
    ihr ihre sein seine sind war waren wird werden wurde um von vor zu zum zur über unter nach
    so wie was wer dass hat haben mehr neue neuer neues sagt live video""",
    "es": """el la los las un una unos unas y o pero de del al a en con por para sin sobre
    entre tras desde hasta que qué se su sus lo le les es son fue ser ha han era más menos muy
    como ya no sí este esta estos estas ese esa dos tres dice nuevo nueva vídeo directo""",
    "it": """il lo la i gli le un uno una di del della dei delle da dal dalla in nel nella con
    su per tra fra e o ma che chi non si è sono ha hanno al alla ai agli anche come più dopo
    dice nuovo nuova video""",
    "pt": """o a os as um uma uns umas de do da dos das em no na nos nas por para com sem sobre
    entre após e ou mas que se seu sua seus suas é são foi ser há tem mais menos muito como não
    ao aos à diz novo nova vídeo""",
    "nl": """de het een en of maar van in op met voor door naar bij uit aan om over na als dat
    die dit deze is zijn was waren wordt worden heeft hebben niet ook nog meer er zich hij zij
    wij ze ook zegt nieuw nieuwe video""",
}
STOP_WORDS = {language: frozenset(text.split()) for language, text in _STOP.items()}


@lru_cache(maxsize=256)  # a few tags in practice
def stop_words(language: str) -> frozenset[str]:
    """The stop words of `language` (a tag; only its primary subtag counts; "" is English)."""
    return STOP_WORDS.get(language.partition("-")[0].lower() or "en", frozenset())


def words(text: str, language: str = "") -> list[str]:
    """The words of `text` that say something, lower-cased, in order, repeats kept."""
    primary = language.partition("-")[0].lower()
    stop = stop_words(primary)
    lowered = text.lower()
    found = [word for word in _WORD.findall(lowered) if word not in stop]
    if primary not in _UNSPACED:
        return found
    pairs: list[str] = []
    for word in found:
        for run in _CJK.findall(word) or [word]:
            if len(run) <= 2 or not _CJK.fullmatch(run):
                pairs.append(run)
            else:
                pairs.extend(run[i : i + 2] for i in range(len(run) - 1))
    return pairs
