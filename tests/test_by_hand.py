"""by_hand against Keras: oracle tests over every SimpleRNN and Dense option,
known-value tests with constant initializers, and bad input."""

import itertools
import types

import numpy as np
import pytest

from rnnlib import by_hand

ATOL = RTOL = 1e-5
SHAPES = [(1, 1, 1, 1), (2, 5, 3, 4), (3, 7, 2, 6), (4, 3, 5, 2)]  # (N, T, D, M)
# Every combination of return_sequences, return_state, go_backwards, a mask and zero_output_for_mask;
# use_bias, which only adds b inside the step, alternates from case to case.
FLAGS = [(i % 2 == 0,) + flags for i, flags in enumerate(itertools.product([False, True], repeat=5))]


def as_list(out):
    """Keras returns a tensor or a list of tensors; make it a list of arrays."""
    if isinstance(out, (list, tuple)):
        return [np.asarray(o) for o in out]
    return [np.asarray(out)]


def assert_same_structure_and_values(keras_out, ours):
    if isinstance(keras_out, (list, tuple)):
        assert isinstance(ours, list), f"Keras returned a list, by_hand a {type(ours).__name__}"
        assert len(ours) == len(keras_out)
    else:
        assert isinstance(ours, np.ndarray), f"Keras returned one tensor, by_hand a {type(ours).__name__}"
    for k, o in zip(as_list(keras_out), as_list(ours)):
        assert k.shape == o.shape
        np.testing.assert_allclose(o, k, rtol=RTOL, atol=ATOL)


def random_mask(rng, n, t):
    mask = rng.random((n, t)) > 0.35
    mask[0, : max(1, t // 2)] = False  # a sample whose first steps are padding
    if n > 1:
        mask[1, -1] = False  # a sample whose last step is padding
    return mask


@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: "".join("TF"[not b] for b in f))
def test_simple_rnn_every_option(keras, rng, flags):
    use_bias, return_sequences, return_state, go_backwards, use_mask, zero_output = flags
    n, t, d, m = SHAPES[FLAGS.index(flags) % len(SHAPES)]
    layer = keras.layers.SimpleRNN(
        m,
        use_bias=use_bias,
        return_sequences=return_sequences,
        return_state=return_state,
        go_backwards=go_backwards,
        zero_output_for_mask=zero_output,
        bias_initializer="random_normal",
    )
    x = rng.normal(size=(n, t, d)).astype(np.float32)
    h0 = rng.normal(size=(n, m)).astype(np.float32)
    mask = random_mask(rng, n, t) if use_mask else None
    for state in (None, h0):
        expected = layer(x, initial_state=state, mask=mask)
        ours = by_hand(layer, x, initial_state=state, mask=mask)
        assert_same_structure_and_values(expected, ours)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear", "softmax", "gelu", "hard_silu"])
@pytest.mark.parametrize("unroll", [False, True])
def test_simple_rnn_activations_and_unroll(keras, rng, activation, unroll):
    layer = keras.layers.SimpleRNN(5, activation=activation, unroll=unroll, return_sequences=True)
    x = rng.normal(size=(3, 6, 4)).astype(np.float32)
    assert_same_structure_and_values(layer(x), by_hand(layer, x))


def test_initial_state_as_a_list(keras, rng):
    layer = keras.layers.SimpleRNN(3, return_state=True)
    x = rng.normal(size=(2, 4, 2)).astype(np.float32)
    h0 = rng.normal(size=(2, 3)).astype(np.float32)
    assert_same_structure_and_values(layer(x, initial_state=[h0]), by_hand(layer, x, initial_state=[h0]))


def test_constant_initializers_known_values(keras):
    # kernel 1, recurrent 0.5, no bias, linear: with x = 1, 1, 1 the states are 1, 1.5, 1.75.
    layer = keras.layers.SimpleRNN(
        1, activation="linear", use_bias=False, return_sequences=True,
        kernel_initializer=keras.initializers.Constant(1.0),
        recurrent_initializer=keras.initializers.Constant(0.5),
    )
    x = np.ones((1, 3, 1), np.float32)
    known = np.array([[[1.0], [1.5], [1.75]]])
    np.testing.assert_allclose(np.asarray(layer(x)), known)
    np.testing.assert_allclose(by_hand(layer, x), known)


def test_the_one_unit_model_of_notebook_01(keras):
    model = keras.Sequential([keras.Input((3, 1)), keras.layers.SimpleRNN(1), keras.layers.Dense(1)])
    model.set_weights([np.array([[1.4501959]]), np.array([[-1.0]]), np.zeros(1), np.array([[0.5759429]]), np.zeros(1)])
    x = np.array([1.0, 2.0, 3.0], np.float32).reshape(1, 3, 1)
    np.testing.assert_allclose(by_hand(model, x), [[0.5746256]], atol=1e-7)
    np.testing.assert_allclose(np.asarray(model(x)), [[0.5746256]], atol=1e-7)


@pytest.mark.parametrize("activation", ["linear", "relu", "softmax"])
@pytest.mark.parametrize("use_bias", [False, True])
@pytest.mark.parametrize("shape", [(4, 3), (2, 5, 3)])
def test_dense(keras, rng, activation, use_bias, shape):
    layer = keras.layers.Dense(4, activation=activation, use_bias=use_bias, bias_initializer="random_normal")
    x = rng.normal(size=shape).astype(np.float32)
    assert_same_structure_and_values(layer(x), by_hand(layer, x))


def test_sequential_stack_with_mask(keras, rng):
    model = keras.Sequential([
        keras.Input((6, 3)),
        keras.layers.SimpleRNN(5, return_sequences=True),
        keras.layers.Dense(4, activation="relu"),
        keras.layers.SimpleRNN(3, go_backwards=True),
        keras.layers.Dense(2),
    ])
    x = rng.normal(size=(4, 6, 3)).astype(np.float32)
    mask = random_mask(rng, 4, 6)
    assert_same_structure_and_values(model(x), by_hand(model, x))
    # The mask reaches the second SimpleRNN through return_sequences and Dense,
    # and changes what it returns.
    assert not np.allclose(np.asarray(model(x)), np.asarray(model(x, mask=mask)), atol=1e-3)
    assert_same_structure_and_values(model(x, mask=mask), by_hand(model, x, mask=mask))


def test_a_linear_rnn_of_64_units_with_a_dense_layer_at_every_step(keras, rng):
    model = keras.Sequential([
        keras.Input((32, 28)),
        keras.layers.SimpleRNN(64, return_sequences=True, activation="linear"),
        keras.layers.Dense(2),
    ])
    x = rng.normal(size=(16, 32, 28)).astype(np.float32)
    out = by_hand(model, x)
    assert out.shape == (16, 32, 2)
    # Linear recurrences grow large; compare relative to the scale of the output.
    np.testing.assert_allclose(out, np.asarray(model(x)), rtol=1e-5, atol=1e-5 * np.abs(out).max())


def test_functional_with_return_state_and_initial_state_input(keras, rng):
    inputs = keras.Input((5, 3))
    h0 = keras.Input((4,))
    seq, state = keras.layers.SimpleRNN(4, return_sequences=True, return_state=True)(inputs, initial_state=h0)
    y = keras.layers.Dense(2)(seq)
    model = keras.Model([inputs, h0], [y, state])
    x = rng.normal(size=(3, 5, 3)).astype(np.float32)
    s = rng.normal(size=(3, 4)).astype(np.float32)
    assert_same_structure_and_values(model([x, s]), by_hand(model, [x, s]))


def test_functional_whose_output_is_a_layers_list(keras, rng):
    # Model(inputs, rnn(inputs)) with return_state=True: the model's output is the layer's list [outputs, state].
    inputs = keras.Input((8, 2))
    model = keras.Model(inputs, keras.layers.SimpleRNN(3, return_state=True, return_sequences=True)(inputs))
    x = rng.normal(size=(1, 8, 2)).astype(np.float32)
    assert_same_structure_and_values(model(x), by_hand(model, x))


def test_nested_models(keras, rng):
    inner = keras.Sequential([keras.Input((4, 3)), keras.layers.SimpleRNN(5, return_sequences=True)])
    inputs = keras.Input((4, 3))
    outer = keras.Model(inputs, keras.layers.Dense(2)(inner(inputs)))
    x = rng.normal(size=(2, 4, 3)).astype(np.float32)
    mask = random_mask(rng, 2, 4)
    assert_same_structure_and_values(outer(x), by_hand(outer, x))
    assert not np.allclose(np.asarray(outer(x)), np.asarray(outer(x, mask=mask)), atol=1e-3)
    assert_same_structure_and_values(outer(x, mask=mask), by_hand(outer, x, mask=mask))


@pytest.mark.parametrize("activation", ["linear", "tanh", "softmax"])
def test_time_distributed_dense(keras, rng, activation):
    layer = keras.layers.TimeDistributed(keras.layers.Dense(3, activation=activation, bias_initializer="random_normal"))
    x = rng.normal(size=(4, 6, 5)).astype(np.float32)
    assert_same_structure_and_values(layer(x), by_hand(layer, x))


def test_time_distributed_in_a_masked_stack(keras, rng):
    model = keras.Sequential([
        keras.Input((7, 3)),
        keras.layers.SimpleRNN(4, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(5, activation="relu")),
        keras.layers.SimpleRNN(2, return_state=True),
    ])
    x = rng.normal(size=(3, 7, 3)).astype(np.float32)
    mask = random_mask(rng, 3, 7)
    assert_same_structure_and_values(model(x), by_hand(model, x))
    # The mask passes through TimeDistributed to the second SimpleRNN.
    assert_same_structure_and_values(model(x, mask=mask), by_hand(model, x, mask=mask))


GATED = ["LSTM", "GRU", "GRU(reset_after=False)"]
GATED_FLAGS = list(itertools.product([False, True], repeat=5))


def gated_layer(keras, kind, units, **kwargs):
    if kind == "GRU(reset_after=False)":
        return keras.layers.GRU(units, reset_after=False, **kwargs)
    return getattr(keras.layers, kind)(units, **kwargs)


# Every combination of the options for Keras's default GRU; for the LSTM and the other GRU form, whose
# differences from it are inside the step, every combination of the masking options (go_backwards,
# mask, zero_output_for_mask), with everything returned.
GATED_CASES = [("GRU", flags) for flags in GATED_FLAGS] + [
    (kind, flags) for kind in ("LSTM", "GRU(reset_after=False)") for flags in GATED_FLAGS if flags[0] and flags[1]]


@pytest.mark.parametrize("kind, flags", GATED_CASES, ids=lambda c: c if isinstance(c, str) else "".join("TF"[not b] for b in c))
def test_lstm_and_gru_every_option(keras, rng, kind, flags):
    return_sequences, return_state, go_backwards, use_mask, zero_output = flags
    n, t, d, m = SHAPES[GATED_FLAGS.index(flags) % len(SHAPES)]
    layer = gated_layer(keras, kind, m, return_sequences=return_sequences, return_state=return_state,
                        go_backwards=go_backwards, zero_output_for_mask=zero_output, bias_initializer="random_normal")
    x = rng.normal(size=(n, t, d)).astype(np.float32)
    mask = random_mask(rng, n, t) if use_mask else None
    states = [rng.normal(size=(n, m)).astype(np.float32) for _ in range(2 if kind == "LSTM" else 1)]
    for state in (None, states):
        assert_same_structure_and_values(layer(x, initial_state=state, mask=mask),
                                         by_hand(layer, x, initial_state=state, mask=mask))


@pytest.mark.parametrize("kind", GATED)
@pytest.mark.parametrize("options", [
    dict(use_bias=False),
    dict(activation="relu", recurrent_activation="hard_sigmoid"),
    dict(recurrent_activation="tanh", activation="softsign"),
    dict(unroll=True, return_sequences=True),
], ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_lstm_and_gru_activations_bias_and_unroll(keras, rng, kind, options):
    layer = gated_layer(keras, kind, 4, **options)
    x = rng.normal(size=(3, 6, 5)).astype(np.float32)
    assert_same_structure_and_values(layer(x), by_hand(layer, x))


def test_lstm_return_state_is_output_h_c(keras, rng):
    layer = keras.layers.LSTM(3, return_state=True)
    x = rng.normal(size=(2, 8, 2)).astype(np.float32)
    expected = layer(x)
    output, h, c = by_hand(layer, x)
    np.testing.assert_array_equal(output, h)  # the output is the last h
    assert not np.allclose(h, c)
    assert_same_structure_and_values(expected, [output, h, c])


# (kind, merge_mode, return_sequences, return_state). Every combination of the two flags with the GRU
# and with the LSTM (two states per direction), concatenated; then every other merge mode, and the
# SimpleRNN, once each, the flags varied so that each pair of settings still appears.
FLAG_PAIRS = [(False, False), (True, False), (False, True), (True, True)]
BIDIRECTIONAL_CASES = [(kind, "concat", *flags) for kind in ("GRU", "LSTM") for flags in FLAG_PAIRS] + [
    ("GRU", "sum", False, False), ("GRU", "mul", True, False), ("GRU", "ave", False, True), ("GRU", None, True, True),
    ("LSTM", None, False, True), ("SimpleRNN", "concat", True, False), ("SimpleRNN", None, True, True)]


@pytest.mark.parametrize("kind, merge_mode, return_sequences, return_state", BIDIRECTIONAL_CASES)
def test_bidirectional(keras, rng, merge_mode, kind, return_sequences, return_state):
    inner = getattr(keras.layers, kind)(3, return_sequences=return_sequences, return_state=return_state)
    layer = keras.layers.Bidirectional(inner, merge_mode=merge_mode)
    x = rng.normal(size=(4, 6, 2)).astype(np.float32)
    mask = random_mask(rng, 4, 6)
    assert_same_structure_and_values(layer(x), by_hand(layer, x))
    assert_same_structure_and_values(layer(x, mask=mask), by_hand(layer, x, mask=mask))
    per_direction = 2 if kind == "LSTM" else 1
    states = [rng.normal(size=(4, 3)).astype(np.float32) for _ in range(2 * per_direction)]
    assert_same_structure_and_values(layer(x, initial_state=states), by_hand(layer, x, initial_state=states))


def test_bidirectional_with_a_different_backward_layer(keras, rng):
    layer = keras.layers.Bidirectional(
        keras.layers.LSTM(3, return_sequences=True),
        backward_layer=keras.layers.GRU(3, return_sequences=True, go_backwards=True),
    )
    x = rng.normal(size=(2, 5, 4)).astype(np.float32)
    assert_same_structure_and_values(layer(x), by_hand(layer, x))


def test_stacked_gated_model_with_mask(keras, rng):
    model = keras.Sequential([
        keras.Input((7, 3)),
        keras.layers.Bidirectional(keras.layers.GRU(4, return_sequences=True)),
        keras.layers.LSTM(5, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(2)),
        keras.layers.GRU(3, reset_after=False),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    x = rng.normal(size=(5, 7, 3)).astype(np.float32)
    mask = random_mask(rng, 5, 7)
    assert_same_structure_and_values(model(x), by_hand(model, x))
    assert_same_structure_and_values(model(x, mask=mask), by_hand(model, x, mask=mask))


@pytest.mark.parametrize("mask_zero", [False, True])
@pytest.mark.parametrize("pooling", ["GlobalMaxPooling1D", "GlobalAveragePooling1D", None])
@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_text_classifier_shapes(keras, rng, mask_zero, pooling, kind):
    # Embedding -> recurrent layer -> (pooling over all states | last state) -> Dense, as in notebook 07.
    layers = [keras.Input((9,), dtype="int32"), keras.layers.Embedding(20, 6, mask_zero=mask_zero)]
    layers.append(getattr(keras.layers, kind)(5, return_sequences=pooling is not None))
    if pooling:
        layers.append(getattr(keras.layers, pooling)())
    layers.append(keras.layers.Dense(1, activation="sigmoid"))
    model = keras.Sequential(layers)
    ids = rng.integers(1, 20, size=(6, 9)).astype(np.int32)
    for row, length in enumerate([9, 7, 3, 1, 5, 8]):
        ids[row, length:] = 0  # right-padded, as rnnlib.text.encode pads
    assert_same_structure_and_values(model(ids), by_hand(model, ids))


def test_average_pooling_with_a_mask_skips_padding(keras):
    layer = keras.layers.GlobalAveragePooling1D()
    x = np.arange(12, dtype=np.float32).reshape(1, 4, 3)
    mask = np.array([[True, True, False, False]])
    np.testing.assert_allclose(by_hand(layer, x, mask=mask), [[1.5, 2.5, 3.5]])  # the mean of steps 0 and 1
    np.testing.assert_allclose(np.asarray(layer(x, mask=mask)), [[1.5, 2.5, 3.5]])


def test_embedding_bad_ids(keras):
    layer = keras.layers.Embedding(5, 2)
    layer.build((None, 3))
    with pytest.raises(ValueError, match=r"token ids must lie in \[0, 5\); got ids from 0 to 7"):
        by_hand(layer, np.array([[0, 7, 1]]))
    with pytest.raises(ValueError, match="whole-number token ids"):
        by_hand(layer, np.array([[0.5, 1, 1]]))


# ------------------------------------------------------------------ bad input


def test_unbuilt_layer(keras):
    with pytest.raises(ValueError, match=r"SimpleRNN 'never_called' is not built"):
        by_hand(keras.layers.SimpleRNN(2, name="never_called"), np.ones((1, 2, 3)))
    with pytest.raises(ValueError, match="is not built"):
        by_hand(keras.Sequential([keras.layers.Dense(2)]), np.ones((1, 3)))


def test_unsupported_layer_is_named_with_the_supported_list(keras):
    layer = keras.layers.Conv1D(2, 2, name="my_conv")
    layer.build((None, 3, 2))
    with pytest.raises(ValueError, match=r"does not support layer 'my_conv' of type Conv1D; it supports the layers Bidirectional, Dense, Embedding, GRU, GlobalAveragePooling1D"):
        by_hand(layer, np.ones((1, 3, 2)))
    model = keras.Sequential([keras.Input((3, 2)), keras.layers.SimpleRNN(2, return_sequences=True), keras.layers.Flatten()])
    with pytest.raises(ValueError, match="of type Flatten"):
        by_hand(model, np.ones((1, 3, 2)))


@pytest.fixture
def built_rnn(keras):
    layer = keras.layers.SimpleRNN(3, name="rnn")
    layer.build((None, 4, 2))
    return layer


@pytest.mark.parametrize(
    "x, kwargs, message",
    [
        (np.ones((4, 2)), {}, r"layer 'rnn' \(SimpleRNN\): x must be a 3-D array of shape \(N, T, D\); got a 2-D array of shape \(4, 2\)"),
        (np.ones((2, 4, 5)), {}, r"x has D = 5 features per step but kernel expects D = 2"),
        (np.ones((2, 4, 2)), {"mask": np.ones((2, 5))}, r"mask must have shape \(N, T\) = \(2, 4\); got shape \(2, 5\)"),
        (np.ones((2, 4, 2)), {"initial_state": np.ones((2, 4))}, r"initial_state\[0\] must have shape \(N, M\) = \(2, 3\); got shape \(2, 4\)"),
        (np.ones((2, 4, 2)), {"initial_state": [np.ones((2, 3))] * 2}, r"initial_state must be a list of 1 arrays; got 2"),
    ],
)
def test_bad_input_to_a_layer(built_rnn, x, kwargs, message):
    with pytest.raises(ValueError, match=message):
        by_hand(built_rnn, x, **kwargs)


def test_initial_state_is_for_recurrent_layers(keras):
    dense = keras.layers.Dense(2)
    dense.build((None, 3))
    with pytest.raises(ValueError, match="initial_state applies to recurrent layers only"):
        by_hand(dense, np.ones((1, 3)), initial_state=np.ones((1, 2)))
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="not to a Sequential model"):
        by_hand(model, np.ones((1, 3)), initial_state=np.ones((1, 2)))


def test_stateful_layer_is_refused(keras):
    layer = keras.layers.SimpleRNN(2, stateful=True)
    layer(np.ones((1, 3, 2), np.float32))
    with pytest.raises(ValueError, match="stateful=True"):
        by_hand(layer, np.ones((1, 3, 2)))


class _FakeLayer:
    """Stands in for a Keras layer whose weights do not fit together."""

    built = True
    supports_masking = True
    trainable = True
    dtype_policy = types.SimpleNamespace(name="float32", compute_dtype="float32", variable_dtype="float32")

    def __init__(self, kind, config, weights):
        self.__class__ = type(kind, (_FakeLayer,), {})
        self.name, self._config, self._weights = "fake", config, weights

    def get_config(self):
        return self._config

    def get_weights(self):
        return self._weights


RNN_CONFIG = dict(units=2, activation="tanh", use_bias=True, return_sequences=False, return_state=False,
                  go_backwards=False, stateful=False, zero_output_for_mask=False)


@pytest.mark.parametrize(
    "kind, config, weights, message",
    [
        ("SimpleRNN", RNN_CONFIG, [np.ones((3, 2)), np.ones((2, 2))], r"expected 3 weight arrays .* got 2 with shapes \(3, 2\), \(2, 2\)"),
        ("LSTM", dict(RNN_CONFIG, recurrent_activation="sigmoid"), [np.ones((3, 8)), np.ones((2, 8)), np.ones(6)], r"bias must have shape \(4\*M,\) with M = 2"),
        ("LSTM", dict(RNN_CONFIG, recurrent_activation="sigmoid"), [np.ones((3, 6)), np.ones((2, 8)), np.ones(8)], r"kernel must have shape \(D, 4\*units=8\); got \(3, 6\)"),
        ("GRU", dict(RNN_CONFIG, recurrent_activation="sigmoid", reset_after=True), [np.ones((3, 6)), np.ones((2, 6)), np.ones(6)], r"bias must have shape \(2, 3\*M\) with M = 2"),
        ("SimpleRNN", RNN_CONFIG, [np.ones((3, 2)), np.ones((3, 3)), np.ones(2)], r"recurrent_kernel must have shape .* = \(2, 2\); got shape \(3, 3\)"),
        ("SimpleRNN", RNN_CONFIG, [np.ones((3, 4)), np.ones((4, 4)), np.ones(4)], r"kernel must have shape \(D, units=2\); got \(3, 4\)"),
        ("SimpleRNN", RNN_CONFIG, [np.ones((3, 2)), np.ones((2, 2)), np.ones(5)], r"bias must have shape \(M,\) .* got shape \(5,\)"),
        ("SimpleRNN", dict(RNN_CONFIG, activation="tanhh"), [np.ones((3, 2)), np.ones((2, 2)), np.ones(2)], r"unknown activation 'tanhh'"),
        ("Dense", dict(units=2, activation="linear", use_bias=True), [np.ones((3, 2)), np.ones(3)], r"bias must have shape \(K,\)"),
    ],
)
def test_weights_that_do_not_fit(kind, config, weights, message):
    with pytest.raises(ValueError, match=message):
        by_hand(_FakeLayer(kind, config, weights), np.ones((2, 4, 3)))


# ---------------------------------------------------------------- claims of the docstrings, each checked


def test_float64_layers_are_computed_in_float64(keras, rng):
    x = rng.normal(size=(3, 5, 2))
    for layer in [keras.layers.SimpleRNN(4, dtype="float64", return_sequences=True),
                  keras.layers.LSTM(4, dtype="float64"), keras.layers.GRU(4, dtype="float64")]:
        expected = np.asarray(layer(x))
        ours = by_hand(layer, x)
        assert ours.dtype == np.float64 == expected.dtype
        np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)


def test_mixed_precision_is_refused(keras):
    layer = keras.layers.Dense(2, dtype="mixed_float16")
    layer.build((None, 3))
    with pytest.raises(ValueError, match="dtype policy 'mixed_float16' is not supported; use float32 or float64"):
        by_hand(layer, np.ones((1, 3)))


@pytest.mark.parametrize("kind", ["Dense", "Embedding"])
def test_lora_layers_are_refused(keras, kind):
    layer = keras.layers.Dense(2) if kind == "Dense" else keras.layers.Embedding(10, 2)
    layer.build((None, 3))
    layer.enable_lora(1)
    with pytest.raises(ValueError, match=f"LoRA-adapted {kind} layers are not supported"):
        by_hand(layer, np.ones((1, 3), dtype=np.int32))


@pytest.mark.parametrize("pooling", ["GlobalMaxPooling1D", "GlobalAveragePooling1D"])
def test_pooling_keepdims_with_and_without_a_mask(keras, rng, pooling):
    layer = getattr(keras.layers, pooling)(keepdims=True)
    x = rng.normal(size=(4, 6, 3)).astype(np.float32)
    mask = random_mask(rng, 4, 6)
    mask[:, 0] = True  # every sample has a real step, so the masked mean is defined
    assert_same_structure_and_values(layer(x), by_hand(layer, x))
    if pooling == "GlobalAveragePooling1D":  # Keras's max pooling takes no mask
        assert_same_structure_and_values(layer(x, mask=mask), by_hand(layer, x, mask=mask))


def test_channels_first_pooling_is_refused(keras):
    layer = keras.layers.GlobalAveragePooling1D(data_format="channels_first")
    layer.build((None, 3, 6))
    with pytest.raises(ValueError, match="only data_format='channels_last' is supported; got 'channels_first'"):
        by_hand(layer, np.ones((1, 3, 6)))


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_dropout_is_off_at_inference(keras, rng, kind):
    layer = getattr(keras.layers, kind)(4, dropout=0.5, recurrent_dropout=0.5, return_sequences=True)
    x = rng.normal(size=(3, 5, 2)).astype(np.float32)
    expected = layer(x, training=False)
    assert not np.allclose(layer(x, training=True), expected)  # dropout would change the numbers
    assert_same_structure_and_values(expected, by_hand(layer, x))


def test_a_list_of_masks_for_a_model_with_two_inputs(keras, rng):
    # Two sequences, each read by its own layer; one mask for each input.
    first, second = keras.Input((5, 2)), keras.Input((4, 3))
    model = keras.Model([first, second], [keras.layers.GRU(3, return_sequences=True)(first), keras.layers.LSTM(3)(second)])
    x1, x2 = rng.normal(size=(4, 5, 2)).astype(np.float32), rng.normal(size=(4, 4, 3)).astype(np.float32)
    m1, m2 = random_mask(rng, 4, 5), random_mask(rng, 4, 4)
    expected = model([x1, x2], mask=[m1, m2])
    assert not any(np.allclose(e, p) for e, p in zip(expected, model([x1, x2])))  # both masks matter
    assert_same_structure_and_values(expected, by_hand(model, [x1, x2], mask=[m1, m2]))
    with pytest.raises(ValueError, match="has 2 inputs; got 2 arrays and 1 masks"):
        by_hand(model, [x1, x2], mask=[m1])


def test_a_layer_called_on_several_inputs_is_refused_by_name(keras):
    a, b = keras.Input((3,)), keras.Input((3,))
    model = keras.Model([a, b], keras.layers.Concatenate(name="both")([a, b]))
    with pytest.raises(ValueError, match=r"layer 'both' \(Concatenate\) is called on 2 inputs; by_hand reproduces"):
        by_hand(model, [np.ones((1, 3)), np.ones((1, 3))])
