"""A language model's next-token distribution, perplexity and samples, by hand: p = softmax(ŷ / temperature).

The model: a built Keras Sequential of an Embedding (a token id -> its row of the table E), one
or more SimpleRNN, LSTM or GRU layers, and a Dense layer giving K logits ŷ = h V + b_y, one per
token. Everything here reads its configuration and weights (rnnlib.keras_adapter) and computes
in NumPy; nothing calls the model.
"""

import numpy as np

from rnnlib import keras_adapter
from rnnlib.activations import apply_activation
from rnnlib.by_hand import by_hand
from rnnlib.layers import MODELS, RECURRENT, cell
from rnnlib.losses import sparse_softmax_cross_entropy


def _layers(model):
    """The model's layers as LayerInfo, after checking it is Embedding -> recurrent layers -> Dense logits."""
    layers = [keras_adapter.describe(layer) for layer in keras_adapter.describe(model).parts] \
        if keras_adapter.kind(model) in MODELS else []
    kinds = [info.kind for info in layers]
    if (kinds[:1] != ["Embedding"] or kinds[-1:] != ["Dense"] or len(kinds) < 3
            or any(k not in RECURRENT for k in kinds[1:-1])):
        raise ValueError("the model must be a Sequential of an Embedding, SimpleRNN, LSTM or GRU layers, and a "
                         f"Dense layer giving logits; got {', '.join(kinds) or type(model).__name__}")
    if layers[-1].config["activation"] != "linear":
        raise ValueError(f"the model must end in a Dense layer giving logits (activation='linear'); its Dense layer "
                         f"has activation {layers[-1].config['activation']!r}")
    return layers


def softmax(logits, temperature=1.0):
    """softmax(ŷ / temperature) over the last axis, the largest logit subtracted first."""
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or not temperature > 0:
        raise ValueError(f"temperature must be a number above 0; got {temperature!r}")
    return apply_activation("softmax", np.asarray(logits, dtype=np.float64) / temperature)


def _logits(model, ids):
    """by_hand's logits for token ids (N, T), after checking the model and the ids."""
    _layers(model)
    ids = np.asarray(ids)
    if ids.ndim != 2 or ids.dtype.kind not in "iu":
        raise ValueError(f"ids must be a 2-D array (N, T) of whole-number token ids; got shape {ids.shape}, "
                         f"dtype {ids.dtype}")
    return by_hand(model, ids)


def next_token_probabilities(model, ids, *, temperature=1.0):
    """(N, K): the distribution of the token after each of the N sequences ids (N, T), by hand.

    Equals softmax(model(ids)[:, -1] / temperature), or of model(ids) when the last recurrent layer returns only its
    last step.
    """
    logits = _logits(model, ids)
    return softmax(logits[:, -1] if logits.ndim == 3 else logits, temperature)


def perplexity(model, ids, targets):
    """exp of the mean cross-entropy of the model's prediction at every step of ids (N, T)
    against targets (N, T), the token that comes next: a float, by hand. 1 is a perfect
    prediction; a model that spreads its bets evenly over the K tokens scores K."""
    logits, targets = _logits(model, ids), np.asarray(targets)
    if logits.ndim != 3:
        raise ValueError("the last recurrent layer must return sequences (a prediction at every step)")
    if targets.shape != logits.shape[:2]:
        raise ValueError(f"targets must have the shape of ids, (N, T) = {logits.shape[:2]}; got {targets.shape}")
    return float(np.exp(sparse_softmax_cross_entropy(logits, targets)[0]))


def _stepper(info):
    """One step of a recurrent layer from its weights: (x_t, [h] or [h, c]) -> the new states."""
    c, (kernel, recurrent) = info.config, info.weights[:2]
    bias = info.weights[2] if c["use_bias"] else None
    _, _, step, options = cell(info.kind, c)

    def advance(x, states):
        new = step(x, *states, kernel, recurrent, bias, **options)
        return list(new) if isinstance(new, tuple) else [new]  # lstm_step returns (h, c)
    return advance


def sample(model, prompt, count, *, temperature=1.0, rng, stop, max_length):
    """count continuations of the token ids prompt (T,), drawn one token at a time, in NumPy.

    The weights are read once. Each step looks up the token's row of E, runs one step of every recurrent layer from
    its state, computes ŷ = h V + b_y and p = softmax(ŷ / temperature), and draws the next token: the first whose
    cumulative probability reaches rng.random().
    rng: a NumPy Generator.  stop: the token id that ends a sample.  max_length: the most tokens.
    Returns (samples, bits): a list of count id arrays, each ending at its first stop (or max_length long), and
    (count,) the mean -log2 p of their tokens at temperature 1.
    """
    embedding, *recurrent, dense = _layers(model)
    softmax(0.0, temperature)  # refuses a temperature of 0 or less
    if len(prompt) < 1:
        raise ValueError("prompt must hold at least one token id: the model reads it before the first draw")
    table, V, b_y = embedding.weights[0], dense.weights[0], (dense.weights[1] if dense.config["use_bias"] else 0)
    steps = [_stepper(info) for info in recurrent]
    states = [[np.zeros((count, info.config["units"]))] * (2 if info.kind == "LSTM" else 1) for info in recurrent]

    def advance(tokens):  # every layer reads one token per sample: the logits ŷ (count, K) that follow
        h = table[tokens]
        for i, step in enumerate(steps):
            states[i] = step(h, states[i])
            h = states[i][0]
        return h @ V + b_y

    for token in prompt:
        logits = advance(np.full(count, token))
    drawn, bits, done = [], [], np.zeros(count, dtype=bool)
    while len(drawn) < max_length and not done.all():
        tokens = (np.cumsum(softmax(logits, temperature), axis=1) < rng.random((count, 1))).sum(axis=1)
        tokens = np.minimum(tokens, V.shape[1] - 1)  # a sum of probabilities rounded just below 1
        bits.append(-np.log2(softmax(logits)[np.arange(count), tokens]))
        drawn.append(tokens)
        done |= tokens == stop
        logits = advance(tokens)
    drawn, bits = np.array(drawn).T, np.array(bits).T
    ends = [int(np.argmax(row == stop)) + 1 if (row == stop).any() else len(row) for row in drawn]
    return [row[:end] for row, end in zip(drawn, ends)], np.array([b[:end].mean() for b, end in zip(bits, ends)])
