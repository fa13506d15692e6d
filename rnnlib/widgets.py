"""Live widgets for the notebooks. Every number they show comes from rnnlib's
reference math, which the tests check against Keras."""

import io

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from rnnlib.activations import ACTIVATIONS
from rnnlib.plots import plot_unrolled
from rnnlib.simple_rnn import one_unit_rnn

# The activations worth sliding through for one unit; any Keras name works in code.
EXPLORER_ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear", "hard_sigmoid", "softsign", "elu")


class OneUnitRNNExplorer(widgets.VBox):
    """Sliders for U, W and b and a choice of activation for a 1-unit RNN.

    Every change recomputes the states h_t and the prediction y = V h_last + c
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
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=64, bbox_inches="tight")
        self.picture.value = buffer.getvalue()
