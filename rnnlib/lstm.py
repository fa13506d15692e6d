"""The LSTM in NumPy, in Keras's layout.

Keras keeps the four gates side by side in the columns of one kernel
(D, 4M), one recurrent kernel (M, 4M) and one bias (4M,), in the order

    i (input gate), f (forget gate), c̃ (candidate cell), o (output gate).

One step, with σ the recurrent activation (sigmoid) and tanh the activation:

    z   = x_t U + h_{t-1} W + b          (N, 4M), split into z_i, z_f, z_c̃, z_o
    i_t = σ(z_i)    f_t = σ(z_f)    o_t = σ(z_o)    c̃_t = tanh(z_c̃)
    c_t = f_t * c_{t-1} + i_t * c̃_t      the cell state: forget some, add some
    h_t = o_t * tanh(c_t)                the hidden state: show some
"""

import numpy as np

from rnnlib._checks import as_mask, check_sequence, check_step, check_weights, common_dtype, initial_state
from rnnlib.activations import apply_activation, get_activation
from rnnlib.recurrence import carry_over, time_steps


def _lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation):
    """One step on checked arrays; returns every intermediate: {i, f, candidate, o, c, h}, each (N, M)."""
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
    recurrent_kernel W: (M, 4M).  bias b: (4M,) or None; blocks i, f, c̃, o.
    Returns (h_t, c_t), each (N, M).
    """
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, gates=4)
    get_activation(activation), get_activation(recurrent_activation)
    x_t, h_prev, c_prev = check_step(x_t, kernel.shape[0], m, h_prev=h_prev, c_prev=c_prev)
    g = _lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation)
    return g["h"], g["c"]


def lstm_forward(x, kernel, recurrent_kernel, bias=None, *, activation="tanh", recurrent_activation="sigmoid",
                 h0=None, c0=None, mask=None, go_backwards=False, return_gates=False):
    """Run an LSTM over a batch of sequences.

    x: (N, T, D).  kernel: (D, 4M).  recurrent_kernel: (M, 4M).  bias: (4M,) or None.
    h0, c0: (N, M) initial hidden and cell states; zeros when None.
    mask: (N, T) booleans; masked steps carry h and c over unchanged.
    go_backwards: process t = T-1 down to 0; results stay in processing order.
    return_gates: also return {"i", "f", "candidate", "o", "c", "h"}: each
        (N, T, M) over time, as computed at each step (before the mask).
    Returns (outputs, h_last, c_last), plus the gates dict if asked:
        outputs (N, T, M) is h_t after every step.
    """
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, gates=4)
    get_activation(activation), get_activation(recurrent_activation)
    x = check_sequence(x, kernel.shape[0])
    n, t, _ = x.shape
    dtype = common_dtype(x, kernel, recurrent_kernel, bias)
    h, c = initial_state(h0, "h0", n, m, dtype), initial_state(c0, "c0", n, m, dtype)
    mask = None if mask is None else as_mask(mask, n, t)
    outputs = np.empty((n, t, m), dtype=dtype)
    gates = {}
    for i, step in enumerate(time_steps(t, go_backwards)):
        g = _lstm_step(x[:, step], h, c, kernel, recurrent_kernel, bias, activation, recurrent_activation)
        h, c = carry_over(g["h"], h, mask, step), carry_over(g["c"], c, mask, step)  # padding keeps both
        outputs[:, i] = h
        for name, value in g.items() if return_gates else ():
            gates.setdefault(name, np.empty((n, t, m), dtype=dtype))[:, i] = value
    return (outputs, h, c, gates) if return_gates else (outputs, h, c)
