"""Live widgets for the notebooks. Every number they show comes from rnnlib's reference math, which the tests
check against Keras. A widget computes what it shows in one method, compute(**settings); its "shown" entry holds
the (label, value) pairs the readout writes, in order. tests/test_widgets.py and `make test-browser` (through
live_widget_report) compare what a readout shows with those pairs, readout_values(), number by number."""

import base64
import html
import io
import re

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from rnnlib._checks import as_float_array, check_ndim
from rnnlib.activations import get_activation
from rnnlib.params import dense_params, feedforward_params, recurrent_parts, row_for_config
from rnnlib.jacobians import linear_map, scaled_to_spectral_radius, spectral_radius, state_jacobian_norms
from rnnlib.language_model import next_token_probabilities, sample
from rnnlib.layers import RECURRENT
from rnnlib.plots import (BLUE, plot_block_norms, plot_gates, plot_gradient_norms, plot_param_parts, plot_unrolled,
                          readable_decades, unrolled_width)
from rnnlib.shapes import batching_shapes, multiply_adds
from rnnlib.simple_rnn import one_unit_rnn

#: The recurrent layers the parameter explorer offers, label -> (kind, options): rnnlib.layers.RECURRENT, the GRU
#: in both of its forms.
RECURRENT_CHOICES = {kind: (kind, {}) for kind in RECURRENT if kind != "GRU"} | {
    f"GRU (reset_after={after})": ("GRU", {"reset_after": after}) for after in (True, False)}
# The activations worth sliding through for one unit; any Keras name works in code.
EXPLORER_ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear", "hard_sigmoid", "softsign", "elu")
# Figures are drawn at twice the 100 dpi of the notebooks' own figures and shown at half their pixel
# size: as large as a static figure, and sharp on a screen with two device pixels per CSS pixel.
DPI, DENSITY = 100, 2
LONG_SLIDER = widgets.Layout(width="560px")  # about 500 px of track: a drag moves in steps of 0.01 or less
CELL = 'style="padding: 0.15em 1.4em 0.15em 0"'  # table cells that do not run together
RHO = dict(min=0.5, max=1.5, step=0.01, readout_format=".2f")  # a spectral radius slider's range and steps
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")  # W³¹ reads the same in HTML and as text


def _png(fig, **options):
    """A matplotlib Figure as PNG bytes at DENSITY times DPI (no pyplot, so nothing is shown twice)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI * DENSITY, **options)
    return buffer.getvalue()


def _png_size(png):
    """(width, height) in pixels, read from a PNG's header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _plain(markup):
    """Markup without its tags, entities decoded, runs of spaces made one."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def _subscripts(label):
    """A readout label's h_0 and ∂h_59 as HTML subscripts (readout_text turns them back)."""
    return re.sub(r"_(\w+)", r"<sub>\1</sub>", label)


def readout_text(markup):
    """The text a reader sees in a readout's HTML: one line per row or break, table columns aligned."""
    markup = re.sub(r"<sub>(.*?)</sub>", r"_\1", markup)
    rows = [[_plain(cell) for cell in re.split(r"</t[dh]>", line)] for line in re.split(r"<br>|</tr>|</p>", markup)]
    rows = [row[:-1] if len(row) > 1 and not row[-1] else row for row in rows]  # the text after the last cell
    rows = [row for row in rows if any(row)]
    widths = {}
    for row in (row for row in rows if len(row) > 1):  # table rows; a line of text sets no width
        for i, cell in enumerate(row):
            widths[i] = max(widths.get(i, 0), len(cell))
    return "\n".join("  ".join(cell.ljust(widths.get(i, 0)) for i, cell in enumerate(row)).rstrip() for row in rows)


# Text a class can read on a projector: 16 px (12 pt), not JupyterLab's 13 px; tables at line-height 1.5 (24 px),
# not 28 px, so that a readout table and the picture below fit one slide. In a hidden child of each course widget.
READABLE_CSS = ("<style>.rnn-course .widget-label, .rnn-course .widget-readout, .rnn-course .widget-html-content, "
                ".rnn-course select, .rnn-course code {font-size: 16px} "
                ".rnn-course .widget-html-content table {line-height: 1.5}</style>")


def _slider(kind, value, description, **options):
    """A slider that reports its value when let go, LONG_SLIDER wide."""
    return kind(value=value, description=description, continuous_update=False, layout=LONG_SLIDER, **options)


class CourseWidget(widgets.VBox):
    """Controls, a readout and an optional picture. A subclass passes {attribute name: control}, and defines
    compute(**settings) -> {name: result} (each then an attribute) and draw(results), which writes the readout
    and the picture. Saved without a kernel (GitHub, nbviewer), it shows a picture of its state, not a repr."""

    def __init__(self, controls, label_width="115px", picture=True):
        vars(self).update(controls)
        self.controls, self._names = tuple(controls.values()), tuple(controls)
        for control in self.controls:
            control.style.description_width = label_width
            control.observe(self._update, names="value")
        self.readout = widgets.HTML()
        self.picture = widgets.Image(format="png") if picture else None
        shown = [*self.controls, self.readout] + ([self.picture] if picture else [])
        super().__init__([*shown, widgets.HTML(READABLE_CSS, layout=widgets.Layout(display="none"))])
        self.add_class("rnn-course")
        self._update()

    def settings(self):
        """{attribute name: value} of every control."""
        return {name: control.value for name, control in zip(self._names, self.controls)}

    def readout_values(self, **settings):
        """The readout's (label, value) pairs, in order, for these settings (the others as the controls are)."""
        return self.compute(**{**self.settings(), **settings})["shown"]

    def _update(self, change=None):
        results = self.compute(**self.settings())
        vars(self).update(results)
        self.draw(results)

    def _show(self, fig):
        """Draw a Figure into the picture at its natural size."""
        png = _png(fig, bbox_inches="tight")
        width, height = _png_size(png)
        self.picture.value = png
        self.picture.layout = widgets.Layout(width=f"{width // DENSITY}px", height=f"{height // DENSITY}px")

    def summary(self):
        """One line per control ('U (kernel) = 1.45'), then the readout's text."""
        controls = [f"{c.description} = {c.value:.2f}" if isinstance(c.value, float) else f"{c.description} = {c.value}"
                    for c in self.controls]
        return "\n".join(controls + [readout_text(self.readout.value)])

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        png = _static_picture(self.summary(), self.picture.value if self.picture is not None else None)
        data["image/png"] = base64.b64encode(png).decode("ascii")
        data["text/plain"] = f"{type(self).__name__} (run the notebook to move it)\n{self.summary()}"
        return data, {"image/png": {"width": _png_size(png)[0] // DENSITY}}


def _static_picture(text, picture=None):
    """PNG bytes: the text in a monospace block, above the picture (PNG bytes at DENSITY) if any, pasted with Pillow
    in 8-bit colour (matplotlib's imread would hold it as floats, 100 MiB for a large figure, in a small kernel)."""
    below = Image.open(io.BytesIO(picture)) if picture else None
    width = below.width if below is not None else 620 * DENSITY
    text_height = (text.count("\n") * 15 + 31) * DENSITY
    fig = Figure(figsize=(width / (DPI * DENSITY), text_height / (DPI * DENSITY)))
    fig.text(8 * DENSITY / width, 1 - 8 * DENSITY / text_height, text, va="top", ha="left", family="monospace",
             fontsize=8.5)
    if below is None:
        return _png(fig)
    above = Image.open(io.BytesIO(_png(fig)))
    both = Image.new("RGB", (width, above.height + below.height), "white")
    both.paste(above.convert("RGB"), (0, 0))
    both.paste(below.convert("RGB"), (0, above.height))
    buffer = io.BytesIO()
    both.save(buffer, format="PNG")
    return buffer.getvalue()


def live_widget_report():
    """For every live course widget, in the order made: its class, its controls' values and its readout_values(),
    as JSON takes them. `make test-browser` prints it in the notebook's kernel and compares it with the page."""
    return [{"class": type(w).__name__, "controls": {c.description: c.value for c in w.controls},
             "values": [[label, value if isinstance(value, str) else np.asarray(value).tolist()]
                        for label, value in w.readout_values()]}
            for w in list(widgets.widget._instances.values()) if isinstance(w, CourseWidget)]


class OneUnitRNNExplorer(CourseWidget):
    """Sliders for U, W and b, a choice of activation and a number of steps for a 1-unit RNN; shows the states
    h_t and the prediction ŷ = h_{T-1} V + b_y (attributes `h`, `y_hat`) and the unrolled graph. Steps
    beyond the given x read the input 0: there the state only feeds itself, h_t = φ(h_{t-1} W + b)."""

    def __init__(self, x=(1.0, 2.0, 3.0), U=1.4501959, W=-1.0, b=0.0, V=0.5759429, b_y=0.0, activation="tanh"):
        get_activation(activation)  # refuses a name rnnlib does not compute
        self.x = np.asarray(x, dtype=np.float64).ravel()
        if self.x.size == 0:
            raise ValueError("x must hold at least one time step; got an empty sequence")
        self.V, self.b_y = float(V), float(b_y)
        weights = (("U", U, "kernel"), ("W", W, "recurrent"), ("b", b, "bias"))
        choices = tuple(dict.fromkeys((activation, *EXPLORER_ACTIVATIONS)))
        super().__init__({**{name: _slider(widgets.FloatSlider, value, f"{name} ({meaning})", min=-3.0, max=3.0,
                                           step=0.01, readout_format=".2f") for name, value, meaning in weights},
                          "steps": _slider(widgets.IntSlider, self.x.size, "steps", min=1, max=max(8, self.x.size)),
                          "activation": widgets.Dropdown(options=choices, value=activation, description="activation")},
                         label_width="135px")

    def inputs(self, steps=None):
        """The inputs of the chosen number of steps (default: the slider's): x, then zeros."""
        steps = self.steps.value if steps is None else steps
        return np.concatenate([self.x, np.zeros(max(0, steps - self.x.size))])[:steps]

    def compute(self, U, W, b, steps, activation):
        h, y_hat = one_unit_rnn(self.inputs(steps), U, W, b, self.V, self.b_y, activation)
        return {"h": h, "y_hat": y_hat, "shown": [(f"h_{t} =", v) for t, v in enumerate(h)] + [("ŷ =", y_hat)]}

    def draw(self, results):
        pad = 'style="padding: 0 1.2em 0 0"'
        cells = [f"{_subscripts(label)} {value:.4f}" for label, value in results["shown"]]
        cells[-1] = f"<b>{cells[-1]}</b>"
        self.readout.value = f"<table><tr>{''.join(f'<td {pad}>{cell}</td>' for cell in cells)}</tr></table>"
        fig = Figure(figsize=(unrolled_width(len(self.h)), 3.6))
        plot_unrolled(self.inputs(), self.U.value, self.W.value, self.b.value, self.V, self.b_y, self.activation.value,
                      ax=fig.add_subplot())
        self._show(fig)


class ParamCounter(CourseWidget):
    """Sliders for D, M, K and T and a choice of recurrent layer (followed by Dense(K)); shows the parameter count
    (`count`), its formula, a bar of where the parameters live, and the count of a Dense network on the flattened
    sequence of length T (`feedforward`)."""

    def __init__(self, D=10, M=15, K=3, T=20, layer="SimpleRNN"):
        if layer not in RECURRENT_CHOICES:
            raise ValueError(f"layer must be one of {', '.join(RECURRENT_CHOICES)}; got {layer!r}")
        sizes = (("D", D, "inputs"), ("M", M, "units"), ("K", K, "outputs"), ("T", T, "steps"))
        super().__init__({"layer": widgets.Dropdown(options=list(RECURRENT_CHOICES), value=layer, description="layer"),
                          **{n: _slider(widgets.IntSlider, v, f"{n} ({meaning})", min=1, max=256)
                             for n, v, meaning in sizes}})

    def compute(self, layer, D, M, K, T):
        kind, options = RECURRENT_CHOICES[layer]
        row = row_for_config("rnn", kind, dict(units=M, use_bias=True, **options), (None, T, D))
        dense, feedforward = dense_params(M, K), feedforward_params(T, D, M, K)
        parts = [*recurrent_parts(kind, D, M, **options), (f"Dense kernel V ({M}×{K})", M * K),
                 (f"Dense bias b_y ({K})", K)]
        return {"count": row.count + dense, "feedforward": feedforward, "parts": parts,
                "shown": [(f"{layer}: {row.symbols} = {row.numbers} =", row.count),
                          (f"Dense(K): M·K + K = {M}·{K} + {K} =", dense), ("Total", row.count + dense),
                          (f"sequence of T = {T} steps would need", feedforward)]}

    def draw(self, results):
        (layer, rnn), (dense_label, dense), (total_label, total), (flat, feedforward) = results["shown"]
        self.readout.value = (f"{layer} <b>{rnn:,}</b><br>{dense_label} <b>{dense:,}</b><br>{total_label} "
                              f"<b>{total:,}</b>, whatever T is. A Dense network on the flattened {flat} "
                              f"<b>{feedforward:,}</b>.")
        fig = Figure(figsize=(8, 1.6))
        plot_param_parts(results["parts"], ax=fig.add_subplot(), title=f"{total:,} parameters")
        self._show(fig)


class ShapeExplorer(CourseWidget):
    """Sliders for N, T, D and M; shows every array's shape in the batched forward pass and the multiply-adds."""

    def __init__(self, N=32, T=28, D=32, M=16):
        sizes = (("N", N, "samples"), ("T", T, "steps"), ("D", D, "inputs"), ("M", M, "units"))
        super().__init__({name: _slider(widgets.IntSlider, value, f"{name} ({meaning})", min=1, max=512)
                          for name, value, meaning in sizes}, picture=False)

    def compute(self, N, T, D, M):
        arrays = batching_shapes(N, T, D, M)
        per_step, total = multiply_adds(N, T, D, M)
        return {"arrays": arrays, "shapes": {a.name: a.shape for a in arrays}, "per_step": per_step, "total": total,
                "shown": [(a.name, a.shape) for a in arrays] + [("N·D·M + N·M·M =", per_step),
                                                                 ("in all, T times that:", total)]}

    def draw(self, results):
        rows = "".join(f"<tr><td {CELL}><code>{a.name}</code></td><td {CELL}>{shape}</td><td {CELL}>{a.meaning}"
                       "</td></tr>" for a, (_, shape) in zip(results["arrays"], results["shown"]))
        (per_step_label, per_step), (total_label, total) = results["shown"][-2:]
        self.readout.value = (f"<table>{rows}</table><p>multiply-adds per step: {per_step_label} <b>{per_step:,}</b>; "
                              f"{total_label} <b>{total:,}</b></p>")


class GateStepper(CourseWidget):
    """A time step slider; shows the gates in names at that step for each unit, and plots them over time.
    gates: {name: (N, T, M)} from rnnlib.lstm_forward / gru_forward with return_gates=True."""

    def __init__(self, gates, names, sample=0):
        missing = [n for n in names if n not in gates]
        if missing:
            raise ValueError(f"gates has no {missing}; it has {sorted(gates)}")
        self.gates, self.names, self.sample = gates, tuple(names), sample
        super().__init__({"t": _slider(widgets.IntSlider, 0, "time step t", min=0, max=gates[names[0]].shape[1] - 1)})

    def compute(self, t):
        values = {n: self.gates[n][self.sample, t] for n in self.names}
        return {"values": values, "shown": list(values.items())}

    def draw(self, results):
        shown = results["shown"]
        header = "".join(f"<th style='padding:0 1em'>unit {u}</th>" for u in range(len(shown[0][1])))
        rows = "".join(f"<tr><td style='padding:0 1em 0 0'>{name}</td>"
                       + "".join(f"<td style='padding:0 1em'>{v:+.4f}</td>" for v in values) + "</tr>"
                       for name, values in shown)
        self.readout.value = f"<table style='font-size: 16px'><tr><th></th>{header}</tr>{rows}</table>"  # 12 pt
        rows, cols = -(-len(self.names) // 3), min(3, len(self.names))
        fig = Figure(figsize=(3.4 * cols, 1.95 * rows))  # shorter than plot_gates: readout and panels fit one slide
        plot_gates(self.gates, self.names, self.sample, axes=fig.subplots(rows, cols, sharex=True, squeeze=False),
                   marker_t=self.t.value)
        self._show(fig)


class GradientFlowExplorer(CourseWidget):
    """A slider for the spectral radius of W and a choice of activation; shows how the norm of ∂h_{T-1}/∂h_{T-1-k}
    changes with the lag k (`norms`, lags 1 to T-1) and reads it at `lag`. x: (T, D) one input sequence.
    kernel U: (D, M). recurrent_kernel W: (M, M), rescaled to the chosen spectral radius."""

    def __init__(self, x, kernel, recurrent_kernel, rho=1.0, activation="tanh", lag=40):
        self.x, self.kernel, self.recurrent_kernel = np.asarray(x), np.asarray(kernel), np.asarray(recurrent_kernel)
        if not 1 <= lag < len(self.x):
            raise ValueError(f"lag must lie between 1 and T-1 = {len(self.x) - 1}; got {lag!r}")
        self.lag = lag
        super().__init__({"rho": _slider(widgets.FloatSlider, rho, "spectral radius of W", **RHO),
                          "activation": widgets.Dropdown(options=["tanh", "linear"], value=activation,
                                                         description="activation")}, label_width="185px")

    def compute(self, rho, activation):
        norms = state_jacobian_norms(self.x, self.kernel, scaled_to_spectral_radius(self.recurrent_kernel, rho),
                                     activation=activation)
        last = len(self.x) - 1
        return {"norms": norms, "shown": [(f"‖∂h_{last}/∂h_{last - self.lag}‖ =", norms[self.lag - 1]),
                                          ("at lag", self.lag)]}

    def draw(self, results):
        (label, norm), (at, lag) = results["shown"]
        self.readout.value = f"{_subscripts(label)} <b>{norm:.3g}</b> {at} {lag}"
        fig = Figure(figsize=(7, 3.4))
        label = f"{self.activation.value}, spectral radius {self.rho.value:.2f}"
        plot_gradient_norms({label: (np.arange(1, len(self.x)), self.norms)}, ax=fig.add_subplot())
        fig.axes[0].set_ylim(1e-12, 1e6)
        self._show(fig)


class TemperatureSampler(CourseWidget):
    """A temperature slider for a trained language model: lines it samples after the token ids prompt (with
    default_rng(seed): a temperature always shows the same lines), which is_valid (text -> bool) accepts, their
    bits per character, and the first character's distribution beside exact's (K,) dots. decode: ids -> text."""

    def __init__(self, model, prompt, *, decode, is_valid, stop, exact=None, lines=4, seed=0, temperature=1.0,
                 max_length=72):
        self.model, self.prompt, self.decode, self.is_valid, self.exact = model, list(prompt), decode, is_valid, exact
        self.stop, self.lines, self.seed, self.max_length = stop, lines, seed, max_length
        super().__init__({"temperature": _slider(widgets.FloatSlider, temperature, "temperature", min=0.1, max=2.0,
                                                 step=0.1, readout_format=".1f")})

    def compute(self, temperature):
        samples, bits = sample(self.model, self.prompt, self.lines, temperature=temperature,
                               rng=np.random.default_rng(self.seed), stop=self.stop, max_length=self.max_length)
        texts = [self.decode(ids) for ids in samples]
        valid, bits = [self.is_valid(text) for text in texts], np.average(bits, weights=[len(t) for t in texts])
        p = next_token_probabilities(self.model, np.array([self.prompt]), temperature=temperature)[0]
        return {"texts": texts, "valid": valid, "bits": bits, "p": p,
                "shown": [("✓" if ok else "✗", text.rstrip("\n")) for text, ok in zip(texts, valid)]
                + [("", sum(valid)), ("of", len(texts)), ("lines valid;", bits)]}

    def draw(self, results):
        rows = "".join(f"<tr><td {CELL}>{mark}</td><td><code>{html.escape(text)}"
                       f"{'' if full.endswith(chr(10)) else ' …'}</code></td></tr>"
                       for (mark, text), full in zip(results["shown"], results["texts"]))
        (_, valid), (_, lines), (_, bits) = results["shown"][-3:]
        self.readout.value = (f"<table>{rows}</table><p><b>{valid} of {lines} lines valid</b>; "
                              f"<b>{bits:.2f} bits</b> per character, as the model scores its own lines</p>")
        p, k, temperature = results["p"], np.arange(len(results["p"])), self.temperature.value
        fig = Figure(figsize=(8, 2.3))
        ax = fig.add_subplot()
        ax.bar(k, p, color=BLUE, label="the model")
        if self.exact is not None:
            ax.plot(k, self.exact, "o", color="black", label="the source")
            ax.legend(loc="upper right")
        ax.set_xticks(k, [self.decode([i]).replace("\n", "⏎").replace(" ", "␣") for i in k])
        ax.set(ylim=(0, 1), ylabel="p", title=f"The first character of a line, temperature {temperature:.1f}")
        self._show(fig)


def _checked_block_weights(U, W, V, T):
    """U (D, M), W (M, M), V (M, K) as float64 arrays and T, or a ValueError naming what is wrong."""
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 2:
        raise ValueError(f"T must be a whole number of steps, at least 2; got {T!r}")
    U, W, V = (as_float_array(a, name).astype(np.float64) for a, name in ((U, "U"), (W, "W"), (V, "V")))
    check_ndim(U, "U", (2,), "(D, M)")
    check_ndim(V, "V", (2,), "(M, K)")
    m = U.shape[1]
    if W.shape != (m, m):
        raise ValueError(f"W must have shape (M, M) = {(m, m)}, M being the {m} columns of U; got shape {W.shape}")
    if V.shape[0] != m:
        raise ValueError(f"V must have shape (M, K) with M = {m} rows, as U has columns; got shape {V.shape}")
    return U, W, V, int(T)


class BlockNormExplorer(CourseWidget):
    """A slider for the spectral radius rho of W; shows the size (Frobenius norm) of every (D, K) block of
    A = linear_map(U, W, V, T) (`A`), W rescaled to rho, and the sizes ‖U W^k V‖, lags k = 0 .. T-1
    (`block_norms`)."""

    def __init__(self, U, W, V, T, rho=None):
        self.U, self.W, self.V, self.T = _checked_block_weights(U, W, V, T)
        radius = spectral_radius(self.W)
        if radius == 0:
            raise ValueError("W must have a nonzero spectral radius to be rescaled; got a nilpotent W (radius 0)")
        rho = radius if rho is None else rho
        if not 0.5 <= rho <= 1.5:
            raise ValueError(f"rho must lie between 0.5 and 1.5, the slider's range (W's own spectral radius is "
                             f"{radius:.3g}); got {rho!r}")
        ends = np.concatenate([self.compute(r)["block_norms"] for r in (0.5, 1.5)])
        ends = ends[ends > 0] if (ends > 0).any() else np.array([1.0])  # a log axis needs sizes above 0
        self.ylim = (ends.min() / 2, ends.max() * 2)  # the same axes at every rho
        super().__init__({"rho": _slider(widgets.FloatSlider, rho, "spectral radius of W", **RHO)}, label_width="185px")

    def compute(self, rho):
        T, d, k = self.T, self.U.shape[0], self.V.shape[1]
        A = linear_map(self.U, scaled_to_spectral_radius(self.W, rho), self.V, T)
        norms = np.linalg.norm(A[:d].reshape(d, T, k), axis=(0, 2))  # the first block row: lags 0 .. T-1
        power = str(T - 1).translate(SUPERSCRIPTS)
        return {"A": A, "block_norms": norms, "shown": [("‖U V‖ =", norms[0]), (f"‖U W{power} V‖ =", norms[-1]),
                                                        (f"at lag {T - 1},", norms[-1] / norms[0])]}

    def draw(self, results):
        (first_label, first), (last_label, last), (at, ratio) = results["shown"]
        self.readout.value = (f"{first_label} <b>{first:.3g}</b> at lag 0; {last_label} <b>{last:.3g}</b> {at} "
                              f"{ratio:.3g} times the first")
        fig = Figure(figsize=(10, 3.9))
        heat, line = fig.subplots(1, 2, width_ratios=(1.1, 1))
        plot_block_norms(self.A, self.T, self.U.shape[0], self.V.shape[1], ax=heat,
                         title=f"Block sizes, ρ = {self.rho.value:.2f}")
        line.semilogy(np.arange(self.T), self.block_norms, "o-", ms=3, color=BLUE)
        line.axhline(first, color="grey", lw=0.8, ls="--")
        line.set(ylim=self.ylim, xlabel="lag k = t − s", ylabel="‖U W$^k$ V‖ (log scale)",
                 title="Size of a block against its lag (dashed: lag 0)")
        line.minorticks_off()  # many decades: the major ticks are enough
        readable_decades(line)
        fig.subplots_adjust(wspace=0.5)  # room for the colour bar's widest labels
        self._show(fig)
