import numpy as np
import pytest

from rnnlib.gru import gru_forward, gru_step


def weights(d=1, m=1, reset_after=True):
    bias = np.zeros((2, 3 * m)) if reset_after else np.zeros(3 * m)
    return np.zeros((d, 3 * m)), np.zeros((m, 3 * m)), bias


@pytest.mark.parametrize("reset_after", [True, False])
def test_zero_weights_halve_the_state(reset_after):
    # z = r = 1/2 and the candidate tanh(0) = 0: h_t = h_{t-1} / 2.
    u, w, b = weights(reset_after=reset_after)
    states, h = gru_forward(np.ones((1, 3, 1)), u, w, b, h0=[[1.0]], reset_after=reset_after)
    np.testing.assert_allclose(states[0, :, 0], [0.5, 0.25, 0.125])


def test_keras_convention_z_near_one_keeps_the_old_state():
    u, w, b = weights()
    b[0, 0] = 40.0  # update gate z = σ(40) = 1
    u[0, 2] = 5.0  # a candidate that would move the state a lot
    x = np.random.default_rng(0).normal(size=(1, 4, 1))
    states, h = gru_forward(x, u, w, b, h0=[[0.3]])
    np.testing.assert_allclose(states[0, :, 0], [0.3] * 4, atol=1e-12)


def test_reset_after_puts_the_recurrent_bias_inside_the_reset():
    # z = r = 1/2 (zero weights), W_h = 1, h_prev = 1, x = 0.
    u, w, b = weights()
    w[0, 2] = 1.0
    b[1, 2] = 1.0  # recurrent bias of the candidate block
    # reset_after=True: h~ = tanh(0 + r * (h W_h + b'_h)) = tanh(0.5 * 2)
    h_after = gru_step(np.zeros((1, 1)), [[1.0]], u, w, b, reset_after=True)
    np.testing.assert_allclose(h_after, 0.5 * 1.0 + 0.5 * np.tanh(1.0))
    # reset_after=False: h~ = tanh(0 + (r * h) W_h + b_h) = tanh(0.5)
    u2, w2, b2 = weights(reset_after=False)
    w2[0, 2] = 1.0
    h_before = gru_step(np.zeros((1, 1)), [[1.0]], u2, w2, b2, reset_after=False)
    np.testing.assert_allclose(h_before, 0.5 * 1.0 + 0.5 * np.tanh(0.5))


@pytest.mark.parametrize("reset_after", [True, False])
def test_forward_is_the_step_in_a_loop(rng, reset_after):
    n, t, d, m = 3, 5, 4, 3
    x = rng.normal(size=(n, t, d))
    u, w = rng.normal(size=(d, 3 * m)), rng.normal(size=(m, 3 * m))
    b = rng.normal(size=(2, 3 * m) if reset_after else 3 * m)
    states, h_last, gates = gru_forward(x, u, w, b, reset_after=reset_after, return_gates=True)
    h = np.zeros((n, m))
    for s in range(t):
        h = gru_step(x[:, s], h, u, w, b, reset_after=reset_after)
        np.testing.assert_allclose(states[:, s], h, rtol=1e-12)
    np.testing.assert_allclose(h_last, h, rtol=1e-12)
    np.testing.assert_allclose(gates["h"], states, rtol=1e-12)  # with no mask, the recorded h is the output


@pytest.mark.parametrize("reset_after", [True, False])
def test_one_step_by_the_equations_with_known_numbers(reset_after):
    # One unit, x = 1, h_prev = 1. z_z = ln 3 -> z = 0.75; z_r = 0 -> r = 0.5; U_h = 0.2, W_h = 0.4.
    # reset_after=True:  c~ = tanh(0.2 + r (h W_h)) = tanh(0.4);  reset_after=False: tanh(0.2 + (r h) W_h), the same here
    # because there is no recurrent bias; h = z h_prev + (1 - z) c~.
    u = np.array([[np.log(3.0), 0.0, 0.2]])
    w = np.array([[0.0, 0.0, 0.4]])
    b = np.zeros((2, 3)) if reset_after else np.zeros(3)
    h = gru_step(np.ones((1, 1)), [[1.0]], u, w, b, reset_after=reset_after)
    np.testing.assert_allclose(h, [[0.75 * 1.0 + 0.25 * np.tanh(0.4)]])


@pytest.mark.parametrize(
    "reset_after, bias, message",
    [
        (True, np.ones(6), r"bias must have shape \(2, 3\*M\) with M = 2 = \(2, 6\); got shape \(6,\)"),
        (False, np.ones((2, 6)), r"bias must have shape \(3\*M,\) with M = 2 = \(6,\); got shape \(2, 6\)"),
    ],
)
def test_bias_shape_must_match_the_mode(reset_after, bias, message):
    with pytest.raises(ValueError, match=message):
        gru_forward(np.ones((1, 2, 3)), np.ones((3, 6)), np.ones((2, 6)), bias, reset_after=reset_after)


def test_kernel_columns_must_split_into_three_blocks():
    with pytest.raises(ValueError, match=r"kernel must have 3\*M columns"):
        gru_forward(np.ones((1, 2, 3)), np.ones((3, 7)), np.ones((2, 6)))
