"""Shared fixtures. TensorFlow is configured before anything imports it."""

from rnnlib.session import configure_tensorflow

configure_tensorflow()

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def keras():
    import keras

    return keras


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
