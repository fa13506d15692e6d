"""by_hand: recompute in NumPy what a built Keras layer or model returns.

by_hand reads only a layer's `get_config()` and `get_weights()` and never
calls the layer, so agreement with Keras is a real check of the math in
rnnlib, not of Keras against itself. It reproduces inference (dropout off).

    by_hand(layer_or_model, x, *, initial_state=None, mask=None)

returns what `layer_or_model(x, initial_state=..., mask=...)` returns, as
NumPy arrays in the same structure: a list wherever Keras returns a list
(for example `[output, state]` with `return_state=True`).
"""

import numpy as np

from rnnlib._checks import as_float_array, as_mask, check_ndim
from rnnlib.dense import dense_forward
from rnnlib.gru import gru_forward
from rnnlib.lstm import lstm_forward
from rnnlib.simple_rnn import simple_rnn_forward

# Layer types by_hand reproduces, and the models that chain them.
SUPPORTED_LAYERS = (
    "Bidirectional", "Dense", "Embedding", "GRU", "GlobalAveragePooling1D", "GlobalMaxPooling1D",
    "LSTM", "SimpleRNN", "TimeDistributed",
)
SUPPORTED_MODELS = ("Sequential", "Functional")


def by_hand(layer_or_model, x, *, initial_state=None, mask=None):
    """What a built Keras layer or model returns for `x`, computed in NumPy.

    layer_or_model: a built Keras layer of a type in SUPPORTED_LAYERS, or a
        Sequential or functional model made of such layers.
    x: the input array, e.g. (N, T, D) for a recurrent layer, (N, M) or
        (N, T, M) for Dense; for a model with several inputs, a list.
    initial_state: for a recurrent layer, its initial state as Keras takes
        it: h (N, M) or [h] for SimpleRNN and GRU, [h, c] for LSTM, and the
        forward layer's states followed by the backward layer's for
        Bidirectional.
    mask: (N, T) booleans, False where a step is padding.
    Returns NumPy arrays in the structure that Keras returns.
    """
    kind = type(layer_or_model).__name__
    if kind in SUPPORTED_MODELS:
        if initial_state is not None:
            raise ValueError(
                f"initial_state applies to a recurrent layer, not to a {kind} model; "
                "call by_hand on the layer, or make the state an input of the model"
            )
        _check_built(layer_or_model)
        if kind == "Sequential":
            value = _Value(x, mask)
            return _unwrap(_run_sequential(layer_or_model, value))
        return _unwrap(_run_functional(layer_or_model, x, mask))
    value = _Value(x, mask)
    state = None if initial_state is None else _Value(initial_state, None)
    return _unwrap(_run_layer(layer_or_model, value, state))


class _Value:
    """An array flowing through a model, with the Keras mask that travels with it.

    Keras attaches masks to tensors; NumPy arrays cannot carry attributes,
    so by_hand wraps them. Keras's tree utilities treat this class as a leaf.
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


def _supported_message(kind, name):
    return (
        f"by_hand does not support layer {name!r} of type {kind}; it supports the layers "
        f"{', '.join(SUPPORTED_LAYERS)} and {', '.join(SUPPORTED_MODELS)} models made of them"
    )


def _check_built(layer):
    if not getattr(layer, "built", False):
        raise ValueError(
            f"{type(layer).__name__} {layer.name!r} is not built, so it has no weights yet; "
            "call it once on data (or give the model an Input shape) before by_hand"
        )


def _run_layer(layer, value, state):
    """Dispatch one layer (or a nested model) on a wrapped value."""
    kind = type(layer).__name__
    if kind == "InputLayer":
        return value
    if kind in SUPPORTED_MODELS:
        _check_built(layer)
        if state is not None:
            raise ValueError(f"initial_state cannot be passed to the nested model {layer.name!r}")
        if kind == "Sequential":
            return _run_sequential(layer, value)
        return _run_functional(layer, value.array, value.mask)
    handler = _LAYER_HANDLERS.get(kind)
    if handler is None:
        raise ValueError(_supported_message(kind, getattr(layer, "name", "?")))
    _check_built(layer)
    if state is not None and kind not in _RECURRENT:
        raise ValueError(
            f"initial_state applies to recurrent layers only; layer {layer.name!r} is a {kind}"
        )
    try:
        return handler(layer, layer.get_config(), layer.get_weights(), value, state)
    except ValueError as err:
        raise ValueError(f"layer {layer.name!r} ({kind}): {err}") from None


def _run_sequential(model, value):
    for layer in model.layers:
        value = _run_layer(layer, value, None)
    return value


def _run_functional(model, x, mask):
    n_inputs = len(model.inputs)
    if n_inputs == 1:
        xs, masks = [x], [mask]
    else:
        xs = list(x) if isinstance(x, (list, tuple)) else [x]
        masks = list(mask) if mask is not None else [None] * n_inputs
    if len(xs) != n_inputs or len(masks) != n_inputs:
        raise ValueError(
            f"model {model.name!r} has {n_inputs} inputs; got {len(xs)} arrays and {len(masks)} masks"
        )
    values = [_Value(a, m) for a, m in zip(xs, masks)]

    def operation_fn(layer):
        def call(inputs, *args, initial_state=None, mask=None, training=None, **kwargs):
            if args or kwargs:
                raise ValueError(
                    f"layer {layer.name!r} is called with arguments by_hand does not "
                    f"reproduce: {sorted(kwargs) or len(args)}"
                )
            if isinstance(inputs, (list, tuple)):
                raise ValueError(_supported_message(type(layer).__name__, layer.name)
                                 + "; layers with several inputs are not supported")
            if mask is not None:
                inputs = _Value(inputs.array, _unwrap(mask))
            state = None
            if initial_state is not None:
                state = _Value(_unwrap(initial_state), None)
            return _run_layer(layer, inputs, state)

        return call

    # Keras walks its own graph of layers; by_hand supplies what each layer computes.
    return model._run_through_graph(
        values, operation_fn=operation_fn, call_fn=lambda op, *a, **k: op(*a, **k)
    )


# ---------------------------------------------------------------- layer handlers


def _check_weight_count(weights, names):
    if len(weights) != len(names):
        got = ", ".join(str(np.shape(w)) for w in weights) or "none"
        raise ValueError(
            f"expected {len(names)} weight arrays ({', '.join(names)}); "
            f"got {len(weights)} with shapes {got}"
        )


def _check_dtype_policy(config):
    policy = config.get("dtype")
    if isinstance(policy, dict):
        policy = policy.get("config", {}).get("name", policy.get("class_name"))
    if policy not in (None, "float32", "float64"):
        raise ValueError(f"dtype policy {policy!r} is not supported; use float32 or float64")


def _input_array(value, weight):
    """The layer's input as an array of the weights' dtype, as Keras casts it."""
    arr = as_float_array(value.array, "x")
    return arr.astype(weight.dtype, copy=False)


def _dense(layer, config, weights, value, state):
    _check_dtype_policy(config)
    if config.get("lora_rank"):
        raise ValueError("LoRA-adapted Dense layers are not supported")
    names = ["kernel (M, K)", "bias (K,)"] if config["use_bias"] else ["kernel (M, K)"]
    _check_weight_count(weights, names)
    kernel = weights[0]
    bias = weights[1] if config["use_bias"] else None
    if kernel.ndim != 2 or kernel.shape[1] != config["units"]:
        raise ValueError(
            f"kernel must have shape (M, units={config['units']}); got {kernel.shape}"
        )
    x = _input_array(value, kernel)
    check_ndim(x, "x", (2, 3), "(N, M) or (N, T, M)")
    y = dense_forward(x, kernel, bias, activation=config["activation"])
    # Dense passes its input's mask on unchanged.
    return _Value(y, value.mask)


def masked_outputs(states, mask, zero_output_for_mask):
    """What a Keras RNN outputs at each step, given its states and mask.

    states: (N, T, M) the state after every step, in processing order.
    mask: (N, T) booleans in processing order, or None.
    At a masked step Keras outputs the previous step's output (zeros before
    the first real step), or zeros when zero_output_for_mask is True. The
    state is carried over either way, so the previous output is the carried
    state once a real step has been seen.
    Returns outputs: (N, T, M).
    """
    if mask is None:
        return states
    if zero_output_for_mask:
        keep = mask
    else:
        keep = np.cumsum(mask, axis=1) > 0
    return np.where(keep[:, :, None], states, np.zeros((), dtype=states.dtype))


def _initial_states(state, n, sizes):
    """The initial states as a list of (N, size) arrays, or None."""
    if state is None:
        return None
    arrays = state.array
    if not isinstance(arrays, (list, tuple)):
        arrays = [arrays]
    if len(arrays) != len(sizes):
        raise ValueError(f"initial_state must be a list of {len(sizes)} arrays; got {len(arrays)}")
    out = []
    for i, (a, m) in enumerate(zip(arrays, sizes)):
        a = as_float_array(a, f"initial_state[{i}]")
        if a.shape != (n, m):
            raise ValueError(f"initial_state[{i}] must have shape (N, M) = {(n, m)}; got {a.shape}")
        out.append(a)
    return out


def _check_recurrent_config(config):
    _check_dtype_policy(config)
    if config.get("stateful"):
        raise ValueError(
            "stateful=True layers keep their state between calls, which by_hand cannot see; "
            "pass the state explicitly with initial_state instead"
        )


def _recurrent(layer, config, weights, value, state):
    """SimpleRNN, LSTM and GRU: check config and weights, run the rnnlib forward, package as Keras."""
    kind = type(layer).__name__
    _check_recurrent_config(config)
    m = config["units"]
    gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]
    reset_after = kind == "GRU" and config.get("reset_after", True)
    bias_shape = "(2, 3M)" if reset_after else f"({gates}M,)" if gates > 1 else "(M,)"
    cols = "M" if gates == 1 else f"{gates}M"
    names = [f"kernel (D, {cols})", f"recurrent_kernel (M, {cols})"] + ([f"bias {bias_shape}"] if config["use_bias"] else [])
    _check_weight_count(weights, names)
    kernel, recurrent_kernel = weights[0], weights[1]
    bias = weights[2] if config["use_bias"] else None
    if kernel.ndim != 2 or kernel.shape[1] != gates * m:
        expected = f"units={m}" if gates == 1 else f"{gates}*units={gates * m}"
        raise ValueError(f"kernel must have shape (D, {expected}); got {kernel.shape}")
    x = _input_array(value, kernel)
    check_ndim(x, "x", (3,), "(N, T, D)")
    n, t, _ = x.shape
    mask = None if value.mask is None else as_mask(value.mask, n, t)
    sizes = [m, m] if kind == "LSTM" else [m]
    init = _initial_states(state, n, sizes)
    init = [None] * len(sizes) if init is None else [a.astype(x.dtype, copy=False) for a in init]
    common = dict(mask=mask, go_backwards=config["go_backwards"])
    if kind == "SimpleRNN":
        states, h_last = simple_rnn_forward(
            x, kernel, recurrent_kernel, bias, activation=config["activation"], h0=init[0], **common)
        finals = [h_last]
    elif kind == "LSTM":
        states, h_last, c_last = lstm_forward(
            x, kernel, recurrent_kernel, bias, activation=config["activation"],
            recurrent_activation=config["recurrent_activation"], h0=init[0], c0=init[1], **common)
        finals = [h_last, c_last]
    else:
        states, h_last = gru_forward(
            x, kernel, recurrent_kernel, bias, activation=config["activation"],
            recurrent_activation=config["recurrent_activation"], reset_after=reset_after, h0=init[0], **common)
        finals = [h_last]
    step_mask = None if mask is None else (mask[:, ::-1] if config["go_backwards"] else mask)
    outputs = masked_outputs(states, step_mask, config["zero_output_for_mask"])
    return _recurrent_result(config, outputs, finals, mask)


def _bidirectional(layer, config, weights, value, state):
    """A forward and a backward recurrent layer over the same input, merged as Keras merges them."""
    forward_state = backward_state = None
    if state is not None:
        states = state.array if isinstance(state.array, (list, tuple)) else [state.array]
        half = len(states) // 2
        forward_state, backward_state = _Value(list(states[:half]), None), _Value(list(states[half:]), None)
    y = _run_layer(layer.forward_layer, _Value(value.array, value.mask), forward_state)
    y_rev = _run_layer(layer.backward_layer, _Value(value.array, value.mask), backward_state)
    finals = []
    if config["layer"]["config"].get("return_state"):
        finals = [v.array for v in y[1:]] + [v.array for v in y_rev[1:]]
        y, y_rev = y[0], y_rev[0]
    out, out_rev = y.array, y_rev.array
    sequences = config["layer"]["config"].get("return_sequences")
    if sequences:
        out_rev = out_rev[:, ::-1]  # the backward layer's sequence, back in input order
    mode = config["merge_mode"]
    out_mask = value.mask if sequences else None
    if mode == "concat":
        merged = [_Value(np.concatenate([out, out_rev], axis=-1), out_mask)]
    elif mode == "sum":
        merged = [_Value(out + out_rev, out_mask)]
    elif mode == "ave":
        merged = [_Value((out + out_rev) / 2, out_mask)]
    elif mode == "mul":
        merged = [_Value(out * out_rev, out_mask)]
    elif mode is None:
        merged = [_Value(out, out_mask), _Value(np.ascontiguousarray(out_rev), out_mask)]
    else:
        raise ValueError(f"merge_mode must be one of 'concat', 'sum', 'ave', 'mul' or None; got {mode!r}")
    result = merged + [_Value(s, None) for s in finals]
    return result[0] if len(result) == 1 else result


def _recurrent_result(config, outputs, final_states, mask):
    """Package an RNN's outputs as Keras does, with the masks Keras passes on."""
    if config["return_sequences"]:
        output = _Value(outputs, mask)
    else:
        output = _Value(outputs[:, -1], None)
    if config["return_state"]:
        return [output] + [_Value(s, None) for s in final_states]
    return output


def _time_distributed(layer, config, weights, value, state):
    """The wrapped layer applied to every time step: (N, T, ...) -> (N*T, ...) -> (N, T, ...)."""
    x = as_float_array(value.array, "x")
    if x.ndim < 3:
        raise ValueError(f"x must be at least 3-D, (N, T, ...), for TimeDistributed; got shape {x.shape}")
    n, t = x.shape[:2]
    inner = _run_layer(layer.layer, _Value(x.reshape((n * t,) + x.shape[2:]), None), None)
    if not isinstance(inner, _Value):
        raise ValueError(f"the wrapped layer {layer.layer.name!r} returns several arrays; TimeDistributed needs one")
    # The mask passes through unchanged, as Keras's TimeDistributed passes it on.
    return _Value(inner.array.reshape((n, t) + inner.array.shape[1:]), value.mask)


def _embedding(layer, config, weights, value, state):
    """Row lookup: token id k becomes row k of the embeddings matrix (vocabulary, dim)."""
    if config.get("lora_rank"):
        raise ValueError("LoRA-adapted Embedding layers are not supported")
    _check_weight_count(weights, ["embeddings (vocabulary, dim)"])
    (table,) = weights
    if table.shape != (config["input_dim"], config["output_dim"]):
        raise ValueError(f"embeddings must have shape (input_dim, output_dim) = "
                         f"{(config['input_dim'], config['output_dim'])}; got {table.shape}")
    ids = np.asarray(value.array)
    if ids.dtype.kind == "f" and np.any(ids != np.round(ids)):
        raise ValueError("x must hold whole-number token ids")
    if ids.dtype.kind not in "iuf":
        raise ValueError(f"x must hold token ids; got an array of dtype {ids.dtype}")
    ids = ids.astype(np.int64)
    if ids.size and (ids.min() < 0 or ids.max() >= table.shape[0]):
        raise ValueError(f"token ids must lie in [0, {table.shape[0]}); got ids from {ids.min()} to {ids.max()}")
    # mask_zero=True: id 0 is padding, and the mask travels on to the next layers.
    return _Value(table[ids], (ids != 0) if config.get("mask_zero") else None)


def _global_pooling(layer, config, weights, value, state):
    """Max or mean over the time axis: (N, T, M) -> (N, M); the mean skips masked steps."""
    if config.get("data_format", "channels_last") != "channels_last":
        raise ValueError(f"only data_format='channels_last' is supported; got {config['data_format']!r}")
    x = as_float_array(value.array, "x")
    check_ndim(x, "x", (3,), "(N, T, M)")
    keepdims = config.get("keepdims", False)
    if type(layer).__name__ == "GlobalMaxPooling1D":
        # Keras's max pooling takes no mask: padded steps count too.
        return _Value(x.max(axis=1, keepdims=keepdims), None)
    if value.mask is None:
        return _Value(x.mean(axis=1, keepdims=keepdims), None)
    mask = as_mask(value.mask, x.shape[0], x.shape[1])[:, :, None].astype(x.dtype)
    total = (x * mask).sum(axis=1, keepdims=keepdims)
    return _Value(total / mask.sum(axis=1, keepdims=keepdims), None)


_LAYER_HANDLERS = {
    "Bidirectional": _bidirectional,
    "Dense": _dense,
    "Embedding": _embedding,
    "GlobalAveragePooling1D": _global_pooling,
    "GlobalMaxPooling1D": _global_pooling,
    "GRU": _recurrent,
    "LSTM": _recurrent,
    "SimpleRNN": _recurrent,
    "TimeDistributed": _time_distributed,
}
_RECURRENT = {"SimpleRNN", "LSTM", "GRU", "Bidirectional"}
