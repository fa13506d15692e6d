"""The LSTM in NumPy, in Keras's layout.

Keras keeps the four gates side by side in the columns of one kernel
(D, 4M), one recurrent kernel (M, 4M) and one bias (4M,), in the order

    i (input gate), f (forget gate), c (candidate cell), o (output gate).

One step, with σ the recurrent activation (sigmoid) and tanh the activation:

    z   = x_t U + h_{t-1} W + b          (N, 4M), split into z_i, z_f, z_c, z_o
    i_t = σ(z_i)    f_t = σ(z_f)    o_t = σ(z_o)    c̃_t = tanh(z_c)
    c_t = f_t * c_{t-1} + i_t * c̃_t      the cell state: forget some, add some
    h_t = o_t * tanh(c_t)                the hidden state: show some
"""

import numpy as np

from rnnlib.activations import apply_activation, get_activation
from rnnlib._checks import as_mask
from rnnlib.recurrence import check_gate_weights, check_sequence, check_step, initial, run_recurrence

GATES = ("i", "f", "c", "o")


def _lstm_gates(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation):
    """Every intermediate of one step, on checked arrays."""
    z = x_t @ kernel + h_prev @ recurrent_kernel
    if bias is not None:
        z = z + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)  # Keras's column blocks
    i = apply_activation(recurrent_activation, z_i)
    f = apply_activation(recurrent_activation, z_f)
    candidate = apply_activation(activation, z_c)
    o = apply_activation(recurrent_activation, z_o)
    c = f * c_prev + i * candidate
    h = o * apply_activation(activation, c)
    return {"i": i, "f": f, "candidate": candidate, "o": o, "c": c, "h": h}


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias=None,
              activation="tanh", recurrent_activation="sigmoid"):
    """One LSTM step: c_t = f*c_{t-1} + i*c̃, h_t = o*tanh(c_t).

    x_t: (N, D).  h_prev, c_prev: (N, M).  kernel U: (D, 4M).
    recurrent_kernel W: (M, 4M).  bias b: (4M,) or None; blocks i, f, c, o.
    Returns (h_t, c_t), each (N, M).
    """
    kernel, recurrent_kernel, bias, m = check_gate_weights(kernel, recurrent_kernel, bias, 4)
    get_activation(activation), get_activation(recurrent_activation)
    x_t, h_prev, c_prev = check_step(x_t, kernel.shape[0], m, h_prev=h_prev, c_prev=c_prev)
    g = _lstm_gates(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation)
    return g["h"], g["c"]


def lstm_forward(x, kernel, recurrent_kernel, bias=None, *, activation="tanh", recurrent_activation="sigmoid",
                 h0=None, c0=None, mask=None, go_backwards=False, return_gates=False):
    """Run an LSTM over a batch of sequences.

    x: (N, T, D).  kernel: (D, 4M).  recurrent_kernel: (M, 4M).  bias: (4M,) or None.
    h0, c0: (N, M) initial hidden and cell states; zeros when None.
    mask: (N, T) booleans; masked steps carry h and c over unchanged.
    go_backwards: process t = T-1 down to 0; results stay in processing order.
    return_gates: also return {"i", "f", "candidate", "o", "c", "h"}: each
        (N, T, M) over time, as computed at each step.
    Returns (states, h_last, c_last), plus the gates dict if asked:
        states (N, T, M) is h_t after every step.
    """
    kernel, recurrent_kernel, bias, m = check_gate_weights(kernel, recurrent_kernel, bias, 4)
    get_activation(activation), get_activation(recurrent_activation)
    x = check_sequence(x, kernel.shape[0])
    n, t, _ = x.shape
    dtype = np.result_type(x, kernel, recurrent_kernel, *(() if bias is None else (bias,)))
    h = initial(h0, "h0", n, m, dtype)
    c = initial(c0, "c0", n, m, dtype)
    mask = None if mask is None else as_mask(mask, n, t)

    def step(x_t, carried):
        g = _lstm_gates(x_t, carried[0], carried[1], kernel, recurrent_kernel, bias, activation, recurrent_activation)
        return (g["h"], g["c"]), g

    states, (h_last, c_last), gates = run_recurrence(step, x, (h, c), mask, go_backwards, record=return_gates)
    if return_gates:
        return states, h_last, c_last, gates
    return states, h_last, c_last
