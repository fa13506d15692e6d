"""side_by_side: the wide model computes, and learns, what its copies would alone."""

import gc

import numpy as np
import pytest

from rnnlib.copies import copies_loss, copy_weights, per_copy, side_by_side, stack_blocks, train_copies, unstack_block


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
        for ours, theirs in zip(copy_weights(wide, s, 3), model.get_weights()):
            np.testing.assert_array_equal(ours, theirs)


def test_text_copies_with_a_padding_mask(keras, rng):
    models = [text_model(keras) for _ in range(2)]
    wide = side_by_side(models)
    ids = rng.integers(1, 12, (4, 7))
    ids[:, 5:] = 0  # padding
    out = per_copy(wide(ids), 2)
    for s, model in enumerate(models):
        np.testing.assert_allclose(out[:, s], model(ids), atol=1e-6)


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
        copy_weights(wide, 2, 2)
    with pytest.raises(ValueError, match="not a multiple"):
        per_copy(np.zeros((3, 5)), 2)


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


def test_train_copies_trains_each_model_as_its_own_fit_would_and_a_second_call_reuses_the_wide_model(keras, rng):
    # Adam: its moments must start again from zero, as in a fresh fit, for the second set of copies to match.
    from rnnlib import copies

    x, y = rng.standard_normal((16, 6, 3)).astype(np.float32), rng.standard_normal((16, 2)).astype(np.float32)
    x2, y2 = rng.standard_normal((16, 6, 3)).astype(np.float32), rng.standard_normal((16, 2)).astype(np.float32)
    first, second = ([sequence_model(keras, "GRU") for _ in range(2)] for _ in range(2))
    alone = [sequence_model(keras, "GRU") for _ in range(2)]
    for model, twin in zip(second, alone):
        twin.set_weights(model.get_weights())
        twin.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
        twin.fit(x2, y2, epochs=2, batch_size=8, shuffle=False, verbose=0)
    adam = lambda: keras.optimizers.Adam(0.05)
    train_copies(first, x, y, loss="mse", optimizer=adam, epochs=2, batch_size=8, shuffle=False)
    wide = copies._LAST["wide"]
    assert wide.train_function is None  # its traced step freed when training ended
    mse = lambda predictions: float(np.mean((np.asarray(predictions) - y2) ** 2))
    scores = train_copies(second, x2, y2, loss="mse", optimizer=adam, epochs=2, batch_size=8, shuffle=False,
                          score=(x2, mse))
    assert copies._LAST["wide"] is wide  # the same wide model, not built again
    for model, twin in zip(second, alone):
        for ours, theirs in zip(model.get_weights(), twin.get_weights()):
            np.testing.assert_allclose(ours, theirs, atol=2e-5)
    assert scores.shape == (2, 2)
    np.testing.assert_allclose(scores[-1], [mse(model(x2)) for model in second], rtol=1e-5)
    with pytest.raises(ValueError, match="optimizer must be a function"):
        train_copies(second, x, y, loss="mse", optimizer=keras.optimizers.SGD(0.1), epochs=1, batch_size=8)


def test_any_layer_name_works(keras):
    models = [keras.Sequential([keras.Input((6, 3)), keras.layers.GRU(4, name="my_xlayer"), keras.layers.Dense(2)])
              for _ in range(2)]
    wide = side_by_side(models)
    for s, model in enumerate(models):
        for ours, theirs in zip(copy_weights(wide, s, 2), model.get_weights()):
            np.testing.assert_array_equal(ours, theirs)
