"""The LSTM in NumPy, in Keras's layout.

Keras keeps the four gates side by side in the columns of one kernel (D, 4M), one recurrent kernel (M, 4M) and one
bias (4M,), in the order

    i (input gate), f (forget gate), c̃ (candidate cell), o (output gate).

One step, with σ the recurrent activation (sigmoid) and tanh the activation:

    a_t = x_t U + h_{t-1} W + b          (N, 4M), split into a_i, a_f, a_c, a_o
    i_t = σ(a_i)    f_t = σ(a_f)    o_t = σ(a_o)    c̃_t = tanh(a_c)
    c_t = f_t * c_{t-1} + i_t * c̃_t      the cell state: forget some, add some
    h_t = o_t * tanh(c_t)                the hidden state: show some
"""

import numpy as np

from rnnlib._checks import as_shaped, check_step, check_weights
from rnnlib.activations import activation_vjp, apply_activation
from rnnlib.recurrence import add_to, carry_over, previous, setup, through_products, time_steps


def _lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation):
    """One step on checked arrays; returns every intermediate: {i, f, candidate, o, c, h}, each (N, M)."""
    a = x_t @ kernel + h_prev @ recurrent_kernel  # the pre-activations of all four blocks
    if bias is not None:
        a = a + bias
    a_i, a_f, a_c, a_o = np.split(a, 4, axis=-1)  # Keras's column blocks
    i = apply_activation(recurrent_activation, a_i)
    f = apply_activation(recurrent_activation, a_f)
    candidate = apply_activation(activation, a_c)
    o = apply_activation(recurrent_activation, a_o)
    c = f * c_prev + i * candidate
    h = o * apply_activation(activation, c)
    return {"i": i, "f": f, "candidate": candidate, "o": o, "c": c, "h": h}


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias=None,
              activation="tanh", recurrent_activation="sigmoid"):
    """One LSTM step: c_t = f*c_{t-1} + i*c̃, h_t = o*tanh(c_t).

    x_t: (N, D).  h_prev, c_prev: (N, M).  kernel U: (D, 4M).  recurrent_kernel W: (M, 4M).
    bias b: (4M,) or None; blocks i, f, c̃, o.  Returns (h_t, c_t), each (N, M).
    """
    activations = [activation, recurrent_activation]
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, 4, activations=activations)
    x_t, h_prev, c_prev = check_step(x_t, kernel.shape[0], m, h_prev=h_prev, c_prev=c_prev)
    g = _lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, activation, recurrent_activation)
    return g["h"], g["c"]


def lstm_forward(x, kernel, recurrent_kernel, bias=None, *, activation="tanh", recurrent_activation="sigmoid",
                 h0=None, c0=None, mask=None, go_backwards=False, return_gates=False):
    """Run an LSTM over a batch of sequences.

    x: (N, T, D).  kernel: (D, 4M).  recurrent_kernel: (M, 4M).  bias: (4M,) or None.
    h0, c0: (N, M) initial hidden and cell states; zeros when None.
    mask, go_backwards: as in simple_rnn_forward; a masked step carries c over too.
    return_gates: also return {"i", "f", "candidate", "o", "c", "h"}: each (N, T, M) over time, as computed at
        each step (before the mask).
    Returns (outputs, h_last, c_last), plus the gates dict if asked: outputs (N, T, M) is h_t after every step.
    """
    x, kernel, recurrent_kernel, bias, (h, c), mask = setup(
        x, kernel, recurrent_kernel, bias, [activation, recurrent_activation], gates=4, mask=mask, h0=h0, c0=c0)
    outputs, gates = np.empty(x.shape[:2] + h.shape[1:], dtype=h.dtype), {}
    for i, step in enumerate(time_steps(x.shape[1], go_backwards)):
        g = _lstm_step(x[:, step], h, c, kernel, recurrent_kernel, bias, activation, recurrent_activation)
        h, c = carry_over(g["h"], h, mask, step), carry_over(g["c"], c, mask, step)  # padding keeps both
        outputs[:, i] = h
        for name, value in g.items() if return_gates else ():
            gates.setdefault(name, np.empty_like(outputs))[:, i] = value
    return (outputs, h, c, gates) if return_gates else (outputs, h, c)


def _lstm_step_backward(x_t, h_prev, c_prev, c, dh, dc, kernel, recurrent_kernel, bias, activation,
                        recurrent_activation):
    """One step back, from dh = dloss/dh_t and dc, what step t+1 sends back to c_t:
    this step's (dx_t, dU, dW, db, dh_{t-1}, dc_{t-1})."""
    a = x_t @ kernel + h_prev @ recurrent_kernel + (0 if bias is None else bias)
    a_i, a_f, a_c, a_o = np.split(a, 4, axis=-1)
    i, f = apply_activation(recurrent_activation, a_i), apply_activation(recurrent_activation, a_f)
    candidate, o = apply_activation(activation, a_c), apply_activation(recurrent_activation, a_o)
    do = dh * apply_activation(activation, c)
    dc = dc + activation_vjp(activation, c, dh * o)  # the cell path, and through h_t = o tanh(c_t)
    da = np.concatenate([activation_vjp(recurrent_activation, a_i, dc * candidate),
                         activation_vjp(recurrent_activation, a_f, dc * c_prev),
                         activation_vjp(activation, a_c, dc * i),
                         activation_vjp(recurrent_activation, a_o, do)], axis=-1)
    return (*through_products(da, da, x_t, h_prev, kernel, recurrent_kernel, bias), dc * f)


def lstm_backward(doutputs, x, outputs, cells, kernel, recurrent_kernel, *, bias=None, activation="tanh",
                  recurrent_activation="sigmoid", h0=None, c0=None):
    """Backpropagation through time for an LSTM, given the loss's gradient at every output h_t.

    doutputs: (N, T, M) dloss/dh_t.  x: (N, T, D).  outputs, cells: (N, T, M), h_t and c_t of the forward pass
    (lstm_forward's outputs and, with return_gates=True, gates["c"]).  kernel (D, 4M), recurrent_kernel (M, 4M),
    bias (4M,) or None, the activations, h0 and c0 as in lstm_forward.
    From step T-1 back to 0, with dh = dloss/dh_t and dc what reaches c_t:
        do = dh * tanh(c_t)                     dc += dh * o * tanh'(c_t)
        di = dc * c̃    df = dc * c_{t-1}    dc̃ = dc * i
        da = [di σ'(a_i), df σ'(a_f), dc̃ tanh'(a_c̃), do σ'(a_o)]   at the pre-activations a
        dh_{t-1} = da W^T                       dc_{t-1} = dc * f_t
    The cell's path back, dc_{t-1} = dc_t * f_t, is a product, not a matrix product: with f near 1 a gradient
    travels back along it unchanged.
    Returns (dx, dkernel, drecurrent_kernel, dbias, dh0, dc0).
    """
    x, kernel, recurrent_kernel, bias, (h0, c0), _ = setup(
        x, kernel, recurrent_kernel, bias, [activation, recurrent_activation], gates=4, h0=h0, c0=c0)
    n, t, _ = x.shape
    outputs, cells, doutputs = (as_shaped(a, name, (n, t, h0.shape[1]), "(N, T, M)") for a, name in
                                [(outputs, "outputs"), (cells, "cells"), (doutputs, "doutputs")])
    h_prev, c_prev = previous(h0, outputs), previous(c0, cells)
    dx, grads = np.zeros_like(x), [np.zeros_like(kernel), np.zeros_like(recurrent_kernel),
                                   None if bias is None else np.zeros_like(bias)]
    dh, dc = np.zeros_like(h0), np.zeros_like(c0)
    for step in reversed(range(t)):
        dx[:, step], *terms, dh, dc = _lstm_step_backward(
            x[:, step], h_prev[:, step], c_prev[:, step], cells[:, step], doutputs[:, step] + dh, dc,
            kernel, recurrent_kernel, bias, activation, recurrent_activation)
        add_to(grads, terms)
    return (dx, *grads, dh, dc)
