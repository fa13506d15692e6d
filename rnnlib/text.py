"""A small, tested tokenizer for notebook 07's messages.

Token ids: 0 is padding (Keras's Embedding(mask_zero=True) masks it), 1 stands for any word not in the vocabulary,
and the vocabulary's words get 2, 3, ... in order of how often they occur (ties alphabetically), so the same texts
always give the same ids.
"""

import re
from collections import Counter

PAD, UNKNOWN = 0, 1
_TOKEN = re.compile(r"[a-z0-9]+|[!?£$]")


def tokenize(text):
    """Lower-case words and numbers, plus ! ? £ $ as tokens of their own."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string; got {type(text).__name__}")
    return _TOKEN.findall(text.lower())


def build_vocabulary(texts, max_size=None):
    """{word: id} for the words of `texts`, most frequent first, ids from 2.

    max_size: keep at most this many words (the rest map to UNKNOWN).
    """
    if isinstance(texts, str):
        raise ValueError("texts must be a list of strings, not one string")
    if max_size is not None and (not isinstance(max_size, int) or max_size < 1):
        raise ValueError(f"max_size must be a positive whole number or None; got {max_size!r}")
    counts = Counter(token for text in texts for token in tokenize(text))
    ranked = sorted(counts, key=lambda w: (-counts[w], w))[:max_size]
    return {word: i + 2 for i, word in enumerate(ranked)}


def encode(texts, vocabulary, length):
    """Token ids, shape (N, length): the first `length` tokens of each text,
    padded with 0 at the end (so a mask of non-zero ids is right-padded)."""
    import numpy as np

    if not isinstance(length, int) or length < 1:
        raise ValueError(f"length must be a positive whole number; got {length!r}")
    if isinstance(texts, str):
        raise ValueError("texts must be a list of strings, not one string")
    ids = np.zeros((len(texts), length), dtype=np.int32)
    for row, text in enumerate(texts):
        tokens = [vocabulary.get(token, UNKNOWN) for token in tokenize(text)][:length]
        ids[row, : len(tokens)] = tokens
    return ids
