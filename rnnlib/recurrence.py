"""What every recurrent layer shares: its set-up and checks, the order of its steps, the products of each
backward step, and Keras's masking rules.

A mask (N, T) is True where a step is real and False where it is padding. Keras treats a padded step in two ways,
and rnnlib follows it:
  - the **state** is carried over unchanged: h_t = h_{t-1} (and c_t = c_{t-1});
  - the **output** at a padded step is the previous step's output again (zeros
    before the first real step), or zeros when zero_output_for_mask=True.
This is the CPU path of Keras's TensorFlow backend. On a GPU, that backend runs eligible LSTM and GRU layers with
cuDNN, which outputs zeros at padded steps.
"""

import numpy as np

from rnnlib._checks import as_mask, check_inputs, check_weights, common_dtype, initial_state


def setup(x, kernel, recurrent_kernel, bias, activations, gates, bias_rows=1, mask=None, **initial):
    """What every forward and backward begins with: x (N, T, D) and the weights checked (_checks.check_weights),
    each initial state (h0=..., c0=...) as (N, M), zeros where None, and the mask as (N, T) booleans or None.
    Returns (x, kernel, recurrent_kernel, bias, [initial states], mask)."""
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, gates, bias_rows, activations)
    x = check_inputs(x, "x", "(N, T, D)", kernel.shape[0])
    n, t, _ = x.shape
    dtype = common_dtype(x, kernel, recurrent_kernel, bias)
    states = [initial_state(value, name, n, m, dtype) for name, value in initial.items()]
    return x, kernel, recurrent_kernel, bias, states, (None if mask is None else as_mask(mask, n, t))


def previous(initial, states):
    """(N, T, M): the state before every step, the initial state (N, M) and then states[:, :-1]."""
    return np.concatenate([initial[:, None], states[:, :-1]], axis=1)


def through_products(da_x, da_h, x_t, h_prev, kernel, recurrent_kernel, bias):
    """From da_x = dloss/d(x_t U + b) and da_h = dloss/d(h_{t-1} W): (dx_t, dU, dW, db, h_{t-1}'s share via W)."""
    db = None if bias is None else da_x.sum(axis=0)
    return da_x @ kernel.T, x_t.T @ da_x, h_prev.T @ da_h, db, da_h @ recurrent_kernel.T


def add_to(totals, terms):
    """totals[i] += terms[i] for every gradient there is (a layer without bias has None)."""
    for total, term in zip(totals, terms):
        if total is not None:
            total += term


def time_steps(t, go_backwards=False):
    """The steps in the order they are processed: 0, ..., T-1, or T-1, ..., 0 with go_backwards."""
    return range(t - 1, -1, -1) if go_backwards else range(t)


def carry_over(new, old, mask, step):
    """The state after step `step`: `new` for the samples whose step is real, `old` where it is padding.

    new, old: (N, M).  mask: (N, T) booleans or None.
    """
    if mask is None:
        return new
    return np.where(mask[:, step, None], new, old)


def masked_outputs(outputs, mask, zero_output_for_mask):
    """What a Keras RNN outputs at each step (N, T, M), from outputs (N, T, M), the state after every step,
    and the mask (N, T) or None, both in processing order. The state at a padded step already is the previous
    real step's output (it was carried over); before the first real step it is the initial state, where Keras
    outputs zeros."""
    if mask is None:
        return outputs
    keep = mask if zero_output_for_mask else np.cumsum(mask, axis=1) > 0
    return np.where(keep[:, :, None], outputs, np.zeros((), dtype=outputs.dtype))
