"""Live widgets for the notebooks. Every number they show comes from rnnlib's
reference math, which the tests check against Keras."""

import io

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from rnnlib.activations import ACTIVATIONS
from rnnlib.params import dense_params, feedforward_params, recurrent_parts, row_for_config
from rnnlib.jacobians import scaled_to_spectral_radius, state_jacobian_norms
from rnnlib.plots import plot_gates, plot_gradient_norms, plot_param_parts, plot_unrolled
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


def _png(fig):
    """A matplotlib Figure as PNG bytes for an Image widget (no pyplot, so nothing is shown twice)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=64, bbox_inches="tight")
    return buffer.getvalue()


class OneUnitRNNExplorer(widgets.VBox):
    """Sliders for U, W and b and a choice of activation for a 1-unit RNN.

    Every change recomputes the states h_t and the prediction y = h_last V + c
    and redraws the unrolled graph. `h` and `y` hold the current values.
    """

    def __init__(self, x=(1.0, 2.0, 3.0), U=1.4501959, W=-1.0, b=0.0, V=0.5759429, c=0.0, activation="tanh"):
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; expected one of: {', '.join(ACTIVATIONS)}")
        self.x = np.asarray(x, dtype=np.float64).ravel()
        if self.x.size == 0:
            raise ValueError("x must hold at least one time step; got an empty sequence")
        self.V, self.c = float(V), float(c)
        slider = dict(min=-3.0, max=3.0, step=0.01, continuous_update=False, readout_format=".2f")
        self.U = widgets.FloatSlider(value=U, description="U (kernel)", **slider)
        self.W = widgets.FloatSlider(value=W, description="W (recurrent)", **slider)
        self.b = widgets.FloatSlider(value=b, description="b (bias)", **slider)
        choices = tuple(dict.fromkeys((activation,) + EXPLORER_ACTIVATIONS))
        self.activation = widgets.Dropdown(options=choices, value=activation, description="activation")
        for control in (self.U, self.W, self.b, self.activation):
            control.style.description_width = "110px"
            control.observe(self._update, names="value")
        self.readout = widgets.HTML()
        self.picture = widgets.Image(format="png")
        super().__init__([self.U, self.W, self.b, self.activation, self.readout, self.picture])
        self._update()

    def _update(self, change=None):
        U, W, b, act = self.U.value, self.W.value, self.b.value, self.activation.value
        self.h, self.y = one_unit_rnn(self.x, U, W, b, self.V, self.c, act)
        pad = 'style="padding: 0 1.2em 0 0"'
        cells = "".join(f"<td {pad}>h<sub>{t}</sub> = {h:.4f}</td>" for t, h in enumerate(self.h))
        self.readout.value = f"<table><tr>{cells}<td {pad}><b>y = {self.y:.4f}</b></td></tr></table>"
        fig = Figure(figsize=(2.2 * len(self.x) + 2.2, 3.6))
        plot_unrolled(self.x, U, W, b, self.V, self.c, act, ax=fig.add_subplot())
        self.picture.value = _png(fig)


class ParamCounter(widgets.VBox):
    """Sliders for D, M, K and T and a choice of recurrent layer; shows the
    parameter count, its formula and a bar of where the parameters live.

    The layer is the chosen recurrent layer followed by Dense(K). `count`
    holds the current total and `feedforward` the count of a Dense network
    on the flattened sequence of length T, for comparison.
    """

    def __init__(self, D=10, M=15, K=3, T=20, layer="SimpleRNN"):
        if layer not in RECURRENT_CHOICES:
            raise ValueError(f"layer must be one of {', '.join(RECURRENT_CHOICES)}; got {layer!r}")
        size = dict(min=1, max=256, continuous_update=False)
        self.D = widgets.IntSlider(value=D, description="D (inputs)", **size)
        self.M = widgets.IntSlider(value=M, description="M (units)", **size)
        self.K = widgets.IntSlider(value=K, description="K (outputs)", **size)
        self.T = widgets.IntSlider(value=T, description="T (steps)", **size)
        self.layer = widgets.Dropdown(options=list(RECURRENT_CHOICES), value=layer, description="layer")
        for control in (self.D, self.M, self.K, self.T, self.layer):
            control.style.description_width = "90px"
            control.observe(self._update, names="value")
        self.readout = widgets.HTML()
        self.picture = widgets.Image(format="png")
        super().__init__([self.layer, self.D, self.M, self.K, self.T, self.readout, self.picture])
        self._update()

    def _update(self, change=None):
        D, M, K, T = self.D.value, self.M.value, self.K.value, self.T.value
        kind, options = RECURRENT_CHOICES[self.layer.value]
        row = row_for_config("rnn", kind, dict(units=M, use_bias=True, **options), (None, T, D))
        parts = recurrent_parts(kind, D, M, **options) + [
            (f"Dense kernel V ({M}×{K})", M * K), (f"Dense bias c ({K})", K)]
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
        self.picture.value = _png(fig)


class ShapeExplorer(widgets.VBox):
    """Sliders for N, T, D and M; shows every array's shape in the batched
    forward pass and the multiply-adds per step and in all."""

    def __init__(self, N=32, T=28, D=32, M=16):
        size = dict(min=1, max=512, continuous_update=False)
        self.N = widgets.IntSlider(value=N, description="N (samples)", **size)
        self.T = widgets.IntSlider(value=T, description="T (steps)", **size)
        self.D = widgets.IntSlider(value=D, description="D (inputs)", **size)
        self.M = widgets.IntSlider(value=M, description="M (units)", **size)
        for control in (self.N, self.T, self.D, self.M):
            control.style.description_width = "90px"
            control.observe(self._update, names="value")
        self.readout = widgets.HTML()
        super().__init__([self.N, self.T, self.D, self.M, self.readout])
        self._update()

    def _update(self, change=None):
        N, T, D, M = self.N.value, self.T.value, self.D.value, self.M.value
        self.shapes = {a.name: a.shape for a in batching_shapes(N, T, D, M)}
        self.per_step, self.total = multiply_adds(N, T, D, M)
        rows = "".join(
            f"<tr><td><code>{a.name}</code></td><td>{a.shape}</td><td>{a.meaning}</td></tr>"
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
    return f"<table><tr><th></th>{header}</tr>{rows}</table>"


class GateStepper(widgets.VBox):
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
                                   continuous_update=False)
        self.t.observe(self._update, names="value")
        self.readout = widgets.HTML()
        self.picture = widgets.Image(format="png")
        super().__init__([self.t, self.readout, self.picture])
        self._update()

    def _update(self, change=None):
        t = self.t.value
        self.values = {n: self.gates[n][self.sample, t] for n in self.names}
        self.readout.value = gate_table(self.gates, self.names, t, self.sample)
        rows, cols = -(-len(self.names) // 3), min(3, len(self.names))
        fig = Figure(figsize=(3.4 * cols, 2.6 * rows))
        axes = fig.subplots(rows, cols, sharex=True, squeeze=False)
        plot_gates(self.gates, self.names, self.sample, axes=axes, marker_t=t)
        self.picture.value = _png(fig)


class GradientFlowExplorer(widgets.VBox):
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
                                       continuous_update=False, readout_format=".2f")
        self.activation = widgets.Dropdown(options=["tanh", "linear"], value=activation, description="activation")
        for control in (self.rho, self.activation):
            control.style.description_width = "150px"
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
        self.picture.value = _png(fig)
