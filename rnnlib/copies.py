"""Several independent copies of a small Keras network, trained as one model.

One training run of a small network says little: another random start may
learn more or less. Training S copies one after the other costs S times the
fixed overhead of every Keras step, which dominates for networks this small.
`side_by_side(models)` instead builds one model whose layers are S times as
wide, laid out so that every weight that would connect one copy to another
is zero and is held at zero after every update (a Keras constraint). Each
copy then computes exactly what it would alone, and with `copies_loss`, the
sum of the copies' own losses, each copy receives exactly its own gradient:
training the wide model trains the S copies as S separate fits on the same
batches would (tests/test_copies.py checks this against separate fits).

    stacked = side_by_side([make_model() for _ in range(3)])   # 3 random starts
    stacked.compile(optimizer=..., loss=copies_loss("mse", 3))
    stacked.fit(x, y, ...)                                       # y as for one copy
    outputs = per_copy(stacked(x), 3)                            # (N, 3, K)
    model.set_weights(copy_weights(stacked, 1))                  # copy 1, ordinary again

The models must be built Sequential models of the same architecture, made
of Embedding, SimpleRNN, LSTM, GRU, GlobalMaxPooling1D,
GlobalAveragePooling1D and Dense layers, in an order in which each reads the
one before.

Layout: a layer of S copies with W units each and g gate blocks (g = 4 for
an LSTM, 3 for a GRU, 1 otherwise) keeps Keras's gate order; inside each gate
block, copy s owns columns s*W to (s+1)*W - 1.
"""

import gc

import numpy as np

from rnnlib.recurrence import GATE_BLOCKS as GATES

POOLING = ("GlobalMaxPooling1D", "GlobalAveragePooling1D")
SUPPORTED = ("Embedding",) + tuple(GATES) + POOLING + ("Dense",)
MIXING_ACTIVATIONS = ("softmax", "log_softmax", "sparsemax", "glu")


def stack_blocks(arrays, gates, width, own_rows):
    """One wide array from the copies' arrays, each (rows, gates*width).

    Copy s's gate block g goes to columns (g*S + s)*width onwards. With own_rows,
    copy s reads only its own rows s*rows onwards (its input is its own part
    of the layer below); without, every copy reads all rows (a shared input).
    Returns (rows or S*rows, gates*S*width).
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


def _weight_layouts(kind, config, input_is_stacked):
    """(gates, width, own_rows) for each weight of one copy's layer, in get_weights() order."""
    if kind == "Embedding":
        return [(1, config["output_dim"], False)]
    if kind == "Dense":
        return [(1, config["units"], input_is_stacked)] + ([(1, config["units"], False)] if config["use_bias"] else [])
    g, m = GATES[kind], config["units"]
    return [(g, m, input_is_stacked), (g, m, True)] + ([(g, m, False)] if config["use_bias"] else [])


def _check_models(models):
    if len(models) < 2:
        raise ValueError(f"side_by_side needs at least 2 models; got {len(models)}")
    kinds = [[type(layer).__name__ for layer in m.layers] for m in models]
    if any(type(m).__name__ != "Sequential" or not m.built for m in models) or any(k != kinds[0] for k in kinds):
        raise ValueError("side_by_side needs built Sequential models of one architecture; got layers "
                         f"{kinds} in models of types {[type(m).__name__ for m in models]}")
    unknown = [k for k in kinds[0] if k not in SUPPORTED]
    if unknown:
        raise ValueError(f"side_by_side supports the layers {', '.join(SUPPORTED)}; got {', '.join(unknown)}")
    if kinds[0][0] in ("Dense",) + POOLING:
        raise ValueError(f"the first layer must be Embedding or a recurrent layer; got {kinds[0][0]}")
    for layer in models[0].layers:
        if type(layer).__name__ == "Dense" and layer.get_config()["activation"] in MIXING_ACTIVATIONS:
            raise ValueError(f"Dense activation {layer.get_config()['activation']!r} mixes a layer's outputs, "
                             "so it would mix the copies; use an elementwise one, e.g. 'sigmoid' or 'linear'")


class KeepBlocks:
    """A Keras weight constraint: multiply by a fixed 0/1 mask after every update, so the
    weights between copies stay zero."""

    def __init__(self, mask):
        self.mask = np.asarray(mask, dtype="float32")

    def __call__(self, w):
        return w * self.mask

    def get_config(self):
        return {"mask": self.mask.tolist()}


def _wide_layer(layer, count, layouts):
    """The Keras layer that holds `count` copies of `layer`, with KeepBlocks on its mixing weights."""
    kind, config = type(layer).__name__, layer.get_config()
    config["name"] = f"{config['name']}_x{count}"
    if kind == "Embedding":
        config["output_dim"] *= count
    elif kind in POOLING:
        pass
    else:
        config["units"] *= count
        shapes = [w.shape for w in layer.get_weights()]
        names = ["kernel_constraint", "recurrent_constraint"][: 1 if kind == "Dense" else 2]
        for name, shape, (g, width, own_rows) in zip(names, shapes, layouts):
            if own_rows:
                config[name] = KeepBlocks(stack_blocks([np.ones(shape)] * count, g, width, own_rows))
    return type(layer).from_config(config)


def side_by_side(models):
    """One Keras model that computes and trains len(models) copies at once; see the module docstring.

    models: built Sequential models of one architecture; their weights become the copies'
    starting weights. Returns the wide Sequential model, uncompiled.
    """
    import keras

    _check_models(models)
    count, first = len(models), models[0]
    # The input's batch size too: a stateful layer (stateful=True) needs it fixed.
    wide, stacked = [keras.Input(batch_shape=first.inputs[0].shape, dtype=first.inputs[0].dtype)], False
    for layer in first.layers:
        layouts = _weight_layouts(type(layer).__name__, layer.get_config(), stacked) if layer.weights else []
        wide.append(_wide_layer(layer, count, layouts))
        stacked = stacked or bool(layer.weights)
    model = keras.Sequential(wide)
    model.set_weights(stacked_weights(models))
    return model


def stacked_weights(models):
    """The copies' weights in the wide model's layout, in its get_weights() order (see side_by_side)."""
    weights, stacked = [], False
    for i, layer in enumerate(models[0].layers):
        layouts = _weight_layouts(type(layer).__name__, layer.get_config(), stacked) if layer.weights else []
        for j, (g, width, own_rows) in enumerate(layouts):
            block = stack_blocks([np.atleast_2d(m.layers[i].get_weights()[j]) for m in models], g, width, own_rows)
            weights.append(block.ravel() if layer.get_weights()[j].ndim == 1 else block)
        stacked = stacked or bool(layer.weights)
    return weights


def copy_weights(stacked, s):
    """Copy s's weights, in the layout of one of the models given to side_by_side."""
    count = _copies(stacked)
    if not 0 <= s < count:
        raise ValueError(f"s must be a copy index from 0 to {count - 1}; got {s!r}")
    weights, input_is_stacked = [], False
    for layer in stacked.layers:
        if not layer.weights:
            continue
        config = layer.get_config()
        for key in ("units", "output_dim"):
            config[key] = config[key] // count if key in config else None
        layouts = _weight_layouts(type(layer).__name__, config, input_is_stacked)
        for array, (g, width, own_rows) in zip(layer.get_weights(), layouts):
            block = unstack_block(np.atleast_2d(array), s, count, g, width, own_rows)
            weights.append(block.ravel() if array.ndim == 1 else block)
        input_is_stacked = True
    return weights


def _copies(stacked):
    names = [layer.name for layer in stacked.layers]
    counts = {int(n.rsplit("_x", 1)[1]) for n in names if "_x" in n}
    if len(counts) != 1:
        raise ValueError(f"not a model made by side_by_side: its layers are named {names}")
    return counts.pop()


def per_copy(outputs, count):
    """The wide model's outputs (N, count*K), or (N, T, count*K), as (N, count, K) or (N, T, count, K)."""
    outputs = np.asarray(outputs)
    if outputs.shape[-1] % count:
        raise ValueError(f"outputs' last axis ({outputs.shape[-1]}) is not a multiple of count = {count}")
    return outputs.reshape(outputs.shape[:-1] + (count, outputs.shape[-1] // count))


def copies_loss(name, count):
    """A Keras loss for a side_by_side model: the sum over copies of each copy's own loss.

    name: 'mse', 'binary_crossentropy', or 'sparse_categorical_crossentropy' on logits (each
    copy's K logits against one class index per prediction). y_true has one copy's shape,
    (N,) or (N, K), or (N,) or (N, T) class indices; every copy is compared with it. Keras's
    loss averages over the predictions; the copies' losses add up, so that each copy's
    gradient is what it would get if trained alone.
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
    sparse = name.startswith("sparse")

    def loss(y_true, y_pred):
        k = ops.shape(y_pred)[-1] // count  # each copy's outputs
        y_pred = ops.reshape(y_pred, (-1, count, k))
        if sparse:  # one class index per prediction, the same for every copy
            y_true = ops.broadcast_to(ops.reshape(ops.cast(y_true, "int32"), (-1, 1)), ops.shape(y_pred)[:2])
        else:  # (N,) or (N, K): one copy's targets
            y_true = ops.broadcast_to(ops.reshape(ops.cast(y_true, y_pred.dtype), (-1, 1, k)), ops.shape(y_pred))
        return ops.sum(losses[name](y_true, y_pred), axis=-1)

    loss.__name__ = f"sum_of_{count}_copies_{name}"
    return loss


def training_start(model):
    """What `restart` needs to put a compiled model back to where training began: its weights
    now, and its optimizer's variables before the first step (step count 0, no momentum)."""
    if getattr(model, "optimizer", None) is None:
        raise ValueError("compile the model first: training_start records its optimizer's starting state")
    model.optimizer.build(model.trainable_variables)
    return [w.copy() for w in model.get_weights()], [np.array(v.numpy()) for v in model.optimizer.variables]


def restart(model, start):
    """Put the model back to `start` (from training_start): the same weights, a fresh optimizer.

    Fitting again then repeats the first training from its beginning, on new data if given,
    without Keras tracing its training step again.
    """
    weights, optimizer_values = start
    model.set_weights(weights)
    for variable, value in zip(model.optimizer.variables, optimizer_values, strict=True):
        variable.assign(value)


def free_training_step(model):
    """Free the training step that `fit` traced for `model`, before another model traces its own.

    Keras keeps a model's traced TensorFlow training function for as long as
    the model lives (or until it is compiled again), so that the next `fit`
    need not trace it again; a notebook that trains several models one after
    another would keep all of them. Their graphs sit in reference cycles, which
    Python frees only when its cycle collector runs, so this function runs it
    now, and the next model's training reuses their memory. The model still
    predicts as before; if it is fitted again, Keras traces a new training step.
    """
    if not hasattr(model, "train_function"):
        raise ValueError(f"free_training_step needs a Keras model; got {type(model).__name__}")
    model.train_function = None
    gc.collect()


# The wide model train_copies trained last, with what restart needs and what it was built for, so that a
# next call that trains copies of the same architecture in the same way reuses its traced training step.
_LAST = {}


def _what_the_step_depends_on(models, loss, optimizer):
    """The wide model's architecture, loss and optimizer settings, as a string to compare."""
    first = models[0]
    layers = [(type(layer).__name__, {k: v for k, v in layer.get_config().items() if k != "name"})
              for layer in first.layers]
    settings = {k: v for k, v in optimizer.get_config().items() if k != "name"}
    return repr((len(models), tuple(first.inputs[0].shape[1:]), str(first.inputs[0].dtype), layers, loss,
                 type(optimizer).__name__, settings))


def train_copies(models, x, y, *, loss, optimizer, epochs, batch_size, shuffle=True, score=None, every=1):
    """Train several copies of one network, each from its own start, as one wide model; one call.

    models: built Sequential models of one architecture (see the module docstring), their weights
    the copies' starting points; trained in place: each ends with its own trained weights.
    x, y: the training inputs and targets, y as for one model.  loss: as copies_loss takes it.
    optimizer: a function that makes a fresh Keras optimizer, e.g. `lambda: keras.optimizers.Adam(0.01)`.
    epochs, batch_size, shuffle: as for `fit`. Stateful models (stateful=True, a fixed batch size)
    carry their states from batch to batch and start every epoch from zeros; give them shuffle=False.
    score: None, or (x_score, fn): after every `every` epochs, fn(predictions) for each copy's
    predictions on x_score, a number per copy.
    Returns an array (epochs // every, len(models)) of the scores, or None without `score`.

    Keras traces a training step for every new model, and TensorFlow keeps part of each traced step
    for as long as the process lives (tens of MiB). So the wide model is kept: a next call with as
    many copies of the same architecture, the same loss and the same optimizer settings (training
    the same network on another data set, say) puts the new starting weights and a fresh optimizer
    state into it and trains it again, without tracing again. A call for another architecture frees
    the kept model's training step first.
    """
    if not callable(optimizer):
        raise ValueError(f"optimizer must be a function that makes a Keras optimizer; got {optimizer!r}")
    if score is not None and (len(score) != 2 or not callable(score[1])):
        raise ValueError("score must be (x_score, fn), fn taking one copy's predictions; got " + repr(score)[:80])
    import keras

    _check_models(models)
    count, scores, fresh = len(models), [], optimizer()
    key = _what_the_step_depends_on(models, loss, fresh)
    if _LAST.get("key") == key:  # the same wide model, from the new copies' weights and a fresh optimizer state
        wide = _LAST["wide"]
        restart(wide, (stacked_weights(models), _LAST["start"][1]))
    else:
        if _LAST:
            free_training_step(_LAST.pop("wide"))
        wide = side_by_side(models)
        wide.compile(optimizer=fresh, loss=copies_loss(loss, count))
        _LAST.update(key=key, wide=wide, start=training_start(wide))

    def record(epoch, logs):
        if score is not None and (epoch + 1) % every == 0:
            predictions = per_copy(wide(score[0]), count)  # (N, copies, K)
            scores.append([score[1](predictions[:, s]) for s in range(count)])

    def start_epoch(epoch, logs):  # stateful layers carry their state from batch to batch, not across epochs
        for layer in wide.layers:
            if getattr(layer, "stateful", False):
                layer.reset_state()

    wide.fit(x, y, epochs=epochs, batch_size=batch_size, shuffle=shuffle, verbose=0,
             callbacks=[keras.callbacks.LambdaCallback(on_epoch_begin=start_epoch, on_epoch_end=record)])
    for s, model in enumerate(models):
        model.set_weights(copy_weights(wide, s))
    return np.array(scores, dtype=np.float64) if score is not None else None
