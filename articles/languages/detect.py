"""An article's language from its title, excerpt and the start of its body: py3langid (a naive
Bayes model over byte n-grams, BSD-3-Clause, its model inside the wheel), restricted to the
languages news reaches us in (`SUPPORTED`) and to a confident answer, else "" (unknown).

The model loads once per process, on the first call (about a second); one call costs some tens
of microseconds (docs/performance/languages.md).
"""

from __future__ import annotations

import threading

# Languages an article may be detected as (ISO 639-1). Fewer candidates: a faster call and
# fewer confusions on short headlines. A seed may still state any other (`tags.language_tag`).
SUPPORTED = (
    "en fr de es it pt nl sv da no fi pl cs sk hu ro el tr ru uk bg ar he fa hi id vi ja zh ko"
).split()
# Below this probability the answer is "": a headline of names and numbers says too little.
MIN_CONFIDENCE = 0.6
# What is read: headlines and standfirsts say it; a long body costs time and adds nothing.
MAX_CHARS = 240

_identifier = None
_loading = threading.Lock()


def _model():
    global _identifier
    if _identifier is None:
        with _loading:
            if _identifier is None:
                import numpy
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(SUPPORTED)
                # The model's table comes as float16, and the language columns picked out of it
                # are strided: numpy multiplies neither fast. As contiguous float32 (12 MB,
                # in the import's processes only) a call costs a fraction.
                identifier.nb_ptc = numpy.ascontiguousarray(identifier.nb_ptc, dtype=numpy.float32)
                identifier.nb_pc = numpy.ascontiguousarray(identifier.nb_pc, dtype=numpy.float32)
                _identifier = identifier
    return _identifier


def detect_language(title: str, excerpt: str = "", body: str = "") -> str:
    """The ISO 639-1 code of the language the text is written in, or "" when unsure."""
    text = " ".join(part for part in (title, excerpt, body) if part)[:MAX_CHARS]
    if not any(character.isalpha() for character in text):
        return ""
    language, probability = _model().classify(text)
    return language if probability >= MIN_CONFIDENCE else ""
