"""The SimpleRNN recurrence in NumPy, batch-major like Keras.

Dimension letters, the same in every notebook:
N samples, T time steps, D input features, M hidden units.

Keras names the weights `kernel` (U here), `recurrent_kernel` (W) and
`bias` (b), and multiplies row vectors from the left:

    h_t = f(x_t U + h_{t-1} W + b)

`simple_rnn_forward` is a loop over the same step as `simple_rnn_step`, so
that each line can be matched to the equation; `method="hoisted"` is the
fast form that notebook 02 arrives at.
"""

import numpy as np

from rnnlib._checks import as_float_array, as_mask, check_ndim, check_shape
from rnnlib.activations import apply_activation, get_activation
from rnnlib.recurrence import check_sequence, check_step, initial, run_recurrence


def _check_weights(kernel, recurrent_kernel, bias):
    """The three SimpleRNN weights as arrays, after checking that they fit together."""
    kernel = as_float_array(kernel, "kernel")
    check_ndim(kernel, "kernel", (2,), "(D, M)")
    m = kernel.shape[1]
    recurrent_kernel = as_float_array(recurrent_kernel, "recurrent_kernel")
    check_shape(recurrent_kernel, "recurrent_kernel", (m, m), "(M, M) with M = kernel.shape[1]")
    if bias is not None:
        bias = as_float_array(bias, "bias")
        check_shape(bias, "bias", (m,), "(M,) with M = kernel.shape[1]")
    return kernel, recurrent_kernel, bias


def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias=None, activation="tanh"):
    """One time step: h_t = f(x_t U + h_{t-1} W + b).

    x_t: (N, D) inputs at step t.  h_prev: (N, M) previous state.
    kernel U: (D, M).  recurrent_kernel W: (M, M).  bias b: (M,) or None.
    activation: a Keras activation name, default 'tanh'.
    Returns h_t: (N, M).
    """
    kernel, recurrent_kernel, bias = _check_weights(kernel, recurrent_kernel, bias)
    get_activation(activation)
    d, m = kernel.shape
    x_t, h_prev = check_step(x_t, d, m, h_prev=h_prev)
    return _step(x_t, h_prev, kernel, recurrent_kernel, bias, activation)


def _step(x_t, h_prev, kernel, recurrent_kernel, bias, activation):
    # The equation, on checked arrays.
    z = x_t @ kernel + h_prev @ recurrent_kernel
    if bias is not None:
        z = z + bias
    return apply_activation(activation, z)


def simple_rnn_forward(
    x,
    kernel,
    recurrent_kernel,
    bias=None,
    *,
    activation="tanh",
    h0=None,
    mask=None,
    go_backwards=False,
    method="loop",
):
    """Run the recurrence over a whole batch of sequences.

    x: (N, T, D) inputs.  kernel U: (D, M).  recurrent_kernel W: (M, M).
    bias b: (M,) or None.  activation: a Keras activation name.
    h0: (N, M) initial state; zeros when None.
    mask: (N, T) booleans, False for padding steps. At a masked step the
        state is carried over unchanged: h_t = h_{t-1}.
    go_backwards: process the steps from t = T-1 down to 0. As in Keras, the
        returned sequence is in processing order, so states[:, 0] belongs to
        the last input step.
    method: 'loop' (default) calls the equation once per step, as written;
        'hoisted' is notebook 02's fast form: the input projection x_t U of
        every step is computed before the loop, so only h_{t-1} W stays
        sequential, and every step works in memory allocated once. Both
        give the same numbers (tests/test_simple_rnn.py checks this for
        every option); benchmarks/simple_rnn_speed.py times them.
    Returns (states, h_last): states (N, T, M) holds h_t after every step,
        h_last (N, M) is the state after the final step.
    """
    kernel, recurrent_kernel, bias = _check_weights(kernel, recurrent_kernel, bias)
    get_activation(activation)
    d, m = kernel.shape
    x = check_sequence(x, d)
    n, t, _ = x.shape
    dtype = np.result_type(x, kernel, recurrent_kernel, *(() if bias is None else (bias,)))
    h = initial(h0, "h0", n, m, dtype)
    if mask is not None:
        mask = as_mask(mask, n, t)

    if method == "hoisted":
        return _forward_hoisted(x, kernel, recurrent_kernel, bias, activation, h, mask, go_backwards, dtype)
    if method != "loop":
        raise ValueError(f"method must be 'loop' or 'hoisted'; got {method!r}")

    def step(x_t, carried):
        return (_step(x_t, carried[0], kernel, recurrent_kernel, bias, activation),), {}

    states, (h_last,), _ = run_recurrence(step, x, (h,), mask, go_backwards)
    return states, h_last


def _forward_hoisted(x, kernel, recurrent_kernel, bias, activation, h, mask, go_backwards, dtype):
    """simple_rnn_forward's fast form, on checked arrays; see its docstring."""
    n, t, d = x.shape
    m = kernel.shape[1]
    # One time-major (T, N, M) buffer, allocated once: step t's rows are
    # contiguous, and each step's state is written over its own projection.
    buffer = np.empty((t, n, m), dtype=dtype)
    # The input projection of every step before the loop starts. matmul on
    # the transposed view hands NumPy's BLAS T products of (N, D) @ (D, M)
    # that read x where it lies, instead of first copying x into time-major order.
    np.matmul(x.astype(dtype, copy=False).transpose(1, 0, 2), kernel.astype(dtype, copy=False), out=buffer)
    if bias is not None:
        buffer += bias.astype(dtype, copy=False)  # x_t U + b for every step, in one pass
    recurrent_kernel = recurrent_kernel.astype(dtype, copy=False)
    f = np.tanh if activation == "tanh" else None
    recurrent = np.empty((n, m), dtype=dtype)  # h_{t-1} W, reused every step
    order = range(t - 1, -1, -1) if go_backwards else range(t)
    for step in order:
        z = buffer[step]  # (N, M): x_t U + b, computed above
        np.matmul(h, recurrent_kernel, out=recurrent)
        z += recurrent  # x_t U + b + h_{t-1} W
        if f is not None:
            f(z, out=z)  # h_t = f(...) in place
        else:
            z[...] = apply_activation(activation, z)
        if mask is not None:
            # Padding steps keep the previous state.
            np.copyto(z, h, where=~mask[:, step, None])
        h = z
    if go_backwards:
        buffer = buffer[::-1]  # processing order, as Keras returns it
    return buffer.transpose(1, 0, 2), h.copy()


def one_unit_rnn(x, U, W, b, V, c, activation="tanh"):
    """States and prediction of a 1-unit SimpleRNN followed by a 1-unit Dense.

    x: (T,) one input sequence with one feature.  U, W, b: the SimpleRNN's
    kernel, recurrent kernel and bias as numbers.  V, c: the Dense kernel and
    bias.  Returns (h, y): h (T,) the states, y the prediction from h[-1].
    """
    x = np.asarray(x, dtype=np.float64).reshape(1, -1, 1)
    states, h_last = simple_rnn_forward(x, [[U]], [[W]], [b], activation=activation)
    # The Dense layer on one unit: y = V h + c.
    y = h_last[0, 0] * V + c
    return states[0, :, 0], float(y)
