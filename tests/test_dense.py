import numpy as np
import pytest

from rnnlib import dense_forward


def test_known_values_2d():
    h = np.array([[1.0, 2.0]])
    v = np.array([[1.0, 0.0, -1.0], [0.5, 1.0, 2.0]])
    np.testing.assert_allclose(dense_forward(h, v, [0.0, 1.0, 0.0]), [[2.0, 3.0, 3.0]])


def test_3d_applies_the_same_v_at_every_step(rng):
    h = rng.normal(size=(4, 5, 3))
    v, c = rng.normal(size=(3, 2)), rng.normal(size=2)
    y = dense_forward(h, v, c, activation="tanh")
    assert y.shape == (4, 5, 2)
    for t in range(5):
        np.testing.assert_allclose(y[:, t], np.tanh(h[:, t] @ v + c), rtol=1e-12)


def test_softmax_is_over_outputs(rng):
    y = dense_forward(rng.normal(size=(2, 3, 4)), rng.normal(size=(4, 5)), activation="softmax")
    np.testing.assert_allclose(y.sum(axis=-1), np.ones((2, 3)))


@pytest.mark.parametrize(
    "h, kernel, bias, message",
    [
        (np.ones(3), np.ones((3, 2)), None, r"h must be a 2-D or 3-D array of shape \(N, M\) or \(N, T, M\); got a 1-D"),
        (np.ones((2, 4)), np.ones((3, 2)), None, r"h has 4 features on its last axis but kernel expects M = 3"),
        (np.ones((2, 3)), np.ones((3, 2)), np.ones(3), r"bias must have shape \(K,\) .* = \(2,\); got shape \(3,\)"),
        (np.ones((2, 3)), np.ones((3, 2, 1)), None, r"kernel must be a 2-D array of shape \(M, K\)"),
    ],
)
def test_bad_input(h, kernel, bias, message):
    with pytest.raises(ValueError, match=message):
        dense_forward(h, kernel, bias)
