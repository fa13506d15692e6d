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
    ax.legend(fontsize=8, loc="center right")
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
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=min(3, len(parts)), frameon=False)
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
        ax.text(v * 1.08, y, f"{v:.3g} ms", va="center", fontsize=9)
    ax.set_xscale("log")
    ax.set_xlim(values.min() / 2, values.max() * 6)
    ax.set_xlabel("milliseconds (log scale)")
    ax.set_title(title)
    return fig


def plot_block_norms(A, T, D, K, ax=None, title="How much input step s moves output step t"):
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
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, label="size of the (s, t) block")
    return fig


GATE_LABELS = {
    "i": "input gate $i_t$", "f": "forget gate $f_t$", "o": "output gate $o_t$",
    "candidate": r"candidate $\tilde{c}_t$ / $\tilde{h}_t$", "c": "cell state $c_t$", "h": "hidden state $h_t$",
    "z": "update gate $z_t$", "r": "reset gate $r_t$",
}


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
        ax.set_title(GATE_LABELS.get(name, name), fontsize=9)
        ax.set_xlabel("t")
    for ax in axes[len(names):]:
        ax.set_visible(False)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
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
    ax.legend(fontsize=8)
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
    for edge in range(chunk, steps, chunk):
        ax.axvline(edge - 0.5, color="0.4", linestyle=":", linewidth=1)
    ax.text(steps - 0.5, 0.42, "forward: the state passes every step", color="#4c72b0", ha="right", fontsize=9)
    ax.text(steps - 0.5, -0.45, f"backward: the gradient stops at each chunk's edge (every {chunk} steps)",
            color="#c44e52", ha="right", fontsize=9)
    ax.set_xlim(-0.6, steps - 0.4)
    ax.set_ylim(-0.6, 0.6)
    ax.axis("off")
    ax.set_title(f"Truncated backpropagation through time, chunks of {chunk} steps")
    return fig
