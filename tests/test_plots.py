"""The plotting helpers draw what they are given and refuse what they cannot draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnnlib import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    with matplotlib.rc_context():  # what course_style() sets stays in this test
        plots.course_style()
        yield
    plt.close("all")


def test_importing_the_plots_changes_nothing_and_course_style_sets_the_course_s_look():
    import subprocess
    import sys

    code = ("import matplotlib; before = dict(matplotlib.rcParams); import rnnlib.plots as p; "
            "assert dict(matplotlib.rcParams) == before, 'importing rnnlib.plots changed rcParams'")
    subprocess.run([sys.executable, "-c", code], check=True)
    cycle = list(matplotlib.rcParams["axes.prop_cycle"])
    assert matplotlib.rcParams["font.size"] == plots.MIN_FONT_PT
    assert [c["color"] for c in cycle] == list(plots.PALETTE.values())
    assert len({str(c["linestyle"]) for c in cycle}) == len(cycle)  # lines differ in greyscale too


def test_unrolled_graph_writes_the_computed_values():
    fig = plots.plot_unrolled([1, 2, 3], 1.4501959, -1.0, 0.0, 0.5759429, 0.0)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "$\\hat y$ = 0.5746" in texts and "$h_0$ = 0.8957" in texts


def test_block_norms(rng):
    A = np.zeros((3 * 2, 3 * 1))
    A[0:2, 2:3] = 1.0  # input step 0 -> output step 2
    norms = plots.plot_block_norms(A, T=3, D=2, K=1).axes[0].images[0].get_array()
    assert norms[0, 2] == pytest.approx(np.sqrt(2)) and norms.sum() == pytest.approx(np.sqrt(2))
    with pytest.raises(ValueError, match=r"A must have shape \(T\*D, T\*K\) = \(6, 3\)"):
        plots.plot_block_norms(np.zeros((5, 3)), T=3, D=2, K=1)


def test_parameter_and_timing_plots():
    fig = plots.plot_params_against_T(10, 15, 3, [5, 20])
    rnn_line = fig.axes[0].lines[1].get_ydata()
    assert list(rnn_line) == [438, 438]
    with pytest.raises(ValueError, match="parts must hold at least one positive count"):
        plots.plot_param_parts([])
    with pytest.raises(ValueError, match="seconds must hold at least one"):
        plots.plot_timings({})
    assert len(plots.plot_timings({"a": 0.001, "b": 0.01}).axes[0].patches) == 2
    labels = [t.get_text() for t in plots.plot_timings({"a": 1.25292, "b": 0.06742}).axes[0].texts]
    assert labels == ["67.4 ms", "1,253 ms"]  # bottom bar first; no exponent at 100 ms and above


def test_gradient_norms_and_truncated_bptt():
    fig = plots.plot_gradient_norms({"a": (np.arange(1, 4), np.array([1.0, 0.1, 0.0]))})
    assert fig.axes[0].get_yscale() == "log"
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), [1.0, 0.1, 1e-30])  # zero drawn at the floor
    styled = plots.plot_gradient_norms({"a": (np.arange(1, 4), np.ones(3), "--s")}).axes[0].lines[0]
    assert (styled.get_linestyle(), styled.get_marker()) == ("--", "s")  # a caller's style drawn as given
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_gradient_norms({})
    for fig in [plots.plot_truncated_bptt(steps=8, window=4)]:
        arrows = [a for a in fig.axes[0].texts if getattr(a, "arrow_patch", None) is not None]
        backward = [a for a in arrows if a.xy[0] < a.xyann[0]]  # pointing to the left
        assert len(arrows) - len(backward) == 7 and len(backward) == 6  # 7 links forward, one cut going back
        assert fig.axes[0].get_title() == "Truncated backpropagation through time, windows of τ = 4 steps"
        assert "backward: the gradient stops at each window's edge (every 4 steps)" in [t.get_text() for t in fig.axes[0].texts]
    with pytest.raises(ValueError, match="must be positive"):
        plots.plot_truncated_bptt(steps=8, window=0)


def test_lstm_cell_diagram_labels_every_state_gate_and_operation():
    fig = plots.plot_lstm_cell()
    texts = [t.get_text() for t in fig.axes[0].texts]
    for label in ["$c_{t-1}$", "$c_t$", "$x_t$, $h_{t-1}$", "$h_t$", "$f_t$", "$i_t$", r"$\tilde c_t$", "$o_t$"]:
        assert label in texts, label
    assert texts.count(r"$\sigma$") == 3 and texts.count(r"$\tanh$") == 2  # gates f, i, o; candidate and output
    assert texts.count(r"$\times$") == 3 and texts.count("$+$") == 1  # f*c, i*c~, o*tanh(c); the cell's sum
    assert r"\odot" in fig.axes[0].get_title()
    _, ax = plt.subplots()
    assert plots.plot_lstm_cell(ax=ax) is ax.figure  # draws into a given axes


def test_gru_cell_diagram_shows_keras_gates_and_the_update_rule():
    fig = plots.plot_gru_cell()
    texts = [t.get_text() for t in fig.axes[0].texts]
    for label in ["$h_{t-1}$", "$x_t$", "$h_t$", "$z_t$", "$1 - z_t$", "$r_t$", "$+$"]:
        assert label in texts, label
    assert texts.count(r"$\odot$") == 2  # z_t * h_{t-1} and (1 - z_t) * candidate
    assert any(r"r_t \odot (h_{t-1} W_h + b'_h)" in t for t in texts)  # reset_after=True: reset after W_h
    assert any(r"h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t" in t for t in texts)
    assert any("W + b + b')" in t for t in texts)  # each gate: both bias rows, added
    assert r"$z_t \approx 1$ keeps the old state" in fig.axes[0].get_title()
    _, ax = plt.subplots()
    assert plots.plot_gru_cell(ax=ax) is ax.figure  # draws into a given axes


def test_the_candidate_is_named_as_its_layer_names_it():
    from rnnlib.plots import plot_gates

    rng = np.random.default_rng(0)
    lstm = {n: rng.uniform(size=(1, 4, 2)) for n in ("i", "f", "candidate", "o", "c", "h")}
    gru = {n: rng.uniform(size=(1, 4, 2)) for n in ("z", "r", "candidate", "h")}
    titles = {kind: [ax.get_title() for ax in plot_gates(g, list(g)).axes if ax.get_visible()]
              for kind, g in (("lstm", lstm), ("gru", gru))}
    assert r"candidate $\tilde{c}_t$" in titles["lstm"] and r"candidate $\tilde{h}_t$" in titles["gru"]
    assert not any("tilde{h}" in t for t in titles["lstm"]) and not any("tilde{c}" in t for t in titles["gru"])


def readable_problems(fig, name):
    """What would be hard to read on a projector: text under MIN_FONT_PT, a figure wider than MAX_WIDTH."""
    small = sorted({(t.get_text()[:30], t.get_fontsize()) for t in fig.findobj(matplotlib.text.Text)
                    if t.get_visible() and t.get_text().strip() and t.get_fontsize() < plots.MIN_FONT_PT})
    width = float(fig.get_size_inches()[0])
    return ([f"{name}: text under {plots.MIN_FONT_PT} pt: {small}"] if small else []) + \
        ([f"{name}: {width:.1f} in wide"] if width > plots.MAX_WIDTH + 1e-9 else [])


def test_every_figure_and_widget_picture_reads_on_a_projector(rng, monkeypatch):
    """At 100 dpi and at most MAX_WIDTH inches, a figure shows unscaled on a 1280x720 slide, where
    MIN_FONT_PT = 12 pt is 16.7 px, at least 12 pt of the slide (16 px)."""
    from rnnlib import lstm_forward, widgets

    gates = lstm_forward(rng.normal(size=(1, 8, 2)), rng.normal(size=(2, 12)), rng.normal(size=(3, 12)),
                         rng.normal(size=12), return_gates=True)[3]
    figures = {
        "plot_unrolled": plots.plot_unrolled([1, 2, 3], 1.45, -1.0, 0.0, 0.58, 0.0),
        "plot_params_against_T": plots.plot_params_against_T(10, 15, 3, [5, 20]),
        "plot_param_parts": plots.plot_param_parts([("U", 150), ("W", 225), ("b", 15)]),
        "plot_timings": plots.plot_timings({"per-sample loop (NumPy)": 0.08, "hoisted (NumPy)": 0.004}),
        "plot_block_norms": plots.plot_block_norms(rng.normal(size=(32 * 4, 32 * 3)), 32, 4, 3),
        "plot_gates": plots.plot_gates(gates, ["i", "f", "candidate", "o", "c", "h"]),
        "plot_lstm_cell": plots.plot_lstm_cell(),
        "plot_gru_cell": plots.plot_gru_cell(),
        "plot_gradient_norms": plots.plot_gradient_norms({"a": (np.arange(1, 9), 0.9 ** np.arange(1, 9))}),
        "plot_truncated_bptt": plots.plot_truncated_bptt(),
    }
    drawn = []  # every Figure a widget draws into its picture
    monkeypatch.setattr(widgets.CourseWidget, "_show", lambda self, fig: drawn.append(fig))
    explorer = widgets.OneUnitRNNExplorer()
    explorer.steps.value = explorer.steps.max  # the widest picture
    made = [explorer, widgets.ParamCounter(), widgets.GateStepper(gates, ["i", "f", "o", "c"]),
            widgets.GradientFlowExplorer(rng.normal(size=(60, 4)), rng.normal(size=(4, 8)), rng.normal(size=(8, 8))),
            widgets.BlockNormExplorer(rng.normal(size=(4, 8)), np.eye(8), rng.normal(size=(8, 3)), 16)]
    figures.update({f"widget picture {i}": fig for i, fig in enumerate(drawn)})
    problems = [p for name, fig in figures.items() for p in readable_problems(fig, name)]
    for widget in made:
        widget.close()
    assert len(drawn) >= len(made) and not problems, problems


def test_where_colour_tells_lines_or_bars_apart_so_does_something_else(rng):
    """Greyscale keeps the meaning: lines of one axes differ in line style or marker, a bar's blocks in hatch,
    and every colour is a PALETTE colour (or a grey)."""
    from rnnlib import lstm_forward

    gates = lstm_forward(rng.normal(size=(1, 8, 2)), rng.normal(size=(2, 16)), rng.normal(size=(4, 16)),
                         rng.normal(size=16), return_gates=True)[3]
    norms = {f"rho = {r}": (np.arange(1, 30), r ** np.arange(1, 30)) for r in (0.8, 0.9, 1.0, 1.1, 1.2, 1.3)}
    figures = [plots.plot_gates(gates, ["i", "f", "c"]), plots.plot_params_against_T(10, 15, 3, [5, 20]),
               plots.plot_gradient_norms(norms)]
    for fig in figures:
        for ax in fig.axes:
            looks = [(str(line.get_linestyle()), line.get_marker()) for line in ax.get_lines() if line.get_label()[0] != "_"]
            assert len(set(looks)) == len(looks), looks
    for diagram in (plots.plot_lstm_cell(), plots.plot_gru_cell()):  # a connector's dashes would mean nothing
        assert {line.get_linestyle() for ax in diagram.axes for line in ax.get_lines()} == {"-"}
    bars = plots.plot_param_parts([("U", 150), ("W", 225), ("b", 15)]).axes[0].patches
    assert len({bar.get_hatch() for bar in bars}) == 3
    palette = {matplotlib.colors.to_hex(c) for c in plots.PALETTE.values()}
    for fig in figures + [plots.plot_lstm_cell(), plots.plot_gru_cell(), plots.plot_truncated_bptt()]:
        for artist in fig.findobj(lambda a: hasattr(a, "get_color") or hasattr(a, "get_edgecolor")):
            for get in ("get_color", "get_edgecolor"):
                colours = np.atleast_2d(matplotlib.colors.to_rgba_array(getattr(artist, get)())) if hasattr(artist, get) else []
                for rgba in colours:
                    hex_colour = matplotlib.colors.to_hex(rgba)
                    grey = np.ptp(rgba[:3]) < 1e-6
                    assert grey or hex_colour in palette, (type(artist).__name__, hex_colour)
