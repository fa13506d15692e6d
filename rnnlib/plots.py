"""Figures for the notebooks. The lessons call these; the drawing code lives here."""

import matplotlib.pyplot as plt
import numpy as np

from rnnlib.simple_rnn import one_unit_rnn


def plot_unrolled(x, U, W, b, V, c, activation="tanh", ax=None):
    """Draw a 1-unit RNN unrolled over time, every value written in.

    Inputs x_t at the bottom feed states h_t through U; each state feeds the
    next through W; the last state feeds the output y through V.
    Returns the matplotlib Figure.
    """
    h, y = one_unit_rnn(x, U, W, b, V, c, activation)
    t_steps = len(h)
    if ax is None:
        fig, ax = plt.subplots(figsize=(2.2 * t_steps + 2.2, 3.6))
    else:
        fig = ax.figure
    box = dict(boxstyle="round,pad=0.4", linewidth=1.2)
    arrow = dict(arrowstyle="->", linewidth=1.2, color="0.3")
    for t in range(t_steps):
        ax.text(t, 0, f"$x_{t}$ = {float(np.ravel(x)[t]):.4g}", ha="center", va="center",
                bbox=dict(box, facecolor="#e8f0fe", edgecolor="#4c72b0"))
        ax.text(t, 1, f"$h_{t}$ = {h[t]:.4f}", ha="center", va="center",
                bbox=dict(box, facecolor="#fdf0e6", edgecolor="#dd8452"))
        ax.annotate("", xy=(t, 0.8), xytext=(t, 0.2), arrowprops=arrow)
        ax.text(t + 0.05, 0.5, f"U = {U:.3g}", fontsize=8, color="0.3")
        if t > 0:
            ax.annotate("", xy=(t - 0.42, 1), xytext=(t - 0.58, 1), arrowprops=arrow)
            ax.text(t - 0.5, 1.12, f"W = {W:.3g}", fontsize=8, color="0.3", ha="center")
    last = t_steps - 1
    ax.text(last + 1.1, 1, f"$y$ = {y:.4f}", ha="center", va="center",
            bbox=dict(box, facecolor="#e6f4ea", edgecolor="#55a868"))
    ax.annotate("", xy=(last + 0.8, 1), xytext=(last + 0.45, 1), arrowprops=arrow)
    ax.text(last + 0.62, 0.82, f"V = {V:.3g}", fontsize=8, color="0.3", ha="center")
    ax.set_title(f"$h_t$ = {activation}($U x_t + W h_{{t-1}} + b$), b = {b:.3g};   $y = V h_{{{last}}} + c$, c = {c:.3g}",
                 fontsize=10)
    ax.set_xlim(-0.7, last + 1.7)
    ax.set_ylim(-0.4, 1.4)
    ax.axis("off")
    return fig


def plot_states(states, ax=None, title="Hidden state over time"):
    """Heatmap of one sample's states: units down, time steps across.

    states: (T, M) the hidden states of one sequence. Returns the Figure.
    """
    states = np.asarray(states)
    if states.ndim != 2:
        raise ValueError(f"states must be a 2-D array of shape (T, M); got shape {states.shape}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 3.2))
    else:
        fig = ax.figure
    limit = max(1.0, float(np.abs(states).max()))
    image = ax.imshow(states.T, aspect="auto", cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    ax.set_xlabel("time step t")
    ax.set_ylabel("hidden unit")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="$h_t$")
    return fig
