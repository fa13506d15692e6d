"""The SimpleRNN recurrence in NumPy, batch-major like Keras.

Dimension letters, the same in every notebook:
N samples, T time steps, D input features, M hidden units.

Keras names the weights `kernel` (U here), `recurrent_kernel` (W) and
`bias` (b), and multiplies row vectors from the left:

    h_t = f(x_t U + h_{t-1} W + b)

`simple_rnn_forward` is a loop over that one step, so that each line can be
matched to the equation; `method="hoisted"` is the fast form that notebook 02
arrives at. `simple_rnn_backward` runs the same loop the other way:
backpropagation through time, notebook 09.
"""

import numpy as np

from rnnlib._checks import (
    as_float_array, as_mask, check_sequence, check_shape, check_step, check_weights, common_dtype, initial_state,
)
from rnnlib.activations import activation_vjp, apply_activation, get_activation
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


def one_unit_rnn(x, U, W, b, V, b_y, activation="tanh"):
    """States and prediction of a 1-unit SimpleRNN followed by a 1-unit Dense, notebook 01's model.

    x: (T,) one input sequence with one feature.  U, W, b: the SimpleRNN's
    kernel, recurrent kernel and bias as numbers.  V, b_y: the Dense kernel and
    bias.  Returns (h, y_hat): h (T,) the states, y_hat the prediction from h[-1].
    """
    x = np.asarray(x, dtype=np.float64).reshape(1, -1, 1)
    outputs, h_last = simple_rnn_forward(x, [[U]], [[W]], [b], activation=activation)
    # The Dense layer on one unit: ŷ = h_{T-1} V + b_y.
    y_hat = h_last[0, 0] * V + b_y
    return outputs[0, :, 0], float(y_hat)


def simple_rnn_backward(doutputs, x, outputs, kernel, recurrent_kernel, *, bias=None, activation="tanh", h0=None):
    """Backpropagation through time: the gradients of a SimpleRNN, given the loss's gradient at every state.

    doutputs: (N, T, M), dloss/dh_t as the loss sees each output h_t (zeros
        where the loss does not look, e.g. all steps but the last for a
        many-to-one model).
    x: (N, T, D) the inputs and outputs: (N, T, M) the states of the forward
        pass, `simple_rnn_forward(x, kernel, recurrent_kernel, bias, h0=h0)[0]`.
    kernel U: (D, M).  recurrent_kernel W: (M, M).  bias b: (M,) or None.
    activation: the forward's.  h0: (N, M) the initial state; zeros when None.
    Steps run from T-1 back to 0. At each, the gradient at h_t is what the loss
    sends there plus what step t+1 sends back; through a_t = x_t U + h_{t-1} W + b
    and h_t = f(a_t) it becomes da_t = dh_t * f'(a_t), and from there
        dx_t = da_t U^T,   dU += x_t^T da_t,   dW += h_{t-1}^T da_t,   db += sum of da_t,
        dh_{t-1} = da_t W^T  (what step t sends back).
    Returns (dx, dkernel, drecurrent_kernel, dbias, dh0): dx (N, T, D),
        dkernel (D, M), drecurrent_kernel (M, M), dbias (M,) or None, dh0 (N, M).
    """
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, gates=1)
    get_activation(activation)
    x = check_sequence(x, kernel.shape[0])
    n, t, _ = x.shape
    outputs, doutputs = _check_states(outputs, "outputs", n, t, m), _check_states(doutputs, "doutputs", n, t, m)
    h0 = initial_state(h0, "h0", n, m, common_dtype(x, kernel, outputs))
    h_prev = np.concatenate([h0[:, None], outputs[:, :-1]], axis=1)  # h_{t-1} for every step t
    dx, dkernel, drecurrent = np.zeros_like(x), np.zeros_like(kernel), np.zeros_like(recurrent_kernel)
    dbias = None if bias is None else np.zeros_like(bias)
    dh_next = np.zeros((n, m), dtype=outputs.dtype)  # what step t+1 sends back to h_t
    for step in reversed(range(t)):
        dh = doutputs[:, step] + dh_next  # dloss/dh_t
        a = x[:, step] @ kernel + h_prev[:, step] @ recurrent_kernel + (0 if bias is None else bias)
        da = activation_vjp(activation, a, dh)  # dh * f'(a): through the activation
        dx[:, step] = da @ kernel.T
        dkernel += x[:, step].T @ da  # the same U at every step: its gradient adds up
        drecurrent += h_prev[:, step].T @ da
        if dbias is not None:
            dbias += da.sum(axis=0)
        dh_next = da @ recurrent_kernel.T  # dh_prev = (dh * f'(a)) @ W.T
    return dx, dkernel, drecurrent, dbias, dh_next


def _check_states(value, name, n, t, m):
    value = as_float_array(value, name)
    check_shape(value, name, (n, t, m), "(N, T, M)")
    return value
