import numpy as np
import pytest

from rnnlib import gru_forward, lstm_forward, simple_rnn_forward
from rnnlib.pytorch_layout import pytorch_forward, to_pytorch_layout

N, T, D, M = 2, 5, 3, 4
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}
KERAS_FORWARD = {"SimpleRNN": simple_rnn_forward, "LSTM": lstm_forward, "GRU": gru_forward}
# PyTorch stores two bias vectors per layer, b_ih and b_hh: G·M(D + M + 2) parameters.
PYTORCH_COUNTS = {"SimpleRNN": M * (D + M + 2), "LSTM": 4 * M * (D + M + 2), "GRU": 3 * M * (D + M + 2)}


def keras_weights(kind, rng):
    g = GATES[kind]
    bias = rng.normal(size=(2, 3 * M)) if kind == "GRU" else rng.normal(size=g * M)
    return rng.normal(size=(D, g * M)), rng.normal(size=(M, g * M)), bias


@pytest.mark.parametrize("kind", list(GATES))
def test_pytorch_recurrence_gives_the_same_states_as_keras_layout(kind, rng):
    kernel, recurrent_kernel, bias = keras_weights(kind, rng)
    x = rng.normal(size=(N, T, D))
    keras_states = KERAS_FORWARD[kind](x, kernel, recurrent_kernel, bias)[0]
    params = to_pytorch_layout(kind, kernel, recurrent_kernel, bias)
    np.testing.assert_allclose(pytorch_forward(kind, x, params), keras_states, rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind", list(GATES))
def test_shapes_and_counts_are_pytorchs(kind, rng):
    g = GATES[kind]
    params = to_pytorch_layout(kind, *keras_weights(kind, rng))
    assert {name: p.shape for name, p in params.items()} == {
        "weight_ih_l0": (g * M, D), "weight_hh_l0": (g * M, M), "bias_ih_l0": (g * M,), "bias_hh_l0": (g * M,)}
    assert sum(p.size for p in params.values()) == PYTORCH_COUNTS[kind]


def test_weights_are_transposed_and_gru_blocks_swapped():
    # Keras GRU blocks z, r, h̃ hold the numbers 0, 1, 2; PyTorch's r, z, n must read 1, 0, 2.
    kernel = np.repeat([0.0, 1.0, 2.0], M)[None, :].repeat(D, axis=0)  # (D, 3M)
    recurrent = np.repeat([0.0, 1.0, 2.0], M)[None, :].repeat(M, axis=0)  # (M, 3M)
    bias = np.stack([np.repeat([0.0, 1.0, 2.0], M), np.repeat([10.0, 11.0, 12.0], M)])
    params = to_pytorch_layout("GRU", kernel, recurrent, bias)
    np.testing.assert_array_equal(params["weight_ih_l0"][:, 0], np.repeat([1.0, 0.0, 2.0], M))
    np.testing.assert_array_equal(params["weight_hh_l0"][:, 0], np.repeat([1.0, 0.0, 2.0], M))
    np.testing.assert_array_equal(params["bias_ih_l0"], np.repeat([1.0, 0.0, 2.0], M))
    np.testing.assert_array_equal(params["bias_hh_l0"], np.repeat([11.0, 10.0, 12.0], M))


def test_lstm_keeps_the_gate_order_and_puts_the_bias_on_the_input_side(rng):
    kernel, recurrent_kernel, bias = keras_weights("LSTM", rng)
    params = to_pytorch_layout("LSTM", kernel, recurrent_kernel, bias)
    np.testing.assert_array_equal(params["weight_ih_l0"], kernel.T)  # i, f, g, o = Keras's i, f, c̃, o
    np.testing.assert_array_equal(params["weight_hh_l0"], recurrent_kernel.T)
    np.testing.assert_array_equal(params["bias_ih_l0"], bias)
    np.testing.assert_array_equal(params["bias_hh_l0"], np.zeros(4 * M))


def test_without_bias_the_dict_has_only_the_weights(rng):
    kernel, recurrent_kernel, _ = keras_weights("SimpleRNN", rng)
    params = to_pytorch_layout("SimpleRNN", kernel, recurrent_kernel)
    assert set(params) == {"weight_ih_l0", "weight_hh_l0"}
    x = rng.normal(size=(N, T, D))
    np.testing.assert_allclose(pytorch_forward("SimpleRNN", x, params),
                               simple_rnn_forward(x, kernel, recurrent_kernel)[0], rtol=0, atol=1e-12)


def test_known_value_one_unit_rnn():
    # h_1 = tanh(0.5 * 2 + 0.25 + 0) = tanh(1.25); h_2 = tanh(0.5 * 2 + 0.25 + 0.5 * h_1).
    params = {"weight_ih_l0": [[0.5]], "weight_hh_l0": [[0.5]], "bias_ih_l0": [0.2], "bias_hh_l0": [0.05]}
    out = pytorch_forward("SimpleRNN", np.full((1, 2, 1), 2.0), params)
    h1 = np.tanh(1.25)
    np.testing.assert_allclose(out[0, :, 0], [h1, np.tanh(1.25 + 0.5 * h1)], rtol=0, atol=1e-15)


def test_bad_inputs_raise_value_errors_that_say_what_was_expected(rng):
    kernel, recurrent_kernel, bias = keras_weights("GRU", rng)
    with pytest.raises(ValueError, match="reset_after=True form"):
        to_pytorch_layout("GRU", kernel, recurrent_kernel, bias[0], reset_after=False)
    with pytest.raises(ValueError, match="kind must be one of SimpleRNN, LSTM, GRU; got 'RNN'"):
        to_pytorch_layout("RNN", kernel, recurrent_kernel, bias)
    with pytest.raises(ValueError, match=r"bias must have shape \(2, 3\*M\)"):
        to_pytorch_layout("GRU", kernel, recurrent_kernel, bias[0])
    with pytest.raises(ValueError, match=r"recurrent_kernel must have shape \(M, 4\*M\)"):
        to_pytorch_layout("LSTM", kernel, recurrent_kernel)  # GRU-sized (3M columns) weights
    params = to_pytorch_layout("GRU", kernel, recurrent_kernel, bias)
    with pytest.raises(ValueError, match=r"x has D = 5 features per step but weight_ih_l0 \(G·M, D\) expects D = 3"):
        pytorch_forward("GRU", np.zeros((N, T, 5)), params)
    with pytest.raises(ValueError, match=r"weight_hh_l0 must have shape \(G·M, M\) with G = 4 for LSTM; got \(12, 4\)"):
        pytorch_forward("LSTM", np.zeros((N, T, D)), params)
    with pytest.raises(ValueError, match="params must be a dict with the keys"):
        pytorch_forward("GRU", np.zeros((N, T, D)), {"weight_ih_l0": params["weight_ih_l0"]})
    with pytest.raises(ValueError, match=r"bias_hh_l0 must have shape \(G·M,\) = \(12,\)"):
        pytorch_forward("GRU", np.zeros((N, T, D)), {**params, "bias_hh_l0": np.zeros(5)})
    with pytest.raises(ValueError, match=r"x must be a 3-D array of shape \(N, T, D\)"):
        pytorch_forward("GRU", np.zeros((T, D)), params)
