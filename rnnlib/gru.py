"""The GRU in NumPy, in Keras's layout and both of Keras's forms.

Keras keeps the three blocks side by side in the columns of the kernel (D, 3M) and recurrent kernel (M, 3M), in order

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

Keras keeps the old state where z is near 1; some texts write h_t = (1 - z_t) * h_{t-1} + z_t * h̃_t, the same model
with z meaning 1 - z.
"""

import numpy as np

from rnnlib._checks import as_shaped, check_step, check_weights
from rnnlib.activations import activation_vjp, apply_activation
from rnnlib.recurrence import add_to, carry_over, previous, setup, through_products, time_steps


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


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias=None, activation="tanh",
             recurrent_activation="sigmoid", reset_after=True):
    """One GRU step: h_t = z*h_{t-1} + (1-z)*h̃_t.

    x_t: (N, D).  h_prev: (N, M).  kernel U: (D, 3M).  recurrent_kernel W: (M, 3M).  bias: (2, 3M) with
    reset_after=True (input row, recurrent row), (3M,) with reset_after=False, or None.  Returns h_t: (N, M).
    """
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, 3, 2 if reset_after else 1,
                                                      [activation, recurrent_activation])
    x_t, h_prev = check_step(x_t, kernel.shape[0], m, h_prev=h_prev)
    step = _gru_step_reset_after if reset_after else _gru_step_reset_before
    return step(x_t, h_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation)["h"]


def gru_forward(x, kernel, recurrent_kernel, bias=None, *, activation="tanh", recurrent_activation="sigmoid",
                reset_after=True, h0=None, mask=None, go_backwards=False, return_gates=False):
    """Run a GRU over a batch of sequences.

    x: (N, T, D).  kernel: (D, 3M).  recurrent_kernel: (M, 3M).
    bias: (2, 3M) if reset_after else (3M,), or None.  h0, mask, go_backwards: as in simple_rnn_forward.
    return_gates: also return {"z", "r", "candidate", "h"}, each (N, T, M), as computed at each step (before the mask).
    Returns (outputs, h_last), plus the gates dict if asked: outputs (N, T, M) is h_t after every step.
    """
    x, kernel, recurrent_kernel, bias, (h,), mask = setup(
        x, kernel, recurrent_kernel, bias, [activation, recurrent_activation], gates=3,
        bias_rows=2 if reset_after else 1, mask=mask, h0=h0)
    gru_step_form = _gru_step_reset_after if reset_after else _gru_step_reset_before
    outputs, gates = np.empty(x.shape[:2] + h.shape[1:], dtype=h.dtype), {}
    for i, step in enumerate(time_steps(x.shape[1], go_backwards)):
        g = gru_step_form(x[:, step], h, kernel, recurrent_kernel, bias, activation, recurrent_activation)
        h = carry_over(g["h"], h, mask, step)  # padding keeps the old state
        outputs[:, i] = h
        for name, value in g.items() if return_gates else ():
            gates.setdefault(name, np.empty_like(outputs))[:, i] = value
    return (outputs, h, gates) if return_gates else (outputs, h)


def _through_update(g, h_prev, dh, activation, recurrent_activation, a_z, a_h):
    """From dh through h_t = z h_{t-1} + (1 - z) h̃: (da_z, da_h) at the pre-activations a_z, a_h,
    and h_{t-1}'s direct share."""
    da_h = activation_vjp(activation, a_h, dh * (1 - g["z"]))
    da_z = activation_vjp(recurrent_activation, a_z, dh * (h_prev - g["candidate"]))
    return da_z, da_h, dh * g["z"]


def _gru_step_backward_reset_after(x_t, h_prev, dh, kernel, recurrent_kernel, bias, activation, recurrent_activation):
    """One step back, from dh = dloss/dh_t: this step's (dx_t, dU, dW, db, dh_{t-1})."""
    x_z, x_r, x_h = np.split(x_t @ kernel + (0 if bias is None else bias[0]), 3, axis=-1)
    h_z, h_r, h_h = np.split(h_prev @ recurrent_kernel + (0 if bias is None else bias[1]), 3, axis=-1)
    g = _gru_step_reset_after(x_t, h_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation)
    da_z, da_h, dh_prev = _through_update(g, h_prev, dh, activation, recurrent_activation,
                                          x_z + h_z, x_h + g["r"] * h_h)
    da_r = activation_vjp(recurrent_activation, x_r + h_r, da_h * h_h)  # the reset scaled h W_h + b'_h
    dx_part = np.concatenate([da_z, da_r, da_h], axis=-1)  # dloss/d(x_t U + b)
    dh_part = np.concatenate([da_z, da_r, da_h * g["r"]], axis=-1)  # dloss/d(h_{t-1} W + b')
    dx_t, dkernel, drecurrent, dbias, dh_w = through_products(dx_part, dh_part, x_t, h_prev, kernel,
                                                              recurrent_kernel, bias)
    dbias = None if bias is None else np.stack([dbias, dh_part.sum(axis=0)])  # input row, recurrent row
    return dx_t, dkernel, drecurrent, dbias, dh_prev + dh_w


def _gru_step_backward_reset_before(x_t, h_prev, dh, kernel, recurrent_kernel, bias, activation, recurrent_activation):
    """One step back, from dh = dloss/dh_t: this step's (dx_t, dU, dW, db, dh_{t-1})."""
    m = h_prev.shape[1]
    w_zr, w_h = recurrent_kernel[:, :2 * m], recurrent_kernel[:, 2 * m:]
    x_z, x_r, x_h = np.split(x_t @ kernel + (0 if bias is None else bias), 3, axis=-1)
    h_z, h_r = np.split(h_prev @ w_zr, 2, axis=-1)
    g = _gru_step_reset_before(x_t, h_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation)
    reset_h = g["r"] * h_prev
    da_z, da_h, dh_prev = _through_update(g, h_prev, dh, activation, recurrent_activation,
                                          x_z + h_z, x_h + reset_h @ w_h)
    d_reset_h = da_h @ w_h.T  # dloss/d(r * h_{t-1})
    da_r = activation_vjp(recurrent_activation, x_r + h_r, d_reset_h * h_prev)
    dx_part = np.concatenate([da_z, da_r, da_h], axis=-1)  # dloss/d(x_t U + b)
    dzr = np.concatenate([da_z, da_r], axis=-1)  # dloss/d(h_{t-1} W_zr)
    dx_t, dkernel, dw_zr, dbias, dh_w = through_products(dx_part, dzr, x_t, h_prev, kernel, w_zr, bias)
    drecurrent = np.concatenate([dw_zr, reset_h.T @ da_h], axis=1)  # W_h multiplied r * h_{t-1}
    return dx_t, dkernel, drecurrent, dbias, dh_prev + d_reset_h * g["r"] + dh_w


def gru_backward(doutputs, x, outputs, kernel, recurrent_kernel, *, bias=None, activation="tanh",
                 recurrent_activation="sigmoid", reset_after=True, h0=None):
    """Backpropagation through time for a GRU in either form, given dloss/dh_t at every output.

    doutputs: (N, T, M).  x: (N, T, D).  outputs: (N, T, M), h_t of the forward pass.  The weights, activations,
    reset_after and h0 as in gru_forward.
    Through h_t = z h_{t-1} + (1 - z) h̃_t: dz = dh (h_{t-1} - h̃), dh̃ = dh (1 - z),
    and h_{t-1} gets dh * z directly, plus what flows back through the gates.
    Returns (dx, dkernel, drecurrent_kernel, dbias, dh0); dbias has the bias's shape.
    """
    x, kernel, recurrent_kernel, bias, (h0,), _ = setup(
        x, kernel, recurrent_kernel, bias, [activation, recurrent_activation], gates=3,
        bias_rows=2 if reset_after else 1, h0=h0)
    n, t, _ = x.shape
    outputs, doutputs = (as_shaped(a, name, (n, t, h0.shape[1]), "(N, T, M)") for a, name in [(outputs, "outputs"),
                                                                                               (doutputs, "doutputs")])
    h_prev = previous(h0, outputs)
    step_backward = _gru_step_backward_reset_after if reset_after else _gru_step_backward_reset_before
    dx, grads = np.zeros_like(x), [np.zeros_like(kernel), np.zeros_like(recurrent_kernel),
                                   None if bias is None else np.zeros_like(bias)]
    dh = np.zeros_like(h0)
    for step in reversed(range(t)):
        dx[:, step], *terms, dh = step_backward(x[:, step], h_prev[:, step], doutputs[:, step] + dh, kernel,
                                                recurrent_kernel, bias, activation, recurrent_activation)
        add_to(grads, terms)
    return (dx, *grads, dh)
