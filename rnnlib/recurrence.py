"""The time loop shared by every recurrent layer, with Keras's masking rules.

    states, finals, record = run_recurrence(step, x, initial_states, mask, go_backwards)

`step(x_t, states)` computes one time step for the whole batch and returns
`(new_states, gates)`: a tuple of (N, M) arrays whose first entry is the
output h_t, and a dict of named (N, M) intermediate arrays (gates) that are
recorded over time when asked for. A SimpleRNN or GRU carries one state (h),
an LSTM two (h, c).
"""

import numpy as np

from rnnlib._checks import as_float_array, check_ndim, check_shape


def run_recurrence(step, x, initial_states, mask=None, go_backwards=False, record=False):
    """Loop `step` over the time axis of x.

    x: (N, T, D) inputs.  initial_states: tuple of (N, M) arrays.
    mask: (N, T) booleans or None; at a masked step every state is carried
        over unchanged.
    go_backwards: process t = T-1 down to 0; results stay in processing order.
    record: also return each gate of `step` over time.
    Returns (outputs, final_states, gates): outputs (N, T, M) is h after
    every step; final_states the tuple after the last step; gates a dict of
    (N, T, M) arrays, or None when record is False.
    """
    n, t, _ = x.shape
    states = tuple(initial_states)
    outputs = np.empty((n, t) + states[0].shape[1:], dtype=states[0].dtype)
    gates = None
    order = range(t - 1, -1, -1) if go_backwards else range(t)
    for i, step_index in enumerate(order):
        new_states, step_gates = step(x[:, step_index], states)
        if mask is not None:
            keep = mask[:, step_index, None]  # (N, 1): True where the step is real
            new_states = tuple(np.where(keep, new, old) for new, old in zip(new_states, states))
        states = tuple(s.astype(outputs.dtype, copy=False) for s in new_states)
        outputs[:, i] = states[0]
        if record:
            if gates is None:
                gates = {k: np.empty((n, t) + v.shape[1:], dtype=v.dtype) for k, v in step_gates.items()}
            for k, v in step_gates.items():
                gates[k][:, i] = v
    return outputs, states, gates


def check_gate_weights(kernel, recurrent_kernel, bias, gates, bias_rows=1):
    """Check a gated layer's weights fit together; return them as arrays and M.

    kernel (D, gates*M), recurrent_kernel (M, gates*M), bias (gates*M,) or,
    with bias_rows = 2, (2, gates*M).
    """
    kernel = as_float_array(kernel, "kernel")
    check_ndim(kernel, "kernel", (2,), f"(D, {gates}*M)")
    if kernel.shape[1] % gates:
        raise ValueError(
            f"kernel must have {gates}*M columns, one block of M per gate; got shape {kernel.shape}"
        )
    m = kernel.shape[1] // gates
    recurrent_kernel = as_float_array(recurrent_kernel, "recurrent_kernel")
    check_shape(recurrent_kernel, "recurrent_kernel", (m, gates * m), f"(M, {gates}*M) with M = {m}")
    if bias is not None:
        bias = as_float_array(bias, "bias")
        expected = (gates * m,) if bias_rows == 1 else (bias_rows, gates * m)
        layout = f"({gates}*M,)" if bias_rows == 1 else f"({bias_rows}, {gates}*M)"
        check_shape(bias, "bias", expected, f"{layout} with M = {m}")
    return kernel, recurrent_kernel, bias, m


def check_sequence(x, d):
    """x as a float (N, T, D) array whose D matches the kernel's."""
    x = as_float_array(x, "x")
    check_ndim(x, "x", (3,), "(N, T, D)")
    if x.shape[2] != d:
        raise ValueError(f"x has D = {x.shape[2]} features per step but kernel expects D = {d}; x has shape {x.shape}")
    return x


def check_step(x_t, d, m, **states):
    """x_t as a float (N, D) array matching the kernel's D, and each previous
    state (h_prev=..., c_prev=...) as a float (N, M) array. Returns them in order."""
    x_t = as_float_array(x_t, "x_t")
    check_ndim(x_t, "x_t", (2,), "(N, D)")
    if x_t.shape[1] != d:
        raise ValueError(f"x_t has {x_t.shape[1]} features but kernel expects D = {d}; x_t has shape {x_t.shape}")
    checked = [x_t]
    for name, value in states.items():
        value = as_float_array(value, name)
        check_shape(value, name, (x_t.shape[0], m), "(N, M)")
        checked.append(value)
    return checked


def initial(value, name, n, m, dtype):
    """An (N, M) initial state: zeros when value is None, else value checked."""
    if value is None:
        return np.zeros((n, m), dtype=dtype)
    value = as_float_array(value, name)
    check_shape(value, name, (n, m), "(N, M)")
    return value.astype(dtype, copy=False)
