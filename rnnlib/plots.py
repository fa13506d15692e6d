"""Figures for the notebooks. `course_style()`, called in the set-up cell of each notebook that draws, makes every
figure, the notebooks' own included, read on a projector and without colour: text sizes (READABLE) such that a
figure at most MAX_WIDTH inches wide, at 100 pixels per inch, fits a 1280x720 slide unscaled, where MIN_FONT_PT = 12
pt is 16.7 pixels (over 12 pt on the slide, 16 pixels); lines in the Okabe-Ito colours (PALETTE, which readers with
any common colour-vision deficiency tell apart), each with its own line style. The figures here draw in PALETTE or
grey in any case (heatmaps in viridis), and where colour tells things apart, so does a line style, marker, hatch or
text label."""

import matplotlib
import matplotlib.colors
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
MARKERS = ("o", "s", "^", "D", "v", "P")  # the i-th line's marker, beside its colour and line style
HATCHES = ("", "//", "..", "xx", "\\\\", "oo")  # the i-th bar's hatch
BLUE, ORANGE, GREEN, RED = (PALETTE[k] for k in ("blue", "orange", "green", "vermillion"))


def course_style():
    """Set matplotlib's text sizes (READABLE) and a colour cycle of PALETTE, each with its own line style."""
    matplotlib.rcParams.update(READABLE)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=list(PALETTE.values())) + cycler(linestyle=LINESTYLES)


def line_style(i):
    """The i-th line's look, {color, linestyle, marker}: it differs from the others' in colour and in greyscale."""
    n = len(PALETTE)
    return dict(color=list(PALETTE.values())[i % n], linestyle=LINESTYLES[i % n], marker=MARKERS[i % n])


def _figure_and_axes(ax, figsize):
    """(Figure, axes): a new Figure of figsize with one axes when ax is None, else ax and its Figure."""
    return plt.subplots(figsize=figsize) if ax is None else (ax.figure, ax)


def readable_decades(ax):
    """Label a log y-axis's decades 1e-13, 1e0, 1e3: matplotlib's 10 with a raised exponent sets the
    exponent at 70% of the text size, under MIN_FONT_PT, and on a log axis the exponent is the value."""
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: f"1e{round(np.log10(v))}" if v > 0 and np.isclose(np.log10(v), round(np.log10(v))) else ""))


def unrolled_width(t_steps):
    """plot_unrolled's width in inches for t_steps steps: room for every box, at most MAX_WIDTH."""
    return min(2.6 * t_steps + 2.4, MAX_WIDTH)


# The diagrams' kit: boxes of a few kinds, and arrows. The kind is also written in each box.
BOX_KINDS = {"input": ("round,pad=0.4", BLUE), "state": ("round,pad=0.35", BLUE), "gate": ("round,pad=0.35", RED),
             "hidden": ("round,pad=0.4", ORANGE), "candidate": ("round,pad=0.4", GREEN),
             "output": ("round,pad=0.4", GREEN), "op": ("circle,pad=0.12", "0.3"), "tanh": ("round,pad=0.3", "0.3")}


def box(ax, xy, text, kind, fontsize=MIN_FONT_PT):
    """A box of a kind in BOX_KINDS with centred text: an edge of the kind's colour, a face of it mixed with white."""
    shape, edge = BOX_KINDS[kind]
    face = "white" if kind in ("op", "tanh") else [c + (1 - c) * 0.85 for c in matplotlib.colors.to_rgb(edge)]
    ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, zorder=3,
            bbox=dict(boxstyle=shape, facecolor=face, edgecolor=edge, linewidth=1.3))


def arrow(ax, start, end, color="0.3", shrink=(0, 0), linestyle="-", label=None, label_xy=None):
    """An arrow from start to end, stopping short by shrink (points) at both ends, with an optional label."""
    ax.annotate("", xy=end, xytext=start, zorder=2, arrowprops=dict(
        arrowstyle="-|>", color=color, linewidth=1.3, linestyle=linestyle, shrinkA=shrink[0], shrinkB=shrink[1]))
    if label:
        ax.text(*label_xy, label, color=color, ha="center", va="center")


def plot_unrolled(x, U, W, b, V, b_y, activation="tanh", ax=None):
    """Draw a 1-unit RNN unrolled over time, every value written in: inputs x_t feed states h_t through U,
    each state the next through W, the last the prediction ŷ through V. Returns the Figure."""
    h, y_hat = one_unit_rnn(x, U, W, b, V, b_y, activation)
    t_steps, last = len(h), len(h) - 1
    fig, ax = _figure_and_axes(ax, (unrolled_width(t_steps), 3.6))
    one_line = t_steps <= 3  # beyond that, a state's name and value take two lines to fit MAX_WIDTH
    two = (lambda name, v: f"{name} = {v:.4f}" if one_line else f"{name}\n{v:.4f}")  # a box's name and value
    for t in range(t_steps):
        box(ax, (t, 0), f"$x_{t}$ = {float(np.ravel(x)[t]):.4g}", "input")
        box(ax, (t, 1), two(f"$h_{t}$", h[t]), "hidden")
        arrow(ax, (t, 0.2), (t, 0.8))
        ax.text(t + 0.05, 0.5, f"U = {U:.3g}", color="0.3")
        if t > 0:
            arrow(ax, (t - 0.58, 1), (t - 0.42, 1))
            ax.text(t - 0.5, 1.12 if one_line else 1.3, f"W = {W:.3g}", color="0.3", ha="center")
    box(ax, (last + 1.1, 1), two("$\\hat y$", y_hat), "output")
    arrow(ax, (last + 0.45, 1), (last + 0.8, 1))
    ax.text(last + 0.62, 0.82 if one_line else 0.7, f"V = {V:.3g}", color="0.3", ha="center")
    ax.set_title(f"$h_t$ = {activation}($x_t U + h_{{t-1}} W + b$), b = {b:.3g};   "
                 f"$\\hat y = h_{{{last}}} V + b_y$, $b_y$ = {b_y:.3g}")
    ax.set(xlim=(-0.7, last + 1.7), ylim=(-0.4, 1.4 if one_line else 1.5))
    ax.axis("off")
    return fig


def plot_params_against_T(D, M, K, Ts, ax=None):
    """Parameters of SimpleRNN + Dense and of Dense on the flattened sequence, for each T in Ts. Returns the Figure."""
    from rnnlib.params import dense_params, feedforward_params, simple_rnn_params

    Ts = np.asarray(Ts)
    rnn = np.full(Ts.shape, simple_rnn_params(D, M) + dense_params(M, K))
    dense = np.array([feedforward_params(int(t), D, M, K) for t in Ts])
    fig, ax = _figure_and_axes(ax, (7, 3.6))
    ax.plot(Ts, dense, "o-", color=RED, label=f"Dense on the flattened sequence: (T·{D}) → (T·{M}) → (T·{K})")
    ax.plot(Ts, rnn, "s--", color=BLUE, label=f"SimpleRNN({M}) + Dense({K}): the same weights at every step")
    ax.set(yscale="log", xlabel="sequence length T", ylabel="parameters (log scale)",
           title=f"Weight sharing: D = {D}, M = {M}, K = {K}")
    ax.grid(True, which="major", alpha=0.3)
    readable_decades(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)  # below: no line hidden
    return fig


def plot_param_parts(parts, ax=None, title=None):
    """One horizontal bar split into the weight blocks [(label, count), ...], each its own colour and hatch."""
    counts = np.array([c for _, c in parts], dtype=float)
    if counts.size == 0 or counts.sum() <= 0:
        raise ValueError(f"parts must hold at least one positive count; got {parts!r}")
    fig, ax = _figure_and_axes(ax, (8, 1.6))
    colors, left = list(PALETTE.values()), 0.0
    for i, (label, count) in enumerate(parts):
        ax.barh(0, count, left=left, color=colors[i % len(colors)], edgecolor="white",
                hatch=HATCHES[i % len(HATCHES)], label=f"{label}: {count:,}")
        left += count
    ax.set(xlim=(0, left), yticks=[], title=title or f"{int(left):,} parameters")  # the title names the unit
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=min(3, len(parts)), frameon=False)
    return fig


def plot_timings(seconds, ax=None, title="Time for one forward pass"):
    """Horizontal bars, log scale, for {label: seconds}; slowest on top. Returns the Figure."""
    if not seconds:
        raise ValueError("seconds must hold at least one {label: time} entry; got none")
    labels = list(seconds)
    values = np.array([seconds[k] for k in labels]) * 1e3
    fig, ax = _figure_and_axes(ax, (7.5, 0.5 * len(labels) + 1.2))
    ax.barh(labels[::-1], values[::-1], color=BLUE)
    for y, v in enumerate(values[::-1]):
        ax.text(v * 1.08, y, f"{v:,.0f} ms" if v >= 100 else f"{v:.3g} ms", va="center")  # no 1.25e+03
    ax.set(xscale="log", xlim=(values.min() / 2, values.max() * 6), xlabel="milliseconds (log scale)", title=title)
    return fig


def plot_block_norms(A, T, D, K, ax=None, title="How much input step s\nmoves output step t"):
    """Heatmap of the size (Frobenius norm) of each (D, K) block (s, t) of a (T*D, T*K) linear map, from input step
    s to output step t, in viridis (its lightness rises with the value: it reads in greyscale). Returns the Figure."""
    A = np.asarray(A)
    if A.shape != (T * D, T * K):
        raise ValueError(f"A must have shape (T*D, T*K) = {(T * D, T * K)}; got {A.shape}")
    norms = np.linalg.norm(A.reshape(T, D, T, K), axis=(1, 3))  # (T, T): [s, t]
    fig, ax = _figure_and_axes(ax, (5.2, 4.4))
    image = ax.imshow(norms, cmap="viridis", origin="upper", interpolation="nearest")
    ax.set(xlabel="output step t", ylabel="input step s", title=title)
    fig.colorbar(image, ax=ax, label="size of the (s, t) block")
    return fig


GATE_LABELS = {"i": "input gate $i_t$", "f": "forget gate $f_t$", "o": "output gate $o_t$", "c": "cell state $c_t$",
               "h": "hidden state $h_t$", "z": "update gate $z_t$", "r": "reset gate $r_t$"}


def plot_gates(gates, names, sample=0, axes=None, marker_t=None):
    """One panel per gate in names: each unit's value over time for one sample, in its own colour, line style and
    marker. gates: {name: (N, T, M)} as lstm_forward / gru_forward return with return_gates=True; the candidate is
    c̃_t, or h̃_t in a GRU (which has z). marker_t: a vertical line at this step. Returns the Figure."""
    missing = [n for n in names if n not in gates]
    if missing:
        raise ValueError(f"gates has no {missing}; it has {sorted(gates)}")
    t_steps, m = gates[names[0]].shape[1:]
    if axes is None:
        rows, cols = -(-len(names) // 3), min(3, len(names))
        axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.6 * rows), sharex=True, squeeze=False)[1]
    fig, axes = np.ravel(axes)[0].figure, np.ravel(axes)
    for ax, name in zip(axes, names):
        for unit in range(m):
            ax.plot(np.arange(t_steps), gates[name][sample, :, unit], markersize=4, label=f"unit {unit}",
                    **line_style(unit))
        limits = {"candidate": (-1.05, 1.05), "h": (-1.05, 1.05), **dict.fromkeys("ifozr", (-0.05, 1.05))}
        ax.set_ylim(limits.get(name))
        ax.axhline(0, color="0.8", linewidth=0.8)
        if marker_t is not None:
            ax.axvline(marker_t, color="0.3", linestyle="--", linewidth=1)
        candidate = r"candidate $\tilde{h}_t$" if "z" in gates else r"candidate $\tilde{c}_t$"
        ax.set(title=candidate if name == "candidate" else GATE_LABELS.get(name, name), xlabel="t")
        ax.tick_params(labelbottom=True)  # also where the panel below is left empty
    for ax in axes[len(names):]:
        ax.set_visible(False)
    fig.tight_layout(rect=(0, 0, 1, 0.93))  # the units' legend above the panels, off the lines
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper right", ncol=min(m, 6), frameon=False)
    return fig


def plot_lstm_cell(ax=None):
    """Draw one LSTM step. Top, the cell's path: c_{t-1} -> (× f_t) -> (+ i_t ⊙ c̃_t) -> c_t. Bottom: x_t and
    h_{t-1} feed the gates f, i, o = σ(...) and the candidate c̃ = tanh(...), each x_t U + h_{t-1} W + b with its
    own block of U, W, b. Right: h_t = o_t ⊙ tanh(c_t). Returns the Figure."""
    fig, ax = _figure_and_axes(ax, (9, 3.7))
    top, mid, gate_y, bus = 3.0, 2.0, 1.0, 0.0
    # one line carries x_t and h_{t-1} to every gate
    ax.plot([0.45, 6.4], [bus, bus], color="0.3", linewidth=1.3, linestyle="-")
    up_left, up_right = ((-0.2, 0.5), "right"), ((0.2, 0.5), "left")  # a gate's name beside the arrow leaving it
    for x, symbol, name, (dx, dy), ha in [(2, r"$\sigma$", "$f_t$", *up_left), (3.6, r"$\sigma$", "$i_t$", *up_left),
                                          (5.0, r"$\tanh$", r"$\tilde c_t$", *up_right),
                                          (6.4, r"$\sigma$", "$o_t$", (0.5, 0.22), "center")]:  # above the arrow to ×
        box(ax, (x, gate_y), symbol, "gate")
        ax.text(x + dx, gate_y + dy, name, color=RED, va="center", ha=ha)
        arrow(ax, (x, bus), (x, gate_y), shrink=(0, 14))
    for xy, text, kind in [((0, bus), "$x_t$, $h_{t-1}$", "state"), ((0, top), "$c_{t-1}$", "state"),
                           ((2, top), r"$\times$", "op"), ((4.3, top), "$+$", "op"), ((4.3, mid), r"$\times$", "op"),
                           ((8.8, top), "$c_t$", "state"), ((7.4, mid), r"$\tanh$", "tanh"),
                           ((7.4, gate_y), r"$\times$", "op"), ((8.8, gate_y), "$h_t$", "state")]:
        box(ax, xy, text, kind)
    for start, end in [((0, top), (2, top)), ((2, top), (4.3, top)), ((4.3, top), (8.8, top)),
                       ((2, gate_y), (2, top)), ((3.6, gate_y), (4.3, mid)), ((5.0, gate_y), (4.3, mid)),
                       ((4.3, mid), (4.3, top)), ((7.4, mid), (7.4, gate_y)), ((6.4, gate_y), (7.4, gate_y)),
                       ((7.4, gate_y), (8.8, gate_y))]:
        arrow(ax, start, end, shrink=(13, 13))
    arrow(ax, (7.4, top), (7.4, mid), shrink=(0, 13))  # c_t branches off to the output
    for xy, text in [((3.15, top + 0.25), r"$f_t \odot c_{t-1}$"), ((4.45, 2.5), r"$i_t \odot \tilde c_t$"),
                     ((8.8, gate_y - 0.45), "to the output and\nthe next step"),
                     ((8.8, top - 0.45), "to the next step")]:
        ax.text(*xy, text, color="0.25", ha="left" if xy[0] == 4.45 else "center", va="center")
    ax.set(xlim=(-0.8, 9.7), ylim=(-0.35, 3.45))
    ax.axis("off")
    ax.set_title(r"One LSTM step: $c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t$,   $h_t = o_t \odot \tanh(c_t)$")
    return fig


def plot_gradient_norms(curves, ax=None, title="How far back a gradient reaches", xlabel="lag k (steps back)"):
    """Log-scale lines of norms against the lag: {label: (lags, norms)} or {label: (lags, norms, style)}.
    A line without a style takes line_style's colour, line style and marker (about 8 markers a line), so that
    lines differ in greyscale too; a style given (a format string such as "--s") is drawn as given."""
    if not curves:
        raise ValueError("curves must hold at least one {label: (lags, norms)} entry; got none")
    fig, ax = _figure_and_axes(ax, (7, 3.8))
    for i, (label, (lags, norms, *style)) in enumerate(curves.items()):
        look = {} if style else dict(line_style(i), markersize=5, markevery=max(1, len(lags) // 8))
        ax.semilogy(lags, np.maximum(norms, 1e-30), *style, label=label, **look)
    ax.axhline(1.0, color="0.6", linewidth=0.8)
    ax.set(xlabel=xlabel, ylabel="norm (log scale)", title=title)
    ax.grid(True, which="major", alpha=0.3)
    readable_decades(ax)
    ax.legend(loc="best")
    return fig


def _gru_cell_arrows(ax):
    """The connections of plot_gru_cell: the state line on top (solid), the gates' outputs (dashed),
    the candidate's (dash-dot), and x_t and h_{t-1} into every box (grey)."""
    grey = "0.6"
    ax.plot([1.3, 1.3, 6.9], [5.2, 1.0, 1.0], color=grey, lw=1.4, linestyle="-", zorder=1)  # h_{t-1} joins x_t's line
    ax.plot([1.0, 1.3], [1.0, 1.0], color=grey, lw=1.4, linestyle="-", zorder=1)
    ax.plot([4.6, 4.6], [1.0, 2.02], color=grey, lw=1.4, linestyle="-", zorder=1)  # a gap where the r_t arrow crosses
    for start, end in [((2.4, 1.0), (2.4, 1.78)), ((6.9, 1.0), (6.9, 1.68)), ((4.6, 2.38), (4.6, 3.18))]:
        arrow(ax, start, end, grey)
    arrow(ax, (1.05, 5.2), (4.4, 5.2), BLUE)
    arrow(ax, (4.8, 5.2), (8.7, 5.2), BLUE, label="$z_t \\odot h_{t-1}$ ($\\approx h_{t-1}$ when $z_t \\approx 1$)",
          label_xy=(6.75, 5.55))
    arrow(ax, (9.1, 5.2), (9.93, 5.2), BLUE)
    for start, end, label, label_xy in [((4.6, 4.02), (4.6, 4.97), "$z_t$", (4.85, 4.45)),
                                        ((5.22, 3.6), (8.7, 3.6), "$1 - z_t$", (6.9, 3.85)),
                                        ((2.95, 2.2), (5.75, 2.2), "$r_t$", (4.0, 2.45))]:
        arrow(ax, start, end, RED, linestyle="--", label=label, label_xy=label_xy)
    arrow(ax, (7.6, 2.72), (8.74, 3.46), GREEN, linestyle="-.")
    arrow(ax, (8.9, 3.83), (8.9, 4.97), GREEN, linestyle="-.")


def plot_gru_cell(ax=None):
    """Draw one GRU step in Keras's default form (reset_after=True): the inputs h_{t-1} and x_t; the gates z_t and
    r_t, each σ(x_t U + h_{t-1} W + b + b') on its own block; the candidate h̃_t = tanh(x_t U_h + b_h + r_t ⊙
    (h_{t-1} W_h + b'_h)); h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h̃_t, so z_t near 1 keeps the old state.
    Returns the Figure."""
    fig, ax = _figure_and_axes(ax, (10, 5.2))
    for xy, text, kind in [((0.7, 5.2), "$h_{t-1}$", "input"), ((0.7, 1.0), "$x_t$", "input"),
                           ((4.6, 3.6), "update gate\n$z_t = \\sigma(\\cdot)$", "gate"),
                           ((2.4, 2.2), "reset gate\n$r_t = \\sigma(\\cdot)$", "gate"),
                           ((6.9, 2.2), "candidate\n$\\tilde h_t = \\tanh(x_t U_h + b_h$\n"
                                        "$+\\ r_t \\odot (h_{t-1} W_h + b'_h))$", "candidate"),
                           ((10.2, 5.2), "$h_t$", "input")]:
        box(ax, xy, text, kind)
    for xy, sign in (((4.6, 5.2), "$\\odot$"), ((8.9, 3.6), "$\\odot$"), ((8.9, 5.2), "$+$")):
        box(ax, xy, sign, "op", fontsize=13)
    _gru_cell_arrows(ax)
    ax.text(4.6, 0.6, "$x_t$ and $h_{t-1}$ reach every box", color="0.45", ha="center")
    ax.text(5.5, -0.15, "$h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot \\tilde h_t$;  each gate: "
            "$\\sigma(x_t U + h_{t-1} W + b + b')$ on its block;  Keras's block order: $z, r, \\tilde h$", ha="center")
    ax.set(xlim=(0, 10.8), ylim=(-0.4, 6.0))
    ax.axis("off")
    ax.set_title("One GRU step (Keras, reset_after=True): $z_t \\approx 1$ keeps the old state, "
                 "$z_t \\approx 0$ takes the candidate")
    return fig


def plot_truncated_bptt(steps=12, window=4, ax=None):
    """The unrolled chain h_0 ... h_{steps-1}: the forward pass runs through (solid arrows above), gradients flow back
    (dashed arrows below) only within windows of `window` steps. Returns the Figure."""
    if window < 1 or steps < 1:
        raise ValueError(f"steps and window must be positive; got steps={steps}, window={window}")
    fig, ax = _figure_and_axes(ax, (9, 2.6))
    for t in range(steps):
        box(ax, (t, 0), f"$h_{{{t}}}$", "hidden")
        if t + 1 < steps:
            arrow(ax, (t + 0.28, 0.12), (t + 0.72, 0.12), BLUE)  # forward: always
            if (t + 1) % window:
                arrow(ax, (t + 0.72, -0.12), (t + 0.28, -0.12), RED, linestyle="--")  # backward: within a window
    for edge in range(window, steps, window):  # between the two labels, not through them
        ax.vlines(edge - 0.5, -0.3, 0.3, color="0.4", linestyle=":", linewidth=1)
    ax.text(steps - 0.5, 0.42, "forward: the state passes every step", color=BLUE, ha="right")
    ax.text(steps - 0.5, -0.45, f"backward: the gradient stops at each window's edge (every {window} steps)",
            color=RED, ha="right")
    ax.set(xlim=(-0.6, steps - 0.4), ylim=(-0.6, 0.6))
    ax.axis("off")
    ax.set_title(f"Truncated backpropagation through time, windows of τ = {window} steps")
    return fig
