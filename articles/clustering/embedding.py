"""Static word embeddings of headlines: wordllama's default 256-dimension model, shipped inside
its PyPI wheel (numpy only, no torch, no download). Loaded on first use, in the clustering path
only (an import, `manage.py cluster_stories`): web workers never import wordllama."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np


@cache
def _model():
    import wordllama
    from wordllama import WordLlama

    # Its own folder: the wheel keeps the tokenizer where `load` would not look by default.
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def headline_text(title: str, excerpt: str = "") -> str:
    """What is embedded of an article: its title and the excerpt's opening."""
    return f"{title}. {excerpt[:300]}" if excerpt else title


def embed(texts: list[str]) -> np.ndarray:
    """Unit float32 vectors, one row per text."""
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    return np.asarray(_model().embed(texts, norm=True), dtype=np.float32)
