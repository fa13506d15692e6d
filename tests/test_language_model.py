"""A language model's next-token distribution, perplexity and samples, against Keras and by hand."""

import numpy as np
import pytest

from rnnlib.language_model import next_token_probabilities, perplexity, sample, softmax

K = 7


def language_model(keras, *recurrent, k=K):
    return keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(k, 3), *recurrent,
                             keras.layers.Dense(k)])


def sharpened(model, scale=16.0):
    """The same model with its Dense layer's weights scaled up: logits far from 0, so that a temperature matters.
    The layers below keep theirs: a recurrence with its weights scaled up amplifies Keras's float32 rounding at
    every step (all weights times 4 put probabilities 1.3e-5 apart from by_hand's float64 on some starts)."""
    dense = model.layers[-1]
    dense.set_weights([w * scale for w in dense.get_weights()])
    return model


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("sequences", [True, False])
def test_next_token_probabilities_equal_softmax_of_keras_logits(keras, rng, kind, sequences):
    model = sharpened(language_model(keras, getattr(keras.layers, kind)(5, return_sequences=sequences)))
    ids = rng.integers(0, K, (4, 6))
    logits = np.asarray(model(ids))
    last = logits[:, -1] if sequences else logits
    for temperature in (0.5, 1.0, 2.0):
        expected = np.asarray(keras.ops.softmax(last / temperature))
        np.testing.assert_allclose(next_token_probabilities(model, ids, temperature=temperature), expected, atol=1e-5)


def test_a_stack_of_two_recurrent_layers(keras, rng):
    model = language_model(keras, keras.layers.GRU(4, return_sequences=True), keras.layers.LSTM(5))
    ids = rng.integers(0, K, (3, 5))
    np.testing.assert_allclose(next_token_probabilities(model, ids), np.asarray(keras.ops.softmax(model(ids))),
                               atol=1e-6)


def test_perplexity_is_exp_of_keras_cross_entropy(keras, rng):
    model = sharpened(language_model(keras, keras.layers.LSTM(5, return_sequences=True)))
    ids, targets = rng.integers(0, K, (4, 6)), rng.integers(0, K, (4, 6))
    keras_loss = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(targets, model(ids)))
    assert perplexity(model, ids, targets) == pytest.approx(np.exp(keras_loss), rel=1e-5)


def test_a_model_that_knows_nothing_has_perplexity_k(keras, rng):
    # Dense kernel and bias 0: every logit is 0, every token has probability 1/K.
    model = language_model(keras, keras.layers.SimpleRNN(4, return_sequences=True))
    model.layers[-1].set_weights([np.zeros((4, K)), np.zeros(K)])
    ids = rng.integers(0, K, (2, 5))
    assert perplexity(model, ids, ids) == pytest.approx(K)
    np.testing.assert_allclose(next_token_probabilities(model, ids, temperature=0.1), 1 / K)
    np.testing.assert_allclose(softmax([[0.0, np.log(3.0)]]), [[0.25, 0.75]])  # e^0 : e^log 3 = 1 : 3


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_samples_are_drawn_from_what_by_hand_computes(keras, rng, kind):
    # A sample's bits are -log2 of the probability next_token_probabilities gives each of its tokens,
    # after the prompt and the tokens before it: the step functions agree with by_hand's forward pass.
    model = sharpened(language_model(keras, getattr(keras.layers, kind)(5, return_sequences=True)))
    prompt = [3, 1]
    samples, bits = sample(model, prompt, 3, temperature=1.5, rng=np.random.default_rng(0), stop=0, max_length=8)
    for tokens, mean_bits in zip(samples, bits):
        assert 1 <= len(tokens) <= 8 and (tokens[-1] == 0 or len(tokens) == 8) and 0 not in tokens[:-1]
        seen = np.array(prompt + list(tokens))
        p = [next_token_probabilities(model, seen[None, :t])[0, seen[t]] for t in range(len(prompt), len(seen))]
        assert mean_bits == pytest.approx(-np.mean(np.log2(p)), rel=1e-6)  # by_hand computes in float32, sample in float64
    again, _ = sample(model, prompt, 3, temperature=1.5, rng=np.random.default_rng(0), stop=0, max_length=8)
    assert all(np.array_equal(a, b) for a, b in zip(samples, again))  # the same rng, the same samples


def test_a_cold_temperature_picks_the_likeliest_token(keras):
    model = language_model(keras, keras.layers.GRU(4, return_sequences=True))
    dense = model.layers[-1]
    dense.set_weights([np.zeros((4, K)), np.array([0.0, 0, 3, 0, 0, 0, 0])])  # token 2: e^3 times the others
    samples, bits = sample(model, [1], 2, temperature=0.05, rng=np.random.default_rng(0), stop=0, max_length=5)
    np.testing.assert_array_equal(samples, [[2] * 5] * 2)
    np.testing.assert_allclose(bits, -np.log2(np.exp(3) / (np.exp(3) + 6)))


def test_bad_input(keras, rng):
    model = language_model(keras, keras.layers.GRU(4, return_sequences=True))
    ids = rng.integers(0, K, (2, 5))
    with pytest.raises(ValueError, match=r"token ids must lie in \[0, 7\); got ids from 0 to 9"):
        next_token_probabilities(model, np.array([[0, 9]]))
    with pytest.raises(ValueError, match="temperature must be a number above 0; got 0"):
        next_token_probabilities(model, ids, temperature=0)
    with pytest.raises(ValueError, match="temperature must be a number above 0; got -1"):
        sample(model, [1], 2, temperature=-1, rng=rng, stop=0, max_length=3)
    with pytest.raises(ValueError, match=r"targets must have the shape of ids, \(N, T\) = \(2, 5\); got \(2, 4\)"):
        perplexity(model, ids, ids[:, 1:])
    with pytest.raises(ValueError, match=r"ids must be a 2-D array \(N, T\)"):
        next_token_probabilities(model, ids[0])
    with pytest.raises(ValueError, match="prompt must hold at least one token"):
        sample(model, [], 2, rng=rng, stop=0, max_length=3)
    softmax_model = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(K, 3),
                                      keras.layers.GRU(4), keras.layers.Dense(K, activation="softmax")])
    with pytest.raises(ValueError, match="must end in a Dense layer giving logits"):
        next_token_probabilities(softmax_model, ids)
    no_embedding = keras.Sequential([keras.Input((5, 2)), keras.layers.GRU(4), keras.layers.Dense(K)])
    with pytest.raises(ValueError, match="a Sequential of an Embedding, SimpleRNN, LSTM or GRU layers, and a Dense"):
        perplexity(no_embedding, ids, ids)
    last_only = language_model(keras, keras.layers.GRU(4))
    with pytest.raises(ValueError, match="must return sequences"):
        perplexity(last_only, ids, ids)
