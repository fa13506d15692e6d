"""side_by_side: the wide model computes, and learns, what its copies would alone."""

import gc

import numpy as np
import pytest

from rnnlib.copies import (
    copies_loss, copy_weights, free_training_step, per_copy, restart, side_by_side, stack_blocks, train_copies,
    training_start, unstack_block,
)


def test_stack_blocks_known_layout():
    a = np.array([[1, 2, 3, 4]])  # one row, 2 gates of width 2
    b = np.array([[5, 6, 7, 8]])
    # gate 0 of copy 0, gate 0 of copy 1, gate 1 of copy 0, gate 1 of copy 1
    np.testing.assert_array_equal(stack_blocks([a, b], 2, 2, own_rows=False), [[1, 2, 5, 6, 3, 4, 7, 8]])
    np.testing.assert_array_equal(stack_blocks([a, b], 2, 2, own_rows=True),
                                  [[1, 2, 0, 0, 3, 4, 0, 0], [0, 0, 5, 6, 0, 0, 7, 8]])
    for own_rows in (False, True):
        wide = stack_blocks([a, b], 2, 2, own_rows)
        np.testing.assert_array_equal(unstack_block(wide, 1, 2, 2, 2, own_rows), b)


def sequence_model(keras, kind, **options):
    layers = keras.layers
    return keras.Sequential([keras.Input((6, 3)), getattr(layers, kind)(4, **options), layers.Dense(2)])


def text_model(keras):
    layers = keras.layers
    return keras.Sequential([keras.Input((7,), dtype="int32"), layers.Embedding(12, 3, mask_zero=True),
                             layers.GRU(4, return_sequences=True), layers.GlobalMaxPooling1D(),
                             layers.Dense(1, activation="sigmoid")])


@pytest.mark.parametrize("kind, options", [("SimpleRNN", {}), ("LSTM", {}), ("GRU", {}),
                                           ("GRU", {"reset_after": False}), ("LSTM", {"use_bias": False})])
def test_each_copy_computes_what_it_would_alone(keras, rng, kind, options):
    models = [sequence_model(keras, kind, **options) for _ in range(3)]
    wide = side_by_side(models)
    x = rng.standard_normal((5, 6, 3)).astype(np.float32)
    out = per_copy(wide(x), 3)
    for s, model in enumerate(models):
        np.testing.assert_allclose(out[:, s], model(x), atol=1e-5)
        for ours, theirs in zip(copy_weights(wide, s), model.get_weights()):
            np.testing.assert_array_equal(ours, theirs)


def test_text_copies_with_a_padding_mask(keras, rng):
    models = [text_model(keras) for _ in range(2)]
    wide = side_by_side(models)
    ids = rng.integers(1, 12, (4, 7))
    ids[:, 5:] = 0  # padding
    out = per_copy(wide(ids), 2)
    for s, model in enumerate(models):
        np.testing.assert_allclose(out[:, s], model(ids), atol=1e-6)


def test_training_the_wide_model_trains_each_copy_as_alone(keras, rng):
    # A GRU behind an Embedding, with max pooling and a padding mask: the block-diagonal input and
    # recurrent kernels, the constraint that keeps them so, and the summed loss all take part.
    ids = rng.integers(1, 12, (16, 7))
    ids[:, 5:] = 0  # padding
    y = rng.integers(0, 2, (16, 1)).astype(np.float32)
    models = [text_model(keras) for _ in range(2)]
    wide = side_by_side(models)
    wide.compile(optimizer=keras.optimizers.Adam(0.05), loss=copies_loss("binary_crossentropy", 2))
    wide.fit(ids, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    alone = models[1]  # the second copy: an offset mistake in the layout would show here
    alone.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    alone.fit(ids, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    for ours, theirs in zip(copy_weights(wide, 1), alone.get_weights()):
        np.testing.assert_allclose(ours, theirs, atol=2e-5)
    # the weights between copies are still exactly zero
    for weight in wide.layers[1].get_weights()[:2]:  # the GRU's input and recurrent kernels
        own = stack_blocks([np.ones((weight.shape[0] // 2, weight.shape[1] // 2))] * 2, 3, 4, True)
        assert np.all(weight[own == 0] == 0)


def traced_graphs():
    """How many TensorFlow function graphs are alive (not yet collected) now."""
    return sum(type(o).__name__ == "FuncGraph" for o in gc.get_objects())


def test_restart_repeats_training_and_free_training_step_lets_its_graphs_go(keras, rng):
    x, y = rng.standard_normal((16, 6, 3)).astype(np.float32), rng.standard_normal((16, 2)).astype(np.float32)
    wide = side_by_side([sequence_model(keras, "LSTM") for _ in range(2)])
    wide.compile(optimizer=keras.optimizers.Adam(0.05), loss=copies_loss("mse", 2))
    start = training_start(wide)
    gc.collect()
    before = traced_graphs()
    wide.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    first = wide.get_weights()
    traced = wide.train_function
    restart(wide, start)
    wide.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    assert wide.train_function is traced  # restarted, not traced again
    for a, b in zip(wide.get_weights(), first):
        np.testing.assert_array_equal(a, b)  # the same steps from the same start

    del traced
    outputs = wide(x)
    gc.disable()  # no automatic collection in between: the graphs go because free_training_step collects them
    try:
        after_fit = traced_graphs()
        assert after_fit > before
        free_training_step(wide)
        assert wide.train_function is None and traced_graphs() < after_fit
    finally:
        gc.enable()
    np.testing.assert_array_equal(wide(x), outputs)  # the same model as before
    restart(wide, start)
    wide.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)  # traced anew: the same training
    for a, b in zip(wide.get_weights(), first):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_bad_input(keras):
    layers = keras.layers
    with pytest.raises(ValueError, match="at least 2 models"):
        side_by_side([sequence_model(keras, "GRU")])
    with pytest.raises(ValueError, match="one architecture"):
        side_by_side([sequence_model(keras, "GRU"), sequence_model(keras, "LSTM")])
    softmax = [keras.Sequential([keras.Input((6, 3)), layers.GRU(4), layers.Dense(2, activation="softmax")])
               for _ in range(2)]
    with pytest.raises(ValueError, match="'softmax' mixes"):
        side_by_side(softmax)
    flat = [keras.Sequential([keras.Input((6, 3)), layers.Flatten(), layers.Dense(2)]) for _ in range(2)]
    with pytest.raises(ValueError, match="supports the layers"):
        side_by_side(flat)
    with pytest.raises(ValueError, match="name must be one of"):
        copies_loss("hinge", 2)
    wide = side_by_side([sequence_model(keras, "GRU") for _ in range(2)])
    with pytest.raises(ValueError, match="from 0 to 1"):
        copy_weights(wide, 2)
    with pytest.raises(ValueError, match="not a multiple"):
        per_copy(np.zeros((3, 5)), 2)
    with pytest.raises(ValueError, match="needs a Keras model; got list"):
        free_training_step([wide])


def test_train_copies_trains_each_model_as_its_own_fit_would(keras, rng):
    x = rng.standard_normal((16, 6, 3)).astype(np.float32)
    y = rng.standard_normal((16, 2)).astype(np.float32)
    models = [sequence_model(keras, "GRU") for _ in range(2)]
    alone = [sequence_model(keras, "GRU") for _ in range(2)]
    for model, twin in zip(models, alone):
        twin.set_weights(model.get_weights())
        twin.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        twin.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    mse = lambda predictions: float(np.mean((np.asarray(predictions) - y) ** 2))
    scores = train_copies(models, x, y, loss="mse", optimizer=lambda: keras.optimizers.SGD(0.1), epochs=2,
                          batch_size=8, shuffle=False, score=(x, mse))
    assert scores.shape == (2, 2)
    for model, twin in zip(models, alone):
        for ours, theirs in zip(model.get_weights(), twin.get_weights()):
            np.testing.assert_allclose(ours, theirs, atol=1e-5)
    np.testing.assert_allclose(scores[-1], [mse(model(x)) for model in models], rtol=1e-5)
    with pytest.raises(ValueError, match="optimizer must be a function"):
        train_copies(models, x, y, loss="mse", optimizer=keras.optimizers.SGD(0.1), epochs=1, batch_size=8)


def stateful_language_model(keras, k=5):
    layers = keras.layers
    return keras.Sequential([keras.Input((None,), batch_size=2, dtype="int32"), layers.Embedding(k, 3),
                             layers.LSTM(4, return_sequences=True, stateful=True), layers.Dense(k)])


def test_stateful_language_model_copies_train_as_each_would_alone(keras, rng):
    # Logits at every step against integer targets (N, T): copies_loss("sparse_categorical_crossentropy").
    # Stateful layers: two batches of 2 rows, the second continuing the first; every epoch starts from zeros.
    ids, targets = rng.integers(0, 5, (4, 6)), rng.integers(0, 5, (4, 6))
    models = [stateful_language_model(keras) for _ in range(2)]
    alone = stateful_language_model(keras)
    alone.set_weights(models[1].get_weights())  # the second copy: an offset mistake in the layout would show here
    train_copies(models, ids, targets, loss="sparse_categorical_crossentropy", optimizer=lambda: keras.optimizers.SGD(0.5),
                 epochs=2, batch_size=2, shuffle=False)
    alone.compile(optimizer=keras.optimizers.SGD(0.5), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    for _ in range(2):
        alone.layers[1].reset_state()
        alone.fit(ids, targets, epochs=1, batch_size=2, shuffle=False, verbose=0)
    for ours, theirs in zip(models[1].get_weights(), alone.get_weights()):
        np.testing.assert_allclose(ours, theirs, atol=2e-5)


def test_a_second_call_for_the_same_network_reuses_the_traced_step_and_trains_as_alone(keras, rng):
    # Adam: its moments must start again from zero, as in a fresh fit, for the second set of copies to match.
    from rnnlib import copies

    x, y = rng.standard_normal((16, 6, 3)).astype(np.float32), rng.standard_normal((16, 2)).astype(np.float32)
    x2, y2 = rng.standard_normal((16, 6, 3)).astype(np.float32), rng.standard_normal((16, 2)).astype(np.float32)
    first, second = ([sequence_model(keras, "LSTM") for _ in range(2)] for _ in range(2))
    alone = [sequence_model(keras, "LSTM") for _ in range(2)]
    for model, twin in zip(second, alone):
        twin.set_weights(model.get_weights())
        twin.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
        twin.fit(x2, y2, epochs=2, batch_size=8, shuffle=False, verbose=0)
    adam = lambda: keras.optimizers.Adam(0.05)
    train_copies(first, x, y, loss="mse", optimizer=adam, epochs=2, batch_size=8, shuffle=False)
    traced = copies._LAST["wide"].train_function
    train_copies(second, x2, y2, loss="mse", optimizer=adam, epochs=2, batch_size=8, shuffle=False)
    assert copies._LAST["wide"].train_function is traced  # not traced again
    for model, twin in zip(second, alone):
        for ours, theirs in zip(model.get_weights(), twin.get_weights()):
            np.testing.assert_allclose(ours, theirs, atol=2e-5)
    other = [sequence_model(keras, "GRU") for _ in range(2)]  # another architecture: a new wide model
    train_copies(other, x, y, loss="mse", optimizer=adam, epochs=1, batch_size=8)
    assert copies._LAST["wide"].train_function is not traced and traced is not None
