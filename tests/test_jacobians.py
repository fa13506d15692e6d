"""The Jacobian chain of notebook 09, against known values and against GradientTape."""

import numpy as np
import pytest

from rnnlib.jacobians import scaled_to_spectral_radius, spectral_radius, state_jacobian_norms


def test_one_linear_unit_multiplies_by_w_at_every_step():
    # h_t = w h_{t-1} + u x_t: dh_t/dh_{t-k} = w^k, whatever the inputs.
    norms = state_jacobian_norms(np.ones((6, 1)), [[0.3]], [[-1.5]], activation="linear")
    np.testing.assert_allclose(norms, 1.5 ** np.arange(1, 6))


def test_one_tanh_unit_multiplies_by_the_slopes():
    x, u, w = np.array([[0.5], [1.0], [-2.0]]), 0.8, 0.6
    a1 = u * x[0, 0]
    a2 = u * x[1, 0] + w * np.tanh(a1)
    a3 = u * x[2, 0] + w * np.tanh(a2)
    slope = lambda a: 1 - np.tanh(a) ** 2
    np.testing.assert_allclose(state_jacobian_norms(x, [[u]], [[w]]),
                               [slope(a3) * w, slope(a3) * w * slope(a2) * w], rtol=1e-12)


def test_against_gradient_tape(keras, rng):
    import tensorflow as tf

    t, d, m = 8, 2, 4
    x = rng.normal(size=(t, d)).astype(np.float32)
    u, w = rng.normal(size=(d, m)).astype(np.float32), rng.normal(size=(m, m)).astype(np.float32) / 2
    ws = [tf.Variable(u), tf.Variable(w)]
    with tf.GradientTape(persistent=True) as tape:
        states = [tf.zeros((1, m))]
        for x_t in x:
            states.append(tf.tanh(x_t[None] @ ws[0] + states[-1] @ ws[1]))
        last = states[-1][0]
        units = [last[j] for j in range(m)]
    for k in (1, 4, 7):
        jacobian = np.stack([tape.gradient(unit, states[-1 - k]).numpy()[0] for unit in units])  # (M, M)
        np.testing.assert_allclose(state_jacobian_norms(x, u, w)[k - 1], np.linalg.norm(jacobian, 2), rtol=1e-4)


def test_spectral_radius_scaling(rng):
    w = rng.normal(size=(5, 5))
    assert spectral_radius(scaled_to_spectral_radius(w, 0.7)) == pytest.approx(0.7)
    with pytest.raises(ValueError, match="rho must be a positive number"):
        scaled_to_spectral_radius(w, 0)
    with pytest.raises(ValueError, match="'softmax' mixes the units"):
        state_jacobian_norms(np.ones((3, 1)), [[1.0]], [[1.0]], activation="softmax")
    with pytest.raises(ValueError, match=r"x must be a 2-D array of shape \(T, D\)"):
        state_jacobian_norms(np.ones((2, 3, 1)), [[1.0]], [[1.0]])


def test_input_jacobian_norms_of_a_linear_layer_are_those_of_u_w_to_the_lag(keras, rng):
    # A linear SimpleRNN: h_{T-1} = sum_t x_t U W^(T-1-t), so dh_{T-1}/dx_t is (U W^(T-1-t))^T.
    from rnnlib.jacobians import input_jacobian_norms

    t, d, m = 6, 2, 3
    layer = keras.layers.SimpleRNN(m, activation="linear")
    layer.build((None, t, d))
    u, w, b = layer.get_weights()
    x = rng.normal(size=(1, t, d)).astype(np.float32)
    expected = [np.linalg.norm(u.astype(np.float64) @ np.linalg.matrix_power(w.astype(np.float64), t - 1 - s))
                for s in range(t)]
    np.testing.assert_allclose(input_jacobian_norms(layer, x), expected, rtol=1e-5)


def test_input_jacobian_norms_against_the_full_jacobian(keras, rng):
    import tensorflow as tf

    from rnnlib.jacobians import input_jacobian_norms

    layer = keras.layers.LSTM(4)
    x = tf.constant(rng.normal(size=(1, 5, 3)).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        h = layer(x)
    full = tape.jacobian(h, x).numpy()[0, :, 0]  # (M, T, D)
    np.testing.assert_allclose(input_jacobian_norms(layer, x.numpy()), np.sqrt((full ** 2).sum(axis=(0, 2))), rtol=1e-5)
    with pytest.raises(ValueError, match="one sequence"):
        input_jacobian_norms(layer, np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match="its last state"):
        input_jacobian_norms(keras.layers.LSTM(4, return_sequences=True), x.numpy())
