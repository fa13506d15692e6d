"""Input checks shared by every rnnlib function.

Each check raises a ValueError that names the argument, what was expected
and what was given, so a learner can fix the call without reading rnnlib.
"""

import numpy as np

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
        raise ValueError(
            f"{name} must be a {wanted} array of shape {layout}; "
            f"got a {arr.ndim}-D array of shape {arr.shape}"
        )


def check_shape(arr, name, expected, layout):
    """Raise unless `arr.shape == expected`; `layout` names the axes, e.g. '(M, M)'."""
    expected = tuple(expected)
    if arr.shape != expected:
        raise ValueError(
            f"{name} must have shape {layout} = {expected}; got shape {arr.shape}"
        )


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
