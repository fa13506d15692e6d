import numpy as np
import pytest

from rnnlib import simple_rnn_forward, simple_rnn_step

# Notebook 01's model: one unit, three steps, U, W, b, V, b_y chosen so that ŷ = 0.5746256.
U1, W1, B1, V1, BY1 = 1.4501959, -1.0, 0.0, 0.5759429, 0.0


def test_the_one_unit_model_predicts_0_5746256():
    x = np.array([1.0, 2.0, 3.0]).reshape(1, 3, 1)
    states, h_last = simple_rnn_forward(x, [[U1]], [[W1]], [B1])
    y_hat = h_last * V1 + BY1
    # Keras prints this prediction as 0.5746256 (tests/test_by_hand.py checks it against Keras).
    np.testing.assert_allclose(y_hat, [[0.5746256]], atol=5e-8)
    np.testing.assert_array_equal(states[:, -1], h_last)


def test_linear_constant_weights_known_values():
    # h_t = x_t * 1 + h_{t-1} * 0.5 with x = 1, 1, 1: h = 1, 1.5, 1.75.
    x = np.ones((2, 3, 1))
    states, h_last = simple_rnn_forward(x, [[1.0]], [[0.5]], activation="linear")
    np.testing.assert_allclose(states[..., 0], [[1.0, 1.5, 1.75]] * 2)
    np.testing.assert_allclose(h_last, [[1.75], [1.75]])


def test_bias_and_initial_state_known_values():
    # h_1 = relu(2*1 + (-1)*3 + 0.5) = 0, h_2 = relu(2*1 + (-1)*0 + 0.5) = 2.5.
    x = np.ones((1, 2, 1))
    states, _ = simple_rnn_forward(x, [[2.0]], [[-1.0]], [0.5], activation="relu", h0=[[3.0]])
    np.testing.assert_allclose(states[0, :, 0], [0.0, 2.5])


def test_go_backwards_reads_the_last_step_first():
    x = np.array([1.0, 10.0, 100.0]).reshape(1, 3, 1)
    # Linear, W = 0: each state is just that step's input.
    states, h_last = simple_rnn_forward(x, [[1.0]], [[0.0]], activation="linear", go_backwards=True)
    np.testing.assert_allclose(states[0, :, 0], [100.0, 10.0, 1.0])
    np.testing.assert_allclose(h_last, [[1.0]])


def test_masked_steps_carry_the_state():
    x = np.ones((1, 4, 1))
    mask = np.array([[True, False, True, False]])
    states, h_last = simple_rnn_forward(x, [[1.0]], [[1.0]], activation="linear", mask=mask)
    # Real steps add 1 to the state; padding steps leave it alone.
    np.testing.assert_allclose(states[0, :, 0], [1.0, 1.0, 2.0, 2.0])
    np.testing.assert_allclose(h_last, [[2.0]])


def test_forward_is_the_step_applied_in_a_loop(rng):
    n, t, d, m = 4, 6, 3, 5
    x = rng.normal(size=(n, t, d))
    u, w, b = rng.normal(size=(d, m)), rng.normal(size=(m, m)) * 0.3, rng.normal(size=m)
    states, h_last = simple_rnn_forward(x, u, w, b, activation="sigmoid")
    h = np.zeros((n, m))
    for step in range(t):
        h = simple_rnn_step(x[:, step], h, u, w, b, "sigmoid")
        np.testing.assert_allclose(states[:, step], h, rtol=1e-12)
    np.testing.assert_allclose(h_last, h, rtol=1e-12)


def test_step_is_the_equation(rng):
    x_t, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    u, w, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 4)), rng.normal(size=4)
    np.testing.assert_allclose(simple_rnn_step(x_t, h, u, w, b), np.tanh(x_t @ u + h @ w + b))


def test_float32_in_float32_out(rng):
    x = rng.normal(size=(2, 3, 4)).astype(np.float32)
    u, w = np.ones((4, 2), np.float32), np.eye(2, dtype=np.float32)
    states, h_last = simple_rnn_forward(x, u, w)
    assert states.dtype == h_last.dtype == np.float32


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(x=np.ones((3, 4))), r"x must be a 3-D array of shape \(N, T, D\); got a 2-D array of shape \(3, 4\)"),
        (dict(x=np.ones((2, 3, 5))), r"x has D = 5 features per step but kernel expects D = 4"),
        (dict(recurrent_kernel=np.ones((2, 3))), r"recurrent_kernel must have shape .* = \(2, 2\); got shape \(2, 3\)"),
        (dict(bias=np.ones(3)), r"bias must have shape \(M,\) .* = \(2,\); got shape \(3,\)"),
        (dict(kernel=np.ones(4)), r"kernel must be a 2-D array of shape \(D, M\)"),
        (dict(h0=np.ones((2, 3))), r"h0 must have shape \(N, M\) = \(2, 2\); got shape \(2, 3\)"),
        (dict(mask=np.ones((2, 4))), r"mask must have shape \(N, T\) = \(2, 3\); got shape \(2, 4\)"),
        (dict(activation="tanhh"), r"unknown activation 'tanhh'"),
        (dict(x=np.array([[["a"]]])), r"x must hold numbers"),
    ],
)
def test_bad_input_names_what_was_expected(kwargs, message):
    args = dict(x=np.ones((2, 3, 4)), kernel=np.ones((4, 2)), recurrent_kernel=np.eye(2), bias=None)
    args.update(kwargs)
    x, kernel, rk, bias = args.pop("x"), args.pop("kernel"), args.pop("recurrent_kernel"), args.pop("bias")
    with pytest.raises(ValueError, match=message):
        simple_rnn_forward(x, kernel, rk, bias, **args)


def test_step_bad_input():
    with pytest.raises(ValueError, match=r"x_t has D = 5 features per step but kernel expects D = 4"):
        simple_rnn_step(np.ones((2, 5)), np.ones((2, 2)), np.ones((4, 2)), np.eye(2))
    with pytest.raises(ValueError, match=r"h_prev must have shape \(N, M\) = \(2, 2\)"):
        simple_rnn_step(np.ones((2, 4)), np.ones((3, 2)), np.ones((4, 2)), np.eye(2))


@pytest.mark.parametrize("activation", ["tanh", "relu", "linear", "softmax"])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("with_h0_and_bias", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hoisted_equals_the_step_loop(rng, activation, go_backwards, masked, with_h0_and_bias, dtype):
    n, t, d, m = 5, 9, 4, 6
    x = rng.normal(size=(n, t, d)).astype(dtype)
    u, w = rng.normal(size=(d, m)).astype(dtype), (0.4 * rng.normal(size=(m, m))).astype(dtype)
    b = rng.normal(size=m).astype(dtype) if with_h0_and_bias else None
    h0 = rng.normal(size=(n, m)).astype(dtype) if with_h0_and_bias else None
    mask = rng.random((n, t)) > 0.3 if masked else None
    kwargs = dict(activation=activation, h0=h0, mask=mask, go_backwards=go_backwards)
    loop_states, loop_last = simple_rnn_forward(x, u, w, b, method="loop", **kwargs)
    fast_states, fast_last = simple_rnn_forward(x, u, w, b, method="hoisted", **kwargs)
    assert fast_states.shape == loop_states.shape and fast_states.dtype == loop_states.dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(fast_states, loop_states, rtol=tol, atol=tol)
    np.testing.assert_allclose(fast_last, loop_last, rtol=tol, atol=tol)


def test_hoisted_does_not_touch_its_inputs(rng):
    x, h0 = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5))
    u, w = rng.normal(size=(4, 5)), rng.normal(size=(5, 5))
    x_before, h0_before = x.copy(), h0.copy()
    simple_rnn_forward(x, u, w, h0=h0, method="hoisted")
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(h0, h0_before)


def test_unknown_method():
    with pytest.raises(ValueError, match=r"method must be 'loop' or 'hoisted'; got 'fast'"):
        simple_rnn_forward(np.ones((1, 2, 3)), np.ones((3, 2)), np.eye(2), method="fast")
