import pathlib

import numpy as np
import pytest

from rnnlib.text import PAD, UNKNOWN, build_vocabulary, encode, tokenize

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_tokenize_known_values():
    assert tokenize("WIN a £500 prize!! Call 0800") == ["win", "a", "£", "500", "prize", "!", "!", "call", "0800"]
    assert tokenize("  ") == []
    with pytest.raises(ValueError, match="text must be a string; got int"):
        tokenize(3)


def test_vocabulary_is_ranked_by_count_then_alphabetically():
    vocab = build_vocabulary(["b a", "a c", "a b"])
    assert vocab == {"a": 2, "b": 3, "c": 4}
    assert build_vocabulary(["b a", "a c", "a b"], max_size=1) == {"a": 2}
    with pytest.raises(ValueError, match="not one string"):
        build_vocabulary("a b")


def test_encode_pads_at_the_end_and_marks_unknown_words():
    vocab = {"a": 2, "b": 3}
    ids = encode(["a b z", "b", "a a a a a"], vocab, length=4)
    np.testing.assert_array_equal(ids, [[2, 3, UNKNOWN, PAD], [3, PAD, PAD, PAD], [2, 2, 2, 2]])
    assert ids.dtype == np.int32
    with pytest.raises(ValueError, match="length must be a positive whole number"):
        encode(["a"], vocab, 0)


def test_shipped_messages_are_what_the_generator_writes():
    from tools import make_messages

    text = (ROOT / "notebooks" / "data" / "messages.tsv").read_text()
    assert text == make_messages.render()
    rows = [line.split("\t") for line in text.splitlines()[1:]]
    assert len(rows) == 300 and {label for label, _, _ in rows} == {"spam", "ham"}
    # each row names its template, and every template's messages share its label
    assert all(template.startswith(label) for label, _, template in rows)
    assert len({template for _, _, template in rows}) == len(make_messages.SPAM) + len(make_messages.HAM)
