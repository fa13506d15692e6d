"""The bracket language: its exact probabilities worked out by hand, its generator and its checker."""

import numpy as np
import pytest

from rnnlib import brackets


def test_probabilities_worked_out_by_hand():
    # "(oak) sky\n": a group at depth 0 (0.4); at depth 1 a word (0.6), oak or elm (1/2); then o-a-k is
    # spelled out; the group ends (1 - 0.5); another item follows at depth 0 (0.7): a word (0.6), and
    # both words of depth 0 start with s, so s is certain among them; then sky or sea (1/2); the line ends (0.3).
    text = "(oak) sky\n"
    p = brackets.next_char_probabilities(text)
    given = p[np.arange(len(text)), brackets.to_ids(text)]
    np.testing.assert_allclose(given, [0.4, 0.3, 1, 1, 0.5, 0.7, 0.6, 0.5, 1, 0.3])
    np.testing.assert_allclose(p.sum(axis=1), 1)
    start = dict(zip(brackets.ALPHABET, p[0]))  # a line's first character: s 0.6, ( 0.4
    assert start["s"] == pytest.approx(0.6) and start["("] == pytest.approx(0.4) and sum(start.values()) == 1
    np.testing.assert_array_equal(brackets.depths(text), [1, 1, 1, 1, 0, 0, 0, 0, 0, 0])


def test_generated_text_is_whole_valid_lines_whose_every_character_was_possible():
    text = brackets.generate(3000, np.random.default_rng(0))
    assert len(text) >= 3000 and text.endswith("\n")
    assert text == brackets.generate(3000, np.random.default_rng(0))  # the same rng, the same text
    assert all(brackets.is_valid(line + "\n") for line in text.splitlines())
    depth = brackets.depths(text)
    assert depth.min() == 0 and depth.max() == brackets.MAX_DEPTH
    p = brackets.next_char_probabilities(text)
    assert p[np.arange(len(text)), brackets.to_ids(text)].min() > 0


class _FirstDrawZero:
    """A Generator whose first draw is exactly 0.0, a boundary of the cumulative probabilities."""

    def __init__(self):
        self.rng, self.first = np.random.default_rng(0), True

    def random(self):
        first, self.first = self.first, False
        return 0.0 if first else self.rng.random()


def test_a_draw_on_a_boundary_goes_to_the_next_character_never_to_an_impossible_one():
    # At the start of a line "\n", " " and ")" have probability 0 and come first in ALPHABET; "(" is the
    # first character of positive probability, so a draw of 0.0 must give it.
    text = brackets.generate(1, _FirstDrawZero())
    assert text[0] == "(" and all(brackets.is_valid(line) for line in text.splitlines(keepends=True))


def test_the_generator_draws_with_the_probabilities_it_states():
    # Over many lines, how often a line starts with "(" is P_GROUP[0] = 0.4, within sampling noise.
    lines = brackets.generate(60000, np.random.default_rng(1)).splitlines()
    share = np.mean([line.startswith("(") for line in lines])
    assert abs(share - brackets.P_GROUP[0]) < 3 * np.sqrt(0.4 * 0.6 / len(lines))


@pytest.mark.parametrize("line, valid", [
    ("sky\n", True), ("sea (oak (nest (owl ant)) elm) sky\n", True), ("(((ant)))\n", True),
    ("sky", False),  # no end of line
    ("sky (oak\n", False),  # a bracket left open
    ("sky)\n", False),  # closed at depth 0
    ("((((ant))))\n", False),  # deeper than MAX_DEPTH
    ("oak\n", False),  # a word of depth 1 at depth 0
    ("sku\n", False), ("sky  sea\n", False), ("", False), ("Sky\n", False),
])
def test_is_valid(line, valid):
    assert brackets.is_valid(line) is valid


def test_bad_input():
    with pytest.raises(ValueError, match=r"outside the alphabet .*\['X'\]"):
        brackets.to_ids("skyX")
    with pytest.raises(ValueError, match="not in the language"):
        brackets.next_char_probabilities("sky)\n")
    with pytest.raises(ValueError, match="n_chars must be a positive whole number; got 0"):
        brackets.generate(0, np.random.default_rng(0))
