"""Keras's recurrent weights in PyTorch's layout, and PyTorch's recurrence in NumPy.

PyTorch's `nn.RNN`, `nn.LSTM` and `nn.GRU` (one direction, num_layers=1, nonlinearity='tanh', no proj_size,
`batch_first=True`; a bidirectional layer would also need the *_l0_reverse weights) store, with G = 1, 4, 3 gate
blocks:

    weight_ih_l0 (G·M, D)   the transpose of Keras's kernel (D, G·M)
    weight_hh_l0 (G·M, M)   the transpose of Keras's recurrent_kernel (M, G·M)
    bias_ih_l0 (G·M,), bias_hh_l0 (G·M,)   two bias vectors where Keras has one

Gate blocks: LSTM i, f, g, o (Keras's i, f, c̃, o: the same order); GRU r, z, n (Keras's z, r, h̃: the first two
swapped). PyTorch's GRU is Keras's reset_after=True form (pytorch_forward's docstring has its equations), whose bias
(2, 3M) holds the input row and the recurrent row; PyTorch has no reset_after=False form. Hence the counts:

    nn.RNN   M(D + M + 2)     SimpleRNN   M(D + M + 1)
    nn.LSTM  4M(D + M + 2)    LSTM        4M(D + M + 1)
    nn.GRU   3M(D + M + 2)    GRU         3M(D + M + 2), or 3M(D + M + 1) with reset_after=False

Only the weights are converted: nn.LSTM and nn.GRU compute sigmoid gates and tanh, Keras's defaults, and nn.RNN
tanh here.
"""

import numpy as np

from rnnlib._checks import as_float_array, as_shaped, check_inputs, check_weights, common_dtype
from rnnlib.activations import apply_activation
from rnnlib.layers import gate_blocks

#: For each layer, Keras's gate blocks in PyTorch's order (GRU: Keras z, r, h̃ -> PyTorch r, z, n).
KERAS_BLOCKS_IN_PYTORCH_ORDER = {"SimpleRNN": (0,), "LSTM": (0, 1, 2, 3), "GRU": (1, 0, 2)}
PYTORCH_NAMES = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def _pytorch_order(kind, array, m):
    """Keras's gate blocks along the last axis of `array`, put in PyTorch's order."""
    blocks = [array[..., k * m:(k + 1) * m] for k in KERAS_BLOCKS_IN_PYTORCH_ORDER[kind]]
    return np.concatenate(blocks, axis=-1)


def to_pytorch_layout(kind, kernel, recurrent_kernel, bias=None, *, reset_after=True):
    """A Keras layer's weights as PyTorch's `state_dict` for one layer, in NumPy.

    kind: 'SimpleRNN', 'LSTM' or 'GRU'; G = 1, 4, 3 gate blocks.  kernel U: (D, G·M).  recurrent_kernel W: (M, G·M).
    bias: (G·M,), or for a GRU with reset_after=True (2, G·M) (input row, recurrent row), or None for a layer without
        biases.  reset_after: the GRU's form; PyTorch computes only reset_after=True.
    Returns a dict {name: array} of the module docstring's four arrays, blocks in PyTorch's order: weight_ih = U^T and
        weight_hh = W^T, so that W_ih x_t = (x_t U)^T. SimpleRNN and LSTM: bias_ih = b, bias_hh = 0
        (only b_ih + b_hh matters). GRU: bias_ih = b[0], bias_hh = b[1]. With bias=None the two
        bias entries are left out, as in PyTorch's bias=False.
    """
    gates = gate_blocks(kind)
    if kind == "GRU" and not reset_after:
        raise ValueError(
            "PyTorch's nn.GRU computes only the reset_after=True form, r * (W_hn h + b_hn); "
            "a GRU with reset_after=False, (r * h) W_h, has no nn.GRU equivalent; got reset_after=False")
    bias_rows = 2 if kind == "GRU" else 1
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, gates, bias_rows)
    params = {"weight_ih_l0": _pytorch_order(kind, kernel, m).T.copy(),
              "weight_hh_l0": _pytorch_order(kind, recurrent_kernel, m).T.copy()}
    if bias is None:
        return params
    if kind == "GRU":
        params["bias_ih_l0"], params["bias_hh_l0"] = _pytorch_order(kind, bias, m)  # the two rows
    else:
        params["bias_ih_l0"] = _pytorch_order(kind, bias, m)
        params["bias_hh_l0"] = np.zeros_like(params["bias_ih_l0"])
    return params


def _check_pytorch_params(kind, params):
    """(w_ih, w_hh, b_ih, b_hh, M) from a PyTorch-layout dict, after checking names and shapes."""
    gates = gate_blocks(kind)
    names = set(params) if isinstance(params, dict) else None
    if names not in ({"weight_ih_l0", "weight_hh_l0"}, set(PYTORCH_NAMES)):
        raise ValueError(f"params must be a dict with the keys {', '.join(PYTORCH_NAMES)} (the biases may be "
                         f"left out together); got {sorted(names) if names is not None else type(params).__name__}")
    w_ih = as_float_array(params["weight_ih_l0"], "weight_ih_l0")
    w_hh = as_float_array(params["weight_hh_l0"], "weight_hh_l0")
    if w_hh.ndim != 2 or w_hh.shape[0] != gates * w_hh.shape[1]:
        raise ValueError(f"weight_hh_l0 must have shape (G·M, M) with G = {gates} for {kind}; got {w_hh.shape}")
    m = w_hh.shape[1]
    if w_ih.ndim != 2 or w_ih.shape[0] != gates * m:
        raise ValueError(f"weight_ih_l0 must have shape (G·M, D) = ({gates * m}, D); got {w_ih.shape}")
    biases = [as_shaped(params[name], name, (gates * m,), "(G·M,)") if name in params else None
              for name in ("bias_ih_l0", "bias_hh_l0")]
    return w_ih, w_hh, *biases, m


def _pytorch_step(kind, x_part, h_part, h, c):
    """One step from x_part = W_ih x_t + b_ih and h_part = W_hh h_{t-1} + b_hh, each (N, G·M)."""
    sigmoid = lambda z: apply_activation("sigmoid", z)  # noqa: E731
    if kind == "SimpleRNN":
        return np.tanh(x_part + h_part), c
    if kind == "LSTM":
        i, f, g, o = np.split(x_part + h_part, 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        return sigmoid(o) * np.tanh(c), c
    x_r, x_z, x_n = np.split(x_part, 3, axis=-1)
    h_r, h_z, h_n = np.split(h_part, 3, axis=-1)
    r, z = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
    n = np.tanh(x_n + r * h_n)  # the reset scales W_hn h_{t-1} + b_hn
    return (1 - z) * n + z * h, c


def pytorch_forward(kind, x, params):
    """PyTorch's documented recurrence, in PyTorch's layout, on batch-first input; zero initial states.

    kind: 'SimpleRNN' (nn.RNN, tanh), 'LSTM' or 'GRU'; G = 1, 4, 3 gate blocks.
    x: (N, T, D), as with batch_first=True.  params: as to_pytorch_layout returns them, the biases optional.
    Per step (blocks i, f, g, o and r, z, n), as PyTorch's docs write it:
        nn.RNN:  h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)
        nn.LSTM: c_t = σ(f) * c_{t-1} + σ(i) * tanh(g),  h_t = σ(o) * tanh(c_t)
        nn.GRU:  n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn)),
                 h_t = (1 - z_t) * n_t + z_t * h_{t-1}
    W_ih x_t (nn.LSTM and nn.GRU's docs) and x_t W_ih^T (nn.RNN's) are the same numbers (Keras writes x_t U,
    U = W_ih^T up to the GRU's block order); for N samples at once this computes the rows x_t W_ih^T.
    Returns outputs: (N, T, M), h_t after every step.
    """
    w_ih, w_hh, b_ih, b_hh, m = _check_pytorch_params(kind, params)
    x = check_inputs(x, "x", "(N, T, D)", w_ih.shape[1], source="weight_ih_l0 (G·M, D)")
    n, t, _ = x.shape
    dtype = common_dtype(x, w_ih, w_hh, b_ih, b_hh)
    h, c = np.zeros((n, m), dtype=dtype), np.zeros((n, m), dtype=dtype)
    outputs = np.empty((n, t, m), dtype=dtype)
    for step in range(t):
        x_part = x[:, step] @ w_ih.T + (0 if b_ih is None else b_ih)  # (W_ih x_t + b_ih), one row per sample
        h_part = h @ w_hh.T + (0 if b_hh is None else b_hh)  # (W_hh h_{t-1} + b_hh)
        h, c = _pytorch_step(kind, x_part, h_part, h, c)
        outputs[:, step] = h
    return outputs
