"""Drive the widgets' observers the way a learner's slider does, without a kernel."""

import numpy as np
import pytest

from rnnlib.widgets import OneUnitRNNExplorer


def expected(x, U, W, b, V, c, f):
    h, hs = 0.0, []
    for x_t in x:
        h = f(U * x_t + W * h + b)
        hs.append(h)
    return np.array(hs), V * h + c


def test_defaults_show_seed_004():
    w = OneUnitRNNExplorer()
    np.testing.assert_allclose(w.y, 0.5746256, atol=5e-8)
    assert "y = 0.5746" in w.readout.value
    assert w.picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_sliders_recomputes_states_and_prediction():
    w = OneUnitRNNExplorer(x=(0.5, -1.0, 2.0, 0.25), V=2.0, c=0.5)
    first_picture = w.picture.value
    w.U.value, w.W.value, w.b.value = 0.8, 0.6, -0.2
    h, y = expected(w.x, 0.8, 0.6, -0.2, 2.0, 0.5, np.tanh)
    np.testing.assert_allclose(w.h, h, rtol=1e-12)
    np.testing.assert_allclose(w.y, y, rtol=1e-12)
    for t, value in enumerate(h):
        assert f"h<sub>{t}</sub> = {value:.4f}</td>" in w.readout.value
    assert w.picture.value != first_picture


def test_choosing_an_activation():
    w = OneUnitRNNExplorer()
    w.activation.value = "relu"
    h, y = expected(w.x, w.U.value, w.W.value, w.b.value, w.V, w.c, lambda z: max(z, 0.0))
    np.testing.assert_allclose(w.h, h, rtol=1e-12)
    assert f"y = {y:.4f}" in w.readout.value


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown activation 'tanhh'"):
        OneUnitRNNExplorer(activation="tanhh")
    with pytest.raises(ValueError, match="at least one time step"):
        OneUnitRNNExplorer(x=())


def test_param_counter_follows_its_sliders():
    from rnnlib.widgets import ParamCounter

    w = ParamCounter()  # seed 003's sizes: D = 10, M = 15, K = 3, T = 20
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
