import numpy as np
import pytest

from rnnlib.shapes import batching_shapes, multiply_adds, shape_table
from rnnlib import timing
from rnnlib.timing import best_time, best_times


def test_shapes_are_the_shapes_numpy_produces(rng):
    n, t, d, m = 3, 4, 5, 6
    x = rng.normal(size=(n, t, d))
    u, w, b = rng.normal(size=(d, m)), rng.normal(size=(m, m)), rng.normal(size=m)
    h_prev = np.zeros((n, m))
    h_t = np.tanh(x[:, 1] @ u + h_prev @ w + b)
    actual = {
        "x": x, "x.transpose(1, 0, 2)": x.transpose(1, 0, 2), "x[:, t]": x[:, 1], "U": u, "W": w, "b": b,
        "x[:, t] @ U": x[:, 1] @ u, "h_prev @ W": h_prev @ w, "h_t": h_t, "states": np.stack([h_t] * t, axis=1),
        "x.reshape(N*T, D)": x.reshape(n * t, d), "x.reshape(N*T, D) @ U": x.reshape(n * t, d) @ u,
    }
    listed = {a.name: a.shape for a in batching_shapes(n, t, d, m)}
    assert listed == {name: arr.shape for name, arr in actual.items()}


def test_multiply_adds():
    # N = 2, T = 3, D = 4, M = 5: x_t U is 2·4·5 = 40 multiply-adds, h_{t-1} W 2·5·5 = 50, three steps.
    assert multiply_adds(2, 3, 4, 5) == (90, 270)
    assert "multiply-adds in all:   T·(N·D·M + N·M·M) = 270" in shape_table(2, 3, 4, 5)
    with pytest.raises(ValueError, match="N must be a positive whole number; got 0"):
        multiply_adds(0, 1, 1, 1)


def test_best_time_calls_and_checks(monkeypatch):
    calls = []
    ticks = iter([0, 6, 6, 9, 9, 15])  # a fake clock: after the untimed warm-up, calls of 6, 3 and 6 ticks
    monkeypatch.setattr(timing.time, "perf_counter", lambda: next(ticks))
    assert best_time(lambda: calls.append(1), repeats=3) == 3
    assert len(calls) == 4  # one warm-up, then the repeats
    with pytest.raises(ValueError, match="repeats must be at least 1"):
        best_time(lambda: None, repeats=0)


def test_best_times_takes_turns_and_keeps_each_minimum(monkeypatch):
    order = []
    # A fake clock: each call of a takes 5, 2, then 4 ticks; each call of b 3, 3, then 1.
    ticks = iter([0, 5, 5, 8, 8, 10, 10, 13, 13, 17, 17, 18])
    monkeypatch.setattr(timing.time, "perf_counter", lambda: next(ticks))
    best = best_times({"a": lambda: order.append("a"), "b": lambda: order.append("b")}, repeats=3)
    assert order == ["a", "b"] * 4  # one warm-up round, then three rounds in turn
    assert best == {"a": 2, "b": 1}
    with pytest.raises(ValueError, match="repeats must be at least 1; got 0"):
        best_times({"a": lambda: None}, repeats=0)
