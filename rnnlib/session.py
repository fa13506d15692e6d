"""The one set-up call at the top of every notebook."""

import os
import sys
import warnings

import numpy as np

# Set before TensorFlow is imported; TensorFlow reads them once, at import.
TF_ENVIRONMENT = {
    # Hide TensorFlow's C++ start-up messages, which land on stderr.
    "TF_CPP_MIN_LOG_LEVEL": "3",
    # Use TensorFlow's portable kernels rather than oneDNN's CPU-specific
    # ones, so float results do not depend on which CPU runs the notebook.
    "TF_ENABLE_ONEDNN_OPTS": "0",
}


def setup_notebook(seed=0, *, precision=4):
    """Make a notebook quiet, deterministic and readable; return a NumPy Generator.

    Call it once, in the first code cell, before anything imports TensorFlow
    or Keras. It
      1. sets TF_CPP_MIN_LOG_LEVEL=3 and TF_ENABLE_ONEDNN_OPTS=0 (see
         TF_ENVIRONMENT), then imports Keras;
      2. seeds Python, NumPy's global generator and TensorFlow with
         keras.utils.set_random_seed(seed), so fresh Keras weights are the
         same on every run, and turns on TensorFlow's deterministic ops;
      3. prints NumPy arrays rounded to `precision` decimals.

    Returns np.random.default_rng(seed), the generator for the notebook's
    own random data.
    """
    if "tensorflow" in sys.modules:
        changed = [k for k, v in TF_ENVIRONMENT.items() if os.environ.get(k) != v]
        if changed:
            warnings.warn(
                "TensorFlow was imported before setup_notebook, so "
                f"{', '.join(changed)} came too late; restart the kernel and call "
                "setup_notebook first",
                stacklevel=2,
            )
    os.environ.update(TF_ENVIRONMENT)

    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    np.set_printoptions(precision=precision, suppress=True)
    return np.random.default_rng(seed)
