"""Input checks shared by every rnnlib function, and the dtype they compute in.

Each check raises a ValueError that names the argument, what was expected and what was given, so a learner can fix
the call without reading rnnlib.
"""

import numpy as np

from rnnlib.activations import get_activation

_FLOAT_KINDS = "fc"


def as_float_array(value, name):
    """`value` as a NumPy array of floats; ints and bools become float64."""
    try:
        arr = np.asarray(value)
    except Exception as err:  # pragma: no cover - exotic inputs
        raise ValueError(f"{name} must be array-like; got {type(value).__name__}") from err
    if arr.dtype.kind not in _FLOAT_KINDS + "iub":
        raise ValueError(f"{name} must hold numbers; got an array of dtype {arr.dtype}")
    if arr.dtype.kind not in _FLOAT_KINDS:
        arr = arr.astype(np.float64)
    return arr


def check_ndim(arr, name, ndims, layout):
    """Raise unless `arr.ndim` is in `ndims`; `layout` names the axes, e.g. '(N, T, D)'."""
    if arr.ndim not in ndims:
        wanted = " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(f"{name} must be a {wanted} array of shape {layout}; "
                         f"got a {arr.ndim}-D array of shape {arr.shape}")


def check_shape(arr, name, expected, layout):
    """Raise unless `arr.shape == expected`; `layout` names the axes, e.g. '(M, M)'."""
    expected = tuple(expected)
    if arr.shape != expected:
        raise ValueError(f"{name} must have shape {layout} = {expected}; got shape {arr.shape}")


def as_shaped(value, name, expected, layout):
    """`value` as a float array (as_float_array) of shape `expected` (check_shape)."""
    value = as_float_array(value, name)
    check_shape(value, name, expected, layout)
    return value


def as_mask(mask, n, t):
    """A boolean (N, T) mask: True where a step is real, False where it is padding."""
    arr = np.asarray(mask)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"mask must hold booleans; got an array of dtype {arr.dtype}")
    check_shape(arr, "mask", (n, t), "(N, T)")
    return arr.astype(bool)


def check_sizes(**sizes):
    """Raise unless every size (D=3, M=5, ...) is a positive whole number."""
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive whole number; got {value!r}")


def common_dtype(*arrays):
    """The float dtype a computation on these arrays produces (None entries are skipped)."""
    return np.result_type(*(a for a in arrays if a is not None))


def check_weights(kernel, recurrent_kernel, bias, gates, bias_rows=1, activations=()):
    """A recurrent layer's weights as float arrays, after checking that they fit together and that every name in
    `activations` is one rnnlib computes.

    kernel (D, gates*M), recurrent_kernel (M, gates*M), bias (gates*M,) or, with bias_rows = 2 (a GRU with
    reset_after=True), (2, gates*M); gates is 1 for a SimpleRNN, 4 for an LSTM, 3 for a GRU.
    Returns (kernel, recurrent_kernel, bias, M).
    """
    cols = "M" if gates == 1 else f"{gates}*M"
    kernel = as_float_array(kernel, "kernel")
    check_ndim(kernel, "kernel", (2,), f"(D, {cols})")
    if kernel.shape[1] % gates:
        raise ValueError(f"kernel must have {cols} columns, one block of M per gate; got shape {kernel.shape}")
    m = kernel.shape[1] // gates
    recurrent_kernel = as_shaped(recurrent_kernel, "recurrent_kernel", (m, gates * m), f"(M, {cols}) with M = {m}")
    if bias is not None:
        expected = (gates * m,) if bias_rows == 1 else (bias_rows, gates * m)
        layout = f"({cols},)" if bias_rows == 1 else f"({bias_rows}, {cols})"
        bias = as_shaped(bias, "bias", expected, f"{layout} with M = {m}")
    for name in activations:
        get_activation(name)
    return kernel, recurrent_kernel, bias, m


def check_inputs(x, name, layout, d, source="kernel"):
    """x as a float array of `layout`, "(N, T, D)" or "(N, D)", whose D is the one `source` expects."""
    x = as_float_array(x, name)
    check_ndim(x, name, (layout.count(",") + 1,), layout)
    if x.shape[-1] != d:
        raise ValueError(f"{name} has D = {x.shape[-1]} features per step but {source} expects D = {d}; "
                         f"{name} has shape {x.shape}")
    return x


def check_step(x_t, d, m, **states):
    """x_t as a float (N, D) array matching the kernel's D, and each previous state
    (h_prev=..., c_prev=...) as a float (N, M) array. Returns them in that order."""
    x_t = check_inputs(x_t, "x_t", "(N, D)", d)
    return [x_t] + [as_shaped(value, name, (x_t.shape[0], m), "(N, M)") for name, value in states.items()]


def initial_state(value, name, n, m, dtype):
    """An (N, M) initial state: zeros when value is None, else value checked and cast."""
    if value is None:
        return np.zeros((n, m), dtype=dtype)
    return as_shaped(value, name, (n, m), "(N, M)").astype(dtype, copy=False)
