"""The GRU in NumPy, in Keras's layout and both of Keras's forms.

Keras keeps the three blocks side by side in the columns of the kernel
(D, 3M) and recurrent kernel (M, 3M), in the order

    z (update gate), r (reset gate), h (candidate state).

One step, with σ the recurrent activation (sigmoid):

    z_t = σ(x_t U_z + h_{t-1} W_z + b_z)
    r_t = σ(x_t U_r + h_{t-1} W_r + b_r)
    reset_after=True (Keras's default, the cuDNN form; bias (2, 3M): input row, recurrent row):
        h̃_t = tanh(x_t U_h + b_h + r_t * (h_{t-1} W_h + b'_h))
    reset_after=False (the original form; bias (3M,)):
        h̃_t = tanh(x_t U_h + (r_t * h_{t-1}) W_h + b_h)
    h_t = z_t * h_{t-1} + (1 - z_t) * h̃_t

Keras keeps the old state where z is near 1; some texts write
h_t = (1 - z_t) * h_{t-1} + z_t * h̃_t, the same model with z meaning 1 - z.
"""

import numpy as np

from rnnlib.activations import apply_activation, get_activation
from rnnlib._checks import as_mask
from rnnlib.recurrence import check_gate_weights, check_sequence, check_step, initial, run_recurrence

GATES = ("z", "r", "h")


def _gru_gates(x_t, h_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation, reset_after):
    """Every intermediate of one step, on checked arrays."""
    m = h_prev.shape[1]
    if bias is None:
        input_bias = recurrent_bias = None
    elif reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, None
    x_part = x_t @ kernel  # (N, 3M): blocks z, r, h
    if input_bias is not None:
        x_part = x_part + input_bias
    x_z, x_r, x_h = np.split(x_part, 3, axis=-1)
    if reset_after:
        h_part = h_prev @ recurrent_kernel  # all three blocks, before the reset
        if recurrent_bias is not None:
            h_part = h_part + recurrent_bias
        h_z, h_r, h_h = np.split(h_part, 3, axis=-1)
    else:
        h_z, h_r = np.split(h_prev @ recurrent_kernel[:, : 2 * m], 2, axis=-1)
    z = apply_activation(recurrent_activation, x_z + h_z)
    r = apply_activation(recurrent_activation, x_r + h_r)
    if reset_after:
        candidate = apply_activation(activation, x_h + r * h_h)  # reset after the product
    else:
        candidate = apply_activation(activation, x_h + (r * h_prev) @ recurrent_kernel[:, 2 * m:])
    h = z * h_prev + (1 - z) * candidate
    return {"z": z, "r": r, "candidate": candidate, "h": h}


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias=None, activation="tanh",
             recurrent_activation="sigmoid", reset_after=True):
    """One GRU step: h_t = z*h_{t-1} + (1-z)*h̃_t.

    x_t: (N, D).  h_prev: (N, M).  kernel U: (D, 3M).  recurrent_kernel W: (M, 3M).
    bias: (2, 3M) with reset_after=True (input row, recurrent row), (3M,) with
    reset_after=False, or None.  Returns h_t: (N, M).
    """
    kernel, recurrent_kernel, bias, m = check_gate_weights(
        kernel, recurrent_kernel, bias, 3, 2 if reset_after else 1)
    get_activation(activation), get_activation(recurrent_activation)
    x_t, h_prev = check_step(x_t, kernel.shape[0], m, h_prev=h_prev)
    return _gru_gates(x_t, h_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation, reset_after)["h"]


def gru_forward(x, kernel, recurrent_kernel, bias=None, *, activation="tanh", recurrent_activation="sigmoid",
                reset_after=True, h0=None, mask=None, go_backwards=False, return_gates=False):
    """Run a GRU over a batch of sequences.

    x: (N, T, D).  kernel: (D, 3M).  recurrent_kernel: (M, 3M).
    bias: (2, 3M) if reset_after else (3M,), or None.
    h0: (N, M) initial state; zeros when None.
    mask: (N, T) booleans; masked steps carry h over unchanged.
    go_backwards: process t = T-1 down to 0; results stay in processing order.
    return_gates: also return {"z", "r", "candidate", "h"}, each (N, T, M).
    Returns (states, h_last), plus the gates dict if asked.
    """
    kernel, recurrent_kernel, bias, m = check_gate_weights(
        kernel, recurrent_kernel, bias, 3, 2 if reset_after else 1)
    get_activation(activation), get_activation(recurrent_activation)
    x = check_sequence(x, kernel.shape[0])
    n, t, _ = x.shape
    dtype = np.result_type(x, kernel, recurrent_kernel, *(() if bias is None else (bias,)))
    h = initial(h0, "h0", n, m, dtype)
    mask = None if mask is None else as_mask(mask, n, t)

    def step(x_t, carried):
        g = _gru_gates(x_t, carried[0], kernel, recurrent_kernel, bias, activation, recurrent_activation, reset_after)
        return (g["h"],), g

    states, (h_last,), gates = run_recurrence(step, x, (h,), mask, go_backwards, record=return_gates)
    if return_gates:
        return states, h_last, gates
    return states, h_last
