"""Every activation that Keras accepts by name, in NumPy.

`get_activation(name)` returns the function; `ACTIVATIONS` lists the names. The formulas follow Keras 3 with the
defaults Keras uses when a layer is given only the name (for example leaky_relu's slope 0.2, gelu's exact erf form,
softmax over the last axis). Two names in Keras's registry that a layer cannot use by name (NOT_USABLE_BY_NAME) get
a ValueError here too; sparsemax is computed as published, not as the pinned Keras 3.15 computes it (_sparsemax).
"""

import math

import numpy as np

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _sigmoid(x):
    # Written as two branches so that exp never overflows.
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def _softplus(x):
    return np.logaddexp(0.0, x).astype(x.dtype, copy=False)


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _relu6(x):
    return np.clip(x, 0.0, 6.0)


def _hard_sigmoid(x):
    return _relu6(x + 3.0) / 6.0


_erf = np.vectorize(math.erf, otypes=[np.float64])


def _gelu(x):
    return (0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))).astype(x.dtype, copy=False)


def _sparsemax(x):
    # Martins & Astudillo (2016): the projection of x onto the probability simplex.
    # The k largest values form the support; the threshold tau makes the outputs sum to 1.
    # (Keras 3.15's TensorFlow sparsemax summed the running sums instead of the values, so
    # its outputs did not sum to 1; Keras's main branch has the fix. This is the fixed form.)
    z = -np.sort(-x, axis=-1)
    cumsum = np.cumsum(z, axis=-1)
    r = np.arange(1, x.shape[-1] + 1, dtype=x.dtype)
    support = z - (cumsum - 1.0) / r > 0
    k = support.sum(axis=-1, keepdims=True)
    tau = (np.where(support, z, 0.0).sum(axis=-1, keepdims=True) - 1.0) / k
    return np.maximum(x - tau, 0.0)


_FUNCTIONS = {
    "linear": lambda x: x,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda x: np.maximum(x, 0.0),
    "relu6": _relu6,
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "selu": lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
    "celu": lambda x: np.maximum(x, 0.0) + np.expm1(np.minimum(x, 0.0)),
    "softplus": _softplus,
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "squareplus": lambda x: (x + np.sqrt(x * x + 4.0)) / 2.0,
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0)),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0.0),
    "sparse_plus": lambda x: np.where(x <= -1, 0.0, np.where(x < 1, 0.25 * (x + 1.0) ** 2, x)),
    "sparse_sigmoid": lambda x: np.clip(0.5 * (x + 1.0), 0.0, 1.0),
    "silu": lambda x: x * _sigmoid(x),
    "gelu": _gelu,
    "tanh_shrink": lambda x: x - np.tanh(x),
    "hard_tanh": lambda x: np.clip(x, -1.0, 1.0),
    "exponential": np.exp,
    "hard_sigmoid": _hard_sigmoid,
    "hard_silu": lambda x: x * _hard_sigmoid(x),
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "log_sigmoid": lambda x: -_softplus(-x),
    "softmax": _softmax,
    "log_softmax": lambda x: x - x.max(axis=-1, keepdims=True)
    - np.log(np.exp(x - x.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True)),
    "sparsemax": _sparsemax,
}
_FUNCTIONS.update(swish=_FUNCTIONS["silu"], hard_swish=_FUNCTIONS["hard_silu"])  # Keras's second names for them

#: Names that Keras registers but that a layer cannot use by name alone.
NOT_USABLE_BY_NAME = {
    "glu": "it halves the last axis, so the layer would not output `units` features",
    "threshold": "it needs `threshold` and `default_value` arguments that a name cannot carry",
}

#: Every activation name rnnlib computes, sorted.
ACTIVATIONS = tuple(sorted(_FUNCTIONS))


def get_activation(name):
    """The NumPy function for a Keras activation name, e.g. 'tanh' or 'relu'.

    Raises ValueError for names that are unknown or that a layer cannot use.
    """
    if callable(name) and getattr(name, "__name__", None) in _FUNCTIONS:
        name = name.__name__
    if not isinstance(name, str):
        raise ValueError(f"activation must be one of the names {', '.join(ACTIVATIONS)}; got {name!r}")
    if name in NOT_USABLE_BY_NAME:
        raise ValueError(f"activation {name!r} cannot be used by name in a recurrent or Dense layer: "
                         f"{NOT_USABLE_BY_NAME[name]}")
    if name not in _FUNCTIONS:
        raise ValueError(f"unknown activation {name!r}; expected one of: {', '.join(ACTIVATIONS)}")
    return _FUNCTIONS[name]


def apply_activation(name, z):
    """`get_activation(name)(z)`, keeping the dtype of `z`."""
    return np.asarray(get_activation(name)(z), dtype=z.dtype)


# ------------------------------------------------------------ derivatives, for the backward pass


def _gelu_slope(x):
    # d/dx [x Φ(x)] = Φ(x) + x φ(x), with Φ the normal distribution function and φ its density.
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0))) + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _mish_slope(x):
    t = np.tanh(_softplus(x))
    return t + x * (1.0 - t * t) * _sigmoid(x)


def _hard_sigmoid_slope(x):
    return np.where((x > -3.0) & (x < 3.0), 1.0 / 6.0, 0.0)


#: f'(a) for every elementwise activation: dh/da, as a function of the pre-activation a.
_SLOPES = {
    "linear": lambda x: np.ones_like(x),
    "tanh": lambda x: 1.0 - np.tanh(x) ** 2,
    "sigmoid": lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)),
    "relu": lambda x: (x > 0).astype(x.dtype),
    "relu6": lambda x: ((x > 0) & (x < 6)).astype(x.dtype),
    "leaky_relu": lambda x: np.where(x > 0, 1.0, 0.2),
    "elu": lambda x: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0))),
    "selu": lambda x: _SELU_SCALE * np.where(x > 0, 1.0, _SELU_ALPHA * np.exp(np.minimum(x, 0.0))),
    "celu": lambda x: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0))),
    "softplus": _sigmoid,
    "softsign": lambda x: 1.0 / (1.0 + np.abs(x)) ** 2,
    "squareplus": lambda x: 0.5 * (1.0 + x / np.sqrt(x * x + 4.0)),
    "soft_shrink": lambda x: (np.abs(x) > 0.5).astype(x.dtype),
    "hard_shrink": lambda x: (np.abs(x) > 0.5).astype(x.dtype),
    "sparse_plus": lambda x: np.where(x <= -1, 0.0, np.where(x < 1, 0.5 * (x + 1.0), 1.0)),
    "sparse_sigmoid": lambda x: np.where((x > -1) & (x < 1), 0.5, 0.0),
    "silu": lambda x: _sigmoid(x) * (1.0 + x * (1.0 - _sigmoid(x))),
    "gelu": _gelu_slope,
    "tanh_shrink": lambda x: np.tanh(x) ** 2,
    "hard_tanh": lambda x: ((x > -1) & (x < 1)).astype(x.dtype),
    "exponential": np.exp,
    "hard_sigmoid": _hard_sigmoid_slope,
    "hard_silu": lambda x: _hard_sigmoid(x) + x * _hard_sigmoid_slope(x),
    "mish": _mish_slope,
    "log_sigmoid": lambda x: 1.0 - _sigmoid(x),
}
_SLOPES.update(swish=_SLOPES["silu"], hard_swish=_SLOPES["hard_silu"])


def _softmax_vjp(x, g):
    s = _softmax(x)  # J = diag(s) - s s^T, so g J = s * (g - <g, s>)
    return s * (g - (g * s).sum(axis=-1, keepdims=True))


def _sparsemax_vjp(x, g):
    on = _sparsemax(x) > 0  # on the support S the Jacobian is I - 1 1^T / |S|, elsewhere 0
    mean = np.where(on, g, 0.0).sum(axis=-1, keepdims=True) / on.sum(axis=-1, keepdims=True)
    return np.where(on, g - mean, 0.0)


#: Activations that mix a row's entries: their vector-Jacobian product g J, for g the gradient at the output.
_VJPS = {
    "softmax": _softmax_vjp,
    "log_softmax": lambda x, g: g - _softmax(x) * g.sum(axis=-1, keepdims=True),
    "sparsemax": _sparsemax_vjp,
}
#: The activations that mix a row's entries instead of acting on each alone.
MIXING = tuple(_VJPS)


def activation_vjp(name, a, g):
    """The gradient at the pre-activation a, given the gradient g at the output f(a).

    For an elementwise f this is g * f'(a); softmax, log_softmax and sparsemax mix the entries of each row, and get
    their full vector-Jacobian product g J. a, g: arrays of one shape. Returns an array of that shape, in a's dtype.
    """
    get_activation(name)
    name = getattr(name, "__name__", name)
    if name in _VJPS:
        return np.asarray(_VJPS[name](a, g), dtype=a.dtype)
    return np.asarray(g * _SLOPES[name](a), dtype=a.dtype)
