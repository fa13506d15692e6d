"""Live widgets for the notebooks. Every number they show comes from rnnlib's
reference math, which the tests check against Keras."""

import base64
import html
import io
import re

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from rnnlib._checks import as_float_array, check_ndim
from rnnlib.activations import ACTIVATIONS
from rnnlib.params import dense_params, feedforward_params, recurrent_parts, row_for_config
from rnnlib.jacobians import scaled_to_spectral_radius, spectral_radius, state_jacobian_norms
from rnnlib.language_model import next_token_probabilities, sample
from rnnlib.plots import (plot_block_norms, plot_gates, plot_gradient_norms, plot_param_parts, plot_unrolled,
                          readable_decades, unrolled_width)
from rnnlib.shapes import batching_shapes, multiply_adds
from rnnlib.simple_rnn import one_unit_rnn

#: The recurrent layers the parameter explorer offers: label -> (kind, options).
RECURRENT_CHOICES = {
    "SimpleRNN": ("SimpleRNN", {}),
    "LSTM": ("LSTM", {}),
    "GRU (reset_after=True)": ("GRU", {"reset_after": True}),
    "GRU (reset_after=False)": ("GRU", {"reset_after": False}),
}

# The activations worth sliding through for one unit; any Keras name works in code.
EXPLORER_ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear", "hard_sigmoid", "softsign", "elu")


# Figures are drawn at twice the 100 dpi of the notebooks' own figures and shown at half their pixel
# size: as large as a static figure, and sharp on a screen with two device pixels per CSS pixel.
DPI, DENSITY = 100, 2
LONG_SLIDER = widgets.Layout(width="560px")  # about 500 px of track: a drag moves in steps of 0.01 or less


def _png(fig):
    """A matplotlib Figure as PNG bytes at DENSITY times DPI (no pyplot, so nothing is shown twice)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI * DENSITY, bbox_inches="tight")
    return buffer.getvalue()


def _png_size(png):
    """(width, height) in pixels, read from a PNG's header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


CELL = 'style="padding: 0.15em 1.4em 0.15em 0"'  # table cells that do not run together


def _plain(markup):
    """Markup without its tags, entities decoded, runs of spaces made one."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


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


# Text a class can read on a projector: labels, numbers and readout at 16 px (12 pt), not JupyterLab's
# 13 px. Table text at line-height 1.5 (24 px at 16 px), not ipywidgets' 28 px, so that a readout
# table and the picture below it fit one slide. The <style> sits in a hidden child of each widget
# and applies to the course's widgets only.
READABLE_CSS = ("<style>.rnn-course .widget-label, .rnn-course .widget-readout, .rnn-course .widget-html-content, "
                ".rnn-course select, .rnn-course code {font-size: 16px} "
                ".rnn-course .widget-html-content table {line-height: 1.5}</style>")


class CourseWidget(widgets.VBox):
    """A VBox of controls, a readout and an optional picture, which a notebook saved without a
    kernel (GitHub, nbviewer, JupyterLab before Run All) shows as a picture of its current state
    instead of Python's repr. Subclasses set `controls`, `readout` and `picture` (or None)."""

    def __init__(self, children):
        super().__init__([*children, widgets.HTML(READABLE_CSS, layout=widgets.Layout(display="none"))])
        self.add_class("rnn-course")

    def _show(self, fig):
        """Draw a Figure into the picture at its natural size."""
        png = _png(fig)
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
    """PNG bytes: the text in a monospace block, above the picture (PNG bytes at DENSITY) if any.
    Pasted with Pillow in 8-bit colour: matplotlib's imread would hold the picture as floats, 100 MiB
    and more for a large figure, in a kernel that must stay small."""
    below = Image.open(io.BytesIO(picture)) if picture else None
    width = below.width if below is not None else 620 * DENSITY
    text_height = (text.count("\n") * 15 + 31) * DENSITY
    fig = Figure(figsize=(width / (DPI * DENSITY), text_height / (DPI * DENSITY)))
    fig.text(8 * DENSITY / width, 1 - 8 * DENSITY / text_height, text, va="top", ha="left", family="monospace",
             fontsize=8.5)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI * DENSITY)
    if below is None:
        return buffer.getvalue()
    above = Image.open(io.BytesIO(buffer.getvalue()))
    both = Image.new("RGB", (width, above.height + below.height), "white")
    both.paste(above.convert("RGB"), (0, 0))
    both.paste(below.convert("RGB"), (0, above.height))
    out = io.BytesIO()
    both.save(out, format="PNG")
    return out.getvalue()


class OneUnitRNNExplorer(CourseWidget):
    """Sliders for U, W and b, a choice of activation and a number of steps for a 1-unit RNN.

    Every change recomputes the states h_t and the prediction ŷ = h_{T-1} V + b_y
    and redraws the unrolled graph. `h` and `y` hold the current values. Steps
    beyond the given x read the input 0: there the state only feeds itself, h_t = φ(h_{t-1} W + b).
    """

    def __init__(self, x=(1.0, 2.0, 3.0), U=1.4501959, W=-1.0, b=0.0, V=0.5759429, b_y=0.0, activation="tanh"):
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; expected one of: {', '.join(ACTIVATIONS)}")
        self.x = np.asarray(x, dtype=np.float64).ravel()
        if self.x.size == 0:
            raise ValueError("x must hold at least one time step; got an empty sequence")
        self.V, self.b_y = float(V), float(b_y)
        slider = dict(min=-3.0, max=3.0, step=0.01, continuous_update=False, readout_format=".2f", layout=LONG_SLIDER)
        self.U = widgets.FloatSlider(value=U, description="U (kernel)", **slider)
        self.W = widgets.FloatSlider(value=W, description="W (recurrent)", **slider)
        self.b = widgets.FloatSlider(value=b, description="b (bias)", **slider)
        self.steps = widgets.IntSlider(value=self.x.size, min=1, max=max(8, self.x.size), description="steps",
                                       continuous_update=False, layout=LONG_SLIDER)
        choices = tuple(dict.fromkeys((activation,) + EXPLORER_ACTIVATIONS))
        self.activation = widgets.Dropdown(options=choices, value=activation, description="activation")
        self.controls = (self.U, self.W, self.b, self.steps, self.activation)
        for control in self.controls:
            control.style.description_width = "135px"
            control.observe(self._update, names="value")
        self.readout = widgets.HTML()
        self.picture = widgets.Image(format="png")
        super().__init__([*self.controls, self.readout, self.picture])
        self._update()

    def inputs(self):
        """The inputs of the chosen number of steps: x, then zeros."""
        return np.concatenate([self.x, np.zeros(max(0, self.steps.value - self.x.size))])[: self.steps.value]

    def _update(self, change=None):
        U, W, b, act = self.U.value, self.W.value, self.b.value, self.activation.value
        self.h, self.y_hat = one_unit_rnn(self.inputs(), U, W, b, self.V, self.b_y, act)
        pad = 'style="padding: 0 1.2em 0 0"'
        cells = "".join(f"<td {pad}>h<sub>{t}</sub> = {h:.4f}</td>" for t, h in enumerate(self.h))
        self.readout.value = f"<table><tr>{cells}<td {pad}><b>ŷ = {self.y_hat:.4f}</b></td></tr></table>"
        fig = Figure(figsize=(unrolled_width(len(self.h)), 3.6))
        plot_unrolled(self.inputs(), U, W, b, self.V, self.b_y, act, ax=fig.add_subplot())
        self._show(fig)

    def expected(self):
        """What the readout must show for the current controls, from rnnlib alone."""
        h, y_hat = one_unit_rnn(self.inputs(), self.U.value, self.W.value, self.b.value, self.V, self.b_y,
                                self.activation.value)
        return [f"= {value:.4f}" for value in h] + [f"ŷ = {y_hat:.4f}"]


class ParamCounter(CourseWidget):
    """Sliders for D, M, K and T and a choice of recurrent layer; shows the
    parameter count, its formula and a bar of where the parameters live.

    The layer is the chosen recurrent layer followed by Dense(K). `count`
    holds the current total and `feedforward` the count of a Dense network
    on the flattened sequence of length T, for comparison.
    """

    def __init__(self, D=10, M=15, K=3, T=20, layer="SimpleRNN"):
        if layer not in RECURRENT_CHOICES:
            raise ValueError(f"layer must be one of {', '.join(RECURRENT_CHOICES)}; got {layer!r}")
        size = dict(min=1, max=256, continuous_update=False, layout=LONG_SLIDER)
        self.D = widgets.IntSlider(value=D, description="D (inputs)", **size)
        self.M = widgets.IntSlider(value=M, description="M (units)", **size)
        self.K = widgets.IntSlider(value=K, description="K (outputs)", **size)
        self.T = widgets.IntSlider(value=T, description="T (steps)", **size)
        self.layer = widgets.Dropdown(options=list(RECURRENT_CHOICES), value=layer, description="layer")
        self.controls = (self.layer, self.D, self.M, self.K, self.T)
        for control in self.controls:
            control.style.description_width = "115px"
            control.observe(self._update, names="value")
        self.readout = widgets.HTML()
        self.picture = widgets.Image(format="png")
        super().__init__([*self.controls, self.readout, self.picture])
        self._update()

    def expected(self):
        """What the readout must show for the current controls, from rnnlib's counts alone."""
        kind, options = RECURRENT_CHOICES[self.layer.value]
        D, M, K, T = self.D.value, self.M.value, self.K.value, self.T.value
        recurrent = sum(count for _, count in recurrent_parts(kind, D, M, **options))
        return [f"Total {recurrent + dense_params(M, K):,}", f"would need {feedforward_params(T, D, M, K):,}"]

    def _update(self, change=None):
        D, M, K, T = self.D.value, self.M.value, self.K.value, self.T.value
        kind, options = RECURRENT_CHOICES[self.layer.value]
        row = row_for_config("rnn", kind, dict(units=M, use_bias=True, **options), (None, T, D))
        parts = recurrent_parts(kind, D, M, **options) + [
            (f"Dense kernel V ({M}×{K})", M * K), (f"Dense bias b_y ({K})", K)]
        self.count = row.count + dense_params(M, K)
        self.feedforward = feedforward_params(T, D, M, K)
        self.readout.value = (
            f"<b>{self.layer.value}</b>: {row.symbols} = {row.numbers} = <b>{row.count:,}</b>"
            f"<br>Dense(K): M·K + K = {M}·{K} + {K} = <b>{dense_params(M, K):,}</b>"
            f"<br>Total <b>{self.count:,}</b>, whatever T is. A Dense network on the flattened "
            f"sequence of T = {T} steps would need <b>{self.feedforward:,}</b>."
        )
        fig = Figure(figsize=(8, 1.9))
        plot_param_parts(parts, ax=fig.add_subplot(), title=f"{self.count:,} parameters")
        self._show(fig)


class ShapeExplorer(CourseWidget):
    """Sliders for N, T, D and M; shows every array's shape in the batched
    forward pass and the multiply-adds per step and in all."""

    def __init__(self, N=32, T=28, D=32, M=16):
        size = dict(min=1, max=512, continuous_update=False, layout=LONG_SLIDER)
        self.N = widgets.IntSlider(value=N, description="N (samples)", **size)
        self.T = widgets.IntSlider(value=T, description="T (steps)", **size)
        self.D = widgets.IntSlider(value=D, description="D (inputs)", **size)
        self.M = widgets.IntSlider(value=M, description="M (units)", **size)
        self.controls = (self.N, self.T, self.D, self.M)
        for control in self.controls:
            control.style.description_width = "115px"
            control.observe(self._update, names="value")
        self.readout = widgets.HTML()
        self.picture = None
        super().__init__([*self.controls, self.readout])
        self._update()

    def expected(self):
        """What the readout must show for the current sizes, from rnnlib alone."""
        N, T, D, M = self.N.value, self.T.value, self.D.value, self.M.value
        per_step, total = multiply_adds(N, T, D, M)
        return [str(a.shape) for a in batching_shapes(N, T, D, M)] + [f"{per_step:,}", f"{total:,}"]

    def _update(self, change=None):
        N, T, D, M = self.N.value, self.T.value, self.D.value, self.M.value
        self.shapes = {a.name: a.shape for a in batching_shapes(N, T, D, M)}
        self.per_step, self.total = multiply_adds(N, T, D, M)
        rows = "".join(
            f"<tr><td {CELL}><code>{a.name}</code></td><td {CELL}>{a.shape}</td><td {CELL}>{a.meaning}</td></tr>"
            for a in batching_shapes(N, T, D, M))
        self.readout.value = (
            f"<table>{rows}</table>"
            f"<p>multiply-adds per step: N·D·M + N·M·M = <b>{self.per_step:,}</b>; "
            f"in all, T times that: <b>{self.total:,}</b></p>")


def gate_table(gates, names, t, sample=0):
    """An HTML table of every gate's value for each unit at step t of one sample."""
    values = {n: gates[n][sample, t] for n in names}
    m = len(next(iter(values.values())))
    header = "".join(f"<th style='padding:0 1em'>unit {u}</th>" for u in range(m))
    rows = "".join(
        f"<tr><td style='padding:0 1em 0 0'>{name}</td>"
        + "".join(f"<td style='padding:0 1em'>{v:+.4f}</td>" for v in values[name]) + "</tr>"
        for name in names)
    return f"<table style='font-size: 16px'><tr><th></th>{header}</tr>{rows}</table>"  # 12 pt: readable projected


class GateStepper(CourseWidget):
    """Step through time and see every gate's value for each unit, with the
    gates plotted over time and the current step marked.

    gates: {name: (N, T, M)} from rnnlib.lstm_forward / gru_forward with
    return_gates=True.  names: the gates to show, in order.
    """

    def __init__(self, gates, names, sample=0):
        missing = [n for n in names if n not in gates]
        if missing:
            raise ValueError(f"gates has no {missing}; it has {sorted(gates)}")
        self.gates, self.names, self.sample = gates, tuple(names), sample
        t_steps = gates[names[0]].shape[1]
        self.t = widgets.IntSlider(value=0, min=0, max=t_steps - 1, description="time step t",
                                   continuous_update=False, layout=LONG_SLIDER)
        self.t.style.description_width = "115px"
        self.t.observe(self._update, names="value")
        self.controls = (self.t,)
        self.readout = widgets.HTML()
        self.picture = widgets.Image(format="png")
        super().__init__([self.t, self.readout, self.picture])
        self._update()

    def expected(self):
        """Every shown value at the chosen step, as the table prints it."""
        return [f"{v:+.4f}" for n in self.names for v in self.gates[n][self.sample, self.t.value]]

    def _update(self, change=None):
        t = self.t.value
        self.values = {n: self.gates[n][self.sample, t] for n in self.names}
        self.readout.value = gate_table(self.gates, self.names, t, self.sample)
        rows, cols = -(-len(self.names) // 3), min(3, len(self.names))
        fig = Figure(figsize=(3.4 * cols, 1.95 * rows))  # shorter than plot_gates: readout and panels fit one slide
        axes = fig.subplots(rows, cols, sharex=True, squeeze=False)
        plot_gates(self.gates, self.names, self.sample, axes=axes, marker_t=t)
        self._show(fig)


class GradientFlowExplorer(CourseWidget):
    """A slider for the spectral radius of W and a choice of activation; shows how the
    norm of ∂h_{T-1}/∂h_{T-1-k} changes with the lag k.

    x: (T, D) one input sequence.  kernel U: (D, M).  recurrent_kernel W: (M, M),
    rescaled to the chosen spectral radius.  `norms` holds the current norms for
    lags 1 to T-1, `lag` the lag the readout reports.
    """

    def __init__(self, x, kernel, recurrent_kernel, rho=1.0, activation="tanh", lag=40):
        self.x, self.kernel, self.recurrent_kernel = np.asarray(x), np.asarray(kernel), np.asarray(recurrent_kernel)
        if not 1 <= lag < len(self.x):
            raise ValueError(f"lag must lie between 1 and T-1 = {len(self.x) - 1}; got {lag!r}")
        self.lag = lag
        self.rho = widgets.FloatSlider(value=rho, min=0.5, max=1.5, step=0.01, description="spectral radius of W",
                                       continuous_update=False, readout_format=".2f", layout=LONG_SLIDER)
        self.activation = widgets.Dropdown(options=["tanh", "linear"], value=activation, description="activation")
        self.controls = (self.rho, self.activation)
        for control in self.controls:
            control.style.description_width = "185px"
            control.observe(self._update, names="value")
        self.readout = widgets.HTML()
        self.picture = widgets.Image(format="png")
        super().__init__([self.rho, self.activation, self.readout, self.picture])
        self._update()

    def _update(self, change=None):
        w = scaled_to_spectral_radius(self.recurrent_kernel, self.rho.value)
        self.norms = state_jacobian_norms(self.x, self.kernel, w, activation=self.activation.value)
        t = len(self.x)
        self.readout.value = (f"‖∂h<sub>{t - 1}</sub>/∂h<sub>{t - 1 - self.lag}</sub>‖ = "
                              f"<b>{self.norms[self.lag - 1]:.3g}</b> at lag {self.lag}")
        fig = Figure(figsize=(7, 3.4))
        lags = np.arange(1, t)
        plot_gradient_norms({f"{self.activation.value}, spectral radius {self.rho.value:.2f}": (lags, self.norms)},
                            ax=fig.add_subplot())
        fig.axes[0].set_ylim(1e-12, 1e6)
        self._show(fig)

    def expected(self):
        """The readout's norm for the current controls, from rnnlib.jacobians alone."""
        w = scaled_to_spectral_radius(self.recurrent_kernel, self.rho.value)
        norms = state_jacobian_norms(self.x, self.kernel, w, activation=self.activation.value)
        return [f"= {norms[self.lag - 1]:.3g} at lag {self.lag}"]


class TemperatureSampler(CourseWidget):
    """A temperature slider for a trained language model: a few lines it samples (rnnlib.language_model)
    after the token ids prompt, which of them is_valid (text -> bool) accepts, their bits per
    character at temperature 1, and the first character's distribution beside exact's (K,) dots.
    decode: ids -> text.  stop: the id that ends a line.  Every update draws with
    np.random.default_rng(seed), so a temperature always shows the same lines."""

    def __init__(self, model, prompt, *, decode, is_valid, stop, exact=None, lines=4, seed=0, temperature=1.0,
                 max_length=72):
        self.model, self.prompt, self.decode, self.is_valid, self.exact = model, list(prompt), decode, is_valid, exact
        self.stop, self.lines, self.seed, self.max_length = stop, lines, seed, max_length
        self.temperature = widgets.FloatSlider(value=temperature, min=0.1, max=2.0, step=0.1, description="temperature",
                                               continuous_update=False, readout_format=".1f", layout=LONG_SLIDER)
        self.temperature.style.description_width = "115px"
        self.temperature.observe(self._update, names="value")
        self.controls = (self.temperature,)
        self.readout = widgets.HTML()
        self.picture = widgets.Image(format="png")
        super().__init__([self.temperature, self.readout, self.picture])
        self._update()

    def draw(self):
        """The lines sampled at the current temperature, whether each is valid, and their bits per character."""
        samples, bits = sample(self.model, self.prompt, self.lines, temperature=self.temperature.value,
                               rng=np.random.default_rng(self.seed), stop=self.stop, max_length=self.max_length)
        texts = [self.decode(ids) for ids in samples]
        return texts, [self.is_valid(text) for text in texts], np.average(bits, weights=[len(t) for t in texts])

    def expected(self):
        """Every line shown, the count of valid ones and the bits per character, from rnnlib alone."""
        texts, valid, bits = self.draw()
        return [text.rstrip("\n") for text in texts] + [f"{sum(valid)} of {len(texts)} lines valid", f"{bits:.2f} bits"]

    def _update(self, change=None):
        texts, valid, bits = self.draw()
        rows = "".join(f"<tr><td {CELL}>{'✓' if ok else '✗'}</td><td><code>{html.escape(text.rstrip(chr(10)))}"
                       f"{'' if text.endswith(chr(10)) else ' …'}</code></td></tr>" for text, ok in zip(texts, valid))
        self.readout.value = (f"<table>{rows}</table><p><b>{sum(valid)} of {len(texts)} lines valid</b>; "
                              f"<b>{bits:.2f} bits</b> per character, as the model scores its own lines</p>")
        p = next_token_probabilities(self.model, np.array([self.prompt]), temperature=self.temperature.value)[0]
        fig = Figure(figsize=(8, 2.3))
        ax = fig.add_subplot()
        ax.bar(np.arange(len(p)), p, label="the model")
        if self.exact is not None:
            ax.plot(np.arange(len(p)), self.exact, "o", color="black", label="the source")
            ax.legend(loc="upper right")
        ax.set_xticks(np.arange(len(p)), [self.decode([k]).replace("\n", "⏎").replace(" ", "␣") for k in range(len(p))])
        ax.set(ylim=(0, 1), ylabel="p", title=f"The first character of a line, temperature {self.temperature.value:.1f}")
        self._show(fig)


def live_widget_report():
    """For every live course widget, in the order they were made: its class, its controls' values
    and the strings its readout must contain, computed from rnnlib. `make test-browser` prints this
    in the notebook's kernel after moving a control, and compares it with what the browser shows."""
    return [{"class": type(w).__name__, "controls": {c.description: c.value for c in w.controls},
             "expected": w.expected()}
            for w in list(widgets.widget._instances.values()) if isinstance(w, CourseWidget)]


# The block-norm explorer of notebook 03.

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")  # W³¹ reads the same in HTML and as text


class BlockNormExplorer(CourseWidget):
    """A slider for the spectral radius of W; shows the size of every (D, K) block of the linear map A
    of a linear SimpleRNN with Dense(K) on top, y_flat = x_flat A + a (notebook 03).

    U (D, M), W (M, M) rescaled to the chosen spectral radius rho, V (M, K), T steps. Block (s, t) of
    the (T*D, T*K) matrix A is U W^(t-s) V for s <= t and zero for s > t. Its size is the Frobenius
    norm. `A` holds the current matrix, `block_norms` the sizes ‖U W^k V‖ for lags k = 0 .. T-1.
    """

    def __init__(self, U, W, V, T, rho=None):
        self.U, self.W, self.V, self.T = self.checked(U, W, V, T)
        radius = spectral_radius(self.W)
        if radius == 0:
            raise ValueError("W must have a nonzero spectral radius to be rescaled; got a nilpotent W (radius 0)")
        rho = radius if rho is None else rho
        if not 0.5 <= rho <= 1.5:
            raise ValueError(f"rho must lie between 0.5 and 1.5, the slider's range (W's own spectral radius is "
                             f"{radius:.3g}); got {rho!r}")
        self.rho = widgets.FloatSlider(value=rho, min=0.5, max=1.5, step=0.01, description="spectral radius of W",
                                       continuous_update=False, readout_format=".2f", layout=LONG_SLIDER)
        self.rho.style.description_width = "185px"
        self.rho.observe(self._update, names="value")
        self.controls = (self.rho,)
        ends = np.concatenate([self.lag_norms(scaled_to_spectral_radius(self.W, r)) for r in (0.5, 1.5)])
        ends = ends[ends > 0] if (ends > 0).any() else np.array([1.0])  # a log axis needs sizes above 0
        self.ylim = (ends.min() / 2, ends.max() * 2)  # the same axes at every rho
        self.readout = widgets.HTML()
        self.picture = widgets.Image(format="png")
        super().__init__([self.rho, self.readout, self.picture])
        self._update()

    @staticmethod
    def checked(U, W, V, T):
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

    @staticmethod
    def linear_map(U, W, V, T):
        """The (T*D, T*K) matrix A of a linear SimpleRNN with Dense(K) on top: block (s, t), rows s*D to
        (s+1)*D and columns t*K to (t+1)*K, is U W^(t-s) V for s <= t, and zero for s > t."""
        (d, m), k = U.shape, V.shape[1]
        blocks, power = [], np.eye(m)
        for _ in range(T):  # U W^lag V for lag = 0 .. T-1
            blocks.append(U @ power @ V)
            power = power @ W
        A = np.zeros((T * d, T * k))
        for s in range(T):
            for t in range(s, T):
                A[s * d:(s + 1) * d, t * k:(t + 1) * k] = blocks[t - s]
        return A

    def lag_norms(self, W):
        """(T,): ‖U W^k V‖ (Frobenius) for k = 0 .. T-1, read off the first block row of A."""
        d, k = self.U.shape[0], self.V.shape[1]
        return np.linalg.norm(self.linear_map(self.U, W, self.V, self.T)[:d].reshape(d, self.T, k), axis=(0, 2))

    def _update(self, change=None):
        rho, T, d, k = self.rho.value, self.T, self.U.shape[0], self.V.shape[1]
        self.A = self.linear_map(self.U, scaled_to_spectral_radius(self.W, rho), self.V, T)
        self.block_norms = np.linalg.norm(self.A[:d].reshape(d, T, k), axis=(0, 2))
        first, last = self.block_norms[0], self.block_norms[-1]
        power = str(T - 1).translate(SUPERSCRIPTS)
        self.readout.value = (f"‖U V‖ = <b>{first:.3g}</b> at lag 0; "
                              f"‖U W{power} V‖ = <b>{last:.3g}</b> at lag {T - 1}, {last / first:.3g} times the first")
        fig = Figure(figsize=(10, 3.9))
        heat, line = fig.subplots(1, 2, width_ratios=(1.1, 1))
        plot_block_norms(self.A, T, d, k, ax=heat, title=f"Block sizes, ρ = {rho:.2f}")
        line.semilogy(np.arange(T), self.block_norms, "o-", ms=3)
        line.axhline(first, color="grey", lw=0.8, ls="--")
        line.set_ylim(*self.ylim)
        line.minorticks_off()  # many decades: the major ticks are enough
        line.set_xlabel("lag k = t − s")
        line.set_ylabel("‖U W$^k$ V‖ (log scale)")
        readable_decades(line)
        line.set_title("Size of a block against its lag (dashed: lag 0)")
        fig.subplots_adjust(wspace=0.5)  # room for the colour bar's widest labels
        self._show(fig)

    def expected(self):
        """The readout's two norms for the current slider, from NumPy's matrix_power and norm alone."""
        w = scaled_to_spectral_radius(self.W, self.rho.value)
        first = np.linalg.norm(self.U @ self.V)
        last = np.linalg.norm(self.U @ np.linalg.matrix_power(w, self.T - 1) @ self.V)
        return [f"‖U V‖ = {first:.3g} at lag 0", f"= {last:.3g} at lag {self.T - 1}"]
