"""TensorFlow's environment, set before Keras imports it."""

import os
import sys
import warnings

# Read by TensorFlow, and by the NVIDIA libraries it loads, once, when TensorFlow is imported.
TF_ENVIRONMENT = {
    # No C++ start-up messages on stderr.
    "TF_CPP_MIN_LOG_LEVEL": "3",
    # TensorFlow's portable CPU kernels rather than oneDNN's CPU-specific ones, whose
    # results differ slightly from CPU to CPU (and no oneDNN notice on stderr).
    "TF_ENABLE_ONEDNN_OPTS": "0",
    # Full float32 matrix products on NVIDIA GPUs from Ampere on, which TensorFlow would
    # otherwise run in TF32 (a 10-bit mantissa), too coarse for the notebooks' 1e-6 checks.
    "NVIDIA_TF32_OVERRIDE": "0",
}


def configure_tensorflow():
    """Prepare TensorFlow's environment, TF_ENVIRONMENT above; call it before `import keras`.

    With another Keras backend it does nothing. If TensorFlow was imported already, the settings come too late: it
    warns and says to restart the kernel.
    """
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow":
        return
    if "tensorflow" in sys.modules:
        late = [k for k, v in TF_ENVIRONMENT.items() if os.environ.get(k) != v]
        if late:
            warnings.warn(f"TensorFlow was imported before configure_tensorflow, so {', '.join(late)} came "
                          "too late; restart the kernel and call configure_tensorflow first", stacklevel=2)
    os.environ.update(TF_ENVIRONMENT)
