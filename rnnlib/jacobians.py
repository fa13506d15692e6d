"""How a SimpleRNN's state at one step depends on its state k steps earlier.

With h_t = f(a_t), a_t = x_t U + h_{t-1} W + b, one step's Jacobian is

    ∂h_t/∂h_{t-1} = diag(f'(a_t)) W^T                 (M, M)

and over k steps the chain rule multiplies k of them:

    ∂h_t/∂h_{t-k} = diag(f'(a_t)) W^T · diag(f'(a_{t-1})) W^T ··· diag(f'(a_{t-k+1})) W^T.

A gradient that reaches h_t is multiplied by this product (transposed) on its way back to h_{t-k}: it shrinks or
grows with k much as the product's norm does.
"""

import numpy as np

from rnnlib._checks import as_float_array, check_ndim, check_weights
from rnnlib.activations import MIXING, activation_vjp, get_activation


def spectral_radius(matrix):
    """The largest absolute value of the matrix's eigenvalues."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(matrix, dtype=np.float64)))))


def scaled_to_spectral_radius(matrix, rho):
    """The matrix times a number, so that its spectral radius is rho."""
    if not rho > 0:
        raise ValueError(f"rho must be a positive number; got {rho!r}")
    matrix = np.asarray(matrix, dtype=np.float64)
    return matrix * (rho / spectral_radius(matrix))


def linear_map(U, W, V, T):
    """The (T*D, T*K) matrix A of a linear SimpleRNN with Dense(K) on top, y_flat = x_flat A + a: block (s, t),
    rows s*D to (s+1)*D and columns t*K to (t+1)*K, is U W^(t-s) V for s <= t, and zero for s > t."""
    blocks = [U @ np.linalg.matrix_power(W, lag) @ V for lag in range(T)]
    zero = np.zeros_like(blocks[0])
    return np.block([[blocks[t - s] if s <= t else zero for t in range(T)] for s in range(T)])


def state_jacobian_norms(x, kernel, recurrent_kernel, bias=None, *, activation="tanh"):
    """‖∂h_{T-1}/∂h_{T-1-k}‖ for k = 1, ..., T-1 along one sequence, from h_{-1} = 0.

    x: (T, D) one sequence.  kernel U (D, M), recurrent_kernel W (M, M), bias b (M,) or None, activation: as in
    simple_rnn_forward. The norm is the spectral norm, the most any direction is stretched.
    Returns an array of T-1 norms, for lags 1 to T-1.
    """
    kernel, recurrent_kernel, bias, m = check_weights(kernel, recurrent_kernel, bias, 1, activations=[activation])
    if activation in MIXING:
        raise ValueError(f"activation {activation!r} mixes the units, so diag(f'(a)) does not describe it; "
                         "use an elementwise activation such as 'tanh' or 'linear'")
    x = as_float_array(x, "x")
    check_ndim(x, "x", (2,), "(T, D) for one sequence")
    h, pre_activations = np.zeros(m), []
    for x_t in x:  # the forward pass, keeping every a_t
        a = x_t @ kernel + h @ recurrent_kernel + (0 if bias is None else bias)
        pre_activations.append(a)
        h = get_activation(activation)(a)
    product, norms = np.eye(m), []
    for a in reversed(pre_activations[1:]):  # from the last step back
        slope = activation_vjp(activation, a, np.ones_like(a))  # f'(a_t) for an elementwise f
        product = product @ (slope[:, None] * recurrent_kernel.T)  # times diag(f'(a_t)) W^T
        norms.append(np.linalg.norm(product, 2))
    return np.array(norms)


def input_jacobian_norms(layer, x):
    """‖∂h_{T-1}/∂x_t‖ for every step t of one sequence: how much a Keras layer's last output
    depends on each input, measured with GradientTape.

    layer: a Keras recurrent layer that returns its last state h_{T-1}, (N, M).  x: (1, T, D), one sequence.
    The norm is the Frobenius norm (the square root of the sum of all squared entries) of the (M, D) Jacobian at
    each step. One backward pass gives every row j of the Jacobians: a batch of M copies of the sequence, in which
    unit j of copy j is differentiated. Returns an array of T norms, for t = 0, ..., T-1.
    """
    import tensorflow as tf

    x = as_float_array(x, "x")
    check_ndim(x, "x", (3,), "(1, T, D) for one sequence")
    if x.shape[0] != 1:
        raise ValueError(f"x must hold one sequence, shape (1, T, D); got shape {x.shape}")
    m = layer.units
    copies = tf.constant(np.repeat(x, m, axis=0), dtype=tf.float32)  # (M, T, D)
    with tf.GradientTape() as tape:
        tape.watch(copies)
        last = layer(copies)
        if len(last.shape) != 2:
            raise ValueError(f"the layer must return its last state, (N, M); it returned shape {tuple(last.shape)}")
        unit_j_of_copy_j = tf.linalg.diag_part(last)  # (M,)
    rows = tape.gradient(unit_j_of_copy_j, copies).numpy()  # (M, T, D): row j of every step's Jacobian
    return np.sqrt((rows.astype(np.float64) ** 2).sum(axis=(0, 2)))
