"""The GRU in NumPy, in Keras's layout and both of Keras's forms.

Keras keeps the three blocks side by side in the columns of the kernel
(D, 3M) and recurrent kernel (M, 3M), in the order

    z (update gate), r (reset gate), h̃ (candidate state).

Both forms compute, with σ the recurrent activation (sigmoid),

    z_t = σ(x_t U_z + h_{t-1} W_z + b_z)
    r_t = σ(x_t U_r + h_{t-1} W_r + b_r)
    h_t = z_t * h_{t-1} + (1 - z_t) * h̃_t

and differ in where the reset gate acts on the candidate:

    reset_after=True (Keras's default, the form cuDNN computes); bias (2, 3M),
    an input row b and a recurrent row b':
        h̃_t = tanh(x_t U_h + b_h + r_t * (h_{t-1} W_h + b'_h))
    reset_after=False (the form of Cho et al., 2014, and of Keras before
    TensorFlow 2.0); bias (3M,):
        h̃_t = tanh(x_t U_h + (r_t * h_{t-1}) W_h + b_h)

Keras keeps the old state where z is near 1; some texts write
h_t = (1 - z_t) * h_{t-1} + z_t * h̃_t, the same model with z meaning 1 - z.
"""

import numpy as np

from rnnlib._checks import as_mask, check_sequence, check_step, check_weights, common_dtype, initial_state
from rnnlib.activations import apply_activation, get_activation
from rnnlib.recurrence import carry_over, time_steps


def _gru_step_reset_after(x_t, h_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation):
    """One step of the reset_after=True form on checked arrays; returns {z, r, candidate, h}."""
    x_part = x_t @ kernel  # (N, 3M): blocks z, r, h̃
    h_part = h_prev @ recurrent_kernel  # all three blocks, before the reset
    if bias is not None:
        x_part, h_part = x_part + bias[0], h_part + bias[1]  # input row, recurrent row
    x_z, x_r, x_h = np.split(x_part, 3, axis=-1)
    h_z, h_r, h_h = np.split(h_part, 3, axis=-1)
    z = apply_activation(recurrent_activation, x_z + h_z)
    r = apply_activation(recurrent_activation, x_r + h_r)
    candidate = apply_activation(activation, x_h + r * h_h)  # the reset scales h W_h + b'_h
    h = z * h_prev + (1 - z) * candidate
    return {"z": z, "r": r, "candidate": candidate, "h": h}


def _gru_step_reset_before(x_t, h_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation):
    """One step of the reset_after=False form on checked arrays; returns {z, r, candidate, h}."""
    m = h_prev.shape[1]
    x_part = x_t @ kernel  # (N, 3M): blocks z, r, h̃
    if bias is not None:
        x_part = x_part + bias
    x_z, x_r, x_h = np.split(x_part, 3, axis=-1)
    h_z, h_r = np.split(h_prev @ recurrent_kernel[:, :2 * m], 2, axis=-1)
    z = apply_activation(recurrent_activation, x_z + h_z)
    r = apply_activation(recurrent_activation, x_r + h_r)
    candidate = apply_activation(activation, x_h + (r * h_prev) @ recurrent_kernel[:, 2 * m:])  # reset h first
    h = z * h_prev + (1 - z) * candidate
    return {"z": z, "r": r, "candidate": candidate, "h": h}


def _checked_weights(kernel, recurrent_kernel, bias, activation, recurrent_activation, reset_after):
    get_activation(activation), get_activation(recurrent_activation)
    step = _gru_step_reset_after if reset_after else _gru_step_reset_before
    return check_weights(kernel, recurrent_kernel, bias, gates=3, bias_rows=2 if reset_after else 1) + (step,)


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias=None, activation="tanh",
             recurrent_activation="sigmoid", reset_after=True):
    """One GRU step: h_t = z*h_{t-1} + (1-z)*h̃_t.

    x_t: (N, D).  h_prev: (N, M).  kernel U: (D, 3M).  recurrent_kernel W: (M, 3M).
    bias: (2, 3M) with reset_after=True (input row, recurrent row), (3M,) with
    reset_after=False, or None.  Returns h_t: (N, M).
    """
    kernel, recurrent_kernel, bias, m, step = _checked_weights(
        kernel, recurrent_kernel, bias, activation, recurrent_activation, reset_after)
    x_t, h_prev = check_step(x_t, kernel.shape[0], m, h_prev=h_prev)
    return step(x_t, h_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation)["h"]


def gru_forward(x, kernel, recurrent_kernel, bias=None, *, activation="tanh", recurrent_activation="sigmoid",
                reset_after=True, h0=None, mask=None, go_backwards=False, return_gates=False):
    """Run a GRU over a batch of sequences.

    x: (N, T, D).  kernel: (D, 3M).  recurrent_kernel: (M, 3M).
    bias: (2, 3M) if reset_after else (3M,), or None.
    h0: (N, M) initial state; zeros when None.
    mask: (N, T) booleans; masked steps carry h over unchanged.
    go_backwards: process t = T-1 down to 0; results stay in processing order.
    return_gates: also return {"z", "r", "candidate", "h"}, each (N, T, M),
        as computed at each step (before the mask).
    Returns (outputs, h_last), plus the gates dict if asked: outputs (N, T, M)
        is h_t after every step.
    """
    kernel, recurrent_kernel, bias, m, gru_step_form = _checked_weights(
        kernel, recurrent_kernel, bias, activation, recurrent_activation, reset_after)
    x = check_sequence(x, kernel.shape[0])
    n, t, _ = x.shape
    dtype = common_dtype(x, kernel, recurrent_kernel, bias)
    h = initial_state(h0, "h0", n, m, dtype)
    mask = None if mask is None else as_mask(mask, n, t)
    outputs = np.empty((n, t, m), dtype=dtype)
    gates = {}
    for i, step in enumerate(time_steps(t, go_backwards)):
        g = gru_step_form(x[:, step], h, kernel, recurrent_kernel, bias, activation, recurrent_activation)
        h = carry_over(g["h"], h, mask, step)  # padding keeps the old state
        outputs[:, i] = h
        for name, value in g.items() if return_gates else ():
            gates.setdefault(name, np.empty((n, t, m), dtype=dtype))[:, i] = value
    return (outputs, h, gates) if return_gates else (outputs, h)
