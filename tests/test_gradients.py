"""Backpropagation by hand: known values, central differences, and GradientTape as the oracle."""

import numpy as np
import pytest

import rnnlib
from rnnlib.activations import ACTIVATIONS, activation_vjp, get_activation
from rnnlib.losses import mean_squared_error, sparse_softmax_cross_entropy

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")  # an overflow would make inf == inf pass


def numeric_gradient(f, array, eps=1e-6):
    """Central differences: (f(a + eps) - f(a - eps)) / 2 eps for every entry of `array`, changed in place."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        keep = array[index]
        array[index] = keep + eps
        up = f()
        array[index] = keep - eps
        down = f()
        array[index] = keep
        grad[index] = (up - down) / (2 * eps)
    return grad


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_every_activation_derivative_matches_central_differences(rng, name):
    a = rng.normal(size=(3, 5)) * 2
    g = rng.normal(size=(3, 5))
    f = get_activation(name)
    expected = numeric_gradient(lambda: float((f(a) * g).sum()), a)
    np.testing.assert_allclose(activation_vjp(name, a, g), expected, atol=1e-6)


def test_one_unit_known_values():
    # h0 = tanh(U x0), loss = (V h0 - y)^2 with U = 0.5, x0 = 2, V = 3, y = 1: everything by hand.
    h0 = np.tanh(1.0)
    dy = 2 * (3 * h0 - 1)  # dloss/dy_pred
    dh, dv, _ = rnnlib.dense_backward([[dy]], [[h0]], [[3.0]])
    np.testing.assert_allclose(dv, [[dy * h0]])
    np.testing.assert_allclose(dh, [[dy * 3]])
    dx, du, dw, db, dh_init = rnnlib.simple_rnn_backward(dh[:, None], [[[2.0]]], [[[h0]]], [[0.5]], [[0.7]], bias=[0.0])
    da = dy * 3 * (1 - h0 ** 2)  # through tanh
    np.testing.assert_allclose(du, [[da * 2]])
    np.testing.assert_allclose(dx, [[[da * 0.5]]])
    np.testing.assert_allclose(db, [da])
    np.testing.assert_allclose(dw, [[0.0]])  # h_{-1} = 0: W did not take part
    np.testing.assert_allclose(dh_init, [[da * 0.7]])


def test_losses_known_values():
    loss, grad = mean_squared_error([[1.0], [3.0]], [0.0, 1.0])  # errors 1 and 2
    assert loss == pytest.approx(2.5)
    np.testing.assert_allclose(grad, [[1.0], [2.0]])  # 2 * error / 2
    loss, grad = sparse_softmax_cross_entropy([[0.0, 0.0], [np.log(3.0), 0.0]], [0, 0])
    assert loss == pytest.approx((np.log(2) + np.log(4 / 3)) / 2)
    np.testing.assert_allclose(grad, [[-0.25, 0.25], [-0.125, 0.125]])


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU", "GRU-reset-before"])
def test_every_backward_matches_central_differences(rng, kind):
    n, t, d, m = 2, 4, 3, 3
    gates = {"SimpleRNN": 1, "LSTM": 4}.get(kind, 3)
    x, h0, g = rng.normal(size=(n, t, d)), rng.normal(size=(n, m)), rng.normal(size=(n, t, m))
    kernel, recurrent = rng.normal(size=(d, gates * m)) * 0.5, rng.normal(size=(m, gates * m)) * 0.5
    bias = rng.normal(size=(2, 3 * m) if kind == "GRU" else gates * m)
    extra = {"GRU": dict(reset_after=True), "GRU-reset-before": dict(reset_after=False)}.get(kind, {})
    forward = {"SimpleRNN": rnnlib.simple_rnn_forward, "LSTM": rnnlib.lstm_forward}.get(kind, rnnlib.gru_forward)
    loss = lambda: float((forward(x, kernel, recurrent, bias, h0=h0, activation="softsign", **extra)[0] * g).sum())
    outputs = forward(x, kernel, recurrent, bias, h0=h0, activation="softsign", **extra)[0]
    if kind == "SimpleRNN":
        grads = rnnlib.simple_rnn_backward(g, x, outputs, kernel, recurrent, bias=bias, h0=h0, activation="softsign")
    elif kind == "LSTM":
        cells = rnnlib.lstm_forward(x, kernel, recurrent, bias, h0=h0, activation="softsign", return_gates=True)[3]["c"]
        grads = rnnlib.lstm_backward(g, x, outputs, cells, kernel, recurrent, bias=bias, h0=h0, activation="softsign")
    else:
        grads = rnnlib.gru_backward(g, x, outputs, kernel, recurrent, bias=bias, h0=h0, activation="softsign", **extra)
    for array, grad in zip([x, kernel, recurrent, bias, h0], [grads[0], grads[1], grads[2], grads[3], grads[4]]):
        np.testing.assert_allclose(grad, numeric_gradient(loss, array), atol=1e-6)


def tape_gradients(keras, model, x, y, loss):
    import tensorflow as tf

    loss_fn = (keras.losses.MeanSquaredError() if loss == "mse"
               else keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    with tf.GradientTape() as tape:
        value = loss_fn(y, model(x))
    return [tf.convert_to_tensor(g).numpy() for g in tape.gradient(value, model.trainable_weights)]  # an
    # Embedding's gradient comes as IndexedSlices: the rows read, each step's gradient; converted, their sum


def assert_gradients_equal(ours, theirs):
    """Equal to a relative 1e-4: each array within 1e-4 of the largest entry of the array it is checked against."""
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        assert o.shape == t.shape and o.dtype == t.dtype
        np.testing.assert_allclose(o, t, rtol=1e-4, atol=1e-4 * max(np.abs(t).max(), 1e-12))


def model_and_data(keras, rng, layers, loss, sequences, n=5, t=6, d=3, k=4):
    model = keras.Sequential([keras.Input((t, d))] + layers + [keras.layers.Dense(k)])
    for w in model.weights:  # non-zero biases, so that their gradients are tested too
        w.assign(w.numpy() + rng.normal(scale=0.1, size=w.shape).astype(np.float32))
    x = rng.normal(size=(n, t, d)).astype(np.float32)
    shape = (n, t) if sequences else (n,)
    y = rng.integers(0, k, shape) if loss != "mse" else rng.normal(size=shape + (k,)).astype(np.float32)
    return model, x, y


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_simple_rnn_every_activation_against_gradient_tape(keras, rng, activation):
    # Each activation with one setting of the options; alternating, so both settings meet many activations.
    if activation == "sparsemax" and not np.isclose(float(np.sum(keras.activations.sparsemax(np.ones((1, 3))))), 1):
        pytest.skip("Keras 3.15's sparsemax does not sum to 1 (see rnnlib.activations); its gradients differ too")
    settings = [(True, True, "mse"), (False, False, "sparse_categorical_crossentropy")]
    sequences, bias, loss = settings[sorted(ACTIVATIONS).index(activation) % 2]
    layer = keras.layers.SimpleRNN(4, activation=activation, return_sequences=sequences, use_bias=bias)
    model, x, y = model_and_data(keras, rng, [layer], loss, sequences)
    if activation == "exponential":  # exp of a recurrence grows fast: small weights keep it finite
        model.set_weights([w * 0.1 for w in model.get_weights()])
    assert_gradients_equal(rnnlib.gradients_by_hand(model, x, y, loss=loss), tape_gradients(keras, model, x, y, loss))


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "GRU-reset-before"])
@pytest.mark.parametrize("sequences", [False, True])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("loss", ["mse", "sparse_categorical_crossentropy"])
def test_gated_layers_against_gradient_tape(keras, rng, kind, sequences, bias, loss):
    options = dict(reset_after=False) if kind == "GRU-reset-before" else {}
    layer = getattr(keras.layers, kind.split("-")[0])(4, return_sequences=sequences, use_bias=bias, **options)
    model, x, y = model_and_data(keras, rng, [layer], loss, sequences)
    assert_gradients_equal(rnnlib.gradients_by_hand(model, x, y, loss=loss), tape_gradients(keras, model, x, y, loss))


def test_a_stack_with_other_activations_against_gradient_tape(keras, rng):
    layers = [keras.layers.LSTM(3, return_sequences=True, activation="softsign", recurrent_activation="hard_sigmoid"),
              keras.layers.SimpleRNN(4, return_sequences=True, activation="relu"),
              keras.layers.GRU(3)]
    model, x, y = model_and_data(keras, rng, layers, "mse", False)
    model.layers[-1].activation = keras.activations.get("linear")
    assert_gradients_equal(rnnlib.gradients_by_hand(model, x, y, loss="mse"), tape_gradients(keras, model, x, y, "mse"))


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_a_language_model_with_an_embedding_against_gradient_tape(keras, rng, kind):
    # Token ids (N, T) in, logits at every step, per-step targets: a character-level language model.
    k = 6
    model = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(k, 3),
                              getattr(keras.layers, kind)(4, return_sequences=True), keras.layers.Dense(k)])
    ids = rng.integers(0, k - 1, (3, 7))  # the last id never read: its row's gradient is 0
    targets = rng.integers(0, k, (3, 7))
    ours = rnnlib.gradients_by_hand(model, ids, targets, loss="sparse_categorical_crossentropy")
    assert ours[0].shape == (k, 3) and not ours[0][k - 1].any()
    assert_gradients_equal(ours, tape_gradients(keras, model, ids, targets, "sparse_categorical_crossentropy"))


def test_an_embedding_row_gathers_the_gradient_of_every_step_that_read_it(keras):
    # E (3, 1) feeds a linear SimpleRNN with U = 1, W = 0 and a Dense with V = 1, all biases 0, so
    # ŷ_t = E[id_t] and L = mean_t (E[id_t] - y_t)^2: dE[k] = sum over the steps t reading k of 2 (E[k] - y_t) / T.
    model = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(3, 1),
                              keras.layers.SimpleRNN(1, activation="linear", return_sequences=True),
                              keras.layers.Dense(1)])
    model.set_weights([np.array([[1.0], [2.0], [3.0]]), np.ones((1, 1)), np.zeros((1, 1)), np.zeros(1),
                       np.ones((1, 1)), np.zeros(1)])
    ids, y = np.array([[0, 2, 0, 1]]), np.zeros((1, 4, 1))
    dtable = rnnlib.gradients_by_hand(model, ids, y, loss="mse")[0]
    np.testing.assert_allclose(dtable, [[2 * (1 + 1) / 4], [2 * 2 / 4], [2 * 3 / 4]], rtol=1e-6)


def test_a_frozen_layer_has_no_gradient_in_the_list(keras, rng):
    model, x, y = model_and_data(keras, rng, [keras.layers.SimpleRNN(4)], "mse", False)
    model.layers[0].trainable = False
    ours = rnnlib.gradients_by_hand(model, x, y, loss="mse")
    assert [g.shape for g in ours] == [(4, 4), (4,)]  # the Dense layer's only
    assert_gradients_equal(ours, tape_gradients(keras, model, x, y, "mse"))


def test_unsupported_models_and_losses(keras, rng):
    model, x, y = model_and_data(keras, rng, [keras.layers.SimpleRNN(4)], "mse", False)
    with pytest.raises(ValueError, match="loss must be one of 'mse', 'sparse_categorical_crossentropy'; got 'hinge'"):
        rnnlib.gradients_by_hand(model, x, y, loss="hinge")
    flat = keras.Sequential([keras.Input((6, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="GRU layers followed by one Dense layer, with an Embedding first or not; got layers Flatten, Dense"):
        rnnlib.gradients_by_hand(flat, x, y, loss="mse")
    backwards = keras.Sequential([keras.Input((6, 3)), keras.layers.GRU(2, go_backwards=True), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="go_backwards is not supported"):
        rnnlib.gradients_by_hand(backwards, x, y, loss="mse")
    masked = keras.Sequential([keras.Input((6,), dtype="int32"), keras.layers.Embedding(4, 3, mask_zero=True),
                               keras.layers.GRU(2), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="mask_zero is not supported"):
        rnnlib.gradients_by_hand(masked, np.ones((5, 6), int), y, loss="mse")
    embedded = keras.Sequential([keras.Input((6,), dtype="int32"), keras.layers.Embedding(4, 3),
                                 keras.layers.GRU(2), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"x must be \(N, T\) token ids in \[0, 4\)"):
        rnnlib.gradients_by_hand(embedded, np.full((5, 6), 4), y, loss="mse")
    softmax = keras.Sequential([keras.Input((6, 3)), keras.layers.GRU(2), keras.layers.Dense(2, activation="softmax")])
    with pytest.raises(ValueError, match="must give logits"):
        rnnlib.gradients_by_hand(softmax, x, np.zeros(5), loss="sparse_categorical_crossentropy")


@pytest.mark.parametrize("call, message", [
    (lambda: rnnlib.simple_rnn_backward(np.ones((2, 3, 4)), np.ones((2, 3, 5)), np.ones((2, 3, 4)), np.ones((5, 4)),
                                        np.ones((4, 4)), bias=np.ones(3)), r"bias must have shape \(M,\) with M = 4"),
    (lambda: rnnlib.simple_rnn_backward(np.ones((2, 3, 5)), np.ones((2, 3, 5)), np.ones((2, 3, 4)), np.ones((5, 4)),
                                        np.ones((4, 4))), r"doutputs must have shape \(N, T, M\) = \(2, 3, 4\); got shape \(2, 3, 5\)"),
    (lambda: rnnlib.lstm_backward(np.ones((2, 3, 4)), np.ones((2, 3, 5)), np.ones((2, 3, 4)), np.ones((2, 2, 4)),
                                  np.ones((5, 16)), np.ones((4, 16))), r"cells must have shape \(N, T, M\) = \(2, 3, 4\)"),
    (lambda: rnnlib.dense_backward(np.ones((2, 3)), np.ones((2, 4)), np.ones((4, 2))), r"dy must have shape"),
    (lambda: mean_squared_error(np.ones((2, 3)), np.ones((2, 2))), r"y_true must have y_pred's shape \(2, 3\)"),
    (lambda: sparse_softmax_cross_entropy(np.ones((2, 3)), [0, 3]), r"labels must lie in \[0, 3\)"),
    (lambda: sparse_softmax_cross_entropy(np.ones((2, 3)), [0.5, 1]), r"whole-number class indices"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
