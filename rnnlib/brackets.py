"""A tiny language of words in brackets, and the best possible predictor of its next character.

A line is items separated by spaces, then a newline. An item is a word, or a group: "(", items, ")". Groups nest at
most MAX_DEPTH deep; depth d has its own two words, WORDS[d]:

    sea sky (oak (nest bud (owl)) elm) sky

The source's state, the depth and the part of a word written so far, can be read off the text by counting brackets,
so the probability of each next character given the text so far is known exactly; its cross-entropy on a text is the
lowest any model can reach on average.
"""

from functools import lru_cache

import numpy as np

WORDS = (("sky", "sea"), ("oak", "elm"), ("nest", "bud"), ("owl", "ant"))  # the words of depth 0, 1, 2, 3
MAX_DEPTH = len(WORDS) - 1
P_GROUP = (0.4, 0.4, 0.3, 0.0)  # an item at depth d is a group, not a word, with this probability
P_MORE = (0.7, 0.5, 0.5, 0.4)  # after an item at depth d, another follows (a space) with this probability
ALPHABET = "\n ()" + "".join(sorted({c for words in WORDS for w in words for c in w}))
K = len(ALPHABET)
_ID = {c: i for i, c in enumerate(ALPHABET)}


def to_ids(text):
    """The characters' ids, positions in ALPHABET: (T,) integers."""
    unknown = sorted(set(text) - set(ALPHABET))
    if unknown:
        raise ValueError(f"text holds characters outside the alphabet {ALPHABET!r}: {unknown}")
    return np.array([_ID[c] for c in text], dtype=np.int64)


def to_text(ids):
    """The text whose characters have these ids."""
    return "".join(ALPHABET[i] for i in np.asarray(ids).ravel())


@lru_cache(maxsize=None)
def _distribution(depth, word):
    """(K,) probabilities of the next character, in the state (depth, word): word is "" where an
    item begins, the part of a word written so far, or None right after a group's ")"."""
    p = np.zeros(K)
    candidates = [w for w in WORDS[depth] if word is not None and w.startswith(word)]
    if word == "":  # an item begins: a group, or a word
        p[_ID["("]] = P_GROUP[depth]
        for w in candidates:
            p[_ID[w[0]]] += (1 - P_GROUP[depth]) / len(candidates)
    elif word is None or word in candidates:  # an item has ended: another, or the end of the group or line
        p[_ID[" "]] = P_MORE[depth]
        p[_ID[")" if depth else "\n"]] = 1 - P_MORE[depth]
    else:  # inside a word: its next letter
        for w in candidates:
            p[_ID[w[len(word)]]] += 1 / len(candidates)
    return p


def _next_state(depth, word, char):
    """The state after char: a bracket moves the depth, a space or a newline begins an item."""
    if char == "(":
        return depth + 1, ""
    if char == ")":
        return depth - 1, None
    return depth, "" if char in " \n" else word + char


def _rows(text):
    """The source's distribution of each character of text given the text before it, up to the
    first character that it could not have written."""
    rows, depth, word = [], 0, ""
    for char in text:
        p = _distribution(depth, word)
        if char not in _ID or p[_ID[char]] == 0:
            break
        rows.append(p)
        depth, word = _next_state(depth, word, char)
    return rows


def next_char_probabilities(text):
    """The exact distribution of every character of `text` given the text before it.

    text: whole lines, as generate writes them, from the start of a line.
    Returns (T, K): row t is P(character t = each character of ALPHABET | text[:t]).
    """
    rows = _rows(text)
    if len(rows) < len(text):
        raise ValueError(f"text is not in the language: the source could not have written its character "
                         f"{len(rows)}, {text[len(rows)]!r}, after {text[max(0, len(rows) - 20):len(rows)]!r}")
    return np.array(rows).reshape(len(text), K)


def depths(text):
    """(T,): how many brackets are open after each character of `text` (whole lines)."""
    return np.cumsum([(c == "(") - (c == ")") for c in text])


def is_valid(line):
    """Whether the source could have written `line`: its words, brackets closed in order, at most
    MAX_DEPTH deep, and a newline at the end, at depth 0."""
    return line.endswith("\n") and len(_rows(line)) == len(line)


def generate(n_chars, rng):
    """Whole lines from the source, at least n_chars characters in all: a string.

    rng: a NumPy Generator, e.g. np.random.default_rng(0).
    """
    if isinstance(n_chars, bool) or not isinstance(n_chars, (int, np.integer)) or n_chars < 1:
        raise ValueError(f"n_chars must be a positive whole number; got {n_chars!r}")
    chars, depth, word = [], 0, ""
    while len(chars) < n_chars or chars[-1] != "\n":
        # The first character whose cumulative probability exceeds the draw: a draw on a boundary (0 included)
        # goes to the next character, never to one of probability 0. The factor keeps the draw below the last sum.
        u = rng.random() * (1 - 1e-12)
        char = ALPHABET[np.searchsorted(np.cumsum(_distribution(depth, word)), u, side="right")]
        chars.append(char)
        depth, word = _next_state(depth, word, char)
    return "".join(chars)
