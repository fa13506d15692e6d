"""count_params by formula against Keras's own count, over every supported layer and option."""

import itertools

import numpy as np
import pytest

from rnnlib.params import (
    count_params, dense_params, gru_params, lstm_params, param_table, simple_rnn_params,
)


def test_formulas_known_values():
    # Worked by hand: D = 3, M = 5 gives 3·5 + 5·5 + 5 = 45 and, into K = 2, 5·2 + 2 = 12; the one-unit model
    # 1 + 1 + 1 = 3 and 1 + 1 = 2; without biases, D = 10, M = 15 gives 150 + 225 and K = 3 gives 45.
    assert simple_rnn_params(3, 5) == 45 and dense_params(5, 2) == 12
    assert simple_rnn_params(1, 1) == 3 and dense_params(1, 1) == 2
    assert simple_rnn_params(10, 15, use_bias=False) == 150 + 225
    assert dense_params(15, 3, use_bias=False) == 45
    assert lstm_params(2, 3) == 4 * (6 + 9 + 3) == 72
    assert gru_params(2, 3) == 3 * (6 + 9) + 2 * 9 == 63
    assert gru_params(2, 3, reset_after=False) == 3 * (6 + 9 + 3) == 54


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, None])
def test_sizes_must_be_positive_integers(bad):
    with pytest.raises(ValueError, match="must be a positive whole number"):
        simple_rnn_params(bad, 3)


SIZES = [1, 3, 7]  # the input sizes D the layers are built for


def layer_grid(keras):
    L = keras.layers
    for units, bias in itertools.product([1, 4], [True, False]):
        yield L.SimpleRNN(units, use_bias=bias)
        yield L.LSTM(units, use_bias=bias)
        yield L.LSTM(units, use_bias=bias, unit_forget_bias=False)
        yield L.GRU(units, use_bias=bias, reset_after=True)
        yield L.GRU(units, use_bias=bias, reset_after=False)
        yield L.Dense(units, use_bias=bias)
        yield L.TimeDistributed(L.Dense(units, use_bias=bias))
        for mode in ["concat", "sum", "mul", "ave", None]:
            yield L.Bidirectional(L.GRU(units, use_bias=bias, return_sequences=True), merge_mode=mode)
        yield L.Bidirectional(L.LSTM(units, use_bias=bias), backward_layer=L.SimpleRNN(units + 1, go_backwards=True))


@pytest.fixture(scope="module")
def built_grid(keras):
    """{D: every layer of layer_grid and an Embedding, built for inputs of D features}: built once for the two
    tests below, as building (drawing the starting weights) is what takes the time."""
    grids = {}
    for d in SIZES:
        grids[d] = list(layer_grid(keras)) + [keras.layers.Embedding(50, 8)]
        for layer in grids[d]:
            layer.build((None, 5) if type(layer).__name__ == "Embedding" else (None, 5, d))
    return grids


@pytest.mark.parametrize("d", SIZES)
def test_every_layer_type_and_option_equals_keras(built_grid, d):
    for layer in built_grid[d]:
        assert count_params(layer) == layer.count_params(), (type(layer).__name__, layer.get_config())


def test_embedding_and_pooling(keras):
    L = keras.layers
    embedding = L.Embedding(50, 8)
    embedding.build((None, 7))
    assert count_params(embedding) == embedding.count_params() == 400
    for pool in [L.GlobalMaxPooling1D(), L.GlobalAveragePooling1D(), L.MaxPooling1D(2), L.AveragePooling1D(2)]:
        pool.build((None, 6, 3))
        assert count_params(pool) == pool.count_params() == 0


def test_stacks_and_functional_models(keras):
    L = keras.layers
    stack = keras.Sequential([
        keras.Input((12,)),
        L.Embedding(100, 16),
        L.Bidirectional(L.LSTM(8, return_sequences=True)),
        L.GRU(6, return_sequences=True, reset_after=False),
        L.SimpleRNN(5, return_sequences=True),
        L.TimeDistributed(L.Dense(4)),
        L.GlobalMaxPooling1D(),
        L.Dense(3, use_bias=False),
    ])
    assert count_params(stack) == stack.count_params()
    inputs = keras.Input((9, 4))
    x = L.GRU(7, return_sequences=True)(inputs)
    x = L.LSTM(3)(x)
    model = keras.Model(inputs, L.Dense(2)(x))
    assert count_params(model) == model.count_params()
    nested = keras.Sequential([keras.Input((9, 4)), model, L.Dense(5)])
    assert count_params(nested) == nested.count_params()


def test_param_table_rows_and_rendering(keras):
    model = keras.Sequential([keras.Input((10, 3)), keras.layers.SimpleRNN(5, name="rnn"), keras.layers.Dense(2, name="out")])
    table = param_table(model)
    assert [(r.name, r.symbols, r.numbers, r.count) for r in table.rows] == [
        ("rnn", "D·M + M·M + M", "3·5 + 5·5 + 5", 45),
        ("out", "M·K + K", "5·2 + 2", 12),
    ]
    assert table.total == 57 == model.count_params()
    text = str(table).splitlines()
    assert text[0].split() == ["layer", "type", "formula", "with", "numbers", "parameters"]
    assert text[-1].split() == ["total", "57"]
    assert len({len(line) for line in text[2:4]}) == 1, "rows are aligned"
    html = table._repr_html_()
    assert html.startswith("<table>") and "3·5 + 5·5 + 5" in html and ">57<" in html


def test_unsupported_and_unbuilt_layers(keras):
    conv = keras.layers.Conv1D(4, 3, name="conv")
    conv.build((None, 8, 2))
    with pytest.raises(ValueError, match=r"does not support layer 'conv' of type Conv1D; it supports SimpleRNN, LSTM, GRU"):
        count_params(conv)
    with pytest.raises(ValueError, match=r"layer 'lonely' \(GRU\) is not built"):
        count_params(keras.layers.GRU(3, name="lonely"))


def test_counts_do_not_depend_on_weights(keras):
    layer = keras.layers.LSTM(4)
    layer.build((None, 3, 2))
    before = count_params(layer)
    layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    assert count_params(layer) == before


def test_recurrent_parts_add_up_to_the_formulas():
    from rnnlib.params import feedforward_params, recurrent_parts

    assert sum(c for _, c in recurrent_parts("SimpleRNN", 3, 5)) == simple_rnn_params(3, 5)
    assert sum(c for _, c in recurrent_parts("LSTM", 3, 5)) == lstm_params(3, 5)
    assert sum(c for _, c in recurrent_parts("GRU", 3, 5)) == gru_params(3, 5)
    assert sum(c for _, c in recurrent_parts("GRU", 3, 5, reset_after=False)) == gru_params(3, 5, reset_after=False)
    assert feedforward_params(20, 10, 15, 3) == 60000 + 300 + 18000 + 60
    with pytest.raises(ValueError, match="kind must be one of"):
        recurrent_parts("RNN", 3, 5)


def evaluate(formula, **letters):
    """A formula as the tables print it ('3·(8·8 + 8·8) + 2·3·8', '2·[D·M + M·M + M]'), evaluated."""
    expression = formula.replace("·", "*").replace("[", "(").replace("]", ")")
    return eval(expression, {"__builtins__": {}}, letters)


@pytest.mark.parametrize("d", SIZES)
def test_every_formula_a_table_prints_gives_its_count(built_grid, d):
    # The "with numbers" column of every row, and the "formula" column with the row's own D, M and K,
    # evaluated as written: what a learner reads in notebook 06 must add up to the count beside it.
    for layer in built_grid[d]:
        (row,) = param_table(layer).rows
        assert evaluate(row.numbers) == row.count == layer.count_params(), row
        config = layer.get_config()
        units = config.get("units") or config.get("layer", {}).get("config", {}).get("units")
        if "+ [" not in row.symbols and units:  # one kind of layer: its letters have one meaning
            letters = dict(D=d, M=d, K=units) if "Dense" in row.kind else dict(D=d, M=units)
            assert evaluate(row.symbols, **letters) == row.count, row
