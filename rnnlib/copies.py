"""Several independent copies of a small Keras network, trained as one model.

Training S copies of a small network one after the other costs S times the fixed overhead of every Keras step, which
dominates for networks this small. `side_by_side(models)` instead builds one model whose layers are S times as wide,
laid out so that every weight that would connect one copy to another is zero and is held at zero after every update
(a Keras constraint). Each copy then computes exactly what it would alone, and with `copies_loss`, the sum of the
copies' own losses, each copy receives exactly its own gradient: training the wide model trains the S copies as S
separate fits on the same batches would (tests/test_copies.py checks this). `train_copies` does all of it in one
call, for built Sequential models of one architecture made of the layers in rnnlib.layers.COPIES, each reading the
one before.

Layout: a layer of S copies with `width` units each and g gate blocks (g = 4
for an LSTM, 3 for a GRU, 1 otherwise) keeps Keras's gate order; inside each
gate block, copy s owns columns s*width to (s+1)*width - 1.
"""

import numpy as np

from rnnlib import keras_adapter
from rnnlib.activations import MIXING
from rnnlib.layers import COPIES, GATE_BLOCKS, POOLING


def stack_blocks(arrays, gates, width, own_rows):
    """One wide array from the copies' arrays, each (rows, gates*width).

    Copy s's gate block g goes to columns (g*S + s)*width onwards. With own_rows, copy s reads only its own rows
    s*rows onwards (its input is its own part of the layer below); without, every copy reads all rows (a shared
    input). Returns (rows or S*rows, gates*S*width).
    """
    count, rows = len(arrays), arrays[0].shape[0]
    out = np.zeros(((count if own_rows else 1) * rows, gates * count * width), dtype=arrays[0].dtype)
    for s, a in enumerate(arrays):
        r = slice(s * rows, (s + 1) * rows) if own_rows else slice(None)
        for g in range(gates):
            out[r, (g * count + s) * width:(g * count + s + 1) * width] = a[:, g * width:(g + 1) * width]
    return out


def unstack_block(array, s, count, gates, width, own_rows):
    """Copy s's (rows, gates*width) array, read back out of stack_blocks's layout."""
    rows = array.shape[0] // count if own_rows else array.shape[0]
    r = slice(s * rows, (s + 1) * rows) if own_rows else slice(None)
    cols = [slice((g * count + s) * width, (g * count + s + 1) * width) for g in range(gates)]
    return np.concatenate([array[r, c] for c in cols], axis=1)


def _layouts(layers, count=1):
    """For each layer (LayerInfo) of a model of `count` copies: (gates, width, own_rows) of each of
    one copy's weights, in get_weights() order. A layer's input is stacked once a layer below has weights."""
    layouts, stacked = [], False
    for info in layers:
        c, g = info.config, GATE_BLOCKS.get(info.kind, 1)
        width = c.get("units", c.get("output_dim", 0)) // count
        bias = [(g, width, False)] if c.get("use_bias") else []
        own = {"Embedding": [(1, width, False)], "Dense": [(1, width, stacked)] + bias}.get(
            info.kind, [(g, width, stacked), (g, width, True)] + bias if info.kind in GATE_BLOCKS else [])
        layouts.append(own)
        stacked = stacked or bool(own)
    return layouts


def _checked_layers(models):
    """Each model's layers as LayerInfo, after checking they are built Sequential models of one architecture."""
    if len(models) < 2:
        raise ValueError(f"side_by_side needs at least 2 models; got {len(models)}")
    infos = [keras_adapter.describe(m) for m in models]
    layers = [[keras_adapter.describe(layer) for layer in info.parts] for info in infos]
    kinds = [[layer.kind for layer in m] for m in layers]
    if any(i.kind != "Sequential" or not i.built for i in infos) or any(k != kinds[0] for k in kinds):
        raise ValueError("side_by_side needs built Sequential models of one architecture; got layers "
                         f"{kinds} in models of types {[i.kind for i in infos]}")
    unknown = [k for k in kinds[0] if k not in COPIES]
    if unknown:
        raise ValueError(f"side_by_side supports the layers {', '.join(COPIES)}; got {', '.join(unknown)}")
    if kinds[0][0] in ("Dense",) + POOLING:
        raise ValueError(f"the first layer must be Embedding or a recurrent layer; got {kinds[0][0]}")
    for layer in layers[0]:
        if layer.kind == "Dense" and layer.config["activation"] in MIXING + ("glu",):
            raise ValueError(f"Dense activation {layer.config['activation']!r} mixes a layer's outputs, "
                             "so it would mix the copies; use an elementwise one, e.g. 'sigmoid' or 'linear'")
    return layers


class KeepBlocks:
    """A Keras weight constraint: times a fixed 0/1 mask after every update, so the weights between copies stay 0."""

    def __init__(self, mask):
        self.mask = mask

    def __call__(self, w):
        return w * self.mask

    def get_config(self):
        return {"mask": self.mask.tolist()}


def side_by_side(models):
    """One Keras model that computes and trains len(models) copies at once; see the module docstring.

    models: built Sequential models of one architecture; their weights become the copies'
    starting weights. Returns the wide Sequential model, uncompiled.
    """
    layers, count, configs = _checked_layers(models), len(models), []
    for info, layouts in zip(layers[0], _layouts(layers[0])):
        config = dict(info.config, name=f"{info.config['name']}_x{count}")
        for key in {"units", "output_dim"} & set(config):
            config[key] *= count
        constraints = ("kernel_constraint", "recurrent_constraint")
        for key, weight, (g, width, own_rows) in zip(constraints, info.weights, layouts):
            if own_rows:  # a kernel that reads the copies' stacked outputs: only each copy's own block
                ones = [np.ones(weight.shape, dtype="float32")] * count
                config[key] = KeepBlocks(stack_blocks(ones, g, width, own_rows))
        configs.append((info.kind, config))
    wide = keras_adapter.sequential_like(models[0], configs)
    wide.set_weights(_stacked_weights(layers))
    return wide


def _stacked_weights(layers):
    """The copies' weights (each copy's layers as LayerInfo) in the wide model's get_weights() order."""
    weights = []
    for i, layouts in enumerate(_layouts(layers[0])):
        for j, (g, width, own_rows) in enumerate(layouts):
            arrays = [copy[i].weights[j] for copy in layers]
            block = stack_blocks([np.atleast_2d(a) for a in arrays], g, width, own_rows)
            weights.append(block.ravel() if arrays[0].ndim == 1 else block)
    return weights


def copy_weights(wide, s, count):
    """Copy s's weights, in the layout of one of the `count` models given to side_by_side."""
    if not 0 <= s < count:
        raise ValueError(f"s must be a copy index from 0 to {count - 1}; got {s!r}")
    layers = [keras_adapter.describe(layer) for layer in keras_adapter.describe(wide).parts]
    blocks = [(unstack_block(np.atleast_2d(array), s, count, *layout), array.ndim)
              for info, layouts in zip(layers, _layouts(layers, count)) for array, layout in zip(info.weights, layouts)]
    return [block.ravel() if ndim == 1 else block for block, ndim in blocks]


def per_copy(outputs, count):
    """The wide model's outputs (N, count*K), or (N, T, count*K), as (N, count, K) or (N, T, count, K)."""
    outputs = np.asarray(outputs)
    if outputs.shape[-1] % count:
        raise ValueError(f"outputs' last axis ({outputs.shape[-1]}) is not a multiple of count = {count}")
    return outputs.reshape(outputs.shape[:-1] + (count, outputs.shape[-1] // count))


def copies_loss(name, count):
    """A Keras loss for a side_by_side model: the sum over copies of each copy's own loss.

    name: 'mse', 'binary_crossentropy', or 'sparse_categorical_crossentropy' on logits (each copy's K logits against
    one class index per prediction). y_true has one copy's shape, (N,) or (N, K), or (N,) or (N, T) class indices;
    every copy is compared with it. Keras's loss averages over the predictions; the copies' losses add up, so that
    each copy's gradient is what it would get if trained alone.
    """
    import keras
    from keras import ops

    losses = {"mse": keras.losses.mean_squared_error, "binary_crossentropy": keras.losses.binary_crossentropy,
              "sparse_categorical_crossentropy": lambda y, p: keras.losses.sparse_categorical_crossentropy(
                  y, p, from_logits=True)}
    if name not in losses:
        raise ValueError(f"name must be one of {', '.join(losses)}; got {name!r}")
    if not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a positive whole number; got {count!r}")

    def loss(y_true, y_pred):
        k = ops.shape(y_pred)[-1] // count  # each copy's outputs
        y_pred = ops.reshape(y_pred, (-1, count, k))
        if name.startswith("sparse"):  # one class index per prediction, the same for every copy
            y_true = ops.broadcast_to(ops.reshape(ops.cast(y_true, "int32"), (-1, 1)), ops.shape(y_pred)[:2])
        else:  # (N,) or (N, K): one copy's targets
            y_true = ops.broadcast_to(ops.reshape(ops.cast(y_true, y_pred.dtype), (-1, 1, k)), ops.shape(y_pred))
        return ops.sum(losses[name](y_true, y_pred), axis=-1)

    loss.__name__ = f"sum_of_{count}_copies_{name}"
    return loss


# The wide model train_copies trained last, its optimizer's starting state and its key: see train_copies.
_LAST = {}


def _wide_model(models, layers, loss, optimizer):
    """A compiled wide model for the copies, from their weights and with a fresh optimizer state."""
    key = repr((len(models), [(i.kind, {k: v for k, v in i.config.items() if k != "name"}) for i in layers[0]],
                keras_adapter.describe(models[0]).input_shape, loss, keras_adapter.optimizer_settings(optimizer)))
    if _LAST.get("key") == key:  # the same wide model, from the new copies' weights and a fresh optimizer state
        _LAST["wide"].set_weights(_stacked_weights(layers))
        keras_adapter.set_optimizer_state(_LAST["wide"], _LAST["start"])
        return _LAST["wide"]
    if _LAST:
        keras_adapter.free_training_step(_LAST.pop("wide"))
    wide = side_by_side(models)
    wide.compile(optimizer=optimizer, loss=copies_loss(loss, len(models)))
    _LAST.update(key=key, wide=wide, start=keras_adapter.optimizer_state(wide))
    return wide


def train_copies(models, x, y, *, loss, optimizer, epochs, batch_size, shuffle=True, score=None, every=1):
    """Train several copies of one network, each from its own start, as one wide model; one call.

    models: built Sequential models of one architecture (see the module docstring), their weights the copies' starting
    points; trained in place: each ends with its own trained weights.
    x, y: the training inputs and targets, y as for one model.  loss: as copies_loss takes it.
    optimizer: a function that makes a fresh Keras optimizer, e.g. `lambda: keras.optimizers.Adam(0.01)`.
    epochs, batch_size, shuffle: as for `fit`. Stateful models (stateful=True, a fixed batch size) carry their states
    from batch to batch and start every epoch from zeros; give them shuffle=False.
    score: None, or (x_score, fn): after every `every` epochs, fn(predictions) for each copy's predictions on x_score,
    a number per copy. Returns an array (epochs // every, len(models)) of the scores, or None without `score`.

    A traced training step holds tens of MiB, so the wide model's is freed when training ends. The wide model itself
    is kept, since TensorFlow keeps part of every model's traced steps for as long as the process lives: a next call
    with as many copies of the same architecture, loss and optimizer settings reuses it, from the new weights and a
    fresh optimizer state (tracing its step again); a call for another architecture lets it go.
    """
    if not callable(optimizer):
        raise ValueError(f"optimizer must be a function that makes a Keras optimizer; got {optimizer!r}")
    if score is not None and (len(score) != 2 or not callable(score[1])):
        raise ValueError("score must be (x_score, fn), fn taking one copy's predictions; got " + repr(score)[:80])
    import keras

    layers, count, scores = _checked_layers(models), len(models), []
    wide = _wide_model(models, layers, loss, optimizer())

    def record(epoch, logs):
        if score is not None and (epoch + 1) % every == 0:
            predictions = per_copy(wide(score[0]), count)  # (N, copies, K)
            scores.append([score[1](predictions[:, s]) for s in range(count)])

    # stateful layers carry their state from batch to batch, not across epochs
    epoch_start = lambda epoch, logs: keras_adapter.reset_stateful_layers(wide)  # noqa: E731
    wide.fit(x, y, epochs=epochs, batch_size=batch_size, shuffle=shuffle, verbose=0,
             callbacks=[keras.callbacks.LambdaCallback(on_epoch_begin=epoch_start, on_epoch_end=record)])
    for s, model in enumerate(models):
        model.set_weights(copy_weights(wide, s, count))
    keras_adapter.free_training_step(wide)  # until a next call traces it again, it would only hold memory
    return np.array(scores, dtype=np.float64) if score is not None else None
