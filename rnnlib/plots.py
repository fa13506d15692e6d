"""Figures for the notebooks. The lessons call these; the drawing code lives here.

`course_style()`, called once in each notebook's set-up cell, sets matplotlib for the course, so
that every figure, the notebooks' own included, reads on a projector and without colour:
- text sizes (READABLE): a figure is shown at its natural size, 100 pixels per inch, and at most
  MAX_WIDTH inches wide it fits a 1280x720 slide unscaled, where MIN_FONT_PT = 12 pt is 16.7
  pixels, more than 12 pt on the slide (16 pixels);
- lines in the Okabe-Ito colours (PALETTE), which readers with any common colour-vision
  deficiency tell apart, each colour with its own line style, so that lines differ in greyscale too.
"""

import matplotlib
import matplotlib.pyplot as plt
from cycler import cycler
import matplotlib.ticker
import numpy as np

from rnnlib.simple_rnn import one_unit_rnn

MIN_FONT_PT, MAX_WIDTH = 12, 11.2
READABLE = {"figure.dpi": 100, "font.size": MIN_FONT_PT, "axes.titlesize": 13, "axes.labelsize": MIN_FONT_PT,
            "xtick.labelsize": MIN_FONT_PT, "ytick.labelsize": MIN_FONT_PT, "legend.fontsize": MIN_FONT_PT,
            "legend.title_fontsize": MIN_FONT_PT, "figure.titlesize": 13}
# Okabe and Ito's colour-blind-safe colours (their yellow left out: too pale on white).
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
           "purple": "#CC79A7", "sky": "#56B4E9"}
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))


def course_style():
    """Set matplotlib's text sizes (READABLE) and a colour cycle of PALETTE, each with its own line style."""
    matplotlib.rcParams.update(READABLE)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=list(PALETTE.values())) + cycler(linestyle=LINESTYLES)


def readable_decades(ax):
    """Label a log y-axis's decades 1e-13, 1e0, 1e3: matplotlib's 10 with a raised exponent sets the
    exponent at 70% of the text size, under MIN_FONT_PT, and on a log axis the exponent is the value."""
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: f"1e{round(np.log10(v))}" if v > 0 and np.isclose(np.log10(v), round(np.log10(v))) else ""))


def unrolled_width(t_steps):
    """plot_unrolled's width in inches for t_steps steps: room for every box, at most MAX_WIDTH."""
    return min(2.6 * t_steps + 2.4, MAX_WIDTH)


def plot_unrolled(x, U, W, b, V, b_y, activation="tanh", ax=None):
    """Draw a 1-unit RNN unrolled over time, every value written in.

    Inputs x_t at the bottom feed states h_t through U; each state feeds the
    next through W; the last state feeds the prediction ŷ through V:
    h_t = φ(x_t U + h_{t-1} W + b), ŷ = h_{T-1} V + b_y, all numbers.
    Returns the matplotlib Figure.
    """
    h, y_hat = one_unit_rnn(x, U, W, b, V, b_y, activation)
    t_steps = len(h)
    if ax is None:
        fig, ax = plt.subplots(figsize=(unrolled_width(t_steps), 3.6))
    else:
        fig = ax.figure
    one_line = t_steps <= 3  # beyond that, a state's name and value take two lines to fit MAX_WIDTH
    box = dict(boxstyle="round,pad=0.4", linewidth=1.2)
    arrow = dict(arrowstyle="->", linewidth=1.2, color="0.3")
    for t in range(t_steps):
        ax.text(t, 0, f"$x_{t}$ = {float(np.ravel(x)[t]):.4g}", ha="center", va="center",
                bbox=dict(box, facecolor="#e8f0fe", edgecolor="#4c72b0"))
        ax.text(t, 1, f"$h_{t}$ = {h[t]:.4f}" if one_line else f"$h_{t}$\n{h[t]:.4f}", ha="center", va="center",
                bbox=dict(box, facecolor="#fdf0e6", edgecolor="#dd8452"))
        ax.annotate("", xy=(t, 0.8), xytext=(t, 0.2), arrowprops=arrow)
        ax.text(t + 0.05, 0.5, f"U = {U:.3g}", color="0.3")
        if t > 0:
            ax.annotate("", xy=(t - 0.42, 1), xytext=(t - 0.58, 1), arrowprops=arrow)
            ax.text(t - 0.5, 1.12 if one_line else 1.3, f"W = {W:.3g}", color="0.3", ha="center")
    last = t_steps - 1
    ax.text(last + 1.1, 1, f"$\\hat y$ = {y_hat:.4f}" if one_line else f"$\\hat y$\n{y_hat:.4f}", ha="center", va="center",
            bbox=dict(box, facecolor="#e6f4ea", edgecolor="#55a868"))
    ax.annotate("", xy=(last + 0.8, 1), xytext=(last + 0.45, 1), arrowprops=arrow)
    ax.text(last + 0.62, 0.82 if one_line else 0.7, f"V = {V:.3g}", color="0.3", ha="center")
    ax.set_title(f"$h_t$ = {activation}($x_t U + h_{{t-1}} W + b$), b = {b:.3g};   $\\hat y = h_{{{last}}} V + b_y$, $b_y$ = {b_y:.3g}")
    ax.set_xlim(-0.7, last + 1.7)
    ax.set_ylim(-0.4, 1.4 if one_line else 1.5)
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


def plot_params_against_T(D, M, K, Ts, ax=None):
    """Parameters of an RNN (SimpleRNN + Dense head) and of a Dense network on the
    flattened sequence, for each sequence length in Ts. Returns the Figure."""
    from rnnlib.params import dense_params, feedforward_params, simple_rnn_params

    Ts = np.asarray(Ts)
    rnn = np.full(Ts.shape, simple_rnn_params(D, M) + dense_params(M, K))
    dense = np.array([feedforward_params(int(t), D, M, K) for t in Ts])
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 3.6))
    else:
        fig = ax.figure
    ax.plot(Ts, dense, "o-", color="#c44e52", label=f"Dense on the flattened sequence: (T·{D}) → (T·{M}) → (T·{K})")
    ax.plot(Ts, rnn, "s-", color="#4c72b0", label=f"SimpleRNN({M}) + Dense({K}): the same weights at every step")
    ax.set_yscale("log")
    ax.set_xlabel("sequence length T")
    ax.set_ylabel("parameters (log scale)")
    ax.set_title(f"Weight sharing: D = {D}, M = {M}, K = {K}")
    ax.grid(True, which="major", alpha=0.3)
    readable_decades(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)  # below: no line hidden
    return fig


def plot_param_parts(parts, ax=None, title=None):
    """One horizontal bar split into the weight blocks [(label, count), ...]. Returns the Figure."""
    counts = np.array([c for _, c in parts], dtype=float)
    if counts.size == 0 or counts.sum() <= 0:
        raise ValueError(f"parts must hold at least one positive count; got {parts!r}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 1.9))
    else:
        fig = ax.figure
    colors = ["#4c72b0", "#dd8452", "#55a868", "#8172b3", "#937860", "#da8bc3"]
    left = 0.0
    for i, (label, count) in enumerate(parts):
        ax.barh(0, count, left=left, color=colors[i % len(colors)], edgecolor="white",
                label=f"{label}: {count:,}")
        left += count
    ax.set_xlim(0, left)
    ax.set_yticks([])
    ax.set_xlabel("parameters")
    ax.set_title(title or f"{int(left):,} parameters")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=min(3, len(parts)), frameon=False)
    return fig


def plot_timings(seconds, ax=None, title="Time for one forward pass"):
    """Horizontal bars, log scale, for {label: seconds}; slowest on top. Returns the Figure."""
    if not seconds:
        raise ValueError("seconds must hold at least one {label: time} entry; got none")
    labels = list(seconds)
    values = np.array([seconds[k] for k in labels]) * 1e3
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(labels) + 1.2))
    else:
        fig = ax.figure
    ax.barh(labels[::-1], values[::-1], color="#4c72b0")
    for y, v in enumerate(values[::-1]):
        ax.text(v * 1.08, y, f"{v:,.0f} ms" if v >= 100 else f"{v:.3g} ms", va="center")  # no 1.25e+03
    ax.set_xscale("log")
    ax.set_xlim(values.min() / 2, values.max() * 6)
    ax.set_xlabel("milliseconds (log scale)")
    ax.set_title(title)
    return fig


def plot_block_norms(A, T, D, K, ax=None, title="How much input step s\nmoves output step t"):
    """Heatmap of the size (Frobenius norm) of each (D, K) block of a (T*D, T*K) linear map.

    Block (s, t) maps input step s to output step t; for a recurrent network
    the blocks with s > t are zero, because an output never sees the future.
    Returns the Figure.
    """
    A = np.asarray(A)
    if A.shape != (T * D, T * K):
        raise ValueError(f"A must have shape (T*D, T*K) = {(T * D, T * K)}; got {A.shape}")
    norms = np.linalg.norm(A.reshape(T, D, T, K), axis=(1, 3))  # (T, T): [s, t]
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.2, 4.4))
    else:
        fig = ax.figure
    image = ax.imshow(norms, cmap="viridis", origin="upper", interpolation="nearest")
    ax.set_xlabel("output step t")
    ax.set_ylabel("input step s")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="size of the (s, t) block")
    return fig


GATE_LABELS = {
    "i": "input gate $i_t$", "f": "forget gate $f_t$", "o": "output gate $o_t$",
    "c": "cell state $c_t$", "h": "hidden state $h_t$",
    "z": "update gate $z_t$", "r": "reset gate $r_t$",
}


def _gate_label(name, gates):
    """A panel's title; the candidate is c̃_t in an LSTM and h̃_t in a GRU (which has an update gate z)."""
    if name == "candidate":
        return r"candidate $\tilde{h}_t$" if "z" in gates else r"candidate $\tilde{c}_t$"
    return GATE_LABELS.get(name, name)


def plot_gates(gates, names, sample=0, axes=None, marker_t=None):
    """One panel per gate: each unit's value over time for one sample.

    gates: {name: (N, T, M)} as rnnlib.lstm_forward / gru_forward return with
    return_gates=True.  names: which gates to draw, in order.
    marker_t: draw a vertical line at this step. Returns the Figure.
    """
    missing = [n for n in names if n not in gates]
    if missing:
        raise ValueError(f"gates has no {missing}; it has {sorted(gates)}")
    t_steps, m = gates[names[0]].shape[1:]
    if axes is None:
        rows, cols = -(-len(names) // 3), min(3, len(names))
        fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.6 * rows), sharex=True, squeeze=False)
    else:
        fig = np.ravel(axes)[0].figure
    axes = np.ravel(axes)
    steps = np.arange(t_steps)
    for ax, name in zip(axes, names):
        for unit in range(m):
            ax.plot(steps, gates[name][sample, :, unit], "o-", markersize=3, label=f"unit {unit}")
        gate = name in ("i", "f", "o", "z", "r")
        ax.set_ylim(-0.05, 1.05) if gate else ax.set_ylim(-1.05, 1.05) if name in ("candidate", "h") else None
        ax.axhline(0, color="0.8", linewidth=0.8)
        if marker_t is not None:
            ax.axvline(marker_t, color="0.3", linestyle="--", linewidth=1)
        ax.set_title(_gate_label(name, gates))
        ax.set_xlabel("t")
        ax.tick_params(labelbottom=True)  # also where the panel below is left empty
    for ax in axes[len(names):]:
        ax.set_visible(False)
    fig.tight_layout(rect=(0, 0, 1, 0.93))  # the units' legend above the panels, off the lines
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper right", ncol=min(m, 6), frameon=False)
    return fig


_LSTM_STYLES = {"gate": ("round,pad=0.35", "#fdf0e6", "#dd8452"), "op": ("circle,pad=0.12", "white", "0.3"),
                "tanh": ("round,pad=0.3", "white", "0.3"), "state": ("round,pad=0.35", "#e8f0fe", "#4c72b0")}


def _lstm_node(ax, xy, text, kind):
    """One node of the cell diagram: a gate box, an operation (× + tanh) or a state."""
    style, face, edge = _LSTM_STYLES[kind]
    ax.text(*xy, text, ha="center", va="center", fontsize=12, zorder=3,
            bbox=dict(boxstyle=style, facecolor=face, edgecolor=edge, linewidth=1.3))


def _lstm_arrow(ax, start, end, shrink=(13, 13)):
    """An arrow from start to end that stops short of the nodes (shrink, in points) at both ends."""
    ax.annotate("", xy=end, xytext=start, zorder=2, arrowprops=dict(
        arrowstyle="-|>", color="0.3", linewidth=1.3, shrinkA=shrink[0], shrinkB=shrink[1]))


def _lstm_gates(ax, gates, gate_y, bus_y):
    """The four gate boxes, each fed from one line that carries x_t and h_{t-1}; names beside their outputs.

    gates: (x, symbol, name, (dx, dy), ha): the name sits at (x + dx, gate_y + dy), aligned ha.
    """
    ax.plot([0.45, gates[-1][0]], [bus_y, bus_y], color="0.3", linewidth=1.3)
    _lstm_node(ax, (0, bus_y), "$x_t$, $h_{t-1}$", "state")
    for x, symbol, name, (dx, dy), ha in gates:
        _lstm_node(ax, (x, gate_y), symbol, "gate")
        ax.text(x + dx, gate_y + dy, name, fontsize=12, color="#b35806", va="center", ha=ha)
        _lstm_arrow(ax, (x, bus_y), (x, gate_y), shrink=(0, 14))


def plot_lstm_cell(ax=None):
    """Draw one LSTM step: the gates, the cell's path along the top, the output at the right.

    Top: c_{t-1} -> (× f_t) -> (+ i_t ⊙ c̃_t) -> c_t.  Bottom: x_t and h_{t-1}
    feed the gates f, i, o = σ(...) and the candidate c̃ = tanh(...), each
    x_t U + h_{t-1} W + b with its own block of U, W, b.  Right:
    h_t = o_t ⊙ tanh(c_t).  Returns the matplotlib Figure.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 3.7))
    else:
        fig = ax.figure
    top, mid, gate_y, bus = 3.0, 2.0, 1.0, 0.0
    up_left, up_right = ((-0.2, 0.5), "right"), ((0.2, 0.5), "left")  # beside the arrow leaving upwards
    _lstm_gates(ax, [(2, r"$\sigma$", "$f_t$", *up_left), (3.6, r"$\sigma$", "$i_t$", *up_left),
                     (5.0, r"$\tanh$", r"$\tilde c_t$", *up_right),
                     (6.4, r"$\sigma$", "$o_t$", (0.5, 0.22), "center")], gate_y, bus)  # above the arrow to ×
    for xy, text, kind in [((0, top), "$c_{t-1}$", "state"), ((2, top), r"$\times$", "op"),
                           ((4.3, top), "$+$", "op"), ((4.3, mid), r"$\times$", "op"), ((8.8, top), "$c_t$", "state"),
                           ((7.4, mid), r"$\tanh$", "tanh"), ((7.4, gate_y), r"$\times$", "op"),
                           ((8.8, gate_y), "$h_t$", "state")]:
        _lstm_node(ax, xy, text, kind)
    for start, end in [((0, top), (2, top)), ((2, top), (4.3, top)), ((4.3, top), (8.8, top)),
                       ((2, gate_y), (2, top)), ((3.6, gate_y), (4.3, mid)), ((5.0, gate_y), (4.3, mid)),
                       ((4.3, mid), (4.3, top)), ((7.4, mid), (7.4, gate_y)), ((6.4, gate_y), (7.4, gate_y)),
                       ((7.4, gate_y), (8.8, gate_y))]:
        _lstm_arrow(ax, start, end)
    _lstm_arrow(ax, (7.4, top), (7.4, mid), shrink=(0, 13))  # c_t branches off to the output
    for xy, text in [((3.15, top + 0.25), r"$f_t \odot c_{t-1}$"), ((4.45, 2.5), r"$i_t \odot \tilde c_t$"),
                     ((8.8, gate_y - 0.45), "to the output and\nthe next step"),
                     ((8.8, top - 0.45), "to the next step")]:
        ax.text(*xy, text, color="0.25", ha="left" if xy[0] == 4.45 else "center", va="center")
    ax.set(xlim=(-0.8, 9.7), ylim=(-0.35, 3.45))
    ax.axis("off")
    ax.set_title(r"One LSTM step: $c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t$,   $h_t = o_t \odot \tanh(c_t)$")
    return fig


def plot_gradient_norms(curves, ax=None, title="How far back a gradient reaches", xlabel="lag k (steps back)"):
    """Log-scale lines of norms against the lag: {label: (lags, norms)} or {label: (lags, norms, style)}."""
    if not curves:
        raise ValueError("curves must hold at least one {label: (lags, norms)} entry; got none")
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 3.8))
    else:
        fig = ax.figure
    for label, curve in curves.items():
        lags, norms, *style = curve
        ax.semilogy(lags, np.maximum(norms, 1e-30), *style, label=label)
    ax.axhline(1.0, color="0.6", linewidth=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("norm (log scale)")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    readable_decades(ax)
    ax.legend(loc="best")
    return fig


GRU_CELL_COLORS = {"input": "#e8eef8", "gate": "#fdf0e6", "candidate": "#eaf4ea", "op": "white"}


def _gru_box(ax, xy, text, kind, fontsize=MIN_FONT_PT):
    """A rounded box (a circle for an operation) with centred text, coloured by kind."""
    shape = "circle,pad=0.15" if kind == "op" else "round,pad=0.4"
    ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, zorder=3,
            bbox=dict(boxstyle=shape, facecolor=GRU_CELL_COLORS[kind], edgecolor="0.35"))


def _gru_arrow(ax, start, end, color, label=None, label_xy=None):
    """An arrow from the point start to the point end (box edges), with an optional label."""
    ax.annotate("", xy=end, xytext=start, zorder=2,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=1.4, shrinkA=0, shrinkB=0))
    if label:
        ax.text(*label_xy, label, color=color, ha="center", va="center")


def _gru_cell_boxes(ax):
    """The boxes of plot_gru_cell, at fixed places: inputs left, gates middle, the state line on top."""
    _gru_box(ax, (0.7, 5.2), "$h_{t-1}$", "input")
    _gru_box(ax, (0.7, 1.0), "$x_t$", "input")
    _gru_box(ax, (4.6, 3.6), "update gate\n$z_t = \\sigma(\\cdot)$", "gate")
    _gru_box(ax, (2.4, 2.2), "reset gate\n$r_t = \\sigma(\\cdot)$", "gate")
    _gru_box(ax, (6.9, 2.2), "candidate\n$\\tilde h_t = \\tanh(x_t U_h + b_h$\n"
             "$+\\ r_t \\odot (h_{t-1} W_h + b'_h))$", "candidate")
    for xy, sign in (((4.6, 5.2), "$\\odot$"), ((8.9, 3.6), "$\\odot$"), ((8.9, 5.2), "$+$")):
        _gru_box(ax, xy, sign, "op", fontsize=13)
    _gru_box(ax, (10.2, 5.2), "$h_t$", "input")


def _gru_cell_arrows(ax):
    """The connections of plot_gru_cell: the state line on top, the gates and the candidate below."""
    grey, blue, orange, green = "0.6", "#4c72b0", "#dd8452", "#55a868"
    ax.plot([1.3, 1.3, 6.9], [5.2, 1.0, 1.0], color=grey, lw=1.4, zorder=1)  # h_{t-1} joins x_t's line
    ax.plot([1.0, 1.3], [1.0, 1.0], color=grey, lw=1.4, zorder=1)
    ax.text(4.6, 0.6, "$x_t$ and $h_{t-1}$ reach every box", color="0.45", ha="center")
    for x, top in ((2.4, 1.78), (6.9, 1.68)):
        _gru_arrow(ax, (x, 1.0), (x, top), grey)
    ax.plot([4.6, 4.6], [1.0, 2.02], color=grey, lw=1.4, zorder=1)  # a gap where the r_t arrow crosses
    _gru_arrow(ax, (4.6, 2.38), (4.6, 3.18), grey)
    _gru_arrow(ax, (1.05, 5.2), (4.4, 5.2), blue)
    _gru_arrow(ax, (4.8, 5.2), (8.7, 5.2), blue, "$z_t \\odot h_{t-1}$ ($\\approx h_{t-1}$ when $z_t \\approx 1$)",
               (6.75, 5.55))
    _gru_arrow(ax, (9.1, 5.2), (9.93, 5.2), blue)
    _gru_arrow(ax, (4.6, 4.02), (4.6, 4.97), orange, "$z_t$", (4.85, 4.45))
    _gru_arrow(ax, (5.22, 3.6), (8.7, 3.6), orange, "$1 - z_t$", (6.9, 3.85))
    _gru_arrow(ax, (2.95, 2.2), (5.75, 2.2), orange, "$r_t$", (4.0, 2.45))
    _gru_arrow(ax, (7.6, 2.72), (8.74, 3.46), green)
    _gru_arrow(ax, (8.9, 3.83), (8.9, 4.97), green)


def plot_gru_cell(ax=None):
    """Draw one GRU step in Keras's default form (reset_after=True). Returns the Figure.

    Boxes: the inputs h_{t-1} and x_t; the update gate z_t and reset gate r_t,
    each σ(x_t U + h_{t-1} W + b + b') on its own block (input and recurrent bias rows); the candidate
    h̃_t = tanh(x_t U_h + b_h + r_t ⊙ (h_{t-1} W_h + b'_h)); and the new state
    h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h̃_t, so z_t near 1 keeps the old state.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 5.2))
    else:
        fig = ax.figure
    _gru_cell_boxes(ax)
    _gru_cell_arrows(ax)
    ax.text(5.5, -0.15, "$h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot \\tilde h_t$;  each gate: "
            "$\\sigma(x_t U + h_{t-1} W + b + b')$ on its block;  Keras's block order: $z, r, \\tilde h$",
            ha="center")
    ax.set_xlim(0, 10.8)
    ax.set_ylim(-0.4, 6.0)
    ax.axis("off")
    ax.set_title("One GRU step (Keras, reset_after=True): $z_t \\approx 1$ keeps the old state, "
                 "$z_t \\approx 0$ takes the candidate")
    return fig


def plot_truncated_bptt(steps=12, chunk=4, ax=None):
    """The unrolled chain h_0 ... h_{T-1}: the forward pass runs through, gradients flow back only within chunks."""
    if chunk < 1 or steps < 1:
        raise ValueError(f"steps and chunk must be positive; got steps={steps}, chunk={chunk}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 2.6))
    else:
        fig = ax.figure
    for t in range(steps):
        ax.text(t, 0, f"$h_{{{t}}}$", ha="center", va="center",
                bbox=dict(boxstyle="round,pad=0.35", facecolor="#fdf0e6", edgecolor="#dd8452"))
        if t + 1 < steps:
            ax.annotate("", xy=(t + 0.72, 0.12), xytext=(t + 0.28, 0.12),
                        arrowprops=dict(arrowstyle="->", color="#4c72b0"))  # forward: always
            if (t + 1) % chunk:
                ax.annotate("", xy=(t + 0.28, -0.12), xytext=(t + 0.72, -0.12),
                            arrowprops=dict(arrowstyle="->", color="#c44e52"))  # backward: within a chunk
    for edge in range(chunk, steps, chunk):  # between the two labels, not through them
        ax.vlines(edge - 0.5, -0.3, 0.3, color="0.4", linestyle=":", linewidth=1)
    ax.text(steps - 0.5, 0.42, "forward: the state passes every step", color="#4c72b0", ha="right")
    ax.text(steps - 0.5, -0.45, f"backward: the gradient stops at each chunk's edge (every {chunk} steps)",
            color="#c44e52", ha="right")
    ax.set_xlim(-0.6, steps - 0.4)
    ax.set_ylim(-0.6, 0.6)
    ax.axis("off")
    ax.set_title(f"Truncated backpropagation through time, chunks of {chunk} steps")
    return fig
