"""gradients_by_hand: the gradients Keras's GradientTape computes, by backpropagation in NumPy.

For a built Keras Sequential model made of SimpleRNN, LSTM or GRU layers (after an Embedding or not) followed by one
Dense layer, it returns one NumPy array per entry of `model.trainable_weights`, in that order: the gradient of the
mean loss over the batch, as

    with tf.GradientTape() as tape:
        mean_loss = loss_fn(y, model(x))
    tape.gradient(mean_loss, model.trainable_weights)

computes it, with loss_fn keras.losses.MeanSquaredError() for loss="mse" and
keras.losses.SparseCategoricalCrossentropy(from_logits=True) for loss="sparse_categorical_crossentropy" (the Dense
layer gives logits). It runs rnnlib's forwards, then the chain rule back through the Dense layer and every recurrent
layer (dense_backward and each cell's backward); an Embedding's table E gets each step's dloss/dx_t added into the
row of the id read there. It computes in float64 and returns each gradient in its weight's dtype.
"""

import numpy as np

from rnnlib import keras_adapter
from rnnlib._checks import as_float_array
from rnnlib.dense import dense_backward, dense_forward
from rnnlib.layers import RECURRENT, cell
from rnnlib.losses import mean_squared_error, sparse_softmax_cross_entropy

LOSSES = {"mse": mean_squared_error, "sparse_categorical_crossentropy": sparse_softmax_cross_entropy}


def gradients_by_hand(model, x, y, *, loss):
    """dloss/dweight for every trainable weight of `model`, in model.trainable_weights order; see the module.

    x: (N, T, D) inputs, or (N, T) token ids after an Embedding.
    y: targets as the loss takes them: (N, K) or (N, T, K) for "mse", (N,) or (N, T)
    class indices for "sparse_categorical_crossentropy".
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(map(repr, LOSSES))}; got {loss!r}")
    layers = _layers_of(model, loss)
    embedding = layers.pop(0) if layers[0].kind == "Embedding" else None
    if embedding is not None:
        ids = np.asarray(x)
        if ids.ndim != 2 or ids.dtype.kind not in "iu" or ids.min() < 0 or ids.max() >= len(embedding.weights[0]):
            raise ValueError(f"x must be (N, T) token ids in [0, {len(embedding.weights[0])}), the rows of the "
                             f"Embedding's table; got an array of shape {ids.shape} and dtype {ids.dtype}")
        x = embedding.weights[0][ids]  # (N, T, D): row ids[n, t] of E at every step
    h = as_float_array(x, "x").astype(np.float64)
    if h.ndim != 3:
        raise ValueError(f"x must be a 3-D array of shape (N, T, D); got shape {h.shape}")
    tapes = []  # what each recurrent layer's backward pass needs from its forward pass
    for info in layers[:-1]:
        h, tape = _recurrent_forward(info, h)
        tapes.append(tape)
    dense = layers[-1]
    kernel, bias = _weights(dense)[0], (_weights(dense)[1] if dense.config["use_bias"] else None)
    activation = dense.config["activation"]
    _, dy = LOSSES[loss](dense_forward(h, kernel, bias, activation=activation), y)
    dh, dkernel, dbias = dense_backward(dy, h, kernel, bias, activation=activation)
    gradients = [[dkernel] + ([dbias] if bias is not None else [])]
    for info, tape in zip(reversed(layers[:-1]), reversed(tapes)):
        dh, layer_gradients = _recurrent_backward(info, tape, dh)
        gradients.insert(0, layer_gradients)
    if embedding is not None:  # dh is now dloss/dx_t at every step: add each into the row its id read
        dtable = np.zeros(embedding.weights[0].shape)
        np.add.at(dtable, ids, dh)
        layers, gradients = [embedding] + layers, [[dtable]] + gradients
    # model.trainable_weights holds each trainable layer's weights in order, as get_weights() does.
    return [g.astype(w.dtype) for info, layer_gradients in zip(layers, gradients) if info.trainable
            for g, w in zip(layer_gradients, info.weights)]


def _layers_of(model, loss):
    """The model's layers as LayerInfo, after checking that gradients_by_hand supports each."""
    supported = (f"gradients_by_hand supports a built Sequential model of {', '.join(RECURRENT)} layers "
                 "followed by one Dense layer, with an Embedding first or not")
    info = keras_adapter.describe(model)
    if info.kind != "Sequential":
        raise ValueError(f"{supported}; got a {info.kind}")
    keras_adapter.check_built(info)
    layers = [keras_adapter.describe(layer) for layer in info.parts]
    kinds = [info.kind for info in layers]
    first = 1 if kinds[:1] == ["Embedding"] else 0
    if len(kinds) < 2 + first or kinds[-1] != "Dense" or any(k not in RECURRENT for k in kinds[first:-1]):
        raise ValueError(f"{supported}; got layers {', '.join(kinds) or 'none'}")
    for info in layers[:-1]:
        unsupported = [key for key in ("go_backwards", "stateful", "return_state", "mask_zero") if info.config.get(key)]
        if unsupported:
            raise ValueError(f"layer {info.name!r}: {', '.join(unsupported)} is not supported by gradients_by_hand")
    if loss != "mse" and layers[-1].config["activation"] != "linear":
        raise ValueError(f"with loss {loss!r} the Dense layer must give logits (activation='linear'); "
                         f"layer {layers[-1].name!r} has activation {layers[-1].config['activation']!r}")
    return layers


def _weights(info):
    return [w.astype(np.float64) for w in info.weights]


def _recurrent_forward(info, x):
    """The layer's output as the next layer sees it, and what its backward pass needs."""
    c, weights = info.config, _weights(info)
    kernel, recurrent, bias = weights[0], weights[1], (weights[2] if c["use_bias"] else None)
    forward, _, _, options = cell(info.kind, c)
    lstm = info.kind == "LSTM"  # its backward needs the cell states c_t too
    result = forward(x, kernel, recurrent, bias, **options, **({"return_gates": True} if lstm else {}))
    outputs, cells = result[0], ([result[-1]["c"]] if lstm else [])
    tape = dict(x=x, outputs=outputs, cells=cells, kernel=kernel, recurrent=recurrent, bias=bias)
    return (outputs if c["return_sequences"] else outputs[:, -1]), tape


def _recurrent_backward(info, tape, dh):
    """dloss/d(the layer's input) and [dkernel, drecurrent_kernel, dbias], from dloss/d(its output)."""
    doutputs = np.zeros_like(tape["outputs"])
    if info.config["return_sequences"]:
        doutputs[:] = dh
    else:
        doutputs[:, -1] = dh  # the last output is all the next layer saw
    _, backward, _, options = cell(info.kind, info.config)
    dx, dkernel, drecurrent, dbias, *_ = backward(doutputs, tape["x"], tape["outputs"], *tape["cells"], tape["kernel"],
                                                  tape["recurrent"], bias=tape["bias"], **options)
    return dx, [dkernel, drecurrent] + ([dbias] if dbias is not None else [])
