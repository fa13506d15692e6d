"""The SimpleRNN recurrence in NumPy, batch-major like Keras (the letters N, T, D, M as everywhere: see rnnlib).

Keras names the weights `kernel` (U here), `recurrent_kernel` (W) and `bias` (b), and multiplies row vectors from
the left:

    h_t = f(x_t U + h_{t-1} W + b)

`simple_rnn_forward` is a loop over that one step, so that each line can be matched to the equation;
`simple_rnn_backward` runs it the other way (notebook 09).
"""

import numpy as np

from rnnlib._checks import as_shaped, check_step, check_weights
from rnnlib.activations import activation_vjp, apply_activation
from rnnlib.recurrence import add_to, carry_over, previous, setup, through_products, time_steps


def _simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias, activation):
    """h_t = f(x_t U + h_{t-1} W + b), on checked arrays."""
    a = x_t @ kernel + h_prev @ recurrent_kernel
    if bias is not None:
        a = a + bias
    return apply_activation(activation, a)


def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias=None, activation="tanh"):
    """One time step: h_t = f(x_t U + h_{t-1} W + b).

    x_t: (N, D) inputs at step t.  h_prev: (N, M) previous state.  kernel U: (D, M).  recurrent_kernel W: (M, M).
    bias b: (M,) or None.  activation: a Keras activation name, default 'tanh'.  Returns h_t: (N, M).
    """
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, 1, activations=[activation])
    x_t, h_prev = check_step(x_t, kernel.shape[0], m, h_prev=h_prev)
    return _simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias, activation)


def simple_rnn_forward(x, kernel, recurrent_kernel, bias=None, *, activation="tanh", h0=None, mask=None,
                       go_backwards=False, method="loop"):
    """Run the recurrence over a whole batch of sequences.

    x: (N, T, D) inputs.  kernel U: (D, M).  recurrent_kernel W: (M, M).  bias b: (M,) or None.
    activation: a Keras activation name.  h0: (N, M) initial state; zeros when None.
    mask: (N, T) booleans, False for padding steps. At a masked step the state is carried over unchanged: h_t = h_{t-1}.
    go_backwards: process the steps from t = T-1 down to 0. As in Keras, the returned sequence is in processing
        order, so outputs[:, 0] belongs to the last input step.
    method: 'loop' (default) calls the equation once per step, as written; 'hoisted' is the form of notebook 02's
        section 5, the input projection x_t U + b of every step computed before the loop so that only h_{t-1} W stays
        sequential, tuned further in memory (see _forward_hoisted). Both give the same numbers
        (tests/test_simple_rnn.py checks this for every option); benchmarks/simple_rnn_speed.py times them.
    Returns (outputs, h_last): outputs (N, T, M) holds h_t after every step, what Keras returns with
        return_sequences=True; h_last (N, M) is the state after the final step.
    """
    if method not in ("loop", "hoisted"):
        raise ValueError(f"method must be 'loop' or 'hoisted'; got {method!r}")
    x, kernel, recurrent_kernel, bias, (h,), mask = setup(x, kernel, recurrent_kernel, bias, [activation], gates=1,
                                                          mask=mask, h0=h0)
    if method == "hoisted":
        return _forward_hoisted(x, kernel, recurrent_kernel, bias, activation, h, mask, go_backwards)
    outputs = np.empty(x.shape[:2] + h.shape[1:], dtype=h.dtype)
    for i, step in enumerate(time_steps(x.shape[1], go_backwards)):
        h_new = _simple_rnn_step(x[:, step], h, kernel, recurrent_kernel, bias, activation)
        h = carry_over(h_new, h, mask, step).astype(h.dtype, copy=False)  # padding keeps the old state
        outputs[:, i] = h
    return outputs, h


def _forward_hoisted(x, kernel, recurrent_kernel, bias, activation, h, mask, go_backwards):
    """simple_rnn_forward(method="hoisted") on checked arrays: one time-major (T, N, M) buffer allocated once,
    each product written into memory allocated before the loop (out=), tanh in place, padding kept by copyto."""
    n, t, _ = x.shape
    dtype = h.dtype
    # One time-major (T, N, M) buffer, allocated once: step t's rows are
    # contiguous, and each step's state is written over its own projection.
    buffer = np.empty((t, n, h.shape[1]), dtype=dtype)
    # The input projection of every step before the loop starts. matmul on
    # the transposed view hands NumPy's BLAS T products of (N, D) @ (D, M)
    # that read x where it lies, instead of first copying x into time-major order.
    np.matmul(x.astype(dtype, copy=False).transpose(1, 0, 2), kernel.astype(dtype, copy=False), out=buffer)
    if bias is not None:
        buffer += bias.astype(dtype, copy=False)  # x_t U + b for every step, in one pass
    recurrent_kernel = recurrent_kernel.astype(dtype, copy=False)
    recurrent = np.empty_like(h)  # h_{t-1} W, reused every step
    for step in time_steps(t, go_backwards):
        a = buffer[step]  # (N, M): x_t U + b, computed above
        np.matmul(h, recurrent_kernel, out=recurrent)
        a += recurrent  # x_t U + b + h_{t-1} W
        if activation == "tanh":
            np.tanh(a, out=a)  # h_t = tanh(...) in place
        else:
            a[...] = apply_activation(activation, a)
        if mask is not None:
            np.copyto(a, h, where=~mask[:, step, None])  # padding keeps the old state
        h = a
    if go_backwards:
        buffer = buffer[::-1]  # processing order, as Keras returns it
    return buffer.transpose(1, 0, 2), h.copy()


def one_unit_rnn(x, U, W, b, V, b_y, activation="tanh"):
    """States and prediction of a 1-unit SimpleRNN followed by a 1-unit Dense, notebook 01's model.

    x: (T,) one input sequence with one feature.  U, W, b: the SimpleRNN's kernel, recurrent kernel and bias as
    numbers.  V, b_y: the Dense kernel and bias.
    Returns (h, y_hat): h (T,) the states, y_hat the prediction from h[-1].
    """
    x = np.asarray(x, dtype=np.float64).reshape(1, -1, 1)
    outputs, h_last = simple_rnn_forward(x, [[U]], [[W]], [b], activation=activation)
    # The Dense layer on one unit: ŷ = h_{T-1} V + b_y.
    y_hat = h_last[0, 0] * V + b_y
    return outputs[0, :, 0], float(y_hat)


def _simple_rnn_step_backward(x_t, h_prev, dh, kernel, recurrent_kernel, bias, activation):
    """One step back, from dh = dloss/dh_t: this step's (dx_t, dU, dW, db, dh_{t-1})."""
    a = x_t @ kernel + h_prev @ recurrent_kernel + (0 if bias is None else bias)
    da = activation_vjp(activation, a, dh)  # dh * f'(a): through the activation
    return through_products(da, da, x_t, h_prev, kernel, recurrent_kernel, bias)  # a = x_t U + h_{t-1} W + b


def simple_rnn_backward(doutputs, x, outputs, kernel, recurrent_kernel, *, bias=None, activation="tanh", h0=None):
    """Backpropagation through time: the gradients of a SimpleRNN, given the loss's gradient at every state.

    doutputs: (N, T, M), dloss/dh_t as the loss sees each output h_t (zeros where the loss does not look,
        e.g. all steps but the last for a many-to-one model).
    x: (N, T, D).
    outputs: (N, T, M), `simple_rnn_forward(x, kernel, recurrent_kernel, bias, activation=activation, h0=h0)[0]`.
    kernel U, recurrent_kernel W, bias b, activation and h0: the forward's.
    Steps run from T-1 back to 0. At each, the gradient at h_t is what the loss sends there plus what step t+1 sends
    back; through a_t = x_t U + h_{t-1} W + b and h_t = f(a_t) it becomes da_t = dh_t * f'(a_t), and from there
        dx_t = da_t U^T,   dU += x_t^T da_t,   dW += h_{t-1}^T da_t,   db += sum of da_t,
        dh_{t-1} = da_t W^T  (what step t sends back).
    Returns (dx, dkernel, drecurrent_kernel, dbias, dh0): dx (N, T, D), dkernel (D, M), drecurrent_kernel (M, M),
        dbias (M,) or None, dh0 (N, M).
    """
    x, kernel, recurrent_kernel, bias, (h0,), _ = setup(x, kernel, recurrent_kernel, bias, [activation], gates=1, h0=h0)
    n, t, _ = x.shape
    outputs, doutputs = (as_shaped(a, name, (n, t, h0.shape[1]), "(N, T, M)") for a, name in [(outputs, "outputs"),
                                                                                               (doutputs, "doutputs")])
    h_prev = previous(h0, outputs)  # h_{t-1} for every step t
    dx, grads = np.zeros_like(x), [np.zeros_like(kernel), np.zeros_like(recurrent_kernel),
                                   None if bias is None else np.zeros_like(bias)]
    dh = np.zeros_like(h0)  # what step t+1 sends back to h_t
    for step in reversed(range(t)):
        dx[:, step], *terms, dh = _simple_rnn_step_backward(x[:, step], h_prev[:, step], doutputs[:, step] + dh,
                                                            kernel, recurrent_kernel, bias, activation)
        add_to(grads, terms)  # the same U, W and b at every step: their gradients add up
    return (dx, *grads, dh)
