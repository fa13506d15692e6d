import numpy as np
import pytest

from rnnlib.activations import ACTIVATIONS, NOT_USABLE_BY_NAME, apply_activation, get_activation


@pytest.mark.parametrize(
    "name, x, expected",
    [
        ("linear", [-2.0, 0.0, 3.0], [-2.0, 0.0, 3.0]),
        ("tanh", [0.0], [0.0]),
        ("sigmoid", [0.0], [0.5]),
        ("relu", [-1.0, 2.0], [0.0, 2.0]),
        ("relu6", [-1.0, 7.0], [0.0, 6.0]),
        ("leaky_relu", [-1.0, 2.0], [-0.2, 2.0]),
        ("hard_sigmoid", [-3.0, 0.0, 3.0], [0.0, 0.5, 1.0]),
        ("hard_tanh", [-5.0, 0.5, 5.0], [-1.0, 0.5, 1.0]),
        ("softsign", [1.0, -3.0], [0.5, -0.75]),
        ("squareplus", [0.0], [1.0]),
        ("soft_shrink", [-1.0, 0.2, 1.0], [-0.5, 0.0, 0.5]),
        ("hard_shrink", [-1.0, 0.2, 1.0], [-1.0, 0.0, 1.0]),
        ("sparse_plus", [-2.0, 0.0, 2.0], [0.0, 0.25, 2.0]),
        ("sparse_sigmoid", [-2.0, 0.0, 2.0], [0.0, 0.5, 1.0]),
        ("softmax", [[0.0, 0.0]], [[0.5, 0.5]]),
        ("sparsemax", [[0.0, 0.0]], [[0.5, 0.5]]),
        ("sparsemax", [[1.0, 0.5, -1.0]], [[0.75, 0.25, 0.0]]),  # support {1, 0.5}, threshold 0.25
        ("exponential", [0.0, 1.0], [1.0, np.e]),
        ("softplus", [0.0], [np.log(2.0)]),
        ("log_sigmoid", [0.0], [-np.log(2.0)]),
        ("elu", [-np.inf, 1.0], [-1.0, 1.0]),
        ("gelu", [0.0, 1.0], [0.0, 0.8413447460685429]),
    ],
)
def test_known_values(name, x, expected):
    x = np.array(x, dtype=np.float64)
    np.testing.assert_allclose(apply_activation(name, x), expected, atol=1e-12)


def keras_activation_names(keras):
    """Every activation keras.activations offers by name (its public functions, less its helpers)."""
    helpers = {"get", "serialize", "deserialize"}
    return sorted(n for n in dir(keras.activations)
                  if not n.startswith("_") and n not in helpers and callable(getattr(keras.activations, n)))


def test_every_keras_activation_name_is_computed_or_rejected_like_keras(keras):
    x = np.linspace(-4, 4, 24, dtype=np.float32).reshape(3, 8)
    names = keras_activation_names(keras)
    assert {"tanh", "sigmoid", "relu", "gelu", "softmax"} <= set(names)
    for name in names:
        if name in NOT_USABLE_BY_NAME:
            with pytest.raises(ValueError, match=name):
                get_activation(name)
            continue
        assert name in ACTIVATIONS, f"Keras activation {name!r} is missing from rnnlib"
        expected = np.asarray(keras.activations.get(name)(x))
        if name == "sparsemax" and not np.allclose(expected.sum(axis=-1), 1, atol=1e-5):
            continue  # Keras 3.15's bug (see rnnlib.activations); the known values above check ours
        np.testing.assert_allclose(apply_activation(name, x), expected, rtol=1e-5, atol=1e-6, err_msg=name)


def test_sparsemax_is_a_projection_onto_the_simplex(rng):
    x = rng.normal(size=(5, 7)) * 3
    y = apply_activation("sparsemax", x)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, atol=1e-12)
    assert (y >= 0).all()


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'tanhh'.*tanh"):
        get_activation("tanhh")
    with pytest.raises(ValueError, match="must be one of the names"):
        get_activation(3)
