"""Everything rnnlib reads from Keras objects, in one place.

by_hand and count_params work on plain data: a layer's kind, its config
dict, its weight arrays, its dtype, whether it hands a padding mask on, its
sub-layers. This module is the only one that asks Keras for them, and the
only one in rnnlib that uses a private Keras API (Functional graph walking,
marked below). Everything here is checked against the pinned Keras by
`make test` and against the newest Keras by `make test-keras-next`.
"""

from dataclasses import dataclass

MODELS = ("Sequential", "Functional")


@dataclass(frozen=True)
class LayerInfo:
    """What by_hand needs to know about one built layer."""

    kind: str  # the class name, e.g. "LSTM"
    name: str
    config: dict  # layer.get_config()
    weights: list  # layer.get_weights(), NumPy arrays in Keras's order
    dtype: str  # the dtype the layer computes and stores its weights in, "float32" or "float64"
    hands_on_mask: bool  # layer.supports_masking: Keras attaches an output mask only if True
    trainable: bool  # layer.trainable: its weights are in model.trainable_weights only if True


def kind(layer):
    return type(layer).__name__


def is_model(obj):
    return kind(obj) in MODELS


def check_built(layer):
    if not getattr(layer, "built", False):
        raise ValueError(
            f"{kind(layer)} {layer.name!r} is not built, so it has no weights yet; "
            "call it once on data (or give the model an Input shape) first"
        )


def layer_dtype(layer):
    """The float dtype a layer computes in, from its dtype policy; mixed precision is refused."""
    policy = layer.dtype_policy
    if policy.compute_dtype != policy.variable_dtype or policy.compute_dtype not in ("float32", "float64"):
        raise ValueError(f"dtype policy {policy.name!r} is not supported; use float32 or float64")
    return policy.compute_dtype


def config(layer):
    """layer.get_config(): the layer's settings as a dict."""
    return layer.get_config()


def describe(layer):
    """A LayerInfo for a built layer."""
    check_built(layer)
    return LayerInfo(kind(layer), layer.name, config(layer), layer.get_weights(), layer_dtype(layer),
                     bool(layer.supports_masking), bool(layer.trainable))


def sublayers(model):
    """A Sequential or functional model's layers, in order (InputLayer included for functional models)."""
    return list(model.layers)


def wrapped_layer(layer):
    """The layer inside a TimeDistributed."""
    return layer.layer


def directions(layer):
    """A Bidirectional's (forward layer, backward layer), both built."""
    return layer.forward_layer, layer.backward_layer


def input_count(model):
    return len(model.inputs)


def build_input_shape(layer):
    """The input shape Keras recorded when it built the layer, or None if it is not built.

    A layer with several inputs records a list or dict of shapes; that is returned as is.
    """
    build = layer.get_build_config() if hasattr(layer, "get_build_config") else None
    return (build or {}).get("input_shape")


def run_functional(model, inputs, run_node):
    """Walk a functional model's graph, computing each layer with run_node instead of Keras.

    inputs: one value per model input, in order.  run_node(layer, args, kwargs)
    returns the layer's output(s) for the values Keras would pass it. Returns
    the model's output(s).
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
