"""The two losses the course trains with, each with its gradient.

Both average over every prediction, as Keras's losses do by default (reduction "sum_over_batch_size"): over the N
samples, and over the T steps too when the model predicts at every step.
"""

import numpy as np

from rnnlib._checks import as_float_array, check_ndim


def mean_squared_error(y_pred, y_true):
    """Keras's "mse": the mean of (y_pred - y_true)^2 over every entry, and its gradient.

    y_pred: (N, K) or (N, T, K).  y_true: the same shape, or (N,) when K = 1.
    Returns (loss, dy_pred): a float, and dloss/dy_pred of y_pred's shape, 2 (y_pred - y_true) / (number of entries).
    """
    y_pred = as_float_array(y_pred, "y_pred")
    check_ndim(y_pred, "y_pred", (2, 3), "(N, K) or (N, T, K)")
    y_true = as_float_array(y_true, "y_true")
    if y_true.shape != y_pred.shape and y_true.shape + (1,) == y_pred.shape:
        y_true = y_true[..., None]  # (N,) targets for (N, 1) predictions, as Keras accepts them
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true must have y_pred's shape {y_pred.shape}; got shape {y_true.shape}")
    error = y_pred - y_true
    return float(np.mean(error ** 2)), 2.0 * error / error.size


def sparse_softmax_cross_entropy(logits, labels):
    """Keras's "sparse_categorical_crossentropy" on logits, and its gradient.

    logits: (N, K) or (N, T, K), the Dense layer's unnormalised scores.
    labels: (N,) or (N, T) whole numbers in [0, K), the right class.
    The loss is the mean of -log softmax(logits)[label] over every prediction; its gradient is
    (softmax(logits) - one_hot(label)) / (number of predictions). Returns (loss, dlogits).
    """
    logits = as_float_array(logits, "logits")
    check_ndim(logits, "logits", (2, 3), "(N, K) or (N, T, K)")
    labels = np.asarray(labels)
    if labels.shape == logits.shape[:-1] + (1,):
        labels = labels[..., 0]
    if labels.shape != logits.shape[:-1]:
        raise ValueError(f"labels must have shape {logits.shape[:-1]}, one class per prediction; got {labels.shape}")
    if labels.dtype.kind not in "iuf" or np.any(labels != np.round(labels)):
        raise ValueError("labels must be whole-number class indices")
    k = logits.shape[-1]
    labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(f"labels must lie in [0, {k}); got labels from {labels.min()} to {labels.max()}")
    shifted = logits - logits.max(axis=-1, keepdims=True)  # the same softmax, without overflow
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    one_hot = np.eye(k, dtype=logits.dtype)[labels]
    count = labels.size
    return float(-np.sum(log_p * one_hot) / count), (np.exp(log_p) - one_hot) / count
