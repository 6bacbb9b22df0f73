"""Static word embeddings of headlines: wordllama's default 256-dimension model, shipped inside
its PyPI wheel (numpy, `tokenizers` and `safetensors`; no torch, no download). Loaded on first
use, in the clustering path only (an import, `manage.py cluster_stories`): web workers never
load it.

The wheel's weights and tokenizer are read directly, as `WordLlama.load()` reads them, and
pooled as its `embed(norm=True)` pools (the mean of the tokens' vectors, to unit length; a test
holds the two equal): its Python package would bring huggingface_hub and pydantic, and its
float32 copy of the weights, into the import (about 60 MB more at its peak)."""

from __future__ import annotations

import importlib.util
from functools import cache
from itertools import chain
from pathlib import Path

import numpy as np

MODEL = "l2_supercat"
DIMENSIONS = 256
BATCH = 64


def wheel_folder() -> Path:
    """The installed wordllama package's folder, found without importing it."""
    return Path(importlib.util.find_spec("wordllama").origin).parent


@cache
def _model():
    from safetensors import safe_open
    from tokenizers import Tokenizer

    folder = wheel_folder()
    tokenizer = Tokenizer.from_file(str(folder / "tokenizers" / f"{MODEL}_tokenizer_config.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    # The model has no pre-tokenizer: BPE reads a whole headline as one "word", and its cache
    # kept every headline ever embedded (RSS grew ~5 MB per 1,000 articles, 160 MB of a
    # 20,000-file import). Headlines do not repeat: no cache, same tokens.
    tokenizer.model._resize_cache(0)
    weights_file = folder / "weights" / f"{MODEL}_{DIMENSIONS}.safetensors"
    with safe_open(str(weights_file), framework="np", device="cpu") as weights:
        table = weights.get_tensor("embedding.weight")  # float16: half the float32 copy
    return tokenizer, table


def headline_text(title: str, excerpt: str = "") -> str:
    """What is embedded of an article: its title and the excerpt's opening."""
    return f"{title}. {excerpt[:300]}" if excerpt else title


def embed(texts: list[str]) -> np.ndarray:
    """Unit float32 vectors, one row per text (a text without a known token: zeros)."""
    found = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return found
    tokenizer, table = _model()
    # Token ids only (no offsets), unpadded: each text's vectors are summed where they lie in
    # one flat row of its batch's ids, so no padding is looked up, converted or multiplied.
    encoded = tokenizer.encode_batch_fast(texts, add_special_tokens=False)
    for start in range(0, len(texts), BATCH):
        rows = [e.ids for e in encoded[start : start + BATCH]]
        lengths = np.fromiter(map(len, rows), dtype=np.intp, count=len(rows))
        if not lengths.any():
            continue
        ids = np.fromiter(chain.from_iterable(rows), dtype=np.intp, count=int(lengths.sum()))
        np.clip(ids, 0, table.shape[0] - 1, out=ids)
        have = lengths > 0  # reduceat would give an empty text its neighbour's first token
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[have]
        # Summed in float32 as the float16 rows are read (no float32 copy of the tokens'
        # vectors: the same sums, in the same order, bit for bit).
        sums = np.add.reduceat(table[ids], starts, axis=0, dtype=np.float32)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        block = found[start : start + len(rows)]
        block[have] = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
    return found
