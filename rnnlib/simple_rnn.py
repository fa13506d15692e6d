"""The SimpleRNN recurrence in NumPy, batch-major like Keras.

Dimension letters, the same in every notebook:
N samples, T time steps, D input features, M hidden units.

Keras names the weights `kernel` (U here), `recurrent_kernel` (W) and
`bias` (b), and multiplies row vectors from the left:

    h_t = f(x_t U + h_{t-1} W + b)

`simple_rnn_forward` is a loop over that one step, so that each line can be
matched to the equation; `method="hoisted"` is the fast form that notebook 02
arrives at.
"""

import numpy as np

from rnnlib._checks import as_mask, check_sequence, check_step, check_weights, common_dtype, initial_state
from rnnlib.activations import apply_activation, get_activation
from rnnlib.recurrence import carry_over, time_steps


def _simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias, activation):
    """h_t = f(x_t U + h_{t-1} W + b), on checked arrays."""
    z = x_t @ kernel + h_prev @ recurrent_kernel
    if bias is not None:
        z = z + bias
    return apply_activation(activation, z)


def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias=None, activation="tanh"):
    """One time step: h_t = f(x_t U + h_{t-1} W + b).

    x_t: (N, D) inputs at step t.  h_prev: (N, M) previous state.
    kernel U: (D, M).  recurrent_kernel W: (M, M).  bias b: (M,) or None.
    activation: a Keras activation name, default 'tanh'.
    Returns h_t: (N, M).
    """
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, gates=1)
    get_activation(activation)
    x_t, h_prev = check_step(x_t, kernel.shape[0], m, h_prev=h_prev)
    return _simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias, activation)


def simple_rnn_forward(x, kernel, recurrent_kernel, bias=None, *, activation="tanh", h0=None, mask=None,
                       go_backwards=False, method="loop"):
    """Run the recurrence over a whole batch of sequences.

    x: (N, T, D) inputs.  kernel U: (D, M).  recurrent_kernel W: (M, M).
    bias b: (M,) or None.  activation: a Keras activation name.
    h0: (N, M) initial state; zeros when None.
    mask: (N, T) booleans, False for padding steps. At a masked step the
        state is carried over unchanged: h_t = h_{t-1}.
    go_backwards: process the steps from t = T-1 down to 0. As in Keras, the
        returned sequence is in processing order, so outputs[:, 0] belongs to
        the last input step.
    method: 'loop' (default) calls the equation once per step, as written;
        'hoisted' is notebook 02's fast form: the input projection x_t U + b of
        every step is computed before the loop, so only h_{t-1} W stays
        sequential, and every step works in memory allocated once. Both give
        the same numbers (tests/test_simple_rnn.py checks this for every
        option); benchmarks/simple_rnn_speed.py times them.
    Returns (outputs, h_last): outputs (N, T, M) holds h_t after every step,
        what Keras returns with return_sequences=True; h_last (N, M) is the
        state after the final step.
    """
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, gates=1)
    get_activation(activation)
    x = check_sequence(x, kernel.shape[0])
    n, t, _ = x.shape
    dtype = common_dtype(x, kernel, recurrent_kernel, bias)
    h = initial_state(h0, "h0", n, m, dtype)
    mask = None if mask is None else as_mask(mask, n, t)
    if method == "hoisted":
        return _forward_hoisted(x, kernel, recurrent_kernel, bias, activation, h, mask, go_backwards, dtype)
    if method != "loop":
        raise ValueError(f"method must be 'loop' or 'hoisted'; got {method!r}")
    outputs = np.empty((n, t, m), dtype=dtype)
    for i, step in enumerate(time_steps(t, go_backwards)):
        h_new = _simple_rnn_step(x[:, step], h, kernel, recurrent_kernel, bias, activation)
        h = carry_over(h_new, h, mask, step).astype(dtype, copy=False)  # padding keeps the old state
        outputs[:, i] = h
    return outputs, h


def _forward_hoisted(x, kernel, recurrent_kernel, bias, activation, h, mask, go_backwards, dtype):
    """simple_rnn_forward's fast form, on checked arrays; see its docstring."""
    n, t, _ = x.shape
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
    recurrent = np.empty((n, m), dtype=dtype)  # h_{t-1} W, reused every step
    for step in time_steps(t, go_backwards):
        z = buffer[step]  # (N, M): x_t U + b, computed above
        np.matmul(h, recurrent_kernel, out=recurrent)
        z += recurrent  # x_t U + b + h_{t-1} W
        if activation == "tanh":
            np.tanh(z, out=z)  # h_t = tanh(...) in place
        else:
            z[...] = apply_activation(activation, z)
        if mask is not None:
            np.copyto(z, h, where=~mask[:, step, None])  # padding keeps the old state
        h = z
    if go_backwards:
        buffer = buffer[::-1]  # processing order, as Keras returns it
    return buffer.transpose(1, 0, 2), h.copy()


def one_unit_rnn(x, U, W, b, V, c, activation="tanh"):
    """States and prediction of a 1-unit SimpleRNN followed by a 1-unit Dense, notebook 01's model.

    x: (T,) one input sequence with one feature.  U, W, b: the SimpleRNN's
    kernel, recurrent kernel and bias as numbers.  V, c: the Dense kernel and
    bias.  Returns (h, y): h (T,) the states, y the prediction from h[-1].
    """
    x = np.asarray(x, dtype=np.float64).reshape(1, -1, 1)
    outputs, h_last = simple_rnn_forward(x, [[U]], [[W]], [b], activation=activation)
    # The Dense layer on one unit: y = V h + c.
    y = h_last[0, 0] * V + c
    return outputs[0, :, 0], float(y)
