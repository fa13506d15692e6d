import numpy as np
import pytest

from rnnlib.lstm import lstm_forward, lstm_step

M = 2


def zeros(d=1, m=M):
    return np.zeros((d, 4 * m)), np.zeros((m, 4 * m)), np.zeros(4 * m)


def test_zero_weights_known_values():
    # z = 0: i = f = o = 1/2 and the candidate tanh(0) = 0, so c halves and h = tanh(c) / 2.
    u, w, b = zeros()
    states, h, c = lstm_forward(np.ones((1, 3, 1)), u, w, b, c0=np.ones((1, M)))
    np.testing.assert_allclose(c, np.full((1, M), 0.125))
    np.testing.assert_allclose(states[0, :, 0], 0.5 * np.tanh([0.5, 0.25, 0.125]))


def test_open_forget_gate_and_closed_input_gate_keep_the_cell():
    u, w, b = zeros()
    b[M:2 * M] = 40.0  # forget gate f = σ(40) = 1: keep everything
    b[:M] = -40.0  # input gate i = σ(-40) = 0: add nothing
    x = np.random.default_rng(0).normal(size=(2, 6, 1))
    c0 = np.array([[0.3, -0.7], [1.5, 0.2]])
    _, h, c = lstm_forward(x, u, w, b, c0=c0)
    np.testing.assert_allclose(c, c0, atol=1e-12)
    np.testing.assert_allclose(h, 0.5 * np.tanh(c0), atol=1e-12)  # o = 1/2


def test_gate_order_is_i_f_c_o():
    # Only the candidate block (third) sees the input, with weight 1; gates are 1/2.
    u, w, b = zeros()
    u[0, 2 * M:3 * M] = 1.0
    _, h, c = lstm_forward(np.full((1, 1, 1), 0.8), u, w, b)
    np.testing.assert_allclose(c, np.full((1, M), 0.5 * np.tanh(0.8)))  # i * c̃
    np.testing.assert_allclose(h, 0.5 * np.tanh(c))


def test_forward_is_the_step_in_a_loop_and_gates_are_recorded(rng):
    n, t, d, m = 3, 5, 4, 3
    x = rng.normal(size=(n, t, d))
    u, w, b = rng.normal(size=(d, 4 * m)), rng.normal(size=(m, 4 * m)), rng.normal(size=4 * m)
    states, h_last, c_last, gates = lstm_forward(x, u, w, b, return_gates=True)
    h, c = np.zeros((n, m)), np.zeros((n, m))
    for s in range(t):
        h, c = lstm_step(x[:, s], h, c, u, w, b)
        np.testing.assert_allclose(states[:, s], h, rtol=1e-12)
        np.testing.assert_allclose(gates["c"][:, s], c, rtol=1e-12)
    np.testing.assert_allclose((h_last, c_last), (h, c), rtol=1e-12)
    np.testing.assert_allclose(gates["h"], states, rtol=1e-12)  # with no mask, the recorded h is the output


def test_one_step_by_the_equations_with_known_numbers():
    # One unit, D = 1, x = 1, h_prev = 0, c_prev = 2. Pre-activations z = x U + b, block by block:
    # z_i = 0 -> i = 0.5;  z_f = ln 3 -> f = 0.75;  z_c = atanh(0.5) -> c~ = 0.5;  z_o = 0 -> o = 0.5.
    u = np.array([[0.0, np.log(3.0), np.arctanh(0.5), 0.0]])
    h, c = lstm_step(np.ones((1, 1)), np.zeros((1, 1)), np.full((1, 1), 2.0), u, np.zeros((1, 4)), np.zeros(4))
    np.testing.assert_allclose(c, [[0.75 * 2.0 + 0.5 * 0.5]])  # f c_prev + i c~ = 1.75
    np.testing.assert_allclose(h, [[0.5 * np.tanh(1.75)]])  # o tanh(c)
    _, _, _, gates = lstm_forward(np.ones((1, 1, 1)), u, np.zeros((1, 4)), np.zeros(4), c0=[[2.0]], return_gates=True)
    np.testing.assert_allclose([gates[g][0, 0, 0] for g in ("i", "f", "candidate", "o")], [0.5, 0.75, 0.5, 0.5])


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(kernel=np.ones((3, 7))), r"kernel must have 4\*M columns, one block of M per gate; got shape \(3, 7\)"),
        (dict(recurrent_kernel=np.ones((2, 4))), r"recurrent_kernel must have shape \(M, 4\*M\) with M = 2 = \(2, 8\); got shape \(2, 4\)"),
        (dict(bias=np.ones(6)), r"bias must have shape \(4\*M,\) with M = 2 = \(8,\); got shape \(6,\)"),
        (dict(x=np.ones((2, 3, 5))), r"x has D = 5 features per step but kernel expects D = 3"),
        (dict(c0=np.ones((2, 3))), r"c0 must have shape \(N, M\) = \(2, 2\); got shape \(2, 3\)"),
        (dict(recurrent_activation="sigmoidd"), r"unknown activation 'sigmoidd'"),
    ],
)
def test_bad_input(args, message):
    call = dict(x=np.ones((2, 3, 3)), kernel=np.ones((3, 8)), recurrent_kernel=np.ones((2, 8)), bias=None)
    call.update(args)
    x, k, r, b = call.pop("x"), call.pop("kernel"), call.pop("recurrent_kernel"), call.pop("bias")
    with pytest.raises(ValueError, match=message):
        lstm_forward(x, k, r, b, **call)
