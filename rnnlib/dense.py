"""The Dense layer in NumPy, the output projection ŷ = g(h V + b_y), and its gradients."""

from rnnlib._checks import as_float_array, as_shaped, check_ndim
from rnnlib.activations import activation_vjp, apply_activation, get_activation


def dense_forward(h, kernel, bias=None, activation="linear"):
    """Project features to outputs: ŷ = g(h V + b_y).

    h: (N, M) or (N, T, M).  kernel V: (M, K).  bias b_y: (K,) or None.  activation: a Keras activation name,
    default 'linear'. On (N, T, M) the same V is applied at every time step.
    Returns ŷ: (N, K) or (N, T, K), the shape of h with M replaced by K.
    """
    kernel = as_float_array(kernel, "kernel")
    check_ndim(kernel, "kernel", (2,), "(M, K)")
    m, k = kernel.shape
    if bias is not None:
        bias = as_shaped(bias, "bias", (k,), "(K,) with K = kernel.shape[1]")
    get_activation(activation)
    h = as_float_array(h, "h")
    check_ndim(h, "h", (2, 3), "(N, M) or (N, T, M)")
    if h.shape[-1] != m:
        raise ValueError(f"h has {h.shape[-1]} features on its last axis but kernel expects M = {m}; "
                         f"h has shape {h.shape}, kernel has shape {kernel.shape}")
    # (N, T, M) -> (N*T, M): one matrix product for every step at once.
    flat = h.reshape(-1, m)
    a = flat @ kernel  # the pre-activation, before g
    if bias is not None:
        a = a + bias
    return apply_activation(activation, a).reshape(h.shape[:-1] + (k,))


def dense_backward(dy, h, kernel, bias=None, activation="linear"):
    """The gradients of ŷ = g(h V + b_y), given dy = dloss/dŷ.

    dy: (N, K) or (N, T, K).  h: (N, M) or (N, T, M), the layer's input.  kernel V: (M, K).  bias b_y: (K,) or None.
    activation: the layer's. On a 3-D input the same V served every step, so its gradient sums over the steps:
    (N, T, M) -> (N*T, M), as in the forward pass.
    Returns (dh, dkernel, dbias): dh like h, dkernel (M, K), dbias (K,) or None.
    """
    a = dense_forward(h, kernel, bias, activation="linear")  # the checks, and a = h V + b_y
    dy = as_shaped(dy, "dy", a.shape, "the output's shape")
    kernel = as_float_array(kernel, "kernel")
    h = as_float_array(h, "h")
    m, k = kernel.shape
    da = activation_vjp(activation, a, dy).reshape(-1, k)  # dloss/da = dy * g'(a), one row per sample (and step)
    dkernel = h.reshape(-1, m).T @ da  # a = h V: dV = h^T da
    dh = (da @ kernel.T).reshape(h.shape)  # dh = da V^T
    return dh, dkernel, (None if bias is None else da.sum(axis=0))
