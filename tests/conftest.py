"""Shared fixtures. TensorFlow is configured before anything imports it."""

from rnnlib.session import configure_tensorflow

configure_tensorflow()

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def keras():
    """Keras, its random numbers seeded for each test: a layer's starting weights then do not depend on
    which tests ran before it in the same process."""
    import keras

    keras.utils.set_random_seed(1234)
    return keras


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
