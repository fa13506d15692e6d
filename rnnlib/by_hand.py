"""by_hand: recompute in NumPy what a built Keras layer or model returns.

by_hand reads only what rnnlib.keras_adapter reports of a layer (its config, weights, dtype and whether it hands a
mask on) and never calls the layer, so agreement with Keras is a real check of the math in rnnlib, not of Keras
against itself. It reproduces inference: dropout is off.
"""

import numpy as np

from rnnlib import keras_adapter
from rnnlib._checks import as_float_array, as_mask, as_shaped, check_ndim
from rnnlib.dense import dense_forward
from rnnlib.layers import BY_HAND, GATE_BLOCKS, MODELS, POOLING, RECURRENT, cell
from rnnlib.recurrence import masked_outputs

SUPPORTED_LAYERS = BY_HAND  # and Sequential and functional models of them


def by_hand(layer_or_model, x, *, initial_state=None, mask=None):
    """What a built Keras layer or model returns for `x`, computed in NumPy.

    layer_or_model: a built Keras layer of a type in SUPPORTED_LAYERS, or a Sequential or functional model of them.
    x: e.g. (N, T, D) for a recurrent layer, (N, M) or (N, T, M) for Dense; a list for several inputs.
    initial_state: a recurrent layer's, as Keras takes it: h (N, M) or [h] for SimpleRNN and GRU, [h, c] for
        LSTM, and for Bidirectional the forward layer's states followed by the backward layer's.
    mask: (N, T) booleans, False where a step is padding; for several inputs, a list of masks (or None).
    Returns what `layer_or_model(x, initial_state=..., mask=...)` returns, as NumPy arrays in the same
    structure: a list wherever Keras returns a list (for example [output, state] with return_state=True).
    """
    if keras_adapter.kind(layer_or_model) in MODELS:
        if initial_state is not None:
            raise ValueError(
                f"initial_state applies to a recurrent layer, not to a {keras_adapter.kind(layer_or_model)} model; "
                "call by_hand on the layer, or make the state an input of the model"
            )
        return _unwrap(_run_model(layer_or_model, x, mask))
    state = None if initial_state is None else _Value(initial_state, None)
    return _unwrap(_run_layer(layer_or_model, _Value(x, mask), state))


class _Value:
    """An array flowing through a model, with the Keras mask that travels with it.

    Keras attaches masks to tensors; NumPy arrays cannot carry attributes, so by_hand wraps them. Keras's tree
    utilities treat this class as a leaf.
    """

    __slots__ = ("array", "mask")

    def __init__(self, array, mask):
        self.array = array
        self.mask = mask


def _unwrap(out):
    if isinstance(out, _Value):
        return out.array
    if isinstance(out, (list, tuple)):
        return [_unwrap(o) for o in out]
    if isinstance(out, dict):
        return {k: _unwrap(v) for k, v in out.items()}
    return out


def _unsupported(kind, name):
    return ValueError(f"by_hand does not support layer {name!r} of type {kind}; it supports the layers "
                      f"{', '.join(SUPPORTED_LAYERS)} and {' and '.join(MODELS)} models made of them")


def _run_layer(layer, value, state):
    """One layer (or a nested model) on a wrapped value."""
    info = keras_adapter.describe(layer)
    if info.kind == "InputLayer":
        return value
    keras_adapter.check_built(info)
    if info.kind in MODELS:
        if state is not None:
            raise ValueError(f"initial_state cannot be passed to the nested model {info.name!r}")
        return _run_model(layer, value.array, value.mask)
    if info.kind not in _HANDLERS:
        raise _unsupported(info.kind, info.name)
    if state is not None and info.kind not in RECURRENT + ("Bidirectional",):
        raise ValueError(f"initial_state applies to recurrent layers only; layer {info.name!r} is a {info.kind}")
    if info.config.get("lora_rank"):
        raise ValueError(f"LoRA-adapted {info.kind} layers are not supported")
    if info.dtype not in ("float32", "float64"):
        raise ValueError(f"dtype policy {info.dtype!r} is not supported; use float32 or float64")
    try:
        return _HANDLERS[info.kind](info, value, state)
    except ValueError as err:
        raise ValueError(f"layer {info.name!r} ({info.kind}): {err}") from None


def _run_model(model, x, mask):
    info = keras_adapter.describe(model)
    keras_adapter.check_built(info)
    if info.kind == "Sequential":
        value = _Value(x, mask)
        for layer in info.parts:
            value = _run_layer(layer, value, None)
        return value
    xs = [x] if info.inputs == 1 else (list(x) if isinstance(x, (list, tuple)) else [x])
    masks = [mask] if info.inputs == 1 else (list(mask) if mask is not None else [None] * info.inputs)
    if len(xs) != info.inputs or len(masks) != info.inputs:
        raise ValueError(f"model {info.name!r} has {info.inputs} inputs; got {len(xs)} arrays and {len(masks)} masks")
    return keras_adapter.run_functional(model, [_Value(a, m) for a, m in zip(xs, masks)], _run_node)


def _run_node(layer, args, kwargs):
    """One layer of a functional graph, with the arguments Keras recorded for it."""
    unknown = sorted(set(kwargs) - {"initial_state", "mask", "training"})
    if len(args) != 1 or unknown:
        raise ValueError(f"layer {layer.name!r} is called with arguments by_hand does not reproduce: "
                         f"{unknown or f'{len(args)} positional arguments'}")
    inputs = args[0]
    if isinstance(inputs, (list, tuple)):
        raise ValueError(f"layer {layer.name!r} ({keras_adapter.kind(layer)}) is called on {len(inputs)} inputs; "
                         "by_hand reproduces layers called on one")
    if kwargs.get("mask") is not None:
        inputs = _Value(inputs.array, _unwrap(kwargs["mask"]))
    state = kwargs.get("initial_state")
    return _run_layer(layer, inputs, None if state is None else _Value(_unwrap(state), None))


def _check_weight_count(weights, names):
    if len(weights) != len(names):
        got = ", ".join(str(np.shape(w)) for w in weights) or "none"
        raise ValueError(f"expected {len(names)} weight arrays ({', '.join(names)}); "
                         f"got {len(weights)} with shapes {got}")


def _output(info, array, mask):
    """An output value: Keras attaches the mask only when the layer supports masking."""
    return _Value(array, mask if info.hands_on_mask else None)


def _recurrent(info, value, state):
    """SimpleRNN, LSTM or GRU: its forward function (rnnlib.layers.cell) on the layer's weights and config."""
    config, gates, m = info.config, GATE_BLOCKS[info.kind], info.config["units"]
    if config.get("stateful"):
        raise ValueError("stateful=True layers keep their state between calls, which by_hand cannot see; "
                         "pass the state explicitly with initial_state instead")
    cols = "M" if gates == 1 else f"{gates}M"
    bias = "(2, 3M)" if info.kind == "GRU" and config.get("reset_after", True) else f"({cols},)"
    names = [f"kernel (D, {cols})", f"recurrent_kernel (M, {cols})"] + ([f"bias {bias}"] if config["use_bias"] else [])
    _check_weight_count(info.weights, names)
    if info.weights[0].ndim != 2 or info.weights[0].shape[1] != gates * m:
        expected = f"units={m}" if gates == 1 else f"{gates}*units={gates * m}"
        raise ValueError(f"kernel must have shape (D, {expected}); got {info.weights[0].shape}")
    states = _initial_states(state, 2 if info.kind == "LSTM" else 1, len(value.array), m)
    forward, _, _, options = cell(info.kind, config)
    outputs, *finals = forward(as_float_array(value.array, "x").astype(info.dtype, copy=False), *info.weights[:2],
                               info.weights[2] if config["use_bias"] else None, **options, mask=value.mask,
                               go_backwards=config["go_backwards"], **dict(zip(("h0", "c0"), states)))
    mask = None if value.mask is None else np.asarray(value.mask, dtype=bool)  # the forward checked it
    return _recurrent_result(info, outputs, finals, mask)


def _initial_states(state, count, n, m):
    """The initial states Keras takes as a list, as `count` (N, M) arrays (h, or h and c); [None, ...] when none are
    given. Checked here, so that a wrong one is named as the caller passed it."""
    if state is None:
        return [None] * count
    arrays = state.array if isinstance(state.array, (list, tuple)) else [state.array]
    if len(arrays) != count:
        raise ValueError(f"initial_state must be a list of {count} arrays; got {len(arrays)}")
    return [as_shaped(a, f"initial_state[{i}]", (n, m), "(N, M)") for i, a in enumerate(arrays)]


def _recurrent_result(info, outputs, finals, mask):
    """Package an RNN's outputs as Keras does: masked outputs, the last step or all, the final states."""
    config = info.config
    step_mask = None if mask is None else (mask[:, ::-1] if config["go_backwards"] else mask)
    outputs = masked_outputs(outputs, step_mask, config["zero_output_for_mask"])
    if config["return_sequences"]:
        output = _output(info, outputs, mask)  # the input's mask goes on with the sequence
    else:
        output = _Value(outputs[:, -1], None)
    if config["return_state"]:
        return [output] + [_Value(s, None) for s in finals]
    return output


def _bidirectional(info, value, state):
    """A forward and a backward recurrent layer over the same input, merged as Keras merges them."""
    forward_state = backward_state = None
    if state is not None:
        states = state.array if isinstance(state.array, (list, tuple)) else [state.array]
        half = len(states) // 2
        forward_state, backward_state = _Value(list(states[:half]), None), _Value(list(states[half:]), None)
    forward, backward = info.parts
    y = _run_layer(forward, _Value(value.array, value.mask), forward_state)
    y_rev = _run_layer(backward, _Value(value.array, value.mask), backward_state)
    inner = info.config["layer"]["config"]
    finals = []
    if inner.get("return_state"):
        finals = [v.array for v in y[1:]] + [v.array for v in y_rev[1:]]
        y, y_rev = y[0], y_rev[0]
    out, out_rev = y.array, y_rev.array
    if inner.get("return_sequences"):
        out_rev = out_rev[:, ::-1]  # the backward layer's sequence, back in input order
    mask = value.mask if inner.get("return_sequences") else None
    merged = _merge(info.config["merge_mode"], out, out_rev)
    result = [_output(info, a, mask) for a in merged] + [_Value(s, None) for s in finals]
    return result[0] if len(result) == 1 else result


def _merge(mode, out, out_rev):
    """Bidirectional's merge_mode: the two directions' outputs as one array, or both (None)."""
    merges = {"concat": lambda: np.concatenate([out, out_rev], axis=-1), "sum": lambda: out + out_rev,
              "ave": lambda: (out + out_rev) / 2, "mul": lambda: out * out_rev}
    if mode is None:
        return [out, np.ascontiguousarray(out_rev)]
    if mode not in merges:
        raise ValueError(f"merge_mode must be one of 'concat', 'sum', 'ave', 'mul' or None; got {mode!r}")
    return [merges[mode]()]


def _dense(info, value, state):
    config = info.config
    _check_weight_count(info.weights, ["kernel (M, K)", "bias (K,)"] if config["use_bias"] else ["kernel (M, K)"])
    kernel = info.weights[0]
    if kernel.ndim != 2 or kernel.shape[1] != config["units"]:
        raise ValueError(f"kernel must have shape (M, units={config['units']}); got {kernel.shape}")
    x = as_float_array(value.array, "x").astype(info.dtype, copy=False)
    check_ndim(x, "x", (2, 3), "(N, M) or (N, T, M)")
    y = dense_forward(x, kernel, info.weights[1] if config["use_bias"] else None, activation=config["activation"])
    return _output(info, y, value.mask)  # Dense hands its input's mask on unchanged


def _time_distributed(info, value, state):
    """The wrapped layer applied to every time step: (N, T, ...) -> (N*T, ...) -> (N, T, ...)."""
    x = as_float_array(value.array, "x")
    if x.ndim < 3:
        raise ValueError(f"x must be at least 3-D, (N, T, ...), for TimeDistributed; got shape {x.shape}")
    n, t = x.shape[:2]
    (inner_layer,) = info.parts
    inner = _run_layer(inner_layer, _Value(x.reshape((n * t,) + x.shape[2:]), None), None)
    if not isinstance(inner, _Value):
        raise ValueError(f"the wrapped layer {inner_layer.name!r} returns several arrays; TimeDistributed needs one")
    return _output(info, inner.array.reshape((n, t) + inner.array.shape[1:]), value.mask)


def _embedding(info, value, state):
    """Row lookup: token id k becomes row k of the embeddings matrix (vocabulary, dim)."""
    config = info.config
    _check_weight_count(info.weights, ["embeddings (vocabulary, dim)"])
    (table,) = info.weights
    if table.shape != (config["input_dim"], config["output_dim"]):
        raise ValueError(f"embeddings must have shape (input_dim, output_dim) = "
                         f"{(config['input_dim'], config['output_dim'])}; got {table.shape}")
    ids = np.asarray(value.array)
    if ids.dtype.kind not in "iuf":
        raise ValueError(f"x must hold token ids; got an array of dtype {ids.dtype}")
    if ids.dtype.kind == "f" and np.any(ids != np.round(ids)):
        raise ValueError("x must hold whole-number token ids")
    ids = ids.astype(np.int64)
    if ids.size and (ids.min() < 0 or ids.max() >= table.shape[0]):
        raise ValueError(f"token ids must lie in [0, {table.shape[0]}); got ids from {ids.min()} to {ids.max()}")
    # mask_zero=True: id 0 is padding, and the mask travels on to the next layers.
    return _output(info, table[ids], (ids != 0) if config.get("mask_zero") else None)


def _global_pooling(info, value, state):
    """(N, T, M) -> (N, M): each unit's largest value over time (GlobalMaxPooling1D, which takes no mask),
    or its mean over the real, unmasked steps (GlobalAveragePooling1D)."""
    if info.config.get("data_format", "channels_last") != "channels_last":
        raise ValueError(f"only data_format='channels_last' is supported; got {info.config['data_format']!r}")
    x = as_float_array(value.array, "x").astype(info.dtype, copy=False)
    check_ndim(x, "x", (3,), "(N, T, M)")
    mask = None if value.mask is None else as_mask(value.mask, x.shape[0], x.shape[1])
    keepdims = info.config.get("keepdims", False)
    if info.kind == "GlobalMaxPooling1D":
        return _Value(x.max(axis=1, keepdims=keepdims), None)
    if mask is None:
        return _Value(x.mean(axis=1, keepdims=keepdims), None)
    weights = mask[:, :, None].astype(x.dtype)
    return _Value((x * weights).sum(axis=1, keepdims=keepdims) / weights.sum(axis=1, keepdims=keepdims), None)


_HANDLERS = {"Bidirectional": _bidirectional, "Dense": _dense, "Embedding": _embedding,
             "TimeDistributed": _time_distributed, **dict.fromkeys(RECURRENT, _recurrent),
             **dict.fromkeys(POOLING, _global_pooling)}
