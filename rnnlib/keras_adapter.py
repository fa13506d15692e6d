"""Everything rnnlib reads from Keras objects, and does to them, in one place.

by_hand, gradients_by_hand, count_params and the language model work on the plain data `describe` returns; copies
builds its wide model with `sequential_like` and then compiles and fits it itself, and jacobians.input_jacobian_norms
calls a Keras layer under GradientTape. No other rnnlib module reads Keras objects' configs, weights or internals, and
no other uses a private Keras API (Functional graph walking, marked below). `make test` checks this module against the
pinned Keras, `make test-keras-next` against the newest.
"""

import gc
from dataclasses import dataclass

import numpy as np

from rnnlib.layers import MODELS


@dataclass(frozen=True)
class LayerInfo:
    """What rnnlib needs to know about one layer or model."""

    kind: str  # the class name, e.g. "LSTM"
    name: str
    config: dict  # layer.get_config()
    weights: list  # layer.get_weights(), NumPy arrays in Keras's order
    dtype: str  # the dtype the layer computes and stores its weights in, or its policy's name if they differ
    hands_on_mask: bool  # layer.supports_masking: Keras attaches an output mask only if True
    trainable: bool  # layer.trainable: its weights are in model.trainable_weights only if True
    built: bool
    input_shape: object  # the input shape Keras recorded when it built the layer (a list or dict for several), or None
    parts: tuple  # the layers inside: a model's (in order), a Bidirectional's (forward, backward), a TimeDistributed's
    inputs: int  # how many inputs a model takes; 1 for a layer


def kind(layer):
    return type(layer).__name__


def _parts(layer):
    if kind(layer) in MODELS:
        return tuple(layer.layers)
    if kind(layer) == "Bidirectional":
        return layer.forward_layer, layer.backward_layer
    return (layer.layer,) if kind(layer) == "TimeDistributed" else ()


def describe(layer):
    """A LayerInfo for a Keras layer or model, built or not."""
    policy = layer.dtype_policy
    dtype = policy.compute_dtype if policy.compute_dtype == policy.variable_dtype else policy.name
    build = layer.get_build_config() if hasattr(layer, "get_build_config") else None
    return LayerInfo(kind(layer), layer.name, layer.get_config(), layer.get_weights(), dtype,
                     bool(getattr(layer, "supports_masking", False)), bool(layer.trainable),
                     bool(getattr(layer, "built", False)), (build or {}).get("input_shape"), _parts(layer),
                     len(layer.inputs) if kind(layer) in MODELS and layer.built else 1)


def check_built(info):
    """Raise unless the described layer is built (has its weights)."""
    if not info.built:
        raise ValueError(
            f"{info.kind} {info.name!r} is not built, so it has no weights yet; "
            "call it once on data (or give the model an Input shape) first"
        )


def run_functional(model, inputs, run_node):
    """Walk a functional model's graph, computing each layer with run_node instead of Keras.

    inputs: one value per model input, in order.  run_node(layer, args, kwargs) returns the layer's output(s) for
    the values Keras would pass it. Returns the model's output(s).
    """
    # Private API: Function._run_through_graph(inputs, operation_fn, call_fn) visits the
    # graph's nodes in dependency order, fills each node's arguments (tensors and
    # keyword arguments such as initial_state or mask) with the values computed so
    # far, and calls call_fn(operation_fn(node.operation), *args, **kwargs). Passing
    # call_fn makes it hand us node.operation itself, the layer object we dispatch on;
    # without it, Keras would substitute its own mapped operation (used for JAX NNX)
    # and call that. There is no public way to run a Functional graph with other math.
    return model._run_through_graph(
        inputs, operation_fn=lambda layer: layer, call_fn=lambda layer, *args, **kwargs: run_node(layer, args, kwargs)
    )


# ---------------------------------------------------------------- building and training (rnnlib.copies)


def sequential_like(model, configs):
    """A new Sequential model with `model`'s input (batch size and dtype too) and layers made from
    (kind, config) pairs, e.g. the configs of model's own layers changed."""
    import keras

    first = model.inputs[0]
    inputs = keras.Input(batch_shape=first.shape, dtype=first.dtype)  # a stateful layer needs the batch size
    return keras.Sequential([inputs] + [getattr(keras.layers, k).from_config(c) for k, c in configs])


def optimizer_settings(optimizer):
    """An optimizer's class name and settings (its config but its name): equal for optimizers that step alike."""
    return type(optimizer).__name__, {k: v for k, v in optimizer.get_config().items() if k != "name"}


def optimizer_state(model):
    """The values of a compiled model's optimizer variables (step count, moments), built if not yet."""
    model.optimizer.build(model.trainable_variables)
    return [np.array(v.numpy()) for v in model.optimizer.variables]


def set_optimizer_state(model, values):
    """Put back the values optimizer_state returned: the optimizer starts afresh, without Keras tracing again."""
    for variable, value in zip(model.optimizer.variables, values, strict=True):
        variable.assign(value)


def reset_stateful_layers(model):
    """Zero the states that the model's stateful layers (stateful=True) carry from batch to batch."""
    for layer in model.layers:
        if getattr(layer, "stateful", False):
            layer.reset_state()


def free_training_step(model):
    """Free the training step that `fit` traced for `model`, so that the next traced step can reuse its memory.

    Keras keeps a model's traced training function while the model lives; its graphs sit in reference cycles, which
    only Python's cycle collector frees, so this runs it now. The model still predicts as before; if it is fitted
    again, Keras traces a new training step.
    """
    model.train_function = None
    gc.collect()
