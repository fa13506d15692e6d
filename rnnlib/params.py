"""Counting parameters by formula.

Each count comes from a layer's configuration (units, use_bias, reset_after, ...) and the input size Keras recorded
when it built the layer; nothing here calls Keras's own count_params() or looks at weight arrays. The notebooks then
assert that the formula and Keras agree.

Letters: D input features, M hidden units (or a Dense layer's input
features), K a Dense layer's units. Each function's docstring gives its formula with
biases (use_bias=True, Keras's default).
"""

from dataclasses import dataclass

from rnnlib import keras_adapter
from rnnlib._checks import check_sizes
from rnnlib.layers import GATE_BLOCKS, MODELS, NO_PARAMETERS, WITH_PARAMETERS, gate_blocks

# ------------------------------------------------------------ formulas on numbers


def simple_rnn_params(D, M, use_bias=True):
    """SimpleRNN: D·M + M·M + M, kernel U (D, M) + recurrent_kernel W (M, M) + bias b (M,)."""
    check_sizes(D=D, M=M)
    return D * M + M * M + (M if use_bias else 0)


def lstm_params(D, M, use_bias=True):
    """LSTM: 4·(D·M + M·M + M), four SimpleRNN-sized blocks: i, f, c̃ (the candidate cell), o in Keras's order."""
    check_sizes(D=D, M=M)
    return 4 * (D * M + M * M + (M if use_bias else 0))


def gru_params(D, M, use_bias=True, reset_after=True):
    """GRU: three blocks (update z, reset r, candidate), 3·(D·M + M·M) + 2·3·M with reset_after=True (Keras's
    default), which keeps two bias rows, and 3·(D·M + M·M + M) with reset_after=False."""
    check_sizes(D=D, M=M)
    bias_rows = (2 if reset_after else 1) if use_bias else 0
    return 3 * (D * M + M * M) + bias_rows * 3 * M


def dense_params(M, K, use_bias=True):
    """Dense: M·K + K, kernel V (M, K) + bias b_y (K,)."""
    check_sizes(M=M, K=K)
    return M * K + (K if use_bias else 0)


def embedding_params(vocabulary, dim):
    """Embedding: vocabulary·dim, one row of `dim` numbers for each of `vocabulary` tokens."""
    check_sizes(vocabulary=vocabulary, dim=dim)
    return vocabulary * dim


# ------------------------------------------------------------ layers and models

@dataclass(frozen=True)
class ParamRow:
    """One layer's count: the formula in symbols, with the numbers put in, and the result."""

    name: str
    kind: str
    symbols: str
    numbers: str
    count: int


def row_for_config(name, kind, config, input_shape):
    """A ParamRow from a layer's class name, its get_config() and its built input shape.

    For example row_for_config("rnn", "LSTM", {"units": 3}, (None, 8, 2)).count == 72.
    """
    if kind in NO_PARAMETERS:
        return ParamRow(name, kind, "no weights", "", 0)
    if kind not in WITH_PARAMETERS:
        raise ValueError(f"count_params does not support layer {name!r} of type {kind}; it supports "
                         f"{', '.join(WITH_PARAMETERS)}, layers without weights ({', '.join(sorted(NO_PARAMETERS))}), "
                         "and Sequential or functional models of them")
    if input_shape is None:
        raise ValueError(f"layer {name!r} ({kind}) is not built, so its input size is unknown; "
                         "call it on data or give the model an Input shape first")
    input_shape = tuple(input_shape)
    if kind in ("TimeDistributed", "Bidirectional"):
        return _wrapper_row(name, kind, config, input_shape)
    if kind == "Embedding":
        v, e = config["input_dim"], config["output_dim"]
        return ParamRow(name, kind, "vocabulary·dim", f"{v}·{e}", embedding_params(v, e))
    d = input_shape[-1]
    if d is None:
        raise ValueError(f"layer {name!r} ({kind}) was built without a known feature size; "
                         f"got input shape {input_shape}")
    return _unit_row(name, kind, d, config["units"], config.get("use_bias", True), config)


def _wrapper_row(name, kind, config, input_shape):
    """TimeDistributed counts its layer once (at one step); Bidirectional counts both directions."""
    if kind == "TimeDistributed":
        inner = config["layer"]
        row = row_for_config(name, inner["class_name"], inner["config"], (input_shape[0],) + input_shape[2:])
        return ParamRow(name, f"TimeDistributed({row.kind})", row.symbols, row.numbers, row.count)
    fwd = config["layer"]
    bwd = config.get("backward_layer") or fwd
    f = row_for_config(name, fwd["class_name"], fwd["config"], input_shape)
    b = row_for_config(name, bwd["class_name"], bwd["config"], input_shape)
    if (f.symbols, f.numbers) == (b.symbols, b.numbers):
        return ParamRow(name, f"Bidirectional({f.kind})", f"2·[{f.symbols}]", f"2·[{f.numbers}]", 2 * f.count)
    return ParamRow(name, f"Bidirectional({f.kind}, {b.kind})", f"[{f.symbols}] + [{b.symbols}]",
                    f"[{f.numbers}] + [{b.numbers}]", f.count + b.count)


def _unit_row(name, kind, d, units, bias, config):
    """Dense, SimpleRNN, LSTM or GRU: the formula in symbols, with the numbers put in, and the count."""
    after = kind == "GRU" and config.get("reset_after", True)  # a GRU's second bias row
    if kind == "Dense":  # M inputs, K units
        template, letters = "{D}·{M}" + (" + {M}" if bias else ""), {"D": "M", "M": "K"}
    else:
        gates, core = GATE_BLOCKS[kind], "{D}·{M} + {M}·{M}" + (" + {M}" if bias and not after else "")
        template = (core if gates == 1 else f"{gates}·({core})") + (" + 2·3·{M}" if bias and after else "")
        letters = {"D": "D", "M": "M"}
    formulas = {"Dense": dense_params, "SimpleRNN": simple_rnn_params, "LSTM": lstm_params}
    count = gru_params(d, units, bias, after) if kind == "GRU" else formulas[kind](d, units, bias)
    return ParamRow(name, "GRU (reset_after)" if after else kind, template.format(**letters),
                    template.format(D=d, M=units), count)


def _param_rows(layer_or_model):
    """One ParamRow per layer, a model's layers in order."""
    info = keras_adapter.describe(layer_or_model)
    if info.kind in MODELS:
        for layer in info.parts:
            yield from _param_rows(layer)
        return
    shape = info.input_shape
    if isinstance(shape, dict) or (isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple))):
        raise ValueError(f"layer {info.name!r} has several inputs; count_params counts single-input layers")
    yield row_for_config(info.name, info.kind, info.config, shape)


class ParamTable:
    """Where a layer's or model's parameters live: one ParamRow per layer, and the total.

    Shows as an HTML table in a notebook and as aligned text with print().
    """

    def __init__(self, rows):
        self.rows = list(rows)
        self.total = sum(r.count for r in self.rows)

    def _cells(self):
        header = ("layer", "type", "formula", "with numbers", "parameters")
        body = [(r.name, r.kind, r.symbols, r.numbers, f"{r.count:,}") for r in self.rows]
        return header, body, ("total", "", "", "", f"{self.total:,}")

    def __str__(self):
        header, body, total = self._cells()
        rows = [header] + body + [total]
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        fmt = lambda r: "  ".join(c.rjust(w) if i == 4 else c.ljust(w)
                                  for i, (c, w) in enumerate(zip(r, widths))).rstrip()
        rule = "-" * len(fmt(header))
        return "\n".join([fmt(header), rule] + [fmt(r) for r in body] + [rule, fmt(total)])

    __repr__ = __str__

    def _repr_html_(self):
        header, body, total = self._cells()
        cell = lambda tag, c, i: f"<{tag} style='text-align:{'right' if i == 4 else 'left'}'>{c}</{tag}>"
        row = lambda tag, r: "<tr>" + "".join(cell(tag, c, i) for i, c in enumerate(r)) + "</tr>"
        total_row = row("td", total).replace("<td", "<td style='font-weight:bold'", 1)
        return ("<table><thead>" + row("th", header) + "</thead><tbody>"
                + "".join(row("td", r) for r in body) + total_row + "</tbody></table>")


def param_table(layer_or_model):
    """A ParamTable for a built Keras layer or model, one row per layer."""
    return ParamTable(_param_rows(layer_or_model))


def count_params(layer_or_model):
    """The number of parameters of a built Keras layer or model, by formula."""
    return param_table(layer_or_model).total


# ------------------------------------------------------------ where the parameters live


def recurrent_parts(kind, D, M, *, reset_after=True):
    """The weight blocks of a recurrent layer with bias: [(label, count), ...].

    kind: 'SimpleRNN', 'LSTM' or 'GRU'. Blocks follow Keras's layout: the gates sit side by side in the columns of
    kernel (D, g·M), recurrent_kernel (M, g·M) and bias, with g = 1, 4 or 3.
    """
    check_sizes(D=D, M=M)
    g = gate_blocks(kind)
    bias_rows = 2 if (kind == "GRU" and reset_after) else 1
    return [
        (f"kernel U ({D}×{g * M})", D * g * M),
        (f"recurrent_kernel W ({M}×{g * M})", M * g * M),
        (f"bias b ({bias_rows}×{g * M})" if bias_rows > 1 else f"bias b ({g * M})", bias_rows * g * M),
    ]


def feedforward_params(T, D, M, K):
    """A Dense network on the flattened sequence: (T·D) → (T·M) → (T·K), biases included."""
    check_sizes(T=T, D=D, M=M, K=K)
    return dense_params(T * D, T * M) + dense_params(T * M, T * K)
