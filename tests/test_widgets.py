"""Drive the widgets' observers the way a learner's slider does, without a kernel."""

import numpy as np
import pytest

from rnnlib.widgets import OneUnitRNNExplorer
from tools.browser_widgets import readout_disagreements


def expected(x, U, W, b, V, c, f):
    h, hs = 0.0, []
    for x_t in x:
        h = f(U * x_t + W * h + b)
        hs.append(h)
    return np.array(hs), V * h + c


def test_defaults_show_the_one_unit_model_of_notebook_01():
    w = OneUnitRNNExplorer()
    np.testing.assert_allclose(w.y_hat, 0.5746256, atol=5e-8)
    assert "ŷ = 0.5746" in w.readout.value
    assert w.picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_sliders_recomputes_states_and_prediction():
    w = OneUnitRNNExplorer(x=(0.5, -1.0, 2.0, 0.25), V=2.0, b_y=0.5)
    first_picture = w.picture.value
    w.U.value, w.W.value, w.b.value = 0.8, 0.6, -0.2
    h, y = expected(w.x, 0.8, 0.6, -0.2, 2.0, 0.5, np.tanh)
    np.testing.assert_allclose(w.h, h, rtol=1e-12)
    np.testing.assert_allclose(w.y_hat, y, rtol=1e-12)
    for t, value in enumerate(h):
        assert f"h<sub>{t}</sub> = {value:.4f}</td>" in w.readout.value
    assert w.picture.value != first_picture


def test_choosing_an_activation():
    w = OneUnitRNNExplorer()
    w.activation.value = "relu"
    h, y = expected(w.x, w.U.value, w.W.value, w.b.value, w.V, w.b_y, lambda z: max(z, 0.0))
    np.testing.assert_allclose(w.h, h, rtol=1e-12)
    assert f"ŷ = {y:.4f}" in w.readout.value


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown activation 'tanhh'"):
        OneUnitRNNExplorer(activation="tanhh")
    with pytest.raises(ValueError, match="at least one time step"):
        OneUnitRNNExplorer(x=())


def test_param_counter_follows_its_sliders():
    from rnnlib.widgets import ParamCounter

    w = ParamCounter()  # notebook 06's sizes: D = 10, M = 15, K = 3, T = 20
    assert w.count == (10 * 15 + 15 * 15 + 15) + (15 * 3 + 3)
    assert w.feedforward == (200 * 300 + 300) + (300 * 60 + 60)
    w.layer.value = "LSTM"
    assert w.count == 4 * (10 * 15 + 15 * 15 + 15) + 48
    assert "4·(10·15 + 15·15 + 15)" in w.readout.value
    w.layer.value = "GRU (reset_after=True)"
    w.D.value, w.M.value, w.K.value = 2, 3, 1
    assert w.count == 3 * (2 * 3 + 3 * 3) + 2 * 3 * 3 + (3 + 1)
    before = w.count
    w.T.value = 200  # weight sharing: the count does not depend on T
    assert w.count == before
    assert w.feedforward == (400 * 600 + 600) + (600 * 200 + 200)
    with pytest.raises(ValueError, match="layer must be one of"):
        ParamCounter(layer="Transformer")


def test_shape_explorer_follows_its_sliders():
    from rnnlib.widgets import ShapeExplorer

    w = ShapeExplorer(N=32, T=28, D=32, M=16)
    assert w.shapes["x"] == (32, 28, 32) and w.shapes["x.reshape(N*T, D) @ U"] == (896, 16)
    w.N.value, w.M.value = 4, 3
    assert w.shapes["h_prev @ W"] == (4, 3)
    assert w.per_step == 4 * 32 * 3 + 4 * 3 * 3 and w.total == 28 * w.per_step
    assert f"{w.total:,}" in w.readout.value


def test_gate_stepper_shows_the_gates_of_the_chosen_step():
    from rnnlib.lstm import lstm_forward
    from rnnlib.widgets import GateStepper

    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 6, 3))
    u, w, b = rng.normal(size=(3, 8)), rng.normal(size=(2, 8)), rng.normal(size=8)
    _, _, _, gates = lstm_forward(x, u, w, b, return_gates=True)
    stepper = GateStepper(gates, ["i", "f", "candidate", "o", "c", "h"], sample=1)
    first = stepper.picture.value
    stepper.t.value = 4
    for name in ["i", "f", "c"]:
        np.testing.assert_array_equal(stepper.values[name], gates[name][1, 4])
        for v in gates[name][1, 4]:
            assert f"{v:+.4f}" in stepper.readout.value
    assert stepper.picture.value != first
    assert stepper.t.max == 5
    with pytest.raises(ValueError, match=r"gates has no \['q'\]"):
        GateStepper(gates, ["q"])


def test_gradient_flow_explorer_follows_its_slider_and_activation(rng):
    from rnnlib.jacobians import scaled_to_spectral_radius, state_jacobian_norms
    from rnnlib.widgets import GradientFlowExplorer

    x, u, w = rng.normal(size=(30, 2)), rng.normal(size=(2, 8)), rng.normal(size=(8, 8)) / np.sqrt(8)
    explorer = GradientFlowExplorer(x, u, w, rho=0.9, activation="linear", lag=20)
    first = explorer.picture.value
    explorer.rho.value = 1.2
    expected = state_jacobian_norms(x, u, scaled_to_spectral_radius(w, 1.2), activation="linear")
    np.testing.assert_allclose(explorer.norms, expected, rtol=1e-12)
    assert f"<b>{expected[19]:.3g}</b> at lag 20" in explorer.readout.value
    assert explorer.picture.value != first
    explorer.activation.value = "tanh"
    np.testing.assert_allclose(explorer.norms, state_jacobian_norms(x, u, scaled_to_spectral_radius(w, 1.2)), rtol=1e-12)
    with pytest.raises(ValueError, match="lag must lie between 1 and T-1 = 29"):
        GradientFlowExplorer(x, u, w, lag=30)


def every_course_widget():
    from rnnlib.widgets import GateStepper, GradientFlowExplorer, ParamCounter, ShapeExplorer

    rng = np.random.default_rng(0)
    gates = {name: rng.uniform(-1, 1, (1, 4, 2)) for name in ("i", "f", "candidate", "o", "c", "h")}
    return [OneUnitRNNExplorer(), ShapeExplorer(), ParamCounter(), GateStepper(gates, ["i", "f", "c"]),
            GradientFlowExplorer(rng.normal(size=(12, 2)), rng.normal(size=(2, 5)), rng.normal(size=(5, 5)), lag=8)]


def test_every_readout_shows_its_readout_values_and_a_wrong_value_is_caught():
    # `make test-browser` compares the page with live_widget_report()'s values the same way.
    from rnnlib.widgets import live_widget_report, readout_text

    made = every_course_widget()
    for w in made:
        control = w.controls[0]  # one step, as a learner's arrow key (the browser test moves every control)
        before = w.readout_values()
        if hasattr(control, "step"):
            control.value = control.value + control.step if control.value < control.max else control.min
        else:
            control.value = control.options[-1]
        shown, values = readout_text(w.readout.value), w.readout_values()
        assert readout_disagreements(shown, values) == [], (type(w).__name__, values, shown)
        assert readout_disagreements(shown, before), (type(w).__name__, "the old values pass for the new readout")
        i, (label, value) = next((i, pair) for i, pair in enumerate(values) if not isinstance(pair[1], str))
        value = np.asarray(value)
        nudged = value * 1.02 + (1 if value.dtype.kind == "i" else 1e-3)  # 2% off, and a whole unit off a count
        assert readout_disagreements(shown, [*values[:i], (label, nudged), *values[i + 1:]]), (type(w).__name__, label)
    report = live_widget_report()[-len(made):]
    assert [r["class"] for r in report] == [type(w).__name__ for w in made]
    assert report[0]["controls"]["U (kernel)"] == pytest.approx(1.4501959 + 0.01)
    assert [label for label, _ in report[0]["values"]] == ["h_0 =", "h_1 =", "h_2 =", "ŷ ="]
    h, y = expected(made[0].x, 1.4501959 + 0.01, -1.0, 0.0, made[0].V, made[0].b_y, np.tanh)
    np.testing.assert_allclose([v for _, v in report[0]["values"]], [*h, y], rtol=1e-12)  # independent of rnnlib
    per_step = 33 * 32 * 16 + 33 * 16 * 16  # ShapeExplorer at N = 33: N·D·M + N·M·M
    assert report[1]["values"][-2:] == [["N·D·M + N·M·M =", per_step], ["in all, T times that:", 28 * per_step]]
    assert report[2]["values"][2] == ["Total", 3 * (10 * 15 + 15 * 15 + 15) + (15 * 3 + 3)]  # GRU, reset_after=False
    np.testing.assert_array_equal(report[3]["values"][0][1], made[3].gates["i"][0, 1])  # the gates at t = 1


def test_readout_disagreements_reads_numbers_as_shown():
    assert readout_disagreements("h0 = 0.8957 h1 = -0.1470 ŷ = 1.15e-08", [("h_0 =", 0.89566), ("h_1 =", -0.14704),
                                                                       ("ŷ =", 1.1549e-8)]) == []
    assert readout_disagreements("x (32, 28, 32) per step: 24,576", [("x", (32, 28, 32)), ("per step:", 24576)]) == []
    assert readout_disagreements("x (32, 28, 31)", [("x", (32, 28, 32))])  # a wrong size
    assert readout_disagreements("h0 = 0.8957", [("h_0 =", 0.89576)])  # 0.8958 when rounded
    assert readout_disagreements("unit 0 i +0.2893", [("i", [0.2893])]) == []  # "i" is not the i of "unit"
    assert readout_disagreements("Ux 3 U 2", [("U", 2)]) == []  # nor is "U" the U of "Ux"
    assert readout_disagreements("✓ (oak) …", [("✓", "(oak)"), ("✗", "(oak)")]) == ["no '✗' after '✓ (oak)'"]


def test_without_a_kernel_a_widget_is_a_picture_not_a_repr():
    import base64

    for w in every_course_widget():
        data, metadata = w._repr_mimebundle_()
        png = base64.b64decode(data["image/png"])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and metadata["image/png"]["width"] > 300
        assert "children=(" not in data["text/plain"] and w.controls[0].description in data["text/plain"]


def test_pictures_are_drawn_at_twice_their_shown_size():
    from rnnlib.widgets import DENSITY, _png_size

    w = OneUnitRNNExplorer()
    width, height = _png_size(w.picture.value)
    assert w.picture.layout.width == f"{width // DENSITY}px" and DENSITY == 2
    w.steps.value = 8
    assert len(w.h) == 8 and np.allclose(w.h[3:], expected(np.r_[w.x, np.zeros(5)], w.U.value, w.W.value, w.b.value,
                                                            w.V, w.b_y, np.tanh)[0][3:])
    assert _png_size(w.picture.value)[0] > width  # more steps, a wider graph


def block_norm_weights(rng, D=5, M=6, K=2):
    """U (D, M), an orthogonal W (M, M) as Keras initialises it, V (M, K)."""
    return rng.normal(size=(D, M)), np.linalg.qr(rng.normal(size=(M, M)))[0], rng.normal(size=(M, K))


def test_block_norm_explorer_starts_at_the_spectral_radius_of_w(rng):
    from rnnlib.widgets import BlockNormExplorer

    U, W, V = block_norm_weights(rng)
    w = BlockNormExplorer(U, W, V, T=12)
    assert w.rho.value == pytest.approx(1.0, abs=1e-12)  # orthogonal: every eigenvalue is 1 in size
    first, last = np.linalg.norm(U @ V), np.linalg.norm(U @ np.linalg.matrix_power(W, 11) @ V)
    assert f"‖U V‖ = <b>{first:.3g}</b> at lag 0" in w.readout.value
    assert f"‖U W¹¹ V‖ = <b>{last:.3g}</b> at lag 11" in w.readout.value
    np.testing.assert_allclose(w.block_norms, [np.linalg.norm(U @ np.linalg.matrix_power(W, k) @ V) for k in range(12)],
                               rtol=1e-10)
    blocks = w.A.reshape(12, 5, 12, 2)  # blocks[s, :, t, :]
    np.testing.assert_allclose(blocks[2, :, 5, :], U @ np.linalg.matrix_power(W, 3) @ V, rtol=1e-10)
    assert not blocks[5, :, 2, :].any()  # s > t: an output never sees a later input
    assert w.picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_block_norm_explorer_blocks_fade_below_1_and_grow_above(rng):
    from rnnlib.widgets import BlockNormExplorer, readout_text

    U, W, V = block_norm_weights(rng)
    w = BlockNormExplorer(U, W, V, T=32)
    readouts, pictures = [w.readout.value], [w.picture.value]
    for rho in (0.7, 1.3):  # 0.7^31 is about 2e-5 and 1.3^31 about 3.4e3: far beyond the band of the orthogonal W
        w.rho.value = rho
        readouts.append(w.readout.value)
        pictures.append(w.picture.value)
        scaled = W * rho  # W is orthogonal, so rho W has spectral radius rho
        np.testing.assert_allclose(w.block_norms[-1], np.linalg.norm(U @ np.linalg.matrix_power(scaled, 31) @ V),
                                   rtol=1e-8)
        assert (w.block_norms[-1] < w.block_norms[0]) == (rho < 1)
        assert readout_disagreements(readout_text(w.readout.value), w.readout_values()) == [], w.readout.value
    assert len(set(readouts)) == 3 and len(set(pictures)) == 3
    assert readout_text(readouts[0]).startswith("‖U V‖ = ") and "U W³¹ V" in readout_text(readouts[0])


def test_block_norm_explorer_rejects_bad_shapes(rng):
    from rnnlib.widgets import BlockNormExplorer

    U, W, V = block_norm_weights(rng)
    with pytest.raises(ValueError, match=r"W must have shape \(M, M\) = \(6, 6\).*got shape \(6, 5\)"):
        BlockNormExplorer(U, W[:, :5], V, T=8)
    with pytest.raises(ValueError, match=r"V must have shape \(M, K\) with M = 6 rows.*got shape \(4, 2\)"):
        BlockNormExplorer(U, W, V[:4], T=8)
    with pytest.raises(ValueError, match=r"U must be a 2-D array of shape \(D, M\); got a 1-D array of shape \(6,\)"):
        BlockNormExplorer(U[0], W, V, T=8)
    with pytest.raises(ValueError, match="T must be a whole number of steps, at least 2; got 1"):
        BlockNormExplorer(U, W, V, T=1)
    with pytest.raises(ValueError, match="rho must lie between 0.5 and 1.5.*got 2"):
        BlockNormExplorer(U, W, V, T=8, rho=2)


def test_temperature_sampler_follows_its_slider(keras, rng):
    from rnnlib import brackets
    from rnnlib.language_model import sample
    from rnnlib.widgets import TemperatureSampler, readout_text

    model = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(brackets.K, 4),
                              keras.layers.GRU(6, return_sequences=True), keras.layers.Dense(brackets.K)])
    model.set_weights([rng.normal(scale=1.5, size=w.shape) for w in model.get_weights()])  # logits far from 0
    prompt = brackets.to_ids("\nsky\n")
    w = TemperatureSampler(model, prompt, decode=brackets.to_text, is_valid=brackets.is_valid, stop=0, lines=3)
    first = w.readout.value, w.picture.value
    w.temperature.value = 0.3
    assert (w.readout.value, w.picture.value) != first
    samples, bits = sample(model, prompt, 3, temperature=0.3, rng=np.random.default_rng(0), stop=0, max_length=72)
    texts = [brackets.to_text(s) for s in samples]
    shown = readout_text(w.readout.value)
    assert all(text.rstrip("\n") in shown for text in texts)
    valid = sum(brackets.is_valid(t) for t in texts)
    assert f"{valid} of 3 lines valid" in shown
    assert f"{np.average(bits, weights=[len(t) for t in texts]):.2f} bits" in shown
    assert readout_disagreements(shown, w.readout_values()) == []
    assert w.readout_values()[:3] == [("✓" if brackets.is_valid(t) else "✗", t.rstrip("\n")) for t in texts]
